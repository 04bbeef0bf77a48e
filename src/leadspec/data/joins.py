"""Files joined to the leads export by a key: HubSpot deals to contacts, closed deals to leads.

A mapping's `joins` section names each such file, the key that links its rows to the
leads and the column that picks one row when several match a lead. Each joined file
is scanned once into a temporary table of the columns the mapping reads, as text,
and reduced in SQL to one row per key. The leads file's single scan then reads the
LEFT JOIN of the export with those tables, so a joined column `<join>.<column>` is
typed, translated and reported exactly like a column of the leads file itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from ..engines import ENGINE_ERRORS, Connection
from ..spec.codes import Code
from ..spec.findings import did_you_mean, plural
from ..spec.models import Spec
from . import findings, sql
from .errors import InputError, column_list
from .leads import Layout
from .mapping import Join, Mapping, options
from .readers import Export, Source, fail, open_export
from .records import DataFinding

ROWS = "_leadspec_join{}_rows"  # the file as read: a row number, the key cell, the columns used
KEYS = "_leadspec_join{}_keys"  # (row, key) for every key a row names
ONE = "_leadspec_join{}"  # one row per key: what the leads scan joins
ORDER_OPTIMIZER = "build_side_probe_side"


@dataclass(frozen=True)
class Joined:
    """A declared join and, when its file was given, what was read from it."""

    join: Join
    index: int
    path: Source | None
    columns: tuple[str, ...] = ()  # every column of the file
    used: tuple[tuple[str, str], ...] = ()  # (`<join>.<column>` in the leads scan, the file's column)
    rows: int = 0
    footer: int = 0  # lines of a report footer left unread

    @property
    def name(self) -> str:
        return self.join.name

    @property
    def file(self) -> str | None:
        return None if self.path is None else self.path.name

    @property
    def key(self) -> str:
        """The column the leads scan carries: the key a lead matched, NULL when none."""
        return f"_j{self.index}"

    @property
    def count(self) -> str:
        """The column the leads scan carries: how many rows of the file the key matched."""
        return f"_j{self.index}n"


def declared(mapping: Mapping, given: dict[str, Source]) -> list[tuple[Join, Source | None]]:
    """Each join of the mapping with the file given for it; errors for unknown or missing ones."""
    joins = mapping.file.joins
    names = [join.name for join in joins]
    for name, path in given.items():
        if name not in names:
            fix = (
                f"Use a join the mapping declares ({', '.join(names)}).{did_you_mean(name, names)}"
                if names
                else f"The mapping declares no joins: add a joins: section to "
                f"{mapping.path}, or leave out --join"
            )
            raise InputError(
                path.name,
                f"--join {name}=... names no join of the mapping '{mapping.name}'",
                fix,
                code=Code.LS506,
            )
    for join in joins:
        if join.required and join.name not in given:
            raise InputError(
                mapping.path,
                f"the join '{join.name}' is required, but no file was given for it",
                f"Pass --join {join.name}=PATH with the export whose "
                f"'{join.key.file}' column names the leads",
                code=Code.LS506,
            )
    return [(join, given.get(join.name)) for join in joins]


def leads_key(export: Export, join: Join, mapping: Mapping) -> str:
    """The leads export's key column for `join`; an InputError names it when it is missing."""
    present = {c.strip(): c for c in export.columns}
    column = present.get(join.key.leads.strip())
    if column is None:
        raise InputError(
            export.name,
            f"the join '{join.name}' needs the key column "
            f"'{join.key.leads}' (key.leads), which is not in the file"
            f"{did_you_mean(join.key.leads, present)} (the file's columns are: "
            f"{column_list(export.columns)})",
            f"Fix joins: {join.name}: key: leads: in {mapping.path}",
            code=Code.LS504,
        )
    return column


