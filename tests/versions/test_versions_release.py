"""`leadspec release`: each gate's refusals and their messages, a release that succeeds,
frozen files that are never rewritten, and `validate` catching a hand edit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import MINIMAL, apply_edits, copy_spec
from leadspec.cli import main
from leadspec.spec import load_spec
from leadspec.spec.releases import content_checksum
from leadspec.versions import frozen
from leadspec.versions.changelog import append_entry, entry

# The minimal fixture lacks the IT and finance seats that the 0.5 gate asks for.
READY = {
    "edits": [
        {
            "file": "process/process.yaml",
            "replace": "    responsibility: Captures and scores inquiries.\n",
            "with": "    responsibility: Captures and scores inquiries.\n"
            "  - function: it\n    role: admin\n    responsibility: Runs the CRM.\n"
            "  - function: finance\n    role: controller\n"
            "    responsibility: Signs off the budget.\n",
        },
        {
            "file": "definitions/roles.yaml",
            "replace": "roles:\n",
            "with": "roles:\n"
            "  - id: admin\n    title: CRM Administrator\n    function: it\n"
            "    summary: Runs the CRM.\n    responsibilities: [Keep fields in shape.]\n"
            "  - id: controller\n    title: Controller\n    function: finance\n"
            "    summary: Owns the budget.\n    responsibilities: [Approve spend.]\n",
        },
    ]
}
APPROVALS_075 = """approvals:
  - {version: "0.75", role: ae, function: sales, date: 2026-04-20, decision: approved}
  - {version: "0.75", role: mops, function: marketing, date: 2026-04-20, decision: approved}
  - {version: "0.75", role: admin, function: it, date: 2026-04-21, decision: approved}
  - {version: "0.75", role: controller, function: finance, date: 2026-04-21,
     decision: approved-with-changes, comment: Targets to be reviewed after the pilot.}
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_version(root: Path, version: str, status: str) -> None:
    process = root / "process" / "process.yaml"
    text = process.read_text(encoding="utf-8")
    text = re.sub(
        r"^version: .*\nstatus: .*$", f'version: "{version}"\nstatus: {status}', text, count=1, flags=re.M
    )
    process.write_text(text, encoding="utf-8")


@pytest.fixture
def ready(tmp_path: Path) -> Path:
    root = copy_spec(MINIMAL, tmp_path / "spec")
    apply_edits(root, READY)
    return root


def release(root: Path, version: str, *extra: str) -> tuple[int, str]:
    return run("release", version, "--spec", str(root), "--date", "2026-02-13", *extra)


# --- 0.5 ------------------------------------------------------------------------------


def test_05_refuses_without_the_planning_functions(tmp_path: Path) -> None:
    root = copy_spec(MINIMAL, tmp_path / "spec")
    code, output = release(root, "0.5")
    assert code == 1
    assert output == (
        "release 0.5 refused: 2 conditions not met\n"
        "  - no stakeholder speaks for it: add one under stakeholders in process/process.yaml\n"
        "  - no stakeholder speaks for finance: add one under stakeholders in "
        "process/process.yaml\n"
    )
    assert not (root / "process" / "releases").exists()


def test_05_names_each_stage_that_lacks_something(ready: Path) -> None:
    edit(
        ready / "stages" / "nurture.yaml",
        "steps:\n  - do: Enrol the lead in a track.\n"
        "    by: mops\n  - do: Watch the intent score.\n    by: mops\n"
        "  - do: Hand over when the score passes the threshold.\n    by: mops\n",
        "",
    )
    edit(
        ready / "stages" / "qualified.yaml",
        "job_aids:\n  - title: Call guide\n    kind: script\n    path: docs/aid.md\n"
        "    purpose: Questions for the first call.\n",
        "",
    )
    edit(
        ready / "stages" / "inquiry.yaml",
        "exit_criteria:\n  - id: graded\n"
        "    text: The lead has a fit grade.\n    rule: fit_grade IS NOT NULL\n",
        "",
    )
    code, output = release(ready, "0.5")
    assert code == 1
    assert output.splitlines()[1:] == [
        "  - stage inquiry has no exit criteria: add them to stages/inquiry.yaml",
        "  - stage nurture has no steps: add them to stages/nurture.yaml",
        "  - stage qualified has no job aids: add them to stages/qualified.yaml",
    ]


