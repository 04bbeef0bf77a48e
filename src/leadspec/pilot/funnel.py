"""The lifecycle as the pilot's leads really walked it: stays per stage, moves per transition.

Read from the stays of the history (`pilot_stays`): how many leads of the period
entered each stage, how many left it for each next stage, and what share of all
departures from a stage each move is. Moves the lifecycle does not allow are kept
and marked, so the playbook can show them. Without a history only the current
stage of each lead is known.
"""

from __future__ import annotations

from ..engines import Connection
from ..spec.models import Spec
from .measures import base, percent
from .report import Funnel, FunnelMove, FunnelStage
from .scope import STAYS, Scope, run_sql


def funnel(con: Connection, spec: Spec, scope: Scope) -> Funnel:
    leads = f"SELECT lead_id, stage FROM ({base(spec, scope, None, None)}) AS b"
    current = {
        stage: n for stage, n in run_sql(con, f"SELECT stage, COUNT(*) FROM ({leads}) AS l GROUP BY 1")
    }
    total = sum(current.values())
    entered: dict[str, int] = {}
    moved: dict[tuple[str, str], int] = {}
    if scope.history:
        ours = f"lead_id IN (SELECT lead_id FROM ({leads}) AS l)"
        entered = dict(
            run_sql(con, f"SELECT stage, COUNT(DISTINCT lead_id) FROM {STAYS} WHERE {ours} GROUP BY 1")
        )
        moved = {
            (a, b): n
            for a, b, n in run_sql(
                con,
                f"SELECT stage, next_stage, COUNT(*) FROM {STAYS} "
                f"WHERE next_stage IS NOT NULL AND {ours} GROUP BY 1, 2",
            )
        }
    pre_lead = set(spec.process.lifecycle.pre_lead)
    stages = tuple(
        FunnelStage(s.id, s.name, entered.get(s.id, 0) if scope.history else None, current.get(s.id, 0))
        for s in spec.stages
        if s.id not in pre_lead
    )
    rank = {s.id: i for i, s in enumerate(spec.stages)}
    allowed = {(t.source, t.target) for t in spec.process.lifecycle.transitions}
    left: dict[str, int] = {}
    for (source, _), n in moved.items():
        left[source] = left.get(source, 0) + n
    moves = tuple(
        FunnelMove(a, b, n, percent(n, left[a]) or 0.0, (a, b) in allowed)
        for (a, b), n in sorted(
            moved.items(),
            key=lambda item: (
                rank.get(item[0][0], len(rank)),
                item[0][0],
                rank.get(item[0][1], len(rank)),
                item[0][1],
            ),
        )
    )
    return Funnel(scope.history, total, stages, moves)
