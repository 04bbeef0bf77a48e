"""SQL expressions that turn an export's text into canonical, typed values.

Everything is parsed inside DuckDB so an export is never loaded into Python. Names
and values from the export or the mapping are always quoted (`ident`, `lit`), as
column names such as `Country/Region` or `O'Brien's "score"` must stay data.
Times are read with each format in turn and converted to naive UTC: a value with an
offset (`%z`) keeps it, so does one written with a literal `Z` (UTC), and a value
without either is read in the mapping's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

TRUE = ("true", "t", "yes", "y", "1")
FALSE = ("false", "f", "no", "n", "0")


def lit(value: str) -> str:
    return exp.Literal.string(value).sql("duckdb")


def ident(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def text(column: str, *, trim: bool = True) -> str:
    """The column's value with surrounding spaces removed; blank is NULL.

    Columns that are only ever parsed (times, numbers) need no trimming: DuckDB's
    parsers skip surrounding spaces, and trimming millions of values is not free.
    """
    name = ident(column)
    if not trim:
        return f"NULLIF({name}, '')"
    # NOTE: TRIM copies every value it is given; most values have no spaces to trim.
    return (
        f"NULLIF(CASE WHEN starts_with({name}, ' ') OR ends_with({name}, ' ') "
        f"THEN TRIM({name}) ELSE {name} END, '')"
    )


def folded(expression: str) -> str:
    """The value for matching ignoring case; values are already trimmed once, by `text`."""
    return f"LOWER({expression})"


def in_list(expression: str, values: Sequence[str]) -> str:
    """True where the value is one of `values` (FALSE, not NULL, for a NULL value)."""
    if not values:
        return "FALSE"
    # NOTE: not `IN (...)`: DuckDB turns a list of five or more into a join, which loses the
    # rows' order when the single scan of a file computes it.
    return f"(list_position([{', '.join(lit(v) for v in values)}], {expression}) IS NOT NULL)"


def translate(expression: str, mapping: dict[str, str | None]) -> str:
    """CRM value -> canonical value, matched ignoring case; unlisted values give NULL."""
    if not mapping:
        return "CAST(NULL AS VARCHAR)"
    cases = " ".join(
        f"WHEN {lit(raw)} THEN {'NULL' if target is None else lit(target)}"
        for raw, target in sorted(mapping.items())
    )
    return f"CASE {folded(expression)} {cases} END"


def unlisted(expression: str, mapping: dict[str, str | None], translated: str) -> str:
    """True where the value is present but the map does not list it.

    `translated` is the value's translation: the list is searched only where that is NULL,
    which for most values it is not.
    """
    known = in_list(folded(expression), sorted(mapping))
    return f"({expression} IS NOT NULL AND {translated} IS NULL AND NOT ({known}))"


def timestamp(expression: str, formats: Sequence[str], zone: str, end_of_day: bool = False) -> str:
    """The first format that reads the value, as a naive UTC TIMESTAMP.

    With `end_of_day`, a format without a time of day reads the day's last second.
    """
    parts = []
    for fmt in formats:
        parsed = f"try_strptime({expression}, {lit(fmt)})"
        if end_of_day and not any(part in fmt for part in ("%H", "%I", "%M", "%S", "%T")):
            parsed = f"({parsed} + INTERVAL 86399 SECOND)"
        if "%z" in fmt or "%Z" in fmt:
            parts.append(f"timezone('UTC', {parsed})")
        elif zone == "UTC" or _zulu(fmt):
            parts.append(parsed)
        else:
            parts.append(f"timezone('UTC', timezone({lit(zone)}, {parsed}))")
    return _unless_empty(expression, f"COALESCE({', '.join(parts)})")


def _unless_empty(expression: str, parsed: str) -> str:
    # NOTE: most time columns are mostly empty; without the CASE every format is tried on
    # every empty value too.
    return f"CASE WHEN {expression} IS NOT NULL THEN {parsed} END"


def _zulu(fmt: str) -> bool:
    """A format ending in a literal Z (as APIs write UTC) reads UTC, whatever the mapping's zone."""
    return fmt.endswith("Z") and not fmt.endswith("%Z")


def date(expression: str, formats: Sequence[str]) -> str:
    """A calendar date as written: no time-zone shift unless the value carries an offset."""
    parts = [
        f"CAST(timezone('UTC', try_strptime({expression}, {lit(f)})) AS DATE)"
        if "%z" in f or "%Z" in f
        else f"CAST(try_strptime({expression}, {lit(f)}) AS DATE)"
        for f in formats
    ]
    return _unless_empty(expression, f"COALESCE({', '.join(parts)})")


def typed(kind: str, expression: str, formats: Sequence[str], zone: str, end_of_day: bool = False) -> str:
    """Text as a value of the data dictionary's type; NULL when it cannot be read."""
    if kind == "timestamp":
        return timestamp(expression, formats, zone, end_of_day)
    if kind == "date":
        return date(expression, formats)
    if kind == "integer":
        number = f"TRY_CAST({expression} AS DOUBLE)"
        # NOTE: a plain CAST once the double is known whole and in range: every engine agrees.
        fits = f"{number} >= -9223372036854775808 AND {number} < 9223372036854775807"
        whole = f"CASE WHEN {number} = TRUNC({number}) AND {fits} THEN CAST({number} AS BIGINT) END"
        return f"COALESCE(TRY_CAST({expression} AS BIGINT), {whole})"
    if kind == "number":
        return f"TRY_CAST({expression} AS DOUBLE)"
    if kind == "boolean":
        value = folded(expression)
        return f"CASE WHEN {in_list(value, TRUE)} THEN TRUE WHEN {in_list(value, FALSE)} THEN FALSE END"
    return expression


def queued(expression: str, prefixes: Sequence[str]) -> str:
    """SQL: whether an owner id names a queue, by the queue ids' prefixes."""
    return " OR ".join(f"starts_with({expression}, {lit(prefix)})" for prefix in prefixes)


def unless_queue(expression: str, prefixes: Sequence[str]) -> str:
    """The owner id, or NULL when it names a queue: a queue is nobody's named ownership."""
    return f"CASE WHEN {queued(expression, prefixes)} THEN NULL ELSE {expression} END"


def constant(kind: str, value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if kind in ("integer", "number"):
        return repr(value)
    return lit(str(value))
