"""The reference spec's checks written by hand in pandas: the baseline for leadspec's benchmark.

This is the script an analyst would otherwise write to check a CRM export against the
process: read the leads and their history with pandas, then one function per rule
kind made of boolean masks, merges and group-bys. It exists so the benchmark compares
`leadspec check` with a fair, straightforward alternative, and so the two can be shown
to agree: for every check it counts the leads in scope and the distinct leads that
break it, and `--compare REPORT.json` fails when any count differs from leadspec's.

leadspec is imported only for configuration: the list of checks with their scopes,
the data dictionary, the windows and calendar, and the generic mapping's value
translations. No DuckDB and none of leadspec's SQL is used for the computation.
Inputs are in leadspec's generic layout (checks/mappings/generic.yaml).

    python bench/pandas_rules.py LEADS EVENTS [--as-of 2026-11-02T10:40:00]
                                 [--json OUT] [--compare REPORT.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import operator
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlglot import exp

from leadspec.conformance.checks import all_checks
from leadspec.data.mapping import load_mapping
from leadspec.data.validate import value_maps
from leadspec.spec import load_spec
from leadspec.spec.expression import MOTION, parse_rule
from leadspec.spec.models import duration_parts

ROOT = Path(__file__).resolve().parents[1]
TRUE_TEXT, FALSE_TEXT = ("true", "t", "yes", "y", "1"), ("false", "f", "no", "n", "0")
HISTORY_KINDS = {"response_window", "max_time_in_stage"}  # scope.stages names visited stages


# --- Reading: text to typed columns, as leadspec's generic mapping defines them ----------


def clean(text: pd.Series) -> pd.Series:
    """Surrounding spaces removed; a blank value is missing."""
    text = text.str.strip(" ")
    return text.mask(text == "")


def type_leads(raw: pd.DataFrame, spec, maps: dict) -> pd.DataFrame:
    columns = {}
    for field in spec.fields:
        text = clean(raw[field.id]) if field.id in raw else pd.Series(None, raw.index, "str")
        if field.id in maps:  # translated CRM values, matched ignoring case
            columns[field.id] = text.str.lower().map(maps[field.id])
        elif field.type == "timestamp":
            columns[field.id] = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
        elif field.type == "integer":
            number = pd.to_numeric(text, errors="coerce")  # '55.5' reads as 56, as in leadspec
            columns[field.id] = np.trunc(number + np.copysign(0.5, number)).astype("Int64")
        elif field.type == "number":
            columns[field.id] = pd.to_numeric(text, errors="coerce")
        elif field.type == "boolean":
            words = {**dict.fromkeys(TRUE_TEXT, True), **dict.fromkeys(FALSE_TEXT, False)}
            columns[field.id] = text.str.lower().map(words).astype("boolean")
        else:
            columns[field.id] = text
    leads = pd.DataFrame(columns)
    return leads[leads["lead_id"].notna()].reset_index(drop=True)


def type_events(raw: pd.DataFrame, mapping, maps: dict) -> pd.DataFrame:
    """One row per stage, owner or activity change; stage values translated like the leads'."""
    names = mapping.file.events
    events = pd.DataFrame(
        {
            "lead_id": clean(raw[names.lead_id]),
            "at": pd.to_datetime(clean(raw[names.at]), utc=True, format="ISO8601", errors="coerce"),
        }
    )
    field = clean(raw[names.field])
    old, new = clean(raw[names.old_value]), clean(raw[names.new_value])
    events["kind"] = None
    for kind, fields in (
        ("activity", names.activity_fields),
        ("owner", names.owner_fields),
        ("stage", names.stage_fields),
    ):
        events.loc[field.str.lower().isin([f.strip().lower() for f in fields]), "kind"] = kind
    stage, owner = events["kind"] == "stage", events["kind"] == "owner"
    # A stage change is translated; an owner change kept; an activity is its type (or field).
    events["from_value"] = old.str.lower().map(maps["stage"]).where(stage, old.where(owner))
    events["to_value"] = new.str.lower().map(maps["stage"]).where(stage, new.where(owner, new.fillna(field)))
    return events[events["kind"].notna() & events["lead_id"].notna()]