def test_05_refuses_a_spec_with_errors(ready: Path) -> None:
    edit(ready / "stages" / "inquiry.yaml", "owner: mops", "owner: sdr_team")
    code, output = release(ready, "0.5")
    assert code == 1
    assert (
        "  - stages/inquiry.yaml:6:8: LS101 [error] owner 'sdr_team' is not a role defined in "
        "definitions/roles.yaml"
    ) in output.splitlines()


def test_05_release_writes_the_frozen_file_and_the_changelog(ready: Path) -> None:
    before = (ready / "process" / "process.yaml").read_text(encoding="utf-8")
    code, output = release(ready, "0.5", "--summary", "The first draft.")
    assert code == 0, output
    assert output == (
        "released 0.5 (first release): wrote process/releases/0.5.yaml and its "
        "changelog entry in process/process.yaml\n"
    )
    after = (ready / "process" / "process.yaml").read_text(encoding="utf-8")
    assert after == before + (
        'changelog:\n  - version: "0.5"\n    date: 2026-02-13\n'
        "    summary: The first draft.\n    changes: []\n"
    )
    snapshot = frozen(ready, "0.5")
    assert snapshot.spec == load_spec(ready).spec
    assert snapshot.job_aids == {"docs/aid.md": "# Job aid\n"}
    assert str(snapshot.released_on) == "2026-02-13"
    assert run("validate", str(ready))[0] == 0


def test_a_release_is_never_rewritten(ready: Path) -> None:
    assert release(ready, "0.5")[0] == 0
    frozen_file = ready / "process" / "releases" / "0.5.yaml"
    text = frozen_file.read_bytes()
    code, output = release(ready, "0.5")
    assert code == 2
    assert output == (
        "error: release 0.5 exists (process/releases/0.5.yaml) and is never "
        "rewritten; set the next version in process/process.yaml and release that\n"
    )
    assert frozen_file.read_bytes() == text


def test_the_version_must_be_the_working_version(ready: Path) -> None:
    code, output = release(ready, "0.75")
    assert code == 2
    assert output == (
        "error: process/process.yaml is at version 0.5, not 0.75: set version: "
        '"0.75" there first, or release 0.5\n'
    )


def test_a_release_after_a_later_one_is_refused(ready: Path) -> None:
    set_version(ready, "0.75", "expert-review")
    with (ready / "process" / "process.yaml").open("a", encoding="utf-8") as handle:
        handle.write(APPROVALS_075)
    assert release(ready, "0.75")[0] == 0
    set_version(ready, "0.6", "draft")
    code, output = release(ready, "0.6")
    assert code == 2
    assert "release 0.75 exists already; a new release must come after it" in output


# --- 0.75 -----------------------------------------------------------------------------


def test_075_names_each_function_without_an_approval(ready: Path) -> None:
    set_version(ready, "0.75", "expert-review")
    with (ready / "process" / "process.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "approvals:\n"
            '  - {version: "0.75", role: ae, function: sales, date: 2026-04-20, '
            "decision: approved}\n"
            '  - {version: "0.75", role: mops, function: marketing, date: 2026-04-20, '
            "decision: rejected, comment: Scoring is not ready.}\n"
            '  - {version: "0.5", role: admin, function: it, date: 2026-02-01, '
            "decision: approved}\n"
        )
    code, output = release(ready, "0.75")
    assert code == 1
    assert output == (
        "release 0.75 refused: 3 conditions not met\n"
        "  - marketing rejected 0.75 on 2026-04-20 (mops): record its approval once the "
        "changes are made\n"
        "  - no approval of 0.75 from it (admin speaks for it): record it under approvals in "
        "process/process.yaml\n"
        "  - no approval of 0.75 from finance (controller speaks for it): record it under "
        "approvals in process/process.yaml\n"
    )


