"""The history file -> `lead_events`, and the lead fields derived from it.

A CRM history holds one row per changed field. Rows whose field the mapping names
as a stage, owner or activity field become events; stage values are translated by
the same map as the leads' stage. Each lead's first stage also gets an entry event
at its creation, since histories record changes, not the starting value.
"""

from __future__ import annotations

from ..engines import Connection
from ..spec.codes import Code
from ..spec.findings import did_you_mean, plural
from . import findings, sql
from .errors import InputError, column_list
from .mapping import Events, Mapping, either, options
from .readers import Export
from .records import DataFinding

CHANGES = "_leadspec_changes"  # a view: the history's own changes, before entries are added
ENTRIES = "_leadspec_entries"
KINDS = ("stage", "owner", "activity")
AT = '"at"'  # a keyword in DuckDB, so always quoted
DERIVED = {
    "first_owner_assignment": f"MIN({AT}) FILTER (WHERE kind = 'owner' AND to_value IS NOT NULL)",
    "first_activity": f"MIN({AT}) FILTER (WHERE kind = 'activity')",
}


def read_history(
    con: Connection, export: Export, mapping: Mapping, stage_map: dict[str, str | None]
) -> dict[str, str]:
    """The single scan of the history file into `lead_events`, with the raw text of what failed.

    Every row of the file lands in the table, so its rows can be counted and its
    failures reported; `create_events` then leaves only the events the rules read.
    Returns the file's column read for each of `lead_id`, `at`, `field`, `old_value`
    and `new_value`.
    """
    events = mapping.file.events
    assert events is not None
    present = {c.strip(): c for c in export.columns}
    keys = {"r_lead": "lead_id", "r_at": "at", "r_field": "field", "r_old": "old_value", "r_new": "new_value"}
    used: dict[str, str] = {}
    absent = []
    for key, name in keys.items():
        columns = options(getattr(events, name))
        found = next((present[c.strip()] for c in columns if c.strip() in present), None)
        if found is None:
            absent.append(f"{either(columns)} (for {name}){did_you_mean(columns[0], export.columns)}")
        else:
            used[key] = found
    if absent:
        raise InputError(
            export.name,
            f"the mapping '{mapping.name}' needs history columns that are "
            f"not in the file: {'; '.join(absent)} (the file's columns are: "
            f"{column_list(export.columns)})",
            f"Fix the column names under events: in {mapping.path}",
            code=Code.LS504,
        )
    rows = events.owner_rows
    if rows and rows.column.strip() in present:
        used["r_rows"] = present[rows.column.strip()]
    # NOTE: times are parsed untrimmed: strptime skips surrounding spaces itself.
    texts = ", ".join(f"{sql.text(column, trim=key != 'r_at')} AS {key}" for key, column in used.items())
    stamps = mapping.file.timestamps
    at = sql.timestamp("r_at", stamps.formats, stamps.time_zone)
    queues = mapping.file.queue_prefixes

    def owner(value: str) -> str:
        return sql.unless_queue(value, queues) if queues else value

    # NOTE: the stage translations are computed for every row in the inner query: inside the
    # outer CASE, DuckDB evaluates them several times slower.
    con.execute(f"""
        CREATE OR REPLACE TABLE lead_events AS
        SELECT r_lead AS lead_id, {AT}, kind,
               CASE kind WHEN 'stage' THEN old_stage WHEN 'owner' THEN {owner("r_old")} END AS from_value,
               CASE kind WHEN 'stage' THEN new_stage WHEN 'owner' THEN {owner("r_new")}
                         WHEN 'activity' THEN COALESCE(r_new, r_field) END AS to_value,
               CASE WHEN {AT} IS NULL AND TRIM(r_at) <> '' THEN r_at END AS bad_at,
               CASE WHEN kind = 'stage' AND {sql.unlisted("r_old", stage_map, "old_stage")} THEN r_old END AS bad_old,
               CASE WHEN kind = 'stage' AND {sql.unlisted("r_new", stage_map, "new_stage")} THEN r_new END AS bad_new
        FROM (SELECT *, {at} AS {AT}, {_kind(events, "r_rows" in used)} AS kind,
                     {sql.translate("r_old", stage_map)} AS old_stage,
                     {sql.translate("r_new", stage_map)} AS new_stage
              FROM (SELECT {texts} FROM {export.source}))""")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {CHANGES} AS SELECT lead_id, {AT}, kind, from_value, "
        f"to_value FROM lead_events WHERE kind IS NOT NULL AND lead_id IS NOT NULL"
    )
    return {name: used[key] for key, name in keys.items()}


def create_events(con: Connection) -> None:
    """`lead_events` as the rules read it: the history's events plus the entry events."""
    # NOTE: rows are deleted and added in place; copying millions of events costs more.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {ENTRIES} AS {_entries()}")
    con.execute(f"DROP VIEW {CHANGES}")
    con.execute(f"""DELETE FROM lead_events WHERE lead_id IS NULL OR "at" IS NULL
                    OR kind IS NULL OR NOT {sql.in_list("kind", KINDS)}""")
    con.execute(f"INSERT INTO lead_events SELECT * FROM {ENTRIES}")
    con.execute(f"DROP TABLE {ENTRIES}")


