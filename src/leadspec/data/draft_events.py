"""The `events:` section of a draft mapping, from a history export.

A history has one row per change, with a column naming what changed. The draft
finds the lead, time, field, old and new value columns by their names (Salesforce
LeadHistory and its report, and names such as `changed_at` or `from_value`), then
reads the field column's values once: those that name a status or stage become
`stage_fields`, an owner `owner_fields`, a creation `created_fields`, and the rest
are listed, most frequent first, for a person to pick the activities from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb

from .readers import open_export
from .sql import ident

COLUMNS = {  # key -> names it goes by, compared without case, spaces or punctuation
    "lead_id": ("leadid", "recordid", "contactid", "objectid", "parentid"),
    "at": (
        "createddate",
        "editdate",
        "changedat",
        "changedate",
        "timestamp",
        "at",
        "date",
        "createdat",
        "modifieddate",
    ),
    "field": ("field", "fieldevent", "property", "propertyname", "fieldname", "attribute", "kind"),
    "old_value": ("oldvalue", "fromvalue", "previousvalue", "old", "from", "before"),
    "new_value": ("newvalue", "tovalue", "value", "new", "to", "after"),
}
KINDS = {
    "stage_fields": re.compile(r"status|stage", re.I),
    "owner_fields": re.compile(r"owner", re.I),
    "created_fields": re.compile(r"^created\.?$", re.I),
}
LISTED = 20  # other field values shown as comments


def column_key(name: str) -> str:
    """A column's name without case, spaces or punctuation, to compare with known names."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def events_section(
    path: Path, quote: Callable[[str], str], *, encoding: str | None = None, delimiter: str | None = None
) -> list[str]:
    """YAML lines for `events:` (and `derived:` when owners are found); `quote` quotes a name."""
    with duckdb.connect() as con, open_export(con, path, encoding=encoding, delimiter=delimiter) as export:
        by_key = {column_key(c): c for c in reversed(export.columns)}
        found = {key: next((by_key[n] for n in names if n in by_key), None) for key, names in COLUMNS.items()}
        columns = {key: column for key, column in found.items() if column is not None}
        if len(columns) < len(found):
            return _template(path, found, quote)
        field = ident(columns["field"])
        values = [
            v
            for (v,) in con.execute(
                f"SELECT TRIM({field}) AS v FROM {export.source} WHERE TRIM({field}) <> '' "
                "GROUP BY v ORDER BY COUNT(*) DESC, v"
            ).fetchall()
        ]
    kinds = {kind: [v for v in values if pattern.search(v)] for kind, pattern in KINDS.items()}
    kinds["stage_fields"] = [v for v in kinds["stage_fields"] if v not in kinds["owner_fields"]]
    claimed = {v for names in kinds.values() for v in names}
    lines = [
        f"# The history, as {path.name} holds it:",
        "events:",
        *(f"  {key}: {quote(column)}" for key, column in columns.items()),
        *(f"  {kind}: [{', '.join(quote(n) for n in names)}]" for kind, names in kinds.items()),
        f"  # Other values of {quote(columns['field'])}, most frequent first; list those that",
        "  # mean an activity (a call, an email, a meeting):",
        "  activity_fields: []",
        *(f"  #   {quote(v)}" for v in [v for v in values if v not in claimed][:LISTED]),
    ]
    if "datatype" in by_key and kinds["owner_fields"]:
        lines += [
            "  # Salesforce writes each owner change twice, with names and with ids: keep the ids.",
            f"  owner_rows: {{column: {quote(by_key['datatype'])}, equals: EntityId}}",
        ]
    if kinds["owner_fields"]:
        lines += ["derived:", "  routed_at: first_owner_assignment"]
    return lines


def _template(path: Path, found: dict[str, str | None], quote: Callable[[str], str]) -> list[str]:
    missing = ", ".join(key for key, column in found.items() if column is None)
    return [
        f"# {path.name} has no column that looks like {missing}: name the columns below,",
        "# then uncomment the section.",
        "# events:",
        *(f"#   {key}: {quote(column) if column else '<column>'}" for key, column in found.items()),
        "#   stage_fields: []",
        "#   owner_fields: []",
    ]
