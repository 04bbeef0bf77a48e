"""A KPI's measure must be computable: known fields of the right type, valid rules, real stages.

The pilot report compiles each measure to SQL; everything that could stop it or
make it measure something other than the KPI says is caught here, at the line
of definitions/kpis.yaml where it is written.
"""

from __future__ import annotations

from ..codes import Code
from ..models.definitions import (
    MEASURE_UNITS,
    ConversionMeasure,
    DurationMeasure,
    Kpi,
    StageDaysMeasure,
)
from .context import LintContext, Loc

DEFAULT_DATE_FIELD = "created_at"


def run(ctx: LintContext) -> None:
    for i, kpi in enumerate(ctx.spec.kpis):
        if kpi.measure is not None:
            _measure(ctx, kpi, ("kpis", i, "measure"))


def _measure(ctx: LintContext, kpi: Kpi, loc: Loc) -> None:
    spec, doc = ctx.spec, ctx.definitions["kpis"]
    measure = kpi.measure
    assert measure is not None
    units = MEASURE_UNITS[measure.kind]
    if kpi.unit not in units:
        ctx.report(
            doc,
            (*loc, "kind"),
            Code.LS411,
            f"KPI '{kpi.id}' is in {kpi.unit} but a {measure.kind} measure gives {' or '.join(units)}",
            "Change the KPI's unit, or choose the measure kind that gives its unit.",
        )
    for key in ("where", "of", "that"):
        ctx.rule(doc, (*loc, key), getattr(measure, key, None))
    fields = {f.id: f for f in spec.fields}
    named: list[tuple[Loc, str, str]] = []  # location, field, what it must be
    for j, field_id in enumerate(measure.dated_by or []):
        named.append(((*loc, "dated_by", j), field_id, "timestamp"))
    if isinstance(measure, DurationMeasure):
        named += [((*loc, "from"), measure.start, "timestamp"), ((*loc, "to"), measure.end, "timestamp")]
    for key in ("by", "split"):
        value = getattr(measure, key, None)
        if value is not None:
            named.append(((*loc, key), value, "group"))
    for where, field_id, role in named:
        if field_id not in fields:
            ctx.reference(doc, where, field_id, fields, Code.LS102, "fields", "definitions/fields.yaml")
            continue
        field = fields[field_id]
        if role == "timestamp" and field.type != "timestamp":
            ctx.report(
                doc,
                where,
                Code.LS411,
                f"field '{field_id}' is a {field.type}, not a timestamp",
                "Times and periods are read from fields of type timestamp.",
            )
        if role == "group" and field.pii:
            ctx.report(
                doc,
                where,
                Code.LS411,
                f"field '{field_id}' is personal data; a breakdown by it would put "
                "personal values in the report",
                "Break the figure down by a field that is not marked pii, such as source_category.",
            )
    if measure.dated_by is None and DEFAULT_DATE_FIELD not in fields:
        ctx.report(
            doc,
            loc,
            Code.LS411,
            f"the data dictionary has no '{DEFAULT_DATE_FIELD}' to date leads by",
            "Add 'dated_by:' with the timestamp field that places a lead in a period.",
        )
    if isinstance(measure, DurationMeasure) and measure.window is not None:
        for motion_id, motion in sorted(spec.process.motions.items()):
            if measure.window not in motion.windows:
                ctx.reference(
                    doc,
                    (*loc, "window"),
                    measure.window,
                    motion.windows,
                    Code.LS109,
                    "windows",
                    f"process motion '{motion_id}'",
                )
                break
    if isinstance(measure, (StageDaysMeasure, ConversionMeasure)):
        _stages(ctx, measure, loc)


def _stages(ctx: LintContext, measure: StageDaysMeasure | ConversionMeasure, loc: Loc) -> None:
    spec, doc = ctx.spec, ctx.definitions["kpis"]
    known = {s.id for s in spec.stages}
    pre_lead = set(spec.process.lifecycle.pre_lead)
    for j, stage_id in enumerate(measure.stages):
        where = (*loc, "stages", j)
        if stage_id not in known:
            ctx.reference(doc, where, stage_id, known, Code.LS103, "stages", "stages/")
        elif stage_id in pre_lead:
            ctx.report(
                doc,
                where,
                Code.LS411,
                f"stage '{stage_id}' comes before a lead exists; no lead history shows it",
                "List stages from the lifecycle's entry stage on.",
            )
    if not isinstance(measure, ConversionMeasure):
        return
    moves = {(t.source, t.target) for t in spec.process.lifecycle.transitions}
    for j, (source, target) in enumerate(zip(measure.stages, measure.stages[1:], strict=False)):
        if {source, target} <= known and (source, target) not in moves:
            ctx.report(
                doc,
                (*loc, "stages", j + 1),
                Code.LS411,
                f"the lifecycle has no transition from '{source}' to '{target}'",
                "List stages in the order leads move forward through them; each "
                "neighbouring pair must be a transition in process/process.yaml.",
            )
