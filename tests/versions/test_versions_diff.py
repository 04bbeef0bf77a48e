"""The semantic diff: one golden per kind of change, and edits of form that are no change."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL, apply_edits, assert_golden, copy_spec
from leadspec.spec import load_spec
from leadspec.versions import Snapshot, diff
from leadspec.versions.freeze import job_aid_texts
from leadspec.versions.output import as_json, as_markdown, as_text, excerpts

CASES = yaml.safe_load((Path(__file__).parent / "diff_cases.yaml").read_text(encoding="utf-8"))
GOLDEN = Path(__file__).parents[1] / "golden" / "diffs"


def snapshot(root: Path, label: str) -> Snapshot:
    loaded = load_spec(root)
    assert loaded.spec is not None, loaded.findings
    released = dt.date(2026, 3, 2) if label != "working" else None
    return Snapshot(label, loaded.spec, job_aid_texts(root, loaded.spec), released)


def pair(case: dict, tmp_path: Path) -> tuple[Snapshot, Snapshot]:
    root = copy_spec(MINIMAL, tmp_path / "edited")
    apply_edits(root, case)
    before, after = snapshot(MINIMAL, "0.5"), snapshot(root, "working")
    if case.get("reverse"):
        before, after = snapshot(root, "0.5"), snapshot(MINIMAL, "working")
    return before, after


@pytest.mark.parametrize("name", sorted(CASES["changes"]))
def test_each_kind_of_change(name: str, tmp_path: Path, update_goldens: bool) -> None:
    case = CASES["changes"][name]
    before, after = pair(case, tmp_path)
    changes = diff(before.spec, after.spec, before.job_aids, after.job_aids)
    assert [c.kind for c in changes] == case["kinds"]
    assert_golden(GOLDEN / f"{name}.txt", as_text(before, after, changes), update_goldens)


@pytest.mark.parametrize("name", sorted(CASES["same"]))
def test_edits_of_form_are_no_change(name: str, tmp_path: Path) -> None:
    before, after = pair(CASES["same"][name], tmp_path)
    assert diff(before.spec, after.spec, before.job_aids, after.job_aids) == []


def _all_changes(tmp_path: Path) -> tuple[Snapshot, Snapshot, list]:
    root = copy_spec(MINIMAL, tmp_path / "all")
    for name in ("windows_changed", "kpi_target_changed", "rules_changed", "definition_changed"):
        apply_edits(root, CASES["changes"][name])
    before, after = snapshot(MINIMAL, "0.5"), snapshot(root, "working")
    return before, after, diff(before.spec, after.spec, before.job_aids, after.job_aids)


def test_markdown_and_json_outputs(tmp_path: Path, update_goldens: bool) -> None:
    before, after, changes = _all_changes(tmp_path)
    assert_golden(GOLDEN / "combined.md", as_markdown(before, after, changes), update_goldens)
    text = as_json(before, after, changes)
    document = json.loads(text)
    assert document["from"] == {
        "label": "0.5",
        "version": "0.5",
        "status": "draft",
        "released_on": "2026-03-02",
    }
    keys = {"kind", "subject", "title", "text", "old", "new", "roles"}
    assert keys <= set(document["changes"][0])
    assert_golden(GOLDEN / "combined.json", text, update_goldens)


def test_outputs_are_byte_stable(tmp_path: Path) -> None:
    before, after, changes = _all_changes(tmp_path)
    again = diff(before.spec, after.spec, before.job_aids, after.job_aids)
    for render in (as_text, as_markdown, as_json):
        assert render(before, after, changes) == render(before, after, again)


def test_windows_report_old_and_new_values(tmp_path: Path) -> None:
    before, after, changes = _all_changes(tmp_path)
    tightened = next(c for c in changes if c.subject == "motion:b2b/window:first_response")
    assert (tightened.kind, tightened.old, tightened.new) == ("window_tightened", "1h", "30m")
    assert "from 1 working hour to 30 working minutes" in tightened.text


def test_changes_name_the_roles_they_concern(tmp_path: Path) -> None:
    before, after, changes = _all_changes(tmp_path)
    by_subject = {c.subject: c for c in changes}
    # first_response is the response window of inquiry (mops) and qualified (ae)
    assert by_subject["motion:b2b/window:first_response"].roles == ("ae", "mops")
    assert by_subject["kpi:speed_to_contact/target"].roles == ("mops",)
    assert by_subject["stage:nurture/definition"].roles == ("mops",)


def test_long_texts_are_shown_around_what_changed() -> None:
    words = [f"w{i}" for i in range(100)]
    old = " ".join(words)
    new = " ".join([*words[:50], "changed", *words[51:]])
    was, now = excerpts(old, new)
    assert was == "…" + " ".join(words[42:59]) + "…"
    assert now == "…" + " ".join([*words[42:50], "changed", *words[51:59]]) + "…"
    assert excerpts("a  short\ntext", "a short text, longer") == ("a short text", "a short text, longer")