def read(
    con: Connection,
    index: int,
    join: Join,
    path: Source | None,
    mapping: Mapping,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Joined:
    """Scan the joined file once into its tables (see ROWS, KEYS, ONE); nothing without a file."""
    if path is None:
        return Joined(join, index, None)
    with open_export(con, path, encoding=encoding, delimiter=delimiter) as export:
        present = {c.strip(): c for c in export.columns}
        wanted = [(join.key.file, "key.file"), *([(join.first_by, "first_by")] if join.first_by else [])]
        absent = [
            f"'{column}' (for {label}){did_you_mean(column, present)}"
            for column, label in wanted
            if column.strip() not in present
        ]
        if absent:
            raise InputError(
                export.name,
                f"the join '{join.name}' of the mapping '{mapping.name}' "
                f"needs columns that are not in the file: {'; '.join(absent)} (the "
                f"file's columns are: {column_list(export.columns)})",
                f"Fix joins: {join.name}: in {mapping.path}, or give the right file "
                f"with --join {join.name}=PATH",
                code=Code.LS504,
            )
        prefix = f"{join.name}."
        named = [
            c for cols in mapping.file.leads.columns.values() for c in options(cols) if c.startswith(prefix)
        ]
        wanted_columns = dict.fromkeys(column[len(prefix) :].strip() for column in named)
        used = tuple((prefix + c, present[c]) for c in wanted_columns if c in present)
        first = sql.ident(present[join.first_by.strip()]) if join.first_by else "NULL"
        texts = [
            f"{sql.ident(present[join.key.file.strip()])} AS _key",
            f"{first} AS _first",
            *(f"{sql.ident(column)} AS {sql.ident(name)}" for name, column in used),
        ]
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {ROWS.format(index)} AS SELECT "
                f"row_number() OVER () AS _row, {', '.join(texts)} FROM {export.source}"
            )
        except ENGINE_ERRORS as exc:
            raise fail(export.path, exc, encoding) from None
        rows = findings.scalar(con, f"SELECT COUNT(*) FROM {ROWS.format(index)}")
        joined = Joined(
            join, index, path, tuple(c.strip() for c in export.columns), used, rows, export.footer
        )
    _reduce(con, joined, mapping)
    return joined


def _reduce(con: Connection, joined: Joined, mapping: Mapping) -> None:
    """Every key a row names (KEYS), and the first row for each key (ONE)."""
    rows, keys, one = ROWS.format(joined.index), KEYS.format(joined.index), ONE.format(joined.index)
    separator = joined.join.key.separator
    if separator is None:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {keys} AS SELECT _row, NULLIF(TRIM(_key), '') AS _key "
            f"FROM {rows} WHERE NULLIF(TRIM(_key), '') IS NOT NULL"
        )
    else:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {keys} AS SELECT DISTINCT _row, NULLIF(TRIM(_part), '') AS _key "
            f"FROM (SELECT _row, unnest(string_split(_key, {sql.lit(separator)})) AS _part FROM {rows}) "
            "WHERE NULLIF(TRIM(_part), '') IS NOT NULL"
        )
    # NOTE: the earliest by first_by read as a time (the mapping's formats), else as a number,
    # else as text; then by the row's content, so equal candidates always give the same row.
    order = []
    if joined.join.first_by:
        first = "NULLIF(TRIM(r._first), '')"
        stamps = mapping.file.timestamps
        order += [
            sql.timestamp(first, stamps.formats, stamps.time_zone),
            f"TRY_CAST({first} AS DOUBLE)",
            first,
        ]
    order += [f"r.{sql.ident(name)}" for name, _ in sorted(joined.used)] + ["r._key"]
    columns = "".join(f"r.{sql.ident(name)}, " for name, _ in joined.used)
    key, count = sql.ident(joined.key), sql.ident(joined.count)
    # NOTE: the portable form of QUALIFY, which PostgreSQL and Spark lack: a subquery.
    picked = "".join(f"{c}, " for c in [key, *(sql.ident(name) for name, _ in joined.used)])
    # NOTE: most keys name one row; only the others are sorted, which takes a third of the time.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {one} AS
        WITH counted AS (SELECT _key, COUNT(*) AS n, MIN(_row) AS _row FROM {keys} GROUP BY _key)
        SELECT c._key AS {key}, {columns}c.n AS {count}
        FROM counted AS c JOIN {rows} AS r ON r._row = c._row WHERE c.n = 1
        UNION ALL
        SELECT {picked}{count} FROM (
            SELECT k._key AS {key}, {columns}c.n AS {count},
                   row_number() OVER (PARTITION BY k._key
                                      ORDER BY {", ".join(f"{o} NULLS LAST" for o in order)}) AS _first
            FROM counted AS c JOIN {keys} AS k ON k._key = c._key JOIN {rows} AS r ON r._row = k._row
            WHERE c.n > 1) AS several
        WHERE _first = 1""")


def joined_export(export: Export, joined: list[Joined], keys: dict[str, str]) -> Export:
    """The leads export LEFT JOINed with each joined file's one row per key, as one FROM item.

    Its columns are the export's and `<join>.<column>` for every column of each joined
    file (the scan reads only those the mapping uses), so `leads.plan` finds both.
    """
    read = [j for j in joined if j.path is not None]
    if not read:
        return export
    names = [name for j in read for name, _ in j.used] + [c for j in read for c in (j.key, j.count)]
    clash = [c for c in export.columns if c in names]
    # NOTE: the columns named one by one, as every engine reads them (not DuckDB's EXCLUDE).
    select = [f"l.{sql.ident(c)}" for c in export.columns if c not in clash]
    joins = []
    for j in read:
        alias = f"j{j.index}"
        select += [f"{alias}.{sql.ident(name)}" for name, _ in j.used]
        select += [f"{alias}.{sql.ident(j.key)}", f"{alias}.{sql.ident(j.count)}"]
        joins.append(
            f"LEFT JOIN {ONE.format(j.index)} AS {alias} ON {alias}.{sql.ident(j.key)} = "
            f"NULLIF(TRIM(l.{sql.ident(keys[j.name])}), '')"
        )
    columns = (
        *(c for c in export.columns if c not in clash),
        *(f"{j.name}.{c}" for j in read for c in j.columns),
    )
    return Export(
        export.path, columns, f"(SELECT {', '.join(select)} FROM {export.source} AS l {' '.join(joins)})"
    )


def files(joined: list[Joined]) -> dict[str, str | None]:
    """Join name -> its file's name, or None when no file was given (for `leads.plan`)."""
    return {j.name: j.file for j in joined}