def add_entries(events: pd.DataFrame, leads: pd.DataFrame) -> pd.DataFrame:
    """A history lists changes, not the first stage: add an entry at creation where it is missing."""
    start = events["at"].min()
    events = events[events["at"].notna()]
    stages = events[events["kind"] == "stage"].sort_values(["at", "to_value"], na_position="last")
    first = stages.drop_duplicates("lead_id").set_index("lead_id")
    lead = leads.groupby("lead_id").agg(created=("created_at", "min"), stage=("stage", "min"))
    lead = lead.join(first[["from_value", "at"]])
    entered = lead["from_value"].fillna(lead["stage"])
    wanted = (
        lead["created"].notna()
        & entered.notna()
        & (lead["created"] >= start)
        & (lead["at"].isna() | (lead["from_value"].notna() & (lead["created"] <= lead["at"])))
    )
    entries = pd.DataFrame({"at": lead["created"], "kind": "stage", "from_value": None, "to_value": entered})[
        wanted
    ].reset_index()
    return pd.concat([events, entries], ignore_index=True)


# --- Expression rules: the sqlglot tree evaluated on columns, with SQL's NULL logic ------

COMPARE = {
    exp.EQ: operator.eq,
    exp.NEQ: operator.ne,
    exp.GT: operator.gt,
    exp.GTE: operator.ge,
    exp.LT: operator.lt,
    exp.LTE: operator.le,
}


def missing(value, index: pd.Index) -> pd.Series:
    return value.isna() if isinstance(value, pd.Series) else pd.Series(pd.isna(value), index=index)


def as_series(value, index: pd.Index) -> pd.Series:
    return value if isinstance(value, pd.Series) else pd.Series(value, index=index)


def truth(value, index: pd.Index) -> pd.Series:
    """A value as a true/false/unknown Series (pandas' 'boolean' dtype follows SQL's logic)."""
    if not isinstance(value, pd.Series):
        value = pd.Series(pd.NA if value is None else value, index=index)
    return value.astype("boolean")


def unknown_where(result: pd.Series, nulls: pd.Series) -> pd.Series:
    result = result.astype("boolean")
    result[nulls.to_numpy()] = pd.NA
    return result


def evaluate(node: exp.Expression, leads: pd.DataFrame, spec):
    """A Series (or a constant) holding the expression's value for every lead."""

    def value(child):
        return evaluate(child, leads, spec)

    index = leads.index
    if isinstance(node, exp.Paren):
        return value(node.this)
    if isinstance(node, exp.And):
        return truth(value(node.this), index) & truth(value(node.expression), index)
    if isinstance(node, exp.Or):
        return truth(value(node.this), index) | truth(value(node.expression), index)
    if isinstance(node, exp.Not):
        return ~truth(value(node.this), index)
    if isinstance(node, exp.Is):
        if isinstance(node.expression, exp.Null):
            return missing(value(node.this), index).astype("boolean")
        return (truth(value(node.this), index) == value(node.expression)).fillna(False)
    if isinstance(node, exp.In):
        subject, options = as_series(value(node.this), index), [value(o) for o in node.expressions]
        return unknown_where(subject.isin(options), subject.isna())
    if type(node) in COMPARE:
        left, right = value(node.this), value(node.expression)
        nulls = missing(left, index) | missing(right, index)
        if nulls.all():
            return truth(None, index)
        return unknown_where(COMPARE[type(node)](as_series(left, index), right), nulls)
    if isinstance(node, exp.Column) and node.table == MOTION:
        per_motion = {m: motion.thresholds[node.name] for m, motion in spec.process.motions.items()}
        return leads["motion"].map(per_motion)
    if isinstance(node, exp.Column):
        return leads[node.name]
    if isinstance(node, exp.Literal):
        return node.this if node.is_string else float(node.this)
    if isinstance(node, exp.Boolean):
        return node.this
    if isinstance(node, exp.Null):
        return None
    raise ValueError(f"rule construct not supported here: {node.sql()}")


