"""Check a mapping against the spec it will feed, before any export is read.

The mapping's schema is checked when it loads; these checks need the spec: every
field is in the data dictionary, every translated value is allowed, no CRM status
means one stage here and another in the stage files. All problems are collected.
"""

from __future__ import annotations

import datetime as dt

import duckdb
from sqlglot import exp

from ..engines import ENGINE_ERRORS, Connection
from ..spec.codes import Code
from ..spec.findings import Finding, did_you_mean
from ..spec.models import FieldDef, Spec
from .mapping import Mapping, options

Loc = tuple[str | int, ...]  # a location in the YAML document
TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def value_maps(mapping: Mapping, spec: Spec) -> dict[str, dict[str, str | None]]:
    """Per field, lower-cased CRM value -> canonical value; stage includes the spec's crm_status."""
    maps = {
        field: {raw.strip().lower(): target for raw, target in values.items()}
        for field, values in mapping.file.values.items()
    }
    claims = {status.strip().lower(): stage.id for stage in spec.stages for status in stage.crm_status}
    maps["stage"] = {**claims, **maps.get("stage", {})}
    return maps


def check_mapping(mapping: Mapping, spec: Spec) -> list[Finding]:
    """Every problem of the mapping that only the spec can reveal; empty when it fits."""
    return _Checker(mapping, spec).run()