def test_075_succeeds_with_approvals_and_writes_the_diff(ready: Path) -> None:
    assert release(ready, "0.5")[0] == 0
    set_version(ready, "0.75", "expert-review")
    edit(
        ready / "process" / "process.yaml",
        "      first_response:\n        within: 1h",
        "      first_response:\n        within: 30m",
    )
    text = (ready / "process" / "process.yaml").read_text(encoding="utf-8")
    (ready / "process" / "process.yaml").write_text(
        text.replace("changelog:", APPROVALS_075 + "changelog:"), encoding="utf-8"
    )
    code, output = run("release", "0.75", "--spec", str(ready), "--date", "2026-04-22")
    assert code == 0, output
    line = (
        "B2B window first_response (respond in Inquiry; respond in Qualified): tightened "
        "from 1 working hour to 30 working minutes."
    )
    assert output == (
        "released 0.75 (1 changes since 0.5): wrote process/releases/0.75.yaml "
        f"and its changelog entry in process/process.yaml\n  - {line}\n"
    )
    changelog = load_spec(ready).spec.process.changelog  # type: ignore[union-attr]
    assert [(e.version, e.summary, e.changes) for e in changelog] == [
        ("0.5", "First release.", []),
        ("0.75", "Changes since 0.5.", [line]),
    ]
    code, output = run("diff", "0.5", "0.75", "--spec", str(ready))
    assert code == 0 and line in output


# --- 1.0 ------------------------------------------------------------------------------


@pytest.fixture
def pilot_ready(ready: Path) -> Path:
    set_version(ready, "1.0", "pilot")
    with (ready / "process" / "process.yaml").open("a", encoding="utf-8") as handle:
        handle.write(APPROVALS_075.replace('"0.75"', '"1.0"'))
    return ready


def pilot_document(kpis: list[dict], version: str = "1.0") -> dict:
    """A whole pilot report (as `leadspec pilot --json` writes it) with these KPI results."""
    results = [
        {
            "name": k["id"],
            "unit": "minutes",
            "measure": "duration",
            "value": None,
            "target": {"min": None, "max": 5},
            "reason": "",
            "statistics": {},
            "breakdown": [],
            **k,
        }
        for k in kpis
    ]
    return {
        "format_version": 1,
        "process": "Northwind",
        "version": version,
        "mapping": "generic",
        "as_of": "2026-06-30T00:00:00Z",
        "period": {"from": "2026-06-01", "to": "2026-06-30"},
        "team": [],
        "inputs": [],
        "leads": 0,
        "kpis": results,
        "funnel": {"history": False, "leads": 0, "stages": [], "moves": []},
    }


def pilot(tmp_path: Path, kpis: list[dict], version: str = "1.0") -> str:
    path = tmp_path / "pilot.json"
    path.write_text(json.dumps(pilot_document(kpis, version)), encoding="utf-8")
    return str(path)


def test_10_needs_a_pilot_report(pilot_ready: Path) -> None:
    code, output = release(pilot_ready, "1.0")
    assert code == 1
    assert output.splitlines()[1] == (
        "  - no pilot report: give the report of the 1.0 pilot with --pilot FILE"
    )


