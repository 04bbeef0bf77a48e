"""A process a new hire can follow: every stage fully written, every promise measurable."""

from __future__ import annotations

import re
from collections import defaultdict

from ..codes import Code
from .context import LintContext

_SENTENCE_END = re.compile(r"[.!?](?:\s+(?=[A-Z0-9])|$)")
MIN_STEPS, MAX_STEPS = 3, 8


def run(ctx: LintContext) -> None:
    spec = ctx.spec
    terminal = spec.terminal_stages
    claims: dict[str, list[str]] = defaultdict(list)
    for stage in spec.stages:
        doc = ctx.stage_doc(stage.id)
        if len(_SENTENCE_END.findall(stage.definition.strip())) > 1:
            ctx.report(
                doc,
                ("definition",),
                Code.LS406,
                f"the definition of '{stage.id}' has more than one sentence",
                "Keep one sentence here and move the rest to 'purpose'.",
            )
        if not stage.steps:
            ctx.report(
                doc,
                ("steps",),
                Code.LS407,
                f"stage '{stage.id}' has no steps",
                "Add 'steps:' with what the owner does, in order, each with 'by:'.",
            )
        elif not MIN_STEPS <= len(stage.steps) <= MAX_STEPS:
            ctx.report(
                doc,
                ("steps",),
                Code.LS409,
                f"stage '{stage.id}' has {len(stage.steps)} steps",
                f"Aim for {MIN_STEPS} to {MAX_STEPS}; merge small steps or split the stage.",
            )
        if stage.id in terminal:
            if not stage.entry_conditions:
                ctx.report(
                    doc,
                    ("entry_conditions",),
                    Code.LS408,
                    f"terminal stage '{stage.id}' has no entry conditions",
                    "Add 'entry_conditions:' saying when a lead may end here.",
                )
        elif not stage.exit_criteria:
            ctx.report(
                doc,
                ("exit_criteria",),
                Code.LS401,
                f"stage '{stage.id}' has no exit criteria",
                "Add 'exit_criteria:' with at least one item: a sentence plus a 'rule:', "
                "or 'manual: true' with a 'reason:'.",
            )
        if not stage.job_aids:
            ctx.report(
                doc,
                ("job_aids",),
                Code.LS402,
                f"stage '{stage.id}' has no job aid",
                "Add 'job_aids:' with at least one template, script or checklist.",
            )
        for i, status in enumerate(stage.crm_status):
            claims[status].append(stage.id)
            if len(claims[status]) > 1:
                ctx.report(
                    doc,
                    ("crm_status", i),
                    Code.LS405,
                    f"CRM status '{status}' is also claimed by stage '{claims[status][0]}'",
                    "Each CRM status means exactly one stage; remove it from one of them.",
                )
    _failure_modes(ctx)
    _kpis(ctx)
    _unused(ctx)


def _failure_modes(ctx: LintContext) -> None:
    doc = ctx.definitions["failure_modes"]
    for i, fm in enumerate(ctx.spec.failure_modes):
        detection = fm.detection
        if not detection.checks and not detection.not_detectable:
            ctx.report(
                doc,
                ("failure_modes", i, "detection"),
                Code.LS403,
                f"failure mode '{fm.id}' is neither detected nor marked undetectable",
                "List the checks that catch it under 'checks:', or explain under "
                "'not_detectable:' why CRM data cannot show it.",
            )


def _kpis(ctx: LintContext) -> None:
    doc = ctx.definitions["kpis"]
    for i, kpi in enumerate(ctx.spec.kpis):
        if kpi.target is None:
            ctx.report(
                doc,
                ("kpis", i),
                Code.LS404,
                f"KPI '{kpi.id}' has no target",
                "Add 'target:' with 'min:', 'max:' or both, in the KPI's unit.",
            )


def _unused(ctx: LintContext) -> None:
    spec = ctx.spec
    process = spec.process
    used_roles = {process.owner, *(s.role for s in process.stakeholders)}
    used_modes: set[str] = set()
    for stage in spec.stages:
        used_roles |= {stage.owner, *(step.by for step in stage.steps)}
        if stage.escalation:
            used_roles.add(stage.escalation.to)
        if stage.reassignment:
            used_roles.add(stage.reassignment.to)
        used_modes |= set(stage.failure_modes)
    for i, role in enumerate(spec.roles):
        if role.id not in used_roles:
            ctx.report(
                ctx.definitions["roles"],
                ("roles", i, "id"),
                Code.LS410,
                f"role '{role.id}' owns no stage, step, escalation or stakeholder seat",
                "Give the role work in a stage, or remove it.",
            )
    for i, fm in enumerate(spec.failure_modes):
        if fm.id not in used_modes:
            ctx.report(
                ctx.definitions["failure_modes"],
                ("failure_modes", i, "id"),
                Code.LS410,
                f"failure mode '{fm.id}' is guarded against by no stage",
                "List it under 'failure_modes:' of the stage where it happens.",
            )
