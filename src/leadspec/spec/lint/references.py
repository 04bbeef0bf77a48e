"""Every id one file uses must be defined in another; every rule must compile."""

from __future__ import annotations

from ..codes import Code
from ..models import Spec
from .context import LintContext


def run(ctx: LintContext) -> None:
    _process(ctx)
    for stage in ctx.spec.stages:
        _stage(ctx, stage.id)
    _definitions(ctx)
    _checks(ctx)


def _ids(spec: Spec) -> dict[str, set[str]]:
    return {
        "roles": {r.id for r in spec.roles},
        "stages": {s.id for s in spec.stages},
        "fields": {f.id for f in spec.fields},
        "sources": {s.id for s in spec.sources},
        "failure modes": {f.id for f in spec.failure_modes},
        "KPIs": {k.id for k in spec.kpis},
        "checks": {c.id for c in spec.checks},
        "motions": set(spec.process.motions),
    }


def _process(ctx: LintContext) -> None:
    spec, doc = ctx.spec, ctx.process_doc
    ids = _ids(spec)
    process = spec.process

    def role(loc: tuple[str | int, ...], value: str) -> None:
        ctx.reference(doc, loc, value, ids["roles"], Code.LS101, "roles", "definitions/roles.yaml")

    def stage(loc: tuple[str | int, ...], value: str) -> None:
        ctx.reference(doc, loc, value, ids["stages"], Code.LS103, "stages", "stages/")

    role(("owner",), process.owner)
    for i, holder in enumerate(process.stakeholders):
        role(("stakeholders", i, "role"), holder.role)
    for i, approval in enumerate(process.approvals):
        role(("approvals", i, "role"), approval.role)
    for i, waiver in enumerate(process.waivers):
        role(("waivers", i, "approved_by"), waiver.approved_by)
        ctx.reference(
            doc, ("waivers", i, "kpi"), waiver.kpi, ids["KPIs"], Code.LS105, "KPIs", "definitions/kpis.yaml"
        )
    lifecycle = process.lifecycle
    for i, stage_id in enumerate(lifecycle.pre_lead):
        stage(("lifecycle", "pre_lead", i), stage_id)
    stage(("lifecycle", "entry"), lifecycle.entry)
    for i, t in enumerate(lifecycle.transitions):
        stage(("lifecycle", "transitions", i, "from"), t.source)
        stage(("lifecycle", "transitions", i, "to"), t.target)
    for i, outcome in enumerate(lifecycle.outcomes):
        stage(("lifecycle", "outcomes", i, "stage"), outcome.stage)
    ctx.reference(
        doc,
        ("default_motion",),
        process.default_motion,
        ids["motions"],
        Code.LS109,
        "motions",
        "process.motions",
    )

    thresholds = {t.id for t in spec.scoring.thresholds}
    window_names = set().union(*(set(m.windows) for m in process.motions.values()))
    for motion_id, motion in process.motions.items():
        loc = ("motions", motion_id)
        for missing in sorted(thresholds - set(motion.thresholds)):
            ctx.report(
                doc,
                (*loc, "thresholds"),
                Code.LS109,
                f"motion '{motion_id}' sets no value for threshold '{missing}'",
                f"Add '{missing}:' under motions.{motion_id}.thresholds; "
                "definitions/scoring.yaml declares it.",
            )
        for extra in sorted(set(motion.thresholds) - thresholds):
            ctx.report(
                doc,
                (*loc, "thresholds", extra),
                Code.LS109,
                f"threshold '{extra}' is not declared in definitions/scoring.yaml",
                "Declare it under scoring.thresholds with its meaning, or remove it.",
            )
        for missing in sorted(window_names - set(motion.windows)):
            ctx.report(
                doc,
                (*loc, "windows"),
                Code.LS109,
                f"motion '{motion_id}' has no window '{missing}' that another motion has",
                "Every motion sets the same named windows, each with its own limits.",
            )
        for name, window in motion.windows.items():
            for source in window.by_source:
                ctx.reference(
                    doc,
                    (*loc, "windows", name, "by_source", source),
                    source,
                    ids["sources"],
                    Code.LS106,
                    "sources",
                    "definitions/sources.yaml",
                )


def _window(ctx: LintContext, stage_id: str, loc: tuple[str | int, ...], name: str | None) -> None:
    if name is None:
        return
    for motion_id, motion in ctx.spec.process.motions.items():
        if name not in motion.windows:
            known = set(motion.windows)
            ctx.reference(
                ctx.stage_doc(stage_id),
                loc,
                name,
                known,
                Code.LS109,
                "windows",
                f"process motion '{motion_id}'",
            )
            return