class _Checker:
    def __init__(self, mapping: Mapping, spec: Spec) -> None:
        self.mapping, self.file, self.spec = mapping, mapping.file, spec
        self.fields = {f.id: f for f in spec.fields}
        self.findings: list[Finding] = []

    def bad(self, path: Loc, message: str, hint: str, code: Code = Code.LS012, key: bool = False) -> None:
        self.findings.append(self.mapping.doc.finding(path, code, message, hint, key=key))

    def known(self, path: Loc, field: str) -> bool:
        if field in self.fields:
            return True
        self.bad(
            path,
            f"'{field}' is not a field of the data dictionary",
            f"Use a field id from definitions/fields.yaml.{did_you_mean(field, self.fields)}",
            Code.LS102,
            key=True,
        )
        return False

    def run(self) -> list[Finding]:
        file = self.file
        for field in file.leads.columns:
            if self.known(("leads", "columns", field), field) and field == "lead_id":
                self.bad(
                    ("leads", "columns", field),
                    "the lead id is not set under columns",
                    "Name its column with 'lead_id:' under 'leads:'.",
                    key=True,
                )
        for i, field in enumerate(file.leads.optional):
            if field not in file.leads.columns:
                self.bad(
                    ("leads", "optional", i),
                    f"'{field}' is optional but has no column",
                    "List only fields that are under leads.columns.",
                )
        for i, field in enumerate(file.timestamps.end_of_day):
            if self.known(("timestamps", "end_of_day", i), field) and self.fields[field].type != "timestamp":
                self.bad(
                    ("timestamps", "end_of_day", i),
                    f"'{field}' is not a timestamp field",
                    "List only fields of type timestamp: a date field is a day already.",
                )
        for field, value in file.constants.items():
            if self.known(("constants", field), field):
                fed = field in file.leads.columns or field in file.derived
                problem = _constant_problem(self.fields[field], value, fed)
                if problem:
                    self.bad(("constants", field), problem, "Give a value of the field's type, or remove it.")
        for field, values in file.values.items():
            if self.known(("values", field), field):
                self.values(self.fields[field], values)
        self.derived()
        self.joins()
        with duckdb.connect() as con:
            for i, fmt in enumerate(file.timestamps.formats):
                problem = _format_problem(con, fmt)
                if problem:
                    self.bad(
                        ("timestamps", "formats", i),
                        problem,
                        "Use strptime codes such as %Y-%m-%d %H:%M:%S, %m/%d/%y %I:%M %p or %z.",
                    )
        return self.findings

    def values(self, field: FieldDef, values: dict[str, str | None]) -> None:
        path: Loc = ("values", field.id)
        if field.type != "string":
            self.bad(
                path,
                f"'{field.id}' is a {field.type} field; only text fields take a value map",
                "Remove the map; numbers, booleans and times are parsed by their type.",
                key=True,
            )
            return
        events_stage = bool(self.file.events and self.file.events.stage_fields)
        if field.id not in self.file.leads.columns and not (field.id == "stage" and events_stage):
            self.bad(
                path,
                f"values for '{field.id}' but no column feeds it",
                f"Add '{field.id}:' under leads.columns, or remove the map.",
                key=True,
            )
        stage_ids = [s.id for s in self.spec.stages]
        allowed = field.allowed_values or (stage_ids if field.id == "stage" else [])
        claims = {s.strip().lower(): (s, st.id) for st in self.spec.stages for s in st.crm_status}
        seen: dict[str, str] = {}
        for raw, target in values.items():
            folded = raw.strip().lower()
            if folded in seen and values[seen[folded]] != target:
                self.bad(
                    (*path, raw),
                    f"'{raw}' and '{seen[folded]}' differ only in case or spaces but map to different values",
                    "Values match ignoring case; keep one.",
                    key=True,
                )
            seen.setdefault(folded, raw)
            if target is not None and allowed and target not in allowed:
                self.bad(
                    (*path, raw),
                    f"'{target}' is not an allowed value of {field.id}",
                    f"Allowed: {', '.join(allowed)}.{did_you_mean(target, allowed)}",
                )
            if field.id == "stage" and folded in claims and target != claims[folded][1]:
                status, stage = claims[folded]
                self.bad(
                    (*path, raw),
                    f"status '{status}' is claimed by stage '{stage}' in its crm_status",
                    f"Remove it here (stages/{stage}.yaml decides), or change that stage's crm_status.",
                )

    def derived(self) -> None:
        stage_ids = [s.id for s in self.spec.stages]
        for field, derivation in self.file.derived.items():
            if not self.known(("derived", field), field):
                continue
            kind = self.fields[field].type
            if kind != "timestamp":
                self.bad(
                    ("derived", field),
                    f"'{field}' is a {kind} field; derivations give times",
                    "Derive only timestamp fields such as routed_at.",
                )
            stage = derivation.partition(":")[2]
            if stage and stage not in stage_ids:
                self.bad(
                    ("derived", field),
                    f"'{stage}' is not a stage",
                    f"Use a stage id from stages/.{did_you_mean(stage, stage_ids)}",
                    Code.LS103,
                )

    def joins(self) -> None:
        columns = [c for cols in self.file.leads.columns.values() for c in options(cols)]
        seen: set[str] = set()
        for i, join in enumerate(self.file.joins):
            if join.name in seen:
                self.bad(
                    ("joins", i, "name"),
                    f"the join '{join.name}' is declared twice",
                    "Give each join its own name.",
                    Code.LS013,
                )
            seen.add(join.name)
            if not any(c.startswith(f"{join.name}.") for c in columns):
                self.bad(
                    ("joins", i, "name"),
                    f"the join '{join.name}' feeds no field",
                    f"Read its columns under leads.columns as {join.name}.<column>, or remove the join.",
                )


def _constant_problem(field: FieldDef, value: object, fed: bool) -> str:
    if fed:
        return f"'{field.id}' has a column or a derivation and a constant; keep one"
    if field.type in ("timestamp", "date"):
        try:
            dt.datetime.fromisoformat(str(value))
        except ValueError:
            return f"{value!r} is not an ISO {field.type} such as 2026-01-31 09:00:00"
        return ""
    expected = TYPES[field.type]
    if not isinstance(value, expected) or (field.type != "boolean" and isinstance(value, bool)):
        return f"{value!r} is not a{'n' if field.type[0] in 'aeiou' else ''} {field.type}"
    if field.allowed_values and value not in field.allowed_values:
        return f"'{value}' is not an allowed value of {field.id} ({', '.join(field.allowed_values)})"
    return ""


def _format_problem(con: Connection, fmt: str) -> str:
    try:
        con.execute(f"SELECT try_strptime('', {exp.Literal.string(fmt).sql('duckdb')})")
    except ENGINE_ERRORS as exc:
        return str(exc).splitlines()[0].removeprefix("Invalid Input Error: ")
    return ""
