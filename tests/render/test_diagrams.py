"""Diagrams: DOT source snapshots, and SVG that Graphviz actually renders from it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import graphviz
import pytest

from conftest import MINIMAL, assert_golden
from leadspec.render.diagrams import lifecycle_dot, neighbourhood_dot, swimlane_dot
from leadspec.render.svg import GraphvizMissing, to_svg
from leadspec.spec import Spec, load_spec
from leadspec.spec.models.process import Transition

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "diagrams"
SVG_NS = "{http://www.w3.org/2000/svg}"

KINDS: dict[str, Callable[[Spec], str]] = {
    "lifecycle": lifecycle_dot,
    "swimlane": swimlane_dot,
    "neighbourhood_nurture": lambda spec: neighbourhood_dot(spec, "nurture"),
}


@pytest.fixture(scope="module")
def spec() -> Spec:
    loaded = load_spec(MINIMAL)
    assert loaded.spec is not None, loaded.findings
    return loaded.spec


def _renamed(spec: Spec, stage_id: str, name: str) -> Spec:
    stages = [s.model_copy(update={"name": name}) if s.id == stage_id else s for s in spec.stages]
    return spec.model_copy(update={"stages": stages})


def _with_transition(spec: Spec, source: str, target: str, when: str) -> Spec:
    lifecycle = spec.process.lifecycle
    extra = Transition.model_validate({"from": source, "to": target, "when": when})
    lifecycle = lifecycle.model_copy(update={"transitions": [*lifecycle.transitions, extra]})
    process = spec.process.model_copy(update={"lifecycle": lifecycle})
    return spec.model_copy(update={"process": process})


def _declared_nodes(dot: str) -> set[str]:
    return set(re.findall(r'^\s*"([^"]+)" \[label=', dot, re.M))


def _edges(dot: str) -> set[tuple[str, str]]:
    return set(re.findall(r'^\s*"([^"]+)" -> "([^"]+)" \[label=', dot, re.M))


def _svg_text(svg: str) -> str:
    root = ET.fromstring(svg)
    return "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dot_golden(spec: Spec, kind: str, update_goldens: bool) -> None:
    assert_golden(GOLDEN / f"{kind}.dot", KINDS[kind](spec), update_goldens)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dot_is_deterministic(kind: str) -> None:
    first, second = (load_spec(MINIMAL).spec for _ in range(2))
    assert first is not None and second is not None
    assert KINDS[kind](first) == KINDS[kind](first) == KINDS[kind](second)


def test_lifecycle_shows_every_stage(spec: Spec) -> None:
    dot = lifecycle_dot(spec)
    assert _declared_nodes(dot) >= {s.id for s in spec.stages}
    assert 'subgraph "cluster_pre_lead"' in dot and "Before a lead exists" in dot


def test_lifecycle_sets_outcomes_apart(spec: Spec) -> None:
    dot = lifecycle_dot(spec)
    sink = dot[dot.index("subgraph outcomes") : dot.index("}", dot.index("subgraph outcomes"))]
    assert "rank=sink" in sink
    assert _declared_nodes(sink) == {"converted", "disqualified"}
    assert "peripheries=2" in sink


def test_lifecycle_links_stages_from_the_prefix(spec: Spec) -> None:
    assert 'URL="stages/inquiry/"' in lifecycle_dot(spec)
    assert 'URL="../stages/inquiry/"' in lifecycle_dot(spec, link_prefix="../")


def test_lifecycle_legend_names_only_functions_in_use(spec: Spec) -> None:
    dot = lifecycle_dot(spec)
    assert "Owned by Marketing" in dot and "Owned by Sales" in dot
    assert "Owned by Operations" not in dot


def test_recycling_back_into_nurture_is_drawn(spec: Spec) -> None:
    recycled = _with_transition(spec, "qualified", "nurture", "The buyer pauses the project.")
    dot = lifecycle_dot(recycled)
    assert ("qualified", "nurture") in _edges(dot)
    assert "The buyer pauses the\\nproject." in dot
    assert "<svg" in to_svg(dot)


def test_long_conditions_are_wrapped(spec: Spec) -> None:
    when = "Fresh activity lifts the intent score to the threshold while the fit grade holds."
    dot = lifecycle_dot(_with_transition(spec, "nurture", "inquiry", when))
    label = re.search(r'"nurture" -> "inquiry" \[label="([^"]*)"', dot)
    assert label and all(len(line) <= 28 for line in label.group(1).split("\\n"))


def test_swimlane_marks_handoffs_between_functions(spec: Spec) -> None:
    lines = {
        tuple(re.findall(r'"([^"]+)"', line)[:2]): line
        for line in swimlane_dot(spec).splitlines()
        if " -> " in line
    }
    assert 'label="handoff"' in lines[("inquiry", "qualified")]
    assert "penwidth" in lines[("inquiry", "qualified")]
    assert "handoff" not in lines[("inquiry", "nurture")]
    assert "handoff" not in lines[("qualified", "converted")]


def test_swimlane_puts_stages_in_their_owners_lane(spec: Spec) -> None:
    dot = swimlane_dot(spec)
    marketing = dot[dot.index("cluster_lane_marketing") : dot.index("cluster_lane_sales")]
    assert _declared_nodes(marketing) == {"engagement", "inquiry", "nurture"}


def test_neighbourhood_holds_only_neighbours(spec: Spec) -> None:
    dot = neighbourhood_dot(spec, "nurture")
    assert _declared_nodes(dot) == {"nurture", "inquiry", "qualified", "disqualified"}
    assert _edges(dot) == {("inquiry", "nurture"), ("nurture", "qualified"), ("nurture", "disqualified")}
    assert 'URL="../inquiry/"' in dot
    assert "Fit but no intent yet." in dot and "Sales finds no need." not in dot


def test_neighbourhood_of_unknown_stage_is_refused(spec: Spec) -> None:
    with pytest.raises(KeyError, match="no_such_stage"):
        neighbourhood_dot(spec, "no_such_stage")


def test_awkward_names_stay_valid_dot(spec: Spec) -> None:
    name = 'Say "hi" \\ <b>&'
    dot = lifecycle_dot(_renamed(spec, "nurture", name))
    assert 'label="Say \\"hi\\" \\\\ <b>&"' in dot
    assert name in _svg_text(to_svg(dot))


def test_svg_is_ready_to_inline(spec: Spec) -> None:
    svg = to_svg(lifecycle_dot(spec))
    root_tag = svg[: svg.index(">") + 1]
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "viewBox=" in root_tag and " width=" not in root_tag and " height=" not in root_tag
    assert 'role="img"' in root_tag and 'style="max-width:100%;height:auto;width:' in root_tag
    assert 'aria-label="Lead lifecycle of Minimal process"' in root_tag
    assert "<title>Lead lifecycle of Minimal process</title>" in svg
    text = _svg_text(svg)
    assert all(stage.name in text for stage in spec.stages)


def test_missing_graphviz_says_how_to_install(
    spec: Spec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizMissing) as caught:
        to_svg(lifecycle_dot(spec))
    message = str(caught.value)
    assert "apt-get install graphviz" in message
    assert "brew install graphviz" in message
    assert "winget install graphviz" in message
    assert "PATH" in message
    assert isinstance(caught.value.__cause__, graphviz.ExecutableNotFound)
