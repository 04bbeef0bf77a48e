"""The pilot report on a generated export equals what the generator knows to be true.

The sample is written to CRM files and `leadspec pilot` measures them through the
mapping, in DuckDB. The expected values are computed here in plain Python from
the generator's own leads (`sample.truth.generated_leads`): their canonical fields
and full event history as generated, never the CSV files and never leadspec's
SQL. Working time comes from the generator's `WorkingClock`, which walks the
calendar period by period.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
import zoneinfo
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import ROOT
from leadspec.cli import main
from leadspec.sample import AS_OF, write_sample
from leadspec.sample.clock import WorkingClock, minutes
from leadspec.sample.model import Lead
from leadspec.sample.truth import generated_leads
from leadspec.spec import load_spec

SPEC = load_spec(ROOT).spec
assert SPEC is not None
ZONE = zoneinfo.ZoneInfo(SPEC.process.calendar.time_zone)
NOW = minutes(AS_OF)
INQ, MQL, NUR, SAL, SQL, WON, DQ = (
    "inquiry",
    "marketing_qualified",
    "nurture",
    "sales_accepted",
    "sales_qualified",
    "converted",
    "disqualified",
)
CLOCK = WorkingClock(SPEC.process.calendar, dt.date(2025, 1, 1), dt.date(2027, 12, 31))
TOLERANCE = 0.0051  # the report rounds to two decimals


def local(at: int) -> dt.datetime:
    return (dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=at)).astimezone(ZONE)


def midnight(day: dt.date) -> int:
    return minutes(dt.datetime.combine(day, dt.time(0), tzinfo=ZONE))


def quantile(values: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks, as a spreadsheet's PERCENTILE does."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class Truth:
    """What a report for these leads, team and period must say, computed lead by lead."""

    def __init__(
        self, leads: list[Lead], first: dt.date | None, last: dt.date | None, team: list[str]
    ) -> None:
        def ours(lead: Lead) -> bool:
            return (
                not team
                or lead.fields["owner_id"] in team
                or any(e.kind == "owner" and e.after in team and e.at <= NOW for e in lead.events)
            )

        self.leads = [lead for lead in leads if ours(lead)]
        if first is None:
            first = local(min(lead.fields["created_at"] for lead in self.leads)).date()
        self.first = first
        self.last = last or local(NOW).date()
        self.start, self.end = midnight(self.first), midnight(self.last + dt.timedelta(days=1))

    def dated(self, *names: str) -> list[Lead]:
        """Leads whose earliest set field of `names` falls inside the period."""
        out = []
        for lead in self.leads:
            times = [lead.fields[n] for n in names if lead.fields[n] is not None]
            if times and self.start <= min(times) < self.end and min(times) <= NOW:
                out.append(lead)
        return out

    def created(self) -> list[Lead]:
        return self.dated("created_at")

    @staticmethod
    def stays(lead: Lead) -> list[tuple[str, int, int | None, str | None]]:
        """(stage, entered, left, next stage) for each stay, from the lead's stage events."""
        changes = sorted((e.at, e.after) for e in lead.events if e.kind == "stage" and e.at <= NOW)
        out = []
        for i, (at, stage) in enumerate(changes):
            following = changes[i + 1] if i + 1 < len(changes) else None
            out.append((stage, at, following[0] if following else None, following[1] if following else None))
        return out

    # --- the KPIs -----------------------------------------------------------------------

    def leads_per_month(self) -> tuple[float, dict[str, Counter]]:
        months: dict[str, Counter] = defaultdict(Counter)
        for lead in self.created():
            if lead.fields["motion"] == "b2b":
                months[local(lead.fields["created_at"]).strftime("%Y-%m")][
                    lead.fields["source_category"]
                ] += 1
        whole = []
        year, month = self.first.year, self.first.month
        while (year, month) <= (self.last.year, self.last.month):
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            if dt.date(year, month, 1) >= self.first and midnight(following) <= min(self.end, NOW):
                whole.append(sum(months[f"{year:04d}-{month:02d}"].values()))
            year, month = following.year, following.month
        return sum(whole) / len(whole), months

    def source_mix(self) -> float:
        counts = Counter(lead.fields["source_category"] for lead in self.created())
        return 100 * max(counts.values()) / sum(counts.values())

    def speed_to_first_contact(self) -> tuple[float, float, float]:
        """Median and 90th percentile of working minutes, and the share inside the window."""
        spent, inside = [], 0
        for lead in self.created():
            f = lead.fields
            if (
                f["source_category"] != "inbound"
                or f["mql_at"] is None
                or f["routed_at"] is None
                or f["first_contact_at"] is None
                or f["first_contact_at"] < f["routed_at"]
            ):
                continue
            used = CLOCK.between(f["routed_at"], f["first_contact_at"])
            spent.append(used)
            window = SPEC.process.motions[f["motion"]].windows["first_response"]
            assert window.clock == "business" and window.within.endswith(("m", "h"))
            amount, unit = int(window.within[:-1]), window.within[-1]
            inside += used <= amount * (60 if unit == "h" else 1)
        return statistics.median(spent), quantile(spent, 0.9), 100 * inside / len(spent)

    def qualification_rate(self) -> tuple[float, dict[str, float]]:
        leads = self.created()
        by: dict[str, list[bool]] = defaultdict(list)
        for lead in leads:
            by[lead.fields["source_category"]].append(lead.fields["mql_at"] is not None)
        overall = sum(lead.fields["mql_at"] is not None for lead in leads) / len(leads)
        return 100 * overall, {k: 100 * sum(v) / len(v) for k, v in by.items()}

    def days_in_stage(self) -> dict[str, float]:
        days: dict[str, list[float]] = defaultdict(list)
        for lead in self.created():
            for stage, entered, left, _ in self.stays(lead):
                if stage in (MQL, SAL, SQL) and left is not None:
                    days[stage].append((left - entered) / (24 * 60))
        return {stage: statistics.mean(values) for stage, values in days.items()}

    def lead_velocity(self) -> float:
        days = [
            (lead.fields["sql_at"] - lead.fields["created_at"]) / (24 * 60)
            for lead in self.dated("sql_at")
            if lead.fields["motion"] == "b2b"
        ]
        return statistics.median(days)

    def moves(self) -> tuple[Counter, Counter, Counter]:
        """Departures per stage, moves per (from, to), and leads that entered each stage."""
        left, moved, entered = Counter(), Counter(), Counter()
        for lead in self.created():
            stays = self.stays(lead)
            for stage in {s for s, *_ in stays}:
                entered[stage] += 1
            for stage, _, _, following in stays:
                if following is not None:
                    left[stage] += 1
                    moved[(stage, following)] += 1
        return left, moved, entered

    def stage_conversion(self) -> dict[tuple[str, str], float]:
        left, moved, _ = self.moves()
        chain = (INQ, MQL, SAL, SQL, WON)
        return {(a, b): 100 * moved[(a, b)] / left[a] for a, b in pairwise(chain)}

    def mql_acceptance_rate(self) -> float:
        decided = [
            lead.fields
            for lead in self.created()
            if lead.fields["mql_at"] is not None and lead.fields["stage"] != MQL
        ]
        accepted = [f for f in decided if f["sal_at"] is not None and f["sal_at"] >= f["mql_at"]]
        return 100 * len(accepted) / len(decided)

    def disqualification_rate(self) -> tuple[float, dict[str, float]]:
        resolved = [
            lead.fields
            for lead in self.dated("converted_at", "disqualified_at")
            if lead.fields["stage"] in (WON, DQ)
        ]
        closed = [f for f in resolved if f["stage"] == DQ and f["disqualification_reason"]]
        reasons = Counter(f["disqualification_reason"] for f in closed)
        return (
            100 * len(closed) / len(resolved),
            {reason: 100 * n / len(closed) for reason, n in reasons.items()},
        )