def holds(rule: str, leads: pd.DataFrame, spec) -> pd.Series:
    """True only where the rule is true: unknown counts as not holding."""
    return truth(evaluate(parse_rule(rule), leads, spec), leads.index).fillna(False).astype(bool)


# --- Rule kinds: each returns the lead ids of the scoped leads that break the check ------


def required_field(check, leads, data):
    return leads.loc[leads[check.field].isna(), "lead_id"]


def allowed_values(check, leads, data):
    allowed = data.spec.field(check.field).allowed_values
    value = leads[check.field]
    return leads.loc[value.notna() & ~value.isin(allowed), "lead_id"]


def expression(check, leads, data):
    return leads.loc[~holds(check.rule, leads, data.spec), "lead_id"]


def known_source(check, leads, data):
    known = [source.id for source in data.spec.sources]
    return leads.loc[~leads[data.spec.lead.source_field].isin(known), "lead_id"]


def consent_before_contact(check, leads, data):
    permitted = holds(data.spec.lead.consent_rule, leads, data.spec)
    recorded_first = leads["consent_at"].notna() & (leads["consent_at"] <= leads["first_contact_at"])
    contacted = leads["first_contact_at"].notna()
    return leads.loc[contacted & ~(permitted & recorded_first), "lead_id"]


def disqualification_reason(check, leads, data):
    closed = [s for s, result in data.spec.terminal_stages.items() if result == "disqualified"]
    reason = leads["disqualification_reason"]
    codes = data.spec.field("disqualification_reason").allowed_values
    valid = reason.notna() & (reason.isin(codes) if codes else True)
    return leads.loc[leads["stage"].isin(closed) & ~valid, "lead_id"]


def unique_leads(check, leads, data):
    """Leads after the first (by created_at, then id) with the same email, ignoring case."""
    people = leads[["lead_id", "created_at"]].assign(email=leads["email"].str.lower())
    people = people[people["email"].notna()].sort_values(
        ["email", "created_at", "lead_id"], na_position="last"
    )
    original = people.groupby("email")["lead_id"].transform("first")
    return people.loc[people["lead_id"] != original, "lead_id"]


def single_owner(check, leads, data):
    """Routed leads with no owner now, or whose owner was cleared at or after routing."""
    routed = leads[leads["routed_at"].notna()]
    events = data.events
    cleared = events[(events["kind"] == "owner") & events["to_value"].isna()]
    cleared = cleared.merge(routed[["lead_id", "routed_at"]], on="lead_id")
    removed = cleared.loc[cleared["at"] >= cleared["routed_at"], "lead_id"]
    return pd.concat([routed.loc[routed["owner_id"].isna(), "lead_id"], removed])


def allowed_transitions(check, leads, data):
    events = data.events
    moves = events[
        (events["kind"] == "stage") & events["lead_id"].isin(leads["lead_id"]) & events["from_value"].notna()
    ]
    moves = moves[moves["to_value"].isna() | (moves["from_value"] != moves["to_value"])]
    allowed = {(t.source, t.target) for t in data.spec.process.lifecycle.transitions}
    broken = [(a, b) not in allowed for a, b in zip(moves["from_value"], moves["to_value"], strict=True)]
    return moves.loc[broken, "lead_id"]


# --- Time in stages: visits from the history, measured on the calendar or working clock --


def limit_minutes(text: str, clock: str, calendar) -> int:
    amount, unit = duration_parts(text)
    hours = calendar.working_hours
    day = (hours.end.hour * 60 + hours.end.minute) - (hours.start.hour * 60 + hours.start.minute)
    per_unit = {"m": 1, "h": 60, "d": 1440, "w": 10080}
    if clock == "business":
        per_unit.update(d=day, w=day * len(calendar.working_days))
    return amount * per_unit[unit]


