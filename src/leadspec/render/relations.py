"""Questions a reader asks of the spec that no single file answers.

Who hands a lead to whom, which stages come before and after, which checks catch
a failure mode: derived here once, for the pages of stages and roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..spec.models import Spec, Stage
from ..spec.models.process import Transition


@dataclass(frozen=True)
class Handoff:
    transition: Transition
    source: Stage
    target: Stage


def incoming(spec: Spec, stage_id: str) -> list[Transition]:
    return [t for t in spec.process.lifecycle.transitions if t.target == stage_id]


def outgoing(spec: Spec, stage_id: str) -> list[Transition]:
    return [t for t in spec.process.lifecycle.transitions if t.source == stage_id]


def handoffs(spec: Spec) -> list[Handoff]:
    """Transitions where the owning role changes: the moments a lead changes hands."""
    stages = {s.id: s for s in spec.stages}
    result = []
    for t in spec.process.lifecycle.transitions:
        source, target = stages.get(t.source), stages.get(t.target)
        if source and target and source.owner != target.owner:
            result.append(Handoff(t, source, target))
    return result


def received_by(spec: Spec, role_id: str) -> list[Handoff]:
    return [h for h in handoffs(spec) if h.target.owner == role_id]


def handed_over_by(spec: Spec, role_id: str) -> list[Handoff]:
    return [h for h in handoffs(spec) if h.source.owner == role_id]


def owned_stages(spec: Spec, role_id: str) -> list[Stage]:
    return [s for s in spec.stages if s.owner == role_id]


def steps_in_other_stages(spec: Spec, role_id: str) -> list[tuple[Stage, int, str]]:
    """(stage, 1-based step number, step) for steps the role does in stages it does not own."""
    return [
        (stage, n, step.do)
        for stage in spec.stages
        if stage.owner != role_id
        for n, step in enumerate(stage.steps, 1)
        if step.by == role_id
    ]


def failure_mode_stages(spec: Spec, failure_mode_id: str) -> list[Stage]:
    return [s for s in spec.stages if failure_mode_id in s.failure_modes]


def kpi_stages(spec: Spec, kpi_id: str) -> list[Stage]:
    return [s for s in spec.stages if kpi_id in s.kpis]


def failure_modes_detected_by(spec: Spec, check_id: str) -> list[str]:
    return [f.id for f in spec.failure_modes if check_id in f.detection.checks]
