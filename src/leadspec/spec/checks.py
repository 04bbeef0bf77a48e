"""Every check the spec implies: the configured ones plus the stages' criteria.

A criterion with a rule becomes an `expression` check with the id
`<stage>.<criterion>`. The main line of the lifecycle is the shortest path of
transitions from the entry stage to the won outcome. An exit criterion of a
main-line stage applies to the leads that have moved past the stage along it: a
lead now in SQL has passed inquiry, MQL and SAL and must meet their exit
criteria. An entry condition applies to the leads in its stage and, for a
main-line stage, to those past it. A lead in nurture or disqualified left the
main line by a side door and is held to that stage's entry conditions instead;
exit criteria of stages off the main line are not checked, since data cannot
tell which door a lead will take.

This is spec logic: every step that runs, counts or documents checks reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .models import Check, Spec
from .models.definitions import CheckScope


@dataclass(frozen=True)
class SpecCheck:
    """A check the spec implies, with where it comes from and where it is documented."""

    check: Check
    stage: str | None  # the stage whose criterion it is; None for a configured check
    doc: str  # its playbook page, relative to the site root


def main_line(spec: Spec) -> list[str]:
    """Stage ids from the entry to the won outcome by the fewest transitions."""
    lifecycle = spec.process.lifecycle
    graph: nx.DiGraph[str] = nx.DiGraph((t.source, t.target) for t in lifecycle.transitions)
    won = [o.stage for o in lifecycle.outcomes if o.result == "won"]
    paths = [
        nx.shortest_path(graph, lifecycle.entry, w)
        for w in won
        if graph.has_node(lifecycle.entry) and graph.has_node(w) and nx.has_path(graph, lifecycle.entry, w)
    ]
    return min(paths, key=len) if paths else []


def criteria_checks(spec: Spec) -> list[SpecCheck]:
    """The entry conditions and exit criteria with rules, as checks."""
    line = main_line(spec)
    checks = []
    for stage in spec.stages:
        later = line[line.index(stage.id) + 1 :] if stage.id in line else []
        scopes = [(stage.entry_conditions, [stage.id, *later], "entry-conditions")]
        if later:
            scopes.append((stage.exit_criteria, later, "exit-criteria"))
        for criteria, stages, section in scopes:
            for criterion in criteria:
                if criterion.rule is None:
                    continue
                # NOTE: constructed, not validated: the dotted id is not a valid spec id
                # on purpose, so it can never collide with a configured check.
                check = Check.model_construct(
                    id=f"{stage.id}.{criterion.id}",
                    description=" ".join(criterion.text.split()),
                    kind="expression",
                    rule=criterion.rule,
                    scope=CheckScope(stages=stages),
                )
                checks.append(SpecCheck(check, stage.id, f"stages/{stage.id}/#{section}"))
    return checks


def enforced_criteria(spec: Spec) -> set[str]:
    """Ids (<stage>.<criterion>) of the criteria the checks hold leads to."""
    return {c.check.id for c in criteria_checks(spec)}


def all_checks(spec: Spec) -> list[SpecCheck]:
    """Every check of the spec: the configured ones by id, then the criteria in stage order."""
    configured = [
        SpecCheck(c, None, f"reference/checks/#{c.id}") for c in sorted(spec.checks, key=lambda c: c.id)
    ]
    return configured + criteria_checks(spec)
