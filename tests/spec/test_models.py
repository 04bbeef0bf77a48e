"""The models accept what the spec format promises and refuse the rest."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from leadspec.spec.models import Criterion, Range, Window, duration_minutes, version_key
from leadspec.spec.models.process import Calendar


def test_duration_units() -> None:
    assert [duration_minutes(d) for d in ("5m", "4h", "2d", "1w")] == [5, 240, 2880, 10080]


@pytest.mark.parametrize("bad", ["5", "five minutes", "4 hours", "-1h", "1y"])
def test_bad_durations_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="not a duration"):
        Window(within=bad)


def test_window_defaults_to_business_clock() -> None:
    assert Window(within="1h").clock == "business"


def test_criterion_needs_rule_or_manual_reason() -> None:
    assert Criterion(id="a", text="t", rule="x = 1").rule == "x = 1"
    assert Criterion(id="a", text="t", manual=True, reason="not in CRM").manual
    for kwargs in ({}, {"manual": True}, {"manual": True, "reason": "r", "rule": "x = 1"}):
        with pytest.raises(ValidationError):
            Criterion(id="a", text="t", **kwargs)


def test_range_must_be_ordered_and_not_empty() -> None:
    assert Range(min=25, max=35).max == 35
    with pytest.raises(ValidationError, match="greater than max"):
        Range(min=35, max=25)
    with pytest.raises(ValidationError, match="give 'min:'"):
        Range()


def test_versions_read_from_yaml_numbers_and_sort_as_process_versions() -> None:
    from leadspec.spec.models.process import Approval

    approval = Approval(version=0.75, role="ae", function="sales", date="2026-01-05", decision="approved")
    assert approval.version == "0.75"
    assert sorted(["1.0", "0.75", "0.5"], key=version_key) == ["0.5", "0.75", "1.0"]


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        Calendar(
            time_zone="Mars/Olympus", working_days=["mon"], working_hours={"start": "09:00", "end": "17:00"}
        )


def test_unknown_keys_are_errors() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Window(within="1h", colour="red")


def test_transition_is_written_with_from_and_to() -> None:
    from leadspec.spec.models.process import Transition

    t = Transition.model_validate({"from": "inquiry", "to": "nurture", "when": "No intent yet."})
    assert (t.source, t.target) == ("inquiry", "nurture")
    with pytest.raises(ValidationError):
        Transition.model_validate({"source": "inquiry", "target": "nurture", "when": "x"})