def limits(data, window: str, stages: list[str]) -> pd.DataFrame:
    """One row per stage, motion and source (None: any other source) with its limit."""
    rows = []
    for stage in data.spec.stages:
        if stage.id not in stages:
            continue
        for motion_id, motion in data.spec.process.motions.items():
            rules = motion.windows[getattr(stage, window)]
            for source, text in [(None, rules.within), *rules.by_source.items()]:
                rows.append(
                    (
                        stage.id,
                        motion_id,
                        source,
                        rules.clock == "business",
                        limit_minutes(text, rules.clock, data.spec.process.calendar),
                    )
                )
    return pd.DataFrame(rows, columns=["stage", "motion", "source", "business", "allowed"])


def working_seconds(start: dt.datetime, end: dt.datetime, calendar) -> float:
    """Seconds between two UTC times that fall in the calendar's working hours."""
    zone = ZoneInfo(calendar.time_zone)
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    workdays = {names.index(d) for d in calendar.working_days}
    holidays = {h.date for h in calendar.holidays}
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    total = 0.0
    while day <= last:
        if day.weekday() in workdays and day not in holidays:
            opens = dt.datetime.combine(day, calendar.working_hours.start, zone)
            closes = dt.datetime.combine(day, calendar.working_hours.end, zone)
            total += max((min(end, closes) - max(start, opens)).total_seconds(), 0.0)
        day += dt.timedelta(days=1)
    return total


def stage_visits(check, leads, data, window: str) -> pd.DataFrame:
    """Each stay of a scoped lead in a timed stage: entered, left_at and the stage's limit."""
    stages = [
        s.id
        for s in data.spec.stages
        if getattr(s, window) and (not check.scope.stages or s.id in check.scope.stages)
    ]
    events = data.events
    moves = events[(events["kind"] == "stage") & events["lead_id"].isin(leads["lead_id"])]
    moves = moves.sort_values(["lead_id", "at", "to_value"], na_position="last")
    moves = moves.assign(left_at=moves.groupby("lead_id")["at"].shift(-1))
    visits = moves[moves["to_value"].isin(stages)].rename(columns={"to_value": "stage", "at": "entered"})
    visits = visits[["lead_id", "stage", "entered", "left_at"]].merge(
        leads[["lead_id", "motion", "source_category"]], on="lead_id"
    )
    table = limits(data, window, stages)
    default = table[table["source"].isna()].drop(columns="source")
    special = table[table["source"].notna()].rename(columns={"source": "source_category"})
    visits = visits.merge(default, on=["stage", "motion"], how="inner")
    visits = visits.merge(
        special, on=["stage", "motion", "source_category"], how="left", suffixes=("", "_source")
    )
    visits["allowed"] = visits["allowed_source"].fillna(visits["allowed"])
    visits["business"] = visits["business_source"].fillna(visits["business"]).astype(bool)
    return visits[visits["entered"] <= data.as_of]


def late(visits: pd.DataFrame, data) -> pd.Series:
    """Lead ids of the visits whose clock (entered to stop, or to as-of) ran past the limit."""
    until = visits["stop"].fillna(data.as_of)
    until = until.where(until <= data.as_of, data.as_of)
    used = (until - visits["entered"]).dt.total_seconds() / 60
    calendar = data.spec.process.calendar
    business = visits["business"].to_numpy()
    used[business] = [
        working_seconds(a, b, calendar) / 60
        for a, b in zip(
            visits["entered"][business].dt.to_pydatetime(), until[business].dt.to_pydatetime(), strict=True
        )
    ]
    return visits.loc[used > visits["allowed"], "lead_id"]


def max_time_in_stage(check, leads, data):
    visits = stage_visits(check, leads, data, "max_time_in_stage")
    return late(visits.assign(stop=visits["left_at"]), data)


def response_window(check, leads, data):
    """The clock stops at the first activity after entering the stage, or at leaving it."""
    visits = stage_visits(check, leads, data, "response_window").sort_values("entered")
    activities = data.events.loc[data.events["kind"] == "activity", ["lead_id", "at"]]
    visits = pd.merge_asof(
        visits,
        activities.sort_values("at").rename(columns={"at": "acted"}),
        left_on="entered",
        right_on="acted",
        by="lead_id",
        direction="forward",
    )
    return late(visits.assign(stop=visits[["left_at", "acted"]].min(axis=1)), data)