def carried(joined: list[Joined]) -> list[str]:
    """The columns the leads scan keeps for the join findings; `leads.finish` drops them."""
    return [c for j in joined if j.path is not None for c in (j.key, j.count)]


@contextmanager
def leads_first(con: Connection, joined: list[Joined]) -> Iterator[None]:
    """Keep the leads file's order through the join while the block runs.

    DuckDB builds its hash table on the smaller side of a join, and a LEFT JOIN whose
    joined table is larger than the leads export becomes a RIGHT JOIN that no longer
    yields the leads in the file's order. Switching that choice off keeps the leads as
    the side that streams through, in order.
    """
    if not isinstance(con, duckdb.DuckDBPyConnection):  # another engine keeps no file order
        yield
        return
    optimizers = {row[0] for row in con.execute("SELECT name FROM duckdb_optimizers()").fetchall()}
    if not any(j.path is not None for j in joined) or ORDER_OPTIMIZER not in optimizers:
        yield
        return
    before = str(findings.scalar(con, "SELECT current_setting('disabled_optimizers')") or "")
    disabled = ",".join(filter(None, [before, ORDER_OPTIMIZER]))
    con.execute(f"SET disabled_optimizers = {sql.lit(disabled)}")
    try:
        yield
    finally:
        con.execute(f"SET disabled_optimizers = {sql.lit(before)}")


def join_findings(
    con: Connection,
    spec: Spec,
    mapping: Mapping,
    joined: list[Joined],
    layout: Layout,
    keys: dict[str, str],
    leads_file: str,
) -> list[DataFinding]:
    """Missing files, rows that match no lead, leads that several rows match; from `leads` and
    the join's tables, before `leads.finish` drops the carried columns."""
    personal = {f.id for f in spec.fields if f.pii}
    pii = {c for name, cols in layout.feeds.items() if name in personal for c in cols}
    found: list[DataFinding] = []
    for j in joined:
        if j.path is None:
            found += _no_file(con, mapping, j, layout, leads_file)
            continue
        private = keys[j.name] in pii or f"{j.name}.{j.join.key.file.strip()}" in pii
        found += _several(con, j, private, keys[j.name])
        found += _unmatched(con, j, private, leads_file, keys[j.name])
    return found


