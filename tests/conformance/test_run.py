"""Running every check of the reference spec on a few canonical leads."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "rules"))

from harness import canonical_db, reference_spec  # noqa: E402
from leadspec.conformance import run_checks, write_violations_csv  # noqa: E402
from leadspec.spec.checks import all_checks  # noqa: E402

AS_OF = dt.datetime(2026, 6, 30, 12, 0)
GOOD_SQL = {
    "lead_id": "00Q2",
    "stage": "sales_qualified",
    "motion": "b2b",
    "source_category": "inbound",
    "created_at": dt.datetime(2026, 6, 1, 14),
    "email": "ana@example.com",
    "consent_status": "opted_in",
    "consent_at": dt.datetime(2026, 6, 1, 14),
    "fit_grade": "A",
    "intent_score": 80,
    "readiness": "decision_ready",
    "owner_id": "005B",
    "routed_at": dt.datetime(2026, 6, 2, 14),
    "first_contact_at": dt.datetime(2026, 6, 2, 14, 30),
    "mql_at": dt.datetime(2026, 6, 2, 13),
    "sal_at": dt.datetime(2026, 6, 3, 14),
    "sql_at": dt.datetime(2026, 6, 10, 14),
    "need_confirmed": True,
    "authority_confirmed": True,
    "budget_confirmed": True,
    "timeline": "this_quarter",
    "company": "Acme",
    "campaign": None,
}


def test_exit_criteria_apply_to_leads_past_the_stage() -> None:
    spec = reference_spec()
    weak = {**GOOD_SQL, "lead_id": "00Q1", "fit_grade": "C", "email": "bo@example.com"}
    early = {**GOOD_SQL, "lead_id": "00Q3", "stage": "inquiry", "fit_grade": "C", "email": "cy@example.com"}
    con = canonical_db(spec, [weak, GOOD_SQL, early])
    report = run_checks(con, spec, as_of=AS_OF, mapping="generic")
    by_id = {r.id: r for r in report.rules}
    threshold = by_id["inquiry.inq_meets_mql_threshold"]
    assert (threshold.checked, threshold.violations, threshold.status) == (2, 1, "fail")
    assert [s.lead_id for s in threshold.samples] == ["00Q1"]
    assert threshold.samples[0].stage == "sales_qualified"
    assert threshold.doc == "stages/inquiry/#exit-criteria"
    assert report.failed


def test_every_check_has_a_result_in_a_stable_order() -> None:
    spec = reference_spec()
    con = canonical_db(spec, [GOOD_SQL])
    report = run_checks(con, spec, as_of=AS_OF, mapping="generic")
    assert [r.id for r in report.rules] == [c.check.id for c in all_checks(spec)]
    assert len({r.id for r in report.rules}) == len(report.rules)


def test_percent_thresholds_tolerate_a_share_of_checked_leads() -> None:
    spec = reference_spec()
    leads = [
        {
            **GOOD_SQL,
            "lead_id": f"00Q{i:02}",
            "email": f"p{i}@example.com",
            "stage": "nurture",
            "nurture_track": None if i == 0 else "foundations",
        }
        for i in range(60)
    ]
    con = canonical_db(spec, leads)
    result = {r.id: r for r in run_checks(con, spec, as_of=AS_OF, mapping="generic").rules}
    track = result["nurture_track_present"]
    assert (track.checked, track.violations, track.allowed, track.status) == (60, 1, 1, "pass")


def test_failure_modes_report_whether_they_happen() -> None:
    spec = reference_spec()
    unowned = {**GOOD_SQL, "lead_id": "00Q9", "email": "di@example.com", "owner_id": None}
    con = canonical_db(spec, [GOOD_SQL, unowned])
    report = run_checks(con, spec, as_of=AS_OF, mapping="generic")
    status = {f.id: f.happening for f in report.failure_modes}
    for fm in spec.failure_modes:
        if not fm.detection.checks:
            assert status[fm.id] is None
        elif "owner_present" in fm.detection.checks:
            assert status[fm.id] is True
        elif "disqualified_with_reason" in fm.detection.checks:
            assert status[fm.id] is False


def test_violations_csv_is_sorted_and_has_no_personal_fields(tmp_path: Path) -> None:
    spec = reference_spec()
    con = canonical_db(spec, [GOOD_SQL, {**GOOD_SQL, "lead_id": "00Q1", "fit_grade": "D"}])
    run_checks(con, spec, as_of=AS_OF, mapping="generic")
    out = tmp_path / "violations.csv"
    write_violations_csv(con, spec, out)
    rows = list(csv.DictReader(out.open()))
    assert rows and list(rows[0]) == ["lead_id", "rule_id", "stage", "owner_id", "detail"]
    assert rows == sorted(rows, key=lambda r: (r["lead_id"], r["rule_id"], r["detail"]))
    assert "example.com" not in out.read_text()
