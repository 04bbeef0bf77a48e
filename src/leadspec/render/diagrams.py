"""The lifecycle as Graphviz DOT text: the whole flow, the handoffs, one stage's neighbours.

Pure functions of the spec: the same spec gives the same bytes, so the DOT source is
snapshot-tested and only `svg.to_svg` depends on the installed Graphviz.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from itertools import pairwise

from ..spec.models import Spec, Stage
from ..spec.models.process import Transition

FONT = "Helvetica"
TEXT = "#1A1A1A"
LINE = "#4D4D4D"
MUTED = "#8C8C8C"
MUTED_TEXT = "#4D4D4D"
PRE_LEAD_ZONE = "#F2F2F2"
NO_FUNCTION_FILL = "#FFFFFF"
LANE_FILL = "#FAFAFA"
HANDOFF = "#CC3311"
LABEL_WIDTH = 28
NAME_WIDTH = 24
LEGEND_COLUMNS = 2

# NOTE: Paul Tol's "light" scheme: told apart by colour-blind readers, and dark text
# stays legible on every fill.
FUNCTION_FILL: dict[str, str] = {
    "marketing": "#EE8866",
    "sales": "#77AADD",
    "operations": "#EEDD88",
    "it": "#99DDFF",
    "finance": "#FFAABB",
    "customer_success": "#BBCC33",
    "leadership": "#AAAA00",
}
OUTCOME_FILL: dict[str, str] = {"won": "#44BB99", "disqualified": "#DDDDDD"}
FUNCTION_NAMES: dict[str, str] = {"it": "IT", "customer_success": "Customer success"}

Value = str | int | float | None
Attrs = Mapping[str, Value]


def lifecycle_dot(
    spec: Spec,
    link_prefix: str = "",
    *,
    stage_notes: Mapping[str, str] | None = None,
    edge_notes: Mapping[tuple[str, str], str] | None = None,
) -> str:
    """Every stage and transition, top to bottom, so a reader sees the whole process at once.

    Stage nodes link to `<link_prefix>stages/<id>/`, relative to the site's start page.
    With notes (the pilot's real counts), each noted stage gets its note as a last
    line and each transition is labelled by its note alone (unlabelled without one);
    that diagram is the pilot funnel, with an id and title of its own.
    """
    lifecycle = spec.process.lifecycle
    prefix = f"{link_prefix}stages/"
    pre_lead = [s for s in spec.stages if s.id in lifecycle.pre_lead]
    terminal = [s for s in spec.stages if s.id in spec.terminal_stages]
    lead = [s for s in spec.stages if s not in pre_lead and s not in terminal]
    noted = stage_notes is not None or edge_notes is not None

    def nodes(stages: list[Stage]) -> list[str]:
        if not noted:
            return _stage_nodes(spec, stages, prefix)
        out = []
        for stage in stages:
            attrs = _stage_attrs(spec, stage, f"{prefix}{stage.id}/")
            note = (stage_notes or {}).get(stage.id)
            if note:
                attrs["label"] = f"{attrs['label']}\n{note}"
            out.append(_node(stage.id, attrs))
        return out

    def edge_attrs(t: Transition) -> dict[str, Value]:
        attrs = _transition_attrs(spec, t, labelled=True)
        if noted:
            attrs["label"] = (edge_notes or {}).get((t.source, t.target))
        return attrs

    lines = _header()
    lines += _cluster("cluster_pre_lead", "Before a lead exists", _PRE_LEAD_CLUSTER, nodes(pre_lead))
    lines += nodes(lead)
    lines += _sink(nodes(terminal))
    lines += [_edge(t, edge_attrs(t)) for t in lifecycle.transitions]
    lines += _legend(spec, lead)
    if noted:
        return _graph(lines, "pilot-funnel", f"Leads through the lifecycle of {spec.process.name}")
    return _graph(lines, "lifecycle", f"Lead lifecycle of {spec.process.name}")


def swimlane_dot(spec: Spec, link_prefix: str = "") -> str:
    """One lane per function, so the moments a lead changes hands stand out."""
    functions = _functions(spec)
    prefix = f"{link_prefix}stages/"
    lines = _header()
    for function in _lanes(spec):
        stages = [s for s in spec.stages if functions[s.id] == function]
        lines += _cluster(
            f"cluster_lane_{function}",
            _function_name(function),
            _lane_style(function),
            _stage_nodes(spec, stages, prefix),
        )
    lines += _stage_nodes(spec, [s for s in spec.stages if functions[s.id] is None], prefix)
    lines += [_edge(t, _swimlane_edge_attrs(spec, t, functions)) for t in spec.process.lifecycle.transitions]
    return _graph(lines, "swimlane", f"Handoffs between functions in {spec.process.name}")


def neighbourhood_dot(spec: Spec, stage_id: str, link_prefix: str = "../") -> str:
    """A stage with the stages just before and after it, for the top of its own page.

    Neighbours link to `<link_prefix><id>/`, relative to the stage's page.
    """
    if stage_id not in {s.id for s in spec.stages}:
        raise KeyError(f"no stage '{stage_id}' in the spec")
    focus = spec.stage(stage_id)
    transitions = [t for t in spec.process.lifecycle.transitions if stage_id in (t.source, t.target)]
    near = {t.source for t in transitions} | {t.target for t in transitions}
    lines = _header()
    for stage in spec.stages:
        if stage.id == stage_id:
            focus_attrs = _stage_attrs(spec, stage, None) | {"penwidth": 3, "fontsize": 14}
            lines.append(_node(stage.id, focus_attrs))
        elif stage.id in near:
            attrs = _stage_attrs(spec, stage, f"{link_prefix}{stage.id}/")
            lines.append(_node(stage.id, attrs | {"fillcolor": NO_FUNCTION_FILL}))
    lines += [_edge(t, _transition_attrs(spec, t, labelled=True)) for t in transitions]
    return _graph(lines, f"neighbourhood-{stage_id}", f"Stages before and after {focus.name}")


def _quote(text: str) -> str:
    """A DOT double-quoted string; doubled backslashes keep `\\n` in names from becoming breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{escaped}"'


def _wrap(text: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(" ".join(text.split()), width)) or text


def _attrs(attrs: Attrs) -> str:
    parts = [f"{key}={_value(value)}" for key, value in attrs.items() if value is not None]
    return f" [{', '.join(parts)}]" if parts else ""


def _value(value: Value) -> str:
    return _quote(value) if isinstance(value, str) else str(value)


def _node(node_id: str, attrs: Attrs) -> str:
    return f"  {_quote(node_id)}{_attrs(attrs)};"


def _edge(transition: Transition, attrs: Attrs) -> str:
    return f"  {_quote(transition.source)} -> {_quote(transition.target)}{_attrs(attrs)};"


def _header() -> list[str]:
    return [
        f"  graph [rankdir=TB, fontname={_quote(FONT)}, nodesep=0.45, ranksep=0.55, newrank=true];",
        f'  node [shape=box, style="rounded,filled", fontname={_quote(FONT)}, fontsize=12, '
        f'fontcolor={_quote(TEXT)}, color={_quote(LINE)}, margin="0.2,0.08"];',
        f"  edge [fontname={_quote(FONT)}, fontsize=10, fontcolor={_quote(TEXT)}, "
        f"color={_quote(LINE)}, arrowsize=0.8];",
    ]


def _graph(body: list[str], graph_id: str, title: str) -> str:
    """The whole graph; the title comes last because clusters inherit graph attributes set
    before them, and a repeated label or id would be wrong on every cluster."""
    closing = [
        f"  id={_quote(graph_id)};",
        f"  label={_quote(title)};",
        f"  tooltip={_quote(title)};",
        "  labelloc=t;",
        "  fontsize=16;",
    ]
    return "\n".join([f"digraph {_quote(title)} {{", *body, *closing, "}"]) + "\n"


def _cluster(name: str, label: str, style: Attrs, nodes: list[str]) -> list[str]:
    if not nodes:
        return []
    settings = [f"    {key}={_value(value)};" for key, value in style.items()]
    return [
        f"  subgraph {_quote(name)} {{",
        f"    label={_quote(label)};",
        f"    tooltip={_quote(label)};",
        *settings,
        *(f"  {line}" for line in nodes),
        "  }",
    ]


def _sink(nodes: list[str]) -> list[str]:
    """Outcomes share the bottom rank, apart from the stages that lead to them."""
    if not nodes:
        return []
    return ["  subgraph outcomes {", "    rank=sink;", *(f"  {line}" for line in nodes), "  }"]


# NOTE: a shaded zone rather than a border: dot lets the label of an edge inside a
# cluster stick out past the cluster's edge, which a border would cut through.
_PRE_LEAD_CLUSTER: Attrs = {
    "style": "rounded,filled",
    "fillcolor": PRE_LEAD_ZONE,
    "color": PRE_LEAD_ZONE,
    "fontcolor": MUTED_TEXT,
    "fontsize": 11,
    "labeljust": "l",
}
_LEGEND_CLUSTER: Attrs = {
    "style": "rounded",
    "color": MUTED,
    "fontcolor": MUTED_TEXT,
    "fontsize": 11,
    "labeljust": "l",
}


def _functions(spec: Spec) -> dict[str, str | None]:
    """Stage id -> the function of its owner's role; None when lint would flag the role."""
    roles = {r.id: r.function for r in spec.roles}
    return {s.id: roles.get(s.owner) for s in spec.stages}


def _function_name(function: str) -> str:
    return FUNCTION_NAMES.get(function, function.replace("_", " ").capitalize())


def _stage_label(stage: Stage) -> str:
    name = _wrap(stage.name, NAME_WIDTH)
    return f"{name}\n({stage.short})" if stage.short else name


def _stage_tooltip(spec: Spec, stage: Stage) -> str:
    roles = {r.id: r.title for r in spec.roles}
    return f"{stage.definition}\nOwner: {roles.get(stage.owner, stage.owner)}"


def _stage_nodes(spec: Spec, stages: Iterable[Stage], prefix: str) -> list[str]:
    return [_node(s.id, _stage_attrs(spec, s, f"{prefix}{s.id}/")) for s in stages]


def _stage_attrs(spec: Spec, stage: Stage, url: str | None) -> dict[str, Value]:
    """How a stage looks everywhere: its phase sets the outline, its owner or outcome the fill."""
    attrs: dict[str, Value] = {
        "label": _stage_label(stage),
        "tooltip": _stage_tooltip(spec, stage),
        "URL": url,
    }
    outcome = spec.terminal_stages.get(stage.id)
    if stage.id in spec.process.lifecycle.pre_lead:
        attrs |= {
            "style": "rounded,dashed,filled",
            "fillcolor": NO_FUNCTION_FILL,
            "color": MUTED,
            "fontcolor": MUTED_TEXT,
        }
    elif outcome:
        attrs |= {"fillcolor": OUTCOME_FILL[outcome], "peripheries": 2}
    else:
        attrs["fillcolor"] = _fill(_functions(spec)[stage.id])
    return attrs


def _fill(function: str | None) -> str:
    return FUNCTION_FILL.get(function or "", NO_FUNCTION_FILL)


def _transition_tooltip(spec: Spec, transition: Transition) -> str:
    names = {s.id: s.name for s in spec.stages}
    source = names.get(transition.source, transition.source)
    target = names.get(transition.target, transition.target)
    return f"{source} to {target}: {transition.when}"


def _transition_attrs(spec: Spec, transition: Transition, labelled: bool) -> dict[str, Value]:
    attrs: dict[str, Value] = {
        "label": _wrap(transition.when) if labelled else None,
        "tooltip": _transition_tooltip(spec, transition),
    }
    if transition.source in spec.process.lifecycle.pre_lead:
        attrs |= {"style": "dashed", "color": MUTED, "fontcolor": MUTED_TEXT}
    return attrs


def _swimlane_edge_attrs(
    spec: Spec, transition: Transition, functions: Mapping[str, str | None]
) -> dict[str, Value]:
    attrs = _transition_attrs(spec, transition, labelled=False)
    source, target = functions.get(transition.source), functions.get(transition.target)
    if source and target and source != target:
        attrs |= {
            "label": "handoff",
            "color": HANDOFF,
            "fontcolor": HANDOFF,
            "style": "bold",
            "penwidth": 2.5,
            "tooltip": f"Handoff from {_function_name(source)} to "
            f"{_function_name(target)}: {transition.when}",
        }
    return attrs


def _lanes(spec: Spec) -> list[str]:
    """Functions in the order the lifecycle first reaches them, which dot mostly keeps."""
    return list(dict.fromkeys(f for f in _functions(spec).values() if f))


def _lane_style(function: str) -> Attrs:
    return {
        "style": "rounded,filled",
        "fillcolor": LANE_FILL,
        "color": _fill(function),
        "penwidth": 3,
        "fontsize": 14,
        "labeljust": "l",
    }


def _legend(spec: Spec, lead: Iterable[Stage]) -> list[str]:
    """Colour -> meaning, only for the colours this diagram uses."""
    functions = _functions(spec)
    used = {functions[s.id] for s in lead}
    entries: list[tuple[str, str, dict[str, str | int]]]
    entries = [
        (f"legend-{f}", f"Owned by {_function_name(f)}", {"fillcolor": fill})
        for f, fill in FUNCTION_FILL.items()
        if f in used
    ]
    results = set(spec.terminal_stages.values())
    entries += [
        (f"legend-{r}", f"Outcome: {r}", {"fillcolor": fill, "peripheries": 2})
        for r, fill in OUTCOME_FILL.items()
        if r in results
    ]
    nodes = [
        _node(node_id, {"label": label, "tooltip": label, "fontsize": 10, **extra})
        for node_id, label, extra in entries
    ]
    rows = [[e[0] for e in entries[i : i + LEGEND_COLUMNS]] for i in range(0, len(entries), LEGEND_COLUMNS)]
    return _cluster("cluster_legend", "Legend", _LEGEND_CLUSTER, nodes + _grid(rows))


def _grid(rows: list[list[str]]) -> list[str]:
    """Invisible edges that keep legend entries in reading order, a few to a row."""
    lines = [f"  {{rank=same; {' '.join(_quote(n) + ';' for n in row)}}}" for row in rows]
    lines += [
        f"  {_quote(a)} -> {_quote(b)} [style=invis, minlen=0];" for row in rows for a, b in pairwise(row)
    ]
    lines += [f"  {_quote(a[0])} -> {_quote(b[0])} [style=invis];" for a, b in pairwise(rows)]
    return lines