def drop(con: Connection, joins: int) -> None:
    """Remove the tables of the first `joins` joins, also after an error half-way."""
    for index in range(joins):
        for table in (ONE, KEYS, ROWS):
            con.execute(f"DROP TABLE IF EXISTS {table.format(index)}")


def _no_file(
    con: Connection, mapping: Mapping, j: Joined, layout: Layout, leads_file: str
) -> list[DataFinding]:
    prefix = f"{j.name}."
    fields = [
        name
        for name, cols in mapping.file.leads.columns.items()
        if any(c.startswith(prefix) for c in options(cols))
    ]
    empty = [name for name in fields if name not in layout.feeds]
    fallback = [name for name in fields if name in layout.feeds]
    parts = []
    if empty:
        parts.append(f"{', '.join(empty)} {'stays' if len(empty) == 1 else 'stay'} empty")
    if fallback:
        parts.append(
            f"{', '.join(fallback)} {'is' if len(fallback) == 1 else 'are'} read from "
            f"{leads_file}'s own columns only"
        )
    leads = findings.scalar(con, f"SELECT COUNT(*) FROM leads WHERE {sql.ident('lead_id')} IS NOT NULL")
    return [
        findings.finding(
            "missing_join_file",
            "",
            leads,
            f"no file was given for the join '{j.name}': {'; '.join(parts)}; pass "
            f"--join {j.name}=PATH with the export whose '{j.join.key.file}' column "
            "names the leads",
        )
    ]


def _several(con: Connection, j: Joined, private: bool, key: str) -> list[DataFinding]:
    leads, keys = con.execute(f"""
        WITH several AS (SELECT {sql.ident(j.key)} AS k, {sql.ident(j.count)} AS n FROM leads
                         WHERE {sql.ident("lead_id")} IS NOT NULL AND {sql.ident(j.count)} > 1)
        SELECT (SELECT COUNT(*) FROM several),
               (SELECT list(k ORDER BY n DESC, k)[1:3] FROM (SELECT DISTINCT k, n FROM several))
        """).fetchone() or (0, [])
    if not leads:
        return []
    rule = (
        f"the earliest by {j.join.first_by} is used"
        if j.join.first_by
        else "the first by the rows' content is used; set first_by to choose by a date"
    )
    examples = () if private else tuple(keys or ())
    verb = "matches" if leads == 1 else "match"
    return [
        findings.finding(
            "several_join_rows",
            j.join.key.file,
            leads,
            f"{plural(leads, 'lead')} {verb} more than one row of {j.file} (rows whose "
            f"{j.join.key.file} holds the lead's {key}): {rule}",
            examples,
        )
    ]


def _unmatched(con: Connection, j: Joined, private: bool, leads_file: str, key: str) -> list[DataFinding]:
    rows, keys = ROWS.format(j.index), KEYS.format(j.index)
    matched = sql.ident(j.key)
    lost, blank, examples = con.execute(f"""
        WITH lost AS (
            SELECT _row FROM {rows} WHERE _row NOT IN (
                SELECT k._row FROM {keys} AS k
                JOIN (SELECT DISTINCT {matched} AS _key FROM leads
                      WHERE {sql.ident("lead_id")} IS NOT NULL AND {matched} IS NOT NULL) AS m
                  ON m._key = k._key))
        SELECT (SELECT COUNT(*) FROM lost),
               (SELECT COUNT(*) FROM lost WHERE _row NOT IN (SELECT _row FROM {keys})),
               (SELECT list(_key ORDER BY n DESC, _key)[1:3] FROM
                  (SELECT _key, COUNT(*) AS n FROM {keys} WHERE _row IN (SELECT _row FROM lost)
                   GROUP BY _key))""").fetchone() or (0, 0, [])
    if not lost:
        return []
    blanks = f" ({blank} with no {j.join.key.file})" if blank else ""
    verb, them = ("matches", "it is") if lost == 1 else ("match", "they are")
    return [
        findings.finding(
            "unmatched_join_rows",
            j.join.key.file,
            lost,
            f"{plural(lost, 'row')} of {j.file}{blanks} {verb} no lead's {key} in "
            f"{leads_file}; {them} not read: check that both exports come from the same "
            "CRM and period",
            () if private else tuple(examples or ()),
        )
    ]