def _stage(ctx: LintContext, stage_id: str) -> None:
    spec, doc = ctx.spec, ctx.stage_doc(stage_id)
    stage = spec.stage(stage_id)
    ids = _ids(spec)
    roles = ids["roles"]
    ctx.reference(doc, ("owner",), stage.owner, roles, Code.LS101, "roles", "definitions/roles.yaml")
    for i, step in enumerate(stage.steps):
        ctx.reference(doc, ("steps", i, "by"), step.by, roles, Code.LS101, "roles", "definitions/roles.yaml")
    if stage.escalation:
        ctx.reference(
            doc,
            ("escalation", "to"),
            stage.escalation.to,
            roles,
            Code.LS101,
            "roles",
            "definitions/roles.yaml",
        )
        _window(ctx, stage_id, ("escalation", "after"), stage.escalation.after)
    if stage.reassignment:
        ctx.reference(
            doc,
            ("reassignment", "to"),
            stage.reassignment.to,
            roles,
            Code.LS101,
            "roles",
            "definitions/roles.yaml",
        )
    _window(ctx, stage_id, ("response_window",), stage.response_window)
    _window(ctx, stage_id, ("max_time_in_stage",), stage.max_time_in_stage)
    for key in ("entry_conditions", "exit_criteria"):
        for i, criterion in enumerate(getattr(stage, key)):
            ctx.rule(doc, (key, i, "rule"), criterion.rule)
    for i, aid in enumerate(stage.job_aids):
        if aid.path is not None and not (ctx.sources.root / aid.path).is_file():
            ctx.report(
                doc,
                ("job_aids", i, "path"),
                Code.LS107,
                f"job aid '{aid.title}' points to '{aid.path}', which does not exist",
                "Paths are relative to the repository root, e.g. docs/job-aids/guide.md.",
            )
    for i, fm in enumerate(stage.failure_modes):
        ctx.reference(
            doc,
            ("failure_modes", i),
            fm,
            ids["failure modes"],
            Code.LS104,
            "failure modes",
            "definitions/failure_modes.yaml",
        )
    for i, kpi in enumerate(stage.kpis):
        ctx.reference(doc, ("kpis", i), kpi, ids["KPIs"], Code.LS105, "KPIs", "definitions/kpis.yaml")


def _definitions(ctx: LintContext) -> None:
    spec, docs = ctx.spec, ctx.definitions
    ids = _ids(spec)
    fields = ids["fields"]

    def field(file: str, loc: tuple[str | int, ...], value: str) -> None:
        ctx.reference(docs[file], loc, value, fields, Code.LS102, "fields", "definitions/fields.yaml")

    lead = spec.lead
    for key in ("required_fields", "contact_any_of"):
        for i, value in enumerate(getattr(lead, key)):
            field("lead", ("lead", key, i), value)
    field("lead", ("lead", "consent_field"), lead.consent_field)
    field("lead", ("lead", "source_field"), lead.source_field)
    ctx.rule(docs["lead"], ("lead", "consent_rule"), lead.consent_rule)
    for i, f in enumerate(spec.fields):
        ctx.reference(
            docs["fields"],
            ("fields", i, "required_from"),
            f.required_from,
            ids["stages"],
            Code.LS103,
            "stages",
            "stages/",
        )
    field("grading", ("grading", "field"), spec.grading.field)
    for i, grade in enumerate(spec.grading.grades):
        ctx.rule(docs["grading"], ("grading", "grades", i, "rule"), grade.rule)
    field("scoring", ("scoring", "field"), spec.scoring.field)
    for i, fm in enumerate(spec.failure_modes):
        for j, check in enumerate(fm.detection.checks):
            ctx.reference(
                docs["failure_modes"],
                ("failure_modes", i, "detection", "checks", j),
                check,
                ids["checks"],
                Code.LS108,
                "checks",
                "checks/*.yaml",
            )
    for name, key, items in (
        ("fields", "fields", spec.fields),
        ("sources", "sources", spec.sources),
        ("roles", "roles", spec.roles),
        ("readiness", "readiness", spec.readiness),
        ("failure_modes", "failure_modes", spec.failure_modes),
        ("kpis", "kpis", spec.kpis),
        ("scoring", "signals", spec.scoring.signals),
    ):
        loc_key = key if name != "scoring" else "signals"
        ctx.unique(docs[name], loc_key, [item.id for item in items], name.rstrip("s"))


def _checks(ctx: LintContext) -> None:
    spec = ctx.spec
    ids = _ids(spec)
    seen: set[str] = set()
    for position, check in enumerate(spec.checks):
        doc, loc = ctx.sources.check(position)
        if check.id in seen:
            ctx.report(
                doc,
                (*loc, "id"),
                Code.LS013,
                f"check id '{check.id}' is defined twice",
                "Check ids are shown in every report; give each check its own id.",
            )
            continue
        seen.add(check.id)
        for i, stage_id in enumerate(check.scope.stages):
            ctx.reference(
                doc, (*loc, "scope", "stages", i), stage_id, ids["stages"], Code.LS103, "stages", "stages/"
            )
        ctx.reference(
            doc,
            (*loc, "scope", "motion"),
            check.scope.motion,
            ids["motions"],
            Code.LS109,
            "motions",
            "process.motions",
        )
        for i, source in enumerate(check.scope.sources):
            ctx.reference(
                doc,
                (*loc, "scope", "sources", i),
                source,
                ids["sources"],
                Code.LS106,
                "sources",
                "definitions/sources.yaml",
            )
        # NOTE: a kind's own options (its field, its rule) are linted by the kind: rules/lint.py.