def pilot_report(tmp_path: Path, crm: str, count: int, seed: int, *args: str) -> dict[str, Any]:
    written = write_sample(tmp_path / "export", crm, count, seed, plant=False, spec_root=ROOT)
    out = tmp_path / "pilot.json"
    events = ["--events", str(written.history)] if written.history else []
    result = CliRunner().invoke(
        main,
        [
            "pilot",
            str(written.export),
            *events,
            "--mapping",
            crm,
            "--spec",
            str(ROOT),
            "--as-of",
            AS_OF.isoformat(),
            "--json",
            str(out),
            *args,
        ],
    )
    assert result.exit_code in (0, 1), result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["inputs"][0]["rows"] == count
    return document


def kpis(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k["id"]: k for k in report["kpis"]}


def near(value: float) -> Any:
    return pytest.approx(value, abs=TOLERANCE)


def assert_report_is_true(report: dict[str, Any], truth: Truth) -> None:
    found = kpis(report)
    assert report["period"] == {"from": truth.first.isoformat(), "to": truth.last.isoformat()}
    assert report["leads"] == len(truth.created())

    per_month, months = truth.leads_per_month()
    assert found["leads_per_month"]["value"] == near(per_month)
    for item in found["leads_per_month"]["breakdown"]:
        assert {g["key"]: g["count"] for g in item["groups"] if g["count"]} == dict(months[item["key"]])

    assert found["source_mix"]["value"] == near(truth.source_mix())

    median, p90, inside = truth.speed_to_first_contact()
    speed = found["speed_to_first_contact"]
    assert speed["value"] == near(median)
    assert speed["statistics"]["median"] == near(median)
    assert speed["statistics"]["p90"] == near(p90)
    assert speed["statistics"]["within_window"] == near(inside)

    overall, by_source = truth.qualification_rate()
    assert found["qualification_rate"]["value"] == near(overall)
    assert {i["key"]: i["value"] for i in found["qualification_rate"]["breakdown"]} == {
        k: near(v) for k, v in by_source.items()
    }

    days = truth.days_in_stage()
    stage_days = found["days_in_stage"]
    assert {i["key"]: i["value"] for i in stage_days["breakdown"]} == {k: near(v) for k, v in days.items()}
    assert stage_days["value"] == near(max(days.values()))  # the target is a maximum

    assert found["lead_velocity"]["value"] == near(truth.lead_velocity())

    conversion = truth.stage_conversion()
    steps = found["stage_conversion"]
    assert {(i["key"], i["to"]): i["value"] for i in steps["breakdown"]} == {
        k: near(v) for k, v in conversion.items()
    }
    assert steps["value"] == near(min(conversion.values()))  # the target is a minimum

    assert found["mql_acceptance_rate"]["value"] == near(truth.mql_acceptance_rate())

    rate, reasons = truth.disqualification_rate()
    assert found["disqualification_rate"]["value"] == near(rate)
    assert {i["key"]: i["value"] for i in found["disqualification_rate"]["breakdown"]} == {
        k: near(v) for k, v in reasons.items()
    }

    for kpi in SPEC.kpis:
        result = found[kpi.id]
        if kpi.measure is None:
            assert result["status"] == "not_measurable" and result["value"] is None
            continue
        low = kpi.target.min if kpi.target.min is not None else -math.inf
        high = kpi.target.max if kpi.target.max is not None else math.inf
        assert result["status"] == ("met" if low <= result["value"] <= high else "missed"), kpi.id

    left, moved, entered = truth.moves()
    funnel = report["funnel"]
    assert {s["id"]: s["entered"] for s in funnel["stages"] if s["entered"]} == dict(entered)
    assert {(m["from"], m["to"]): m["count"] for m in funnel["moves"]} == dict(moved)
    for move in funnel["moves"]:
        assert move["rate"] == near(100 * move["count"] / left[move["from"]])