RULES = {
    f.__name__: f
    for f in (
        required_field,
        allowed_values,
        expression,
        known_source,
        consent_before_contact,
        disqualification_reason,
        unique_leads,
        single_owner,
        allowed_transitions,
        max_time_in_stage,
        response_window,
    )
}


# --- Running every check ------------------------------------------------------------------


@dataclass(frozen=True)
class Data:
    spec: object  # leadspec's Spec: configuration only
    leads: pd.DataFrame
    events: pd.DataFrame
    as_of: pd.Timestamp


def in_scope(check, leads: pd.DataFrame) -> pd.Series:
    mask = pd.Series(True, index=leads.index)
    if check.scope.stages and check.kind not in HISTORY_KINDS:
        mask &= leads["stage"].isin(check.scope.stages)
    if check.scope.motion:
        mask &= leads["motion"] == check.scope.motion
    if check.scope.sources:
        mask &= leads["source_category"].isin(check.scope.sources)
    return mask.fillna(False).astype(bool)


def run(leads_path: Path, events_path: Path, as_of: dt.datetime | None) -> dict:
    spec = load_spec(ROOT).spec
    mapping = load_mapping("generic", ROOT)
    maps = value_maps(mapping, spec)
    started = time.perf_counter()
    raw_leads = pd.read_csv(leads_path, dtype=str, keep_default_na=False)
    raw_events = pd.read_csv(events_path, dtype=str, keep_default_na=False)
    read = time.perf_counter()
    leads = type_leads(raw_leads, spec, maps)
    events = add_entries(type_events(raw_events, mapping, maps), leads)
    if as_of is None:  # the latest time in the data, as leadspec defaults to
        stamps = leads.select_dtypes("datetimetz").max().max()
        moment = max(stamps, events["at"].max())
    else:
        moment = pd.Timestamp(as_of)
        moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
    data = Data(spec, leads, events, moment)
    parsed = time.perf_counter()
    rules = {}
    for check, _, _ in all_checks(spec):
        scoped = leads[in_scope(check, leads)]
        violating = RULES[check.kind](check, scoped, data)
        rules[check.id] = {"checked": len(scoped), "violations": int(violating.nunique())}
    done = time.perf_counter()
    return {
        "rules": rules,
        "seconds": {
            "read": round(read - started, 3),
            "parse": round(parsed - read, 3),
            "rules": round(done - parsed, 3),
        },
    }


def differences(result: dict, report: dict) -> list[str]:
    theirs = {r["id"]: r for r in report["rules"]}
    lines = []
    for rule_id in sorted(set(theirs) | set(result["rules"])):
        mine, other = result["rules"].get(rule_id), theirs.get(rule_id)
        if mine is None or other is None:
            lines.append(f"{rule_id}: only in {'leadspec' if mine is None else 'pandas'}")
        elif (mine["checked"], mine["violations"]) != (other["checked"], other["violations"]):
            lines.append(
                f"{rule_id}: pandas {mine['checked']} checked / {mine['violations']} "
                f"violating, leadspec {other['checked']} / {other['violations']}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("leads", type=Path)
    parser.add_argument("events", type=Path)
    parser.add_argument(
        "--as-of",
        type=dt.datetime.fromisoformat,
        help="'now' for time limits, UTC (default: the report's with --compare, "
        "else the latest time in the data)",
    )
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    parser.add_argument("--compare", type=Path, help="a leadspec JSON report; exit 1 if counts differ")
    args = parser.parse_args()
    report = json.loads(args.compare.read_text()) if args.compare else None
    as_of = args.as_of
    if as_of is None and report is not None:
        as_of = dt.datetime.fromisoformat(report["as_of"])
    result = run(args.leads, args.events, as_of)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    if report is not None:
        lines = differences(result, report)
        for line in lines:
            print(line, file=sys.stderr)
        print(
            f"{len(result['rules']) - len(lines)} of {len(result['rules'])} rules agree with {args.compare}",
            file=sys.stderr,
        )
        sys.exit(1 if lines else 0)


if __name__ == "__main__":
    main()