def test_10_names_each_kpi_that_missed_without_a_waiver(pilot_ready: Path, tmp_path: Path) -> None:
    report = pilot(tmp_path, [{"id": "speed_to_contact", "status": "missed", "value": 7.5, "reason": ""}])
    code, output = release(pilot_ready, "1.0", "--pilot", report)
    assert code == 1
    assert output == (
        "release 1.0 refused: 1 condition not met\n"
        "  - KPI speed_to_contact missed its target (at most 5 min) with 7.5 and "
        "has no waiver; record a waiver for 1.0 under waivers in "
        "process/process.yaml\n"
    )
    report = pilot(
        tmp_path,
        [
            {
                "id": "speed_to_contact",
                "status": "not_measurable",
                "value": None,
                "reason": "routed_at was not exported",
            }
        ],
    )
    code, output = release(pilot_ready, "1.0", "--pilot", report)
    assert code == 1
    assert (
        "  - KPI speed_to_contact could not be measured in the pilot (routed_at was not "
        "exported) and has no waiver"
    ) in output
    code, output = release(pilot_ready, "1.0", "--pilot", pilot(tmp_path, []))
    assert code == 1
    assert "  - KPI speed_to_contact (at most 5 min) is not in the pilot report" in output


def test_10_refuses_the_report_of_another_version(pilot_ready: Path, tmp_path: Path) -> None:
    report = pilot(tmp_path, [{"id": "speed_to_contact", "status": "met", "value": 3}], "0.75")
    code, output = release(pilot_ready, "1.0", "--pilot", report)
    assert code == 1
    assert f"  - {report} reports the pilot of version 0.75, not 1.0" in output


def test_10_succeeds_when_kpis_meet_their_targets(pilot_ready: Path, tmp_path: Path) -> None:
    report = pilot(tmp_path, [{"id": "speed_to_contact", "status": "met", "value": 3.2}])
    code, output = release(pilot_ready, "1.0", "--pilot", report)
    assert code == 0, output
    assert (pilot_ready / "process" / "releases" / "1.0.yaml").is_file()