def test_a_generic_export_over_a_given_period(tmp_path: Path) -> None:
    """Both motions and every source, a period cut inside months, every owner."""
    report = pilot_report(tmp_path, "generic", 1500, 11, "--from", "2026-02-10", "--to", "2026-09-30")
    leads = list(generated_leads("generic", 1500, 11, spec_root=ROOT, plant=False))
    truth = Truth(leads, dt.date(2026, 2, 10), dt.date(2026, 9, 30), [])
    assert [i["key"] for i in kpis(report)["leads_per_month"]["breakdown"] if i["complete"]] == [
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
    ]
    assert_report_is_true(report, truth)


def test_a_salesforce_export_for_a_team(tmp_path: Path) -> None:
    """Stage times derived from LeadHistory; only the leads a few sellers own or owned."""
    leads = list(generated_leads("salesforce", 1200, 5, spec_root=ROOT, plant=False))
    sellers = sorted(
        {
            e.after
            for lead in leads
            for e in lead.events
            if e.kind == "owner" and e.after and e.after.startswith("005")
        }
    )
    team = sellers[::2]
    report = pilot_report(tmp_path, "salesforce", 1200, 5, "--team", ",".join(team))
    assert report["team"] == team
    truth = Truth(leads, None, None, team)
    assert 0 < len(truth.leads) < len(leads)
    assert_report_is_true(report, truth)
