"""The lifecycle as a graph: one entry, everything reachable, everything resolvable.

Lead stages are every stage that is not pre-lead context. From the entry stage
each must be reachable, and from each a terminal outcome; a group of stages that
only lead to each other (a nurture loop with no way out) is reported as a loop.
"""

from __future__ import annotations

import networkx as nx

from ..codes import Code
from ..expression import RuleError, referenced_fields
from .context import LintContext

DISQUALIFICATION_FIELD = "disqualification_reason"


def graph(ctx: LintContext) -> nx.DiGraph[str]:
    lifecycle = ctx.spec.process.lifecycle
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(s.id for s in ctx.spec.stages)
    g.add_edges_from((t.source, t.target) for t in lifecycle.transitions)
    return g


def run(ctx: LintContext) -> None:
    spec, doc = ctx.spec, ctx.process_doc
    lifecycle = spec.process.lifecycle
    stage_ids = {s.id for s in spec.stages}
    terminal = spec.terminal_stages
    pre_lead = set(lifecycle.pre_lead)
    g = graph(ctx)

    if lifecycle.entry in pre_lead or lifecycle.entry in terminal:
        ctx.report(
            doc,
            ("lifecycle", "entry"),
            Code.LS301,
            f"entry stage '{lifecycle.entry}' is a pre-lead or terminal stage",
            "The entry is where a captured lead starts, usually the inquiry stage.",
        )
    results = set(terminal.values())
    if "won" not in results:
        ctx.report(
            doc,
            ("lifecycle", "outcomes"),
            Code.LS304,
            "no outcome has result 'won'",
            "Add an outcome such as {stage: converted, result: won}.",
        )
    if "disqualified" not in results:
        ctx.report(
            doc,
            ("lifecycle", "outcomes"),
            Code.LS305,
            "no outcome has result 'disqualified'",
            "Add an outcome such as {stage: disqualified, result: disqualified}; "
            "disqualification is a resolved outcome, not a loss.",
        )
    for i, t in enumerate(lifecycle.transitions):
        if t.source in terminal:
            ctx.report(
                doc,
                ("lifecycle", "transitions", i, "from"),
                Code.LS308,
                f"transition out of terminal stage '{t.source}'",
                "A lead that comes back after an outcome re-enters as a new inquiry.",
            )
    mentioned = pre_lead | {lifecycle.entry} | set(terminal)
    mentioned |= {s for t in lifecycle.transitions for s in (t.source, t.target)}
    for stage_id in sorted(stage_ids - mentioned):
        ctx.report(
            ctx.stage_doc(stage_id),
            ("id",),
            Code.LS309,
            f"stage '{stage_id}' is not part of the lifecycle",
            "Add transitions to and from it in process/process.yaml, or delete the file.",
        )
    if lifecycle.entry not in stage_ids:
        return  # reported as an unknown stage by the reference checks

    lead_stages = (stage_ids & mentioned) - pre_lead
    reachable = nx.descendants(g, lifecycle.entry) | {lifecycle.entry}
    for stage_id in sorted(lead_stages - reachable):
        ctx.report(
            ctx.stage_doc(stage_id),
            ("id",),
            Code.LS302,
            f"stage '{stage_id}' cannot be reached from the entry stage '{lifecycle.entry}'",
            "Add a transition into it in process/process.yaml lifecycle.transitions.",
        )
    _resolvable(ctx, g, lead_stages - set(terminal), set(terminal))
    _disqualification_reason(ctx)


def _resolvable(ctx: LintContext, g: nx.DiGraph[str], open_stages: set[str], terminal: set[str]) -> None:
    stuck = {s for s in open_stages if not (nx.descendants(g, s) & terminal)}
    reported: set[str] = set()
    for component in sorted(nx.strongly_connected_components(g.subgraph(stuck)), key=min):
        node = next(iter(component))
        if len(component) == 1 and not g.has_edge(node, node):
            continue
        members = sorted(component)
        ctx.report(
            ctx.stage_doc(members[0]),
            ("id",),
            Code.LS307,
            f"stages {', '.join(members)} only lead to each other; no lead can leave the loop for an outcome",
            "Add a transition from the loop to a terminal stage, such as disqualified.",
        )
        reported |= component
    for stage_id in sorted(stuck - reported):
        ctx.report(
            ctx.stage_doc(stage_id),
            ("id",),
            Code.LS303,
            f"no path leads from stage '{stage_id}' to a terminal outcome",
            "Add a transition from it (or from a stage after it) to converted or disqualified.",
        )


def _disqualification_reason(ctx: LintContext) -> None:
    for stage_id, result in ctx.spec.terminal_stages.items():
        if result != "disqualified" or stage_id not in ctx.sources.stages:
            continue
        stage = ctx.spec.stage(stage_id)
        if not any(_reads_reason(c.rule) for c in stage.entry_conditions):
            ctx.report(
                ctx.stage_doc(stage_id),
                ("entry_conditions",),
                Code.LS306,
                f"stage '{stage_id}' does not require a disqualification reason",
                f"Add an entry condition whose rule reads {DISQUALIFICATION_FIELD}, "
                f"e.g. {DISQUALIFICATION_FIELD} IN ('no_budget', 'no_fit').",
            )


def _reads_reason(rule: str | None) -> bool:
    try:
        return rule is not None and DISQUALIFICATION_FIELD in referenced_fields(rule)
    except RuleError:
        return False