def test_10_succeeds_with_a_waiver(pilot_ready: Path, tmp_path: Path) -> None:
    with (pilot_ready / "process" / "process.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            'waivers:\n  - version: "1.0"\n    kpi: speed_to_contact\n'
            "    reason: The pilot team was one SDR short for three weeks.\n"
            "    approved_by: ops\n    date: 2026-06-30\n"
        )
    report = pilot(tmp_path, [{"id": "speed_to_contact", "status": "missed", "value": 9}])
    code, output = release(pilot_ready, "1.0", "--pilot", report)
    assert code == 0, output


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "the pilot report is not JSON"),
        (json.dumps({**pilot_document([]), "format_version": 2}), "pilot report format 2 is not 1"),
        (
            json.dumps(pilot_document([{"id": "x", "status": "fine"}])),
            "kpis[0] (x): status 'fine' is not one of met, missed, not_measurable",
        ),
        ('{"format_version": 1, "version": "1.0", "kpis": []}', "the pilot report is not complete"),
    ],
)
def test_an_unusable_pilot_report_exits_2(
    pilot_ready: Path, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "pilot.json"
    path.write_text(content, encoding="utf-8")
    code, output = release(pilot_ready, "1.0", "--pilot", str(path))
    assert code == 2
    assert message in output


def test_a_waiver_for_an_unknown_kpi_is_reported(ready: Path) -> None:
    with (ready / "process" / "process.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            'waivers:\n  - version: "1.0"\n    kpi: speed_to_contactt\n'
            "    reason: Short-staffed.\n    approved_by: ops\n    date: 2026-06-30\n"
        )
    code, output = run("validate", str(ready))
    assert code == 1
    assert "LS105 [error] kpi 'speed_to_contactt' is not a KPI defined in definitions/kpis.yaml" in output


# --- frozen files ---------------------------------------------------------------------


def test_a_hand_edited_release_is_reported(ready: Path) -> None:
    assert release(ready, "0.5")[0] == 0
    frozen_file = ready / "process" / "releases" / "0.5.yaml"
    edit(frozen_file, "within: 1h", "within: 2h")
    code, output = run("validate", str(ready))
    assert code == 1
    line = output.splitlines()[0]
    assert line.startswith("process/releases/0.5.yaml:")
    assert "LS005 [error] release 0.5 was edited after it was frozen" in line
    code, output = run("diff", "0.5", "working", "--spec", str(ready))
    assert code == 2
    assert output.splitlines()[-1] == (
        "error: process/releases/0.5.yaml is not the release "
        "that was frozen; restore it (git checkout -- "
        "process/releases/0.5.yaml)"
    )


def test_reformatting_a_release_is_not_an_edit(ready: Path) -> None:
    assert release(ready, "0.5")[0] == 0
    frozen_file = ready / "process" / "releases" / "0.5.yaml"
    frozen_file.write_text(frozen_file.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    assert run("validate", str(ready))[0] == 0


def test_freezing_is_byte_stable(ready: Path, tmp_path: Path) -> None:
    other = copy_spec(ready, tmp_path / "other")
    assert release(ready, "0.5")[0] == 0
    assert release(other, "0.5")[0] == 0
    first = (ready / "process" / "releases" / "0.5.yaml").read_bytes()
    assert first == (other / "process" / "releases" / "0.5.yaml").read_bytes()
    data = yaml.safe_load(first)
    assert data["checksum"] == content_checksum(data)


def test_the_changelog_entry_keeps_the_file_as_written() -> None:
    text = (
        '# comment kept\nname: x\nchangelog:\n  - version: "0.5"\n    date: 2026-01-01\n'
        "    summary: >-\n      Folded\n      text.\n\n# about waivers\nwaivers: []\n"
    )
    import datetime as dt

    new = append_entry(text, entry("0.75", dt.date(2026, 4, 22), "Next.", ["A: b."]))
    assert new == text.replace(
        "      text.\n\n",
        '      text.\n\n  - version: "0.75"\n'
        "    date: 2026-04-22\n    summary: Next.\n    changes:\n"
        "      - 'A: b.'\n",
    )


# --- diff on the command line ---------------------------------------------------------


def test_diff_exit_codes(ready: Path) -> None:
    assert run("diff", "working", "working", "--spec", str(ready)) == (
        0,
        "From working (0.5, draft) to working (0.5, draft): no changes.\n",
    )
    code, output = run("diff", "0.9", "working", "--spec", str(ready))
    assert code == 2
    assert output == (
        "error: no release 0.9: process/releases/0.9.yaml does not exist "
        "(released: none yet); give a released version or 'working'\n"
    )
    code, output = run("diff", "working", "working", "--spec", str(ready), "--mapping", "generic")
    assert code == 2 and "--backtest" in output
    edit(ready / "stages" / "inquiry.yaml", "owner: mops", "owner: sdr_team")
    code, output = run("diff", "working", "working", "--spec", str(ready))
    assert code == 2 and "LS101" in output


def test_diff_formats(ready: Path) -> None:
    assert release(ready, "0.5")[0] == 0
    set_version(ready, "0.75", "expert-review")
    code, output = run("diff", "0.5", "working", "--spec", str(ready), "--format", "json")
    assert code == 0
    assert json.loads(output)["changes"] == []
    code, output = run("diff", "0.5", "working", "--spec", str(ready), "--format", "markdown")
    assert code == 0 and output.startswith("# Changes from 0.5 to working\n")


def test_a_changelog_entry_written_by_hand_is_refused(ready: Path) -> None:
    with (ready / "process" / "process.yaml").open("a", encoding="utf-8") as handle:
        handle.write('changelog:\n  - version: "0.5"\n    date: 2026-02-13\n    summary: Draft.\n')
    code, output = release(ready, "0.5")
    assert code == 2
    assert output == (
        "error: process/process.yaml already has a changelog entry for 0.5; "
        "remove it: the release writes it from the diff (give --summary for its "
        "summary)\n"
    )


@pytest.mark.parametrize("args", [("release", "1"), ("diff", "../0.5", "working")])
def test_a_version_that_is_not_one_exits_2(ready: Path, args: tuple[str, ...]) -> None:
    code, output = run(*args, "--spec", str(ready))
    assert code == 2
    assert "is not a version" in output