def _kind(events: Events, rows_column: bool) -> str:
    field = sql.folded("r_field")

    def named(names: list[str]) -> str:
        return sql.in_list(field, [n.strip().lower() for n in names])

    owner = named(events.owner_fields)
    if events.owner_rows and rows_column:
        owner = f"({owner} AND r_rows = {sql.lit(events.owner_rows.equals)})"
    return (
        f"CASE WHEN {named(events.stage_fields)} THEN 'stage' WHEN {owner} THEN 'owner' "
        f"WHEN {named(events.activity_fields)} THEN 'activity' "
        f"WHEN {named(events.created_fields)} THEN 'created' END"
    )


def _entries() -> str:
    """An entry into the first stage at creation, for leads created while the history was kept."""
    # NOTE: a stage row's from_value is NULL whenever its old value is, so `f.before IS NOT NULL`
    # also says that the lead's first change names the stage it came from.
    return f"""
        SELECT l.lead_id, COALESCE(c.created, l.created_at) AS "at", 'stage' AS kind,
               CAST(NULL AS VARCHAR) AS from_value, COALESCE(f.before, l.stage) AS to_value
        FROM (SELECT lead_id, MIN(created_at) AS created_at, MIN(stage) AS stage
              FROM leads GROUP BY lead_id) AS l
        LEFT JOIN (SELECT lead_id, MIN("at") AS created FROM {CHANGES}
                   WHERE kind = 'created' GROUP BY lead_id) AS c ON c.lead_id = l.lead_id
        LEFT JOIN (SELECT lead_id, first(from_value ORDER BY "at", to_value) AS before,
                          MIN("at") AS first_at
                   FROM {CHANGES} WHERE kind = 'stage' AND "at" IS NOT NULL
                   GROUP BY lead_id) AS f ON f.lead_id = l.lead_id
        WHERE COALESCE(c.created, l.created_at) IS NOT NULL
          AND (f.lead_id IS NULL OR (f.before IS NOT NULL
                                     AND COALESCE(c.created, l.created_at) <= f.first_at))
          AND COALESCE(f.before, l.stage) IS NOT NULL
          AND (c.created IS NOT NULL OR l.created_at >= (SELECT MIN("at") FROM {CHANGES}))"""


def apply_derived(con: Connection, mapping: Mapping) -> None:
    """Fill derived fields from the history; the leads file's own column stays the fallback."""
    derived = mapping.file.derived
    if not derived:
        return
    parts = []
    for name, derivation in sorted(derived.items()):
        stage = derivation.partition(":")[2]
        aggregate = (
            f"MAX({AT}) FILTER (WHERE kind = 'stage' AND to_value = {sql.lit(stage)})"
            if stage
            else DERIVED[derivation]
        )
        parts.append(f"{aggregate} AS {sql.ident(name)}")
    assignments = ", ".join(
        f"{sql.ident(n)} = COALESCE(d.{sql.ident(n)}, leads.{sql.ident(n)})" for n in sorted(derived)
    )
    con.execute(
        f"UPDATE leads SET {assignments} FROM (SELECT lead_id, {', '.join(parts)} "
        f"FROM lead_events GROUP BY lead_id) AS d WHERE leads.lead_id = d.lead_id"
    )


def event_findings(con: Connection, columns: dict[str, str]) -> list[DataFinding]:
    """The history's findings, counted in one pass; then its columns of failed values go.

    `columns` names the file's column read for each key (see `read_history`).
    """
    bad_at, bad_old, bad_new = con.execute(
        "SELECT COUNT(bad_at), COUNT(bad_old), COUNT(bad_new) FROM lead_events"
    ).fetchone() or (0, 0, 0)
    found = []
    if bad_at:
        found.append(
            findings.finding(
                "unparseable_timestamp",
                columns["at"],
                bad_at,
                f"{plural(bad_at, 'history row')}: the time matches none of "
                "timestamps.formats, so the change is left out; add the format to "
                "the mapping",
                findings.examples(con, "lead_events", "bad_at"),
            )
        )
    for count, failed, column in (
        (bad_old, "bad_old", columns["old_value"]),
        (bad_new, "bad_new", columns["new_value"]),
    ):
        if count:
            found.append(
                findings.finding(
                    "unmapped_status",
                    column,
                    count,
                    f"{plural(count, 'history row')}: a status no stage claims; "
                    "add it to a stage's crm_status or to values.stage in the mapping",
                    findings.examples(con, "lead_events", failed),
                )
            )
    for column in ("bad_at", "bad_old", "bad_new"):
        con.execute(f"ALTER TABLE lead_events DROP COLUMN {column}")
    return found
