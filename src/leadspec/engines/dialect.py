"""leadspec's SQL, written in DuckDB's dialect, rewritten for another engine from a vetted list.

Each statement is parsed with sqlglot and walked: every construct must be on the
target's list, either as sqlglot writes it correctly for that engine or through a
rewrite here, where sqlglot's own output is wrong or missing (TRY_CAST, strptime
formats, list_position, arg_min, ends_with, ROUND of a double, QUALIFY, a table that
must stay temporary). A construct on neither list stops the run with its name
(`UnvettedSQL`), so nothing reaches an engine that was not checked to mean there
what it means in DuckDB. Semantics DuckDB has by default are written out: NULLs sort
last, text sorts by code point.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlglot
from sqlglot import exp

from . import QueryError, times


class UnvettedSQL(QueryError):
    """A construct leadspec has not checked on the target engine: the engine is not asked."""


# The node types every target receives as sqlglot writes them: plain SQL.
COMMON: frozenset[type[exp.Expr]] = frozenset(
    {
        exp.Select,
        exp.From,
        exp.Where,
        exp.Group,
        exp.Having,
        exp.Order,
        exp.Ordered,
        exp.Limit,
        exp.Join,
        exp.Subquery,
        exp.Union,
        exp.With,
        exp.CTE,
        exp.Table,
        exp.TableAlias,
        exp.Alias,
        exp.Column,
        exp.Identifier,
        exp.Star,
        exp.Literal,
        exp.Null,
        exp.Boolean,
        exp.Paren,
        exp.Tuple,
        exp.Values,
        exp.Distinct,
        exp.And,
        exp.Or,
        exp.Not,
        exp.EQ,
        exp.NEQ,
        exp.GT,
        exp.GTE,
        exp.LT,
        exp.LTE,
        exp.Is,
        exp.In,
        exp.Between,
        exp.Like,
        exp.ILike,
        exp.NullSafeEQ,
        exp.NullSafeNEQ,
        exp.Add,
        exp.Sub,
        exp.Mul,
        exp.Div,
        exp.Mod,
        exp.Neg,
        exp.DPipe,
        exp.Case,
        exp.If,
        exp.Cast,
        exp.DataType,
        exp.DataTypeParam,
        exp.Var,
        exp.Coalesce,
        exp.Nullif,
        exp.Greatest,
        exp.Least,
        exp.Abs,
        exp.Ceil,
        exp.Floor,
        exp.Lower,
        exp.Upper,
        exp.Trim,
        exp.Length,
        exp.Left,
        exp.Concat,
        exp.Chr,
        exp.Pow,
        exp.Count,
        exp.Sum,
        exp.Min,
        exp.Max,
        exp.Avg,
        exp.Filter,
        exp.ArrayAgg,
        exp.Window,
        exp.WindowSpec,
        exp.RowNumber,
        exp.Lag,
        exp.Lead,
        exp.RegexpLike,
        exp.StartsWith,
        exp.Substring,
        exp.Array,
        exp.Bracket,
        exp.Slice,
        exp.Interval,
        exp.AtTimeZone,
        exp.TimestampFromParts,
        exp.DateDiff,
        exp.Unnest,
        exp.Create,
        exp.Schema,
        exp.ColumnDef,
        exp.Properties,
        exp.TemporaryProperty,
        exp.Insert,
        exp.Drop,
        exp.Delete,
        exp.Update,
        exp.Alter,
        exp.AlterColumn,
        exp.TimeToStr,
    }
)
TIME_FORMATS = {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y-%m"}  # strftime's, checked: sqlglot writes them right
DATEDIFF_UNITS = {"SECOND"}  # checked: DuckDB counts boundaries crossed; so does the rewrite

Rewrite = Callable[[exp.Expr], exp.Expr]
WAREHOUSES = ("snowflake", "bigquery")  # written as scripts by warehouse_sql.py: no server to reach


def translate(sql: str, target: str) -> list[str]:
    """The statements `sql` (DuckDB's dialect) becomes on `target`, each table it creates temporary."""
    if target in WAREHOUSES:
        return [render(tree, target) for tree in sqlglot.parse(sql, read="duckdb") if tree is not None]
    return [
        render(statement, target)
        for tree in sqlglot.parse(sql, read="duckdb")
        if tree is not None
        for statement in _statements(tree)
    ]


def render(tree: exp.Expr, target: str) -> str:
    """One statement, parsed from DuckDB's dialect, written for `target`: rewritten, then vetted."""
    if target in WAREHOUSES:
        # NOTE: imported here, as warehouse_sql builds on this module's helpers.
        from .warehouse_sql import render_warehouse

        return render_warehouse(tree, target)
    rewrite, allowed, anonymous = _TARGETS[target]
    rewritten = _named_subqueries(_bottom_up(tree.copy(), rewrite))
    _vet(rewritten, allowed, anonymous, target)
    return rewritten.sql(dialect=target, copy=False)


def _bottom_up(tree: exp.Expr, rewrite: Rewrite) -> exp.Expr:
    """`rewrite` applied to every node after its children, so nested rewrites compose."""
    for node in reversed(list(tree.walk(bfs=False))):
        new = rewrite(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree


def _vet(tree: exp.Expr, allowed: frozenset[type[exp.Expr]], anonymous: frozenset[str], target: str) -> None:
    for node in tree.walk():
        if isinstance(node, exp.Anonymous):
            if node.name.lower() not in anonymous:
                raise UnvettedSQL(f"function {node.name}() is not vetted for {target}")
        elif type(node) not in allowed:
            raise UnvettedSQL(f"{type(node).__name__} ({_clip(node)}) is not vetted for {target}")
        if isinstance(node, exp.Select):
            _vet_having(node, target)
        if isinstance(node, exp.TimeToStr) and node.text("format") not in TIME_FORMATS:
            raise UnvettedSQL(f"strftime with {node.text('format')!r} is not vetted for {target}")
        if isinstance(node, exp.DateDiff) and node.unit and node.text("unit").upper() not in DATEDIFF_UNITS:
            raise UnvettedSQL(f"date_diff by {node.text('unit')} is not vetted for {target}")


def _vet_having(select: exp.Select, target: str) -> None:
    """DuckDB lets HAVING name an output column; PostgreSQL and Spark do not."""
    having = select.args.get("having")
    if having is None:
        return
    names = {e.alias for e in select.expressions if isinstance(e, exp.Alias)}
    for column in having.find_all(exp.Column):
        if not column.table and column.name in names:
            raise UnvettedSQL(f"HAVING names the output column {column.name}, which {target} cannot see")


def _clip(node: exp.Expr) -> str:
    text = node.sql("duckdb")
    return text if len(text) < 60 else text[:57] + "..."


def _statements(tree: exp.Expr) -> list[exp.Expr]:
    """One statement as the target needs it: a CREATE OR REPLACE becomes DROP and CREATE,
    and every table or view leadspec creates is temporary, so nothing stays behind."""
    if not isinstance(tree, exp.Create):
        return [tree]
    kind = tree.args.get("kind", "").upper()
    created = tree.copy()
    created.set("replace", False)
    properties = created.args.get("properties") or exp.Properties(expressions=[])
    if not any(isinstance(p, exp.TemporaryProperty) for p in properties.expressions):
        properties.append("expressions", exp.TemporaryProperty())
    created.set("properties", properties)
    if tree.args.get("replace"):
        name = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        dropped = exp.Drop(tables=[name.copy()], kind=kind, exists=True)
        return [dropped, created]
    return [created]


# --- PostgreSQL ---------------------------------------------------------------------

_PG_ANONYMOUS = frozenset(
    {
        "regexp_match",
        "regexp_replace",
        "array_position",
        "make_timestamp",
        "right",
        "string_to_array",
        "trunc",
    }
)


def _pg_time(value: exp.Expr, fmt: str) -> exp.Expr:
    """try_strptime(value, fmt): a zero-padded value cut in pieces; any other matched once,
    in a subquery, and its groups read from the match."""
    regex, _ = times.pattern(fmt)
    match = exp.column("_m", table="_leadspec_match")
    body = times.parsed(
        fmt,
        lambda n: _element(match.copy(), n),
        match.copy().is_(exp.null()).not_(),
        _pg_make,
        _pg_shift,
    )
    matching = exp.Anonymous(this="regexp_match", expressions=[value.copy(), exp.Literal.string(regex)])
    # NOTE: OFFSET 0 keeps PostgreSQL from pulling the match up into every use of it.
    source = exp.select(exp.alias_(matching, "_m")).offset(0).subquery("_leadspec_match")
    # NOTE: a match that captures costs some 40 times a plain test: only a value of the
    # right shape is matched.
    shaped = exp.RegexpLike(this=value.copy(), expression=exp.Literal.string(regex))
    read = exp.Case()
    for written, time in times.padded_reads(fmt, value, _pg_make, _pg_shift):
        read = read.when(written, time, copy=False)
    matched = exp.select(body, copy=False).from_(source, copy=False).subquery(copy=False)
    read = read.when(shaped, matched, copy=False)
    read.meta[_TIME] = True
    return read


_TIME = "leadspec_time"  # meta: a node that reads a time, the costliest thing a row holds


def _pg_computed_once(select: exp.Select) -> exp.Select:
    """A derived table that reads times, fenced with OFFSET 0: PostgreSQL would otherwise
    pull it up into the query around it and read a time again at every use of its column."""
    derived = isinstance(select.parent, exp.Subquery) and not (
        select.args.get("limit") or select.args.get("offset")
    )
    if derived and any(node.meta.get(_TIME) for e in select.expressions for node in e.walk()):
        return select.offset(0)
    return select


def _element(array: exp.Expr, n: int) -> exp.Expr:
    """The n-th element (1-based, as in PostgreSQL and DuckDB) of an array."""
    # NOTE: offset 1 says the index is already 1-based; sqlglot would shift it otherwise.
    return exp.Bracket(this=array, expressions=[exp.Literal.number(n)], offset=1)


def _pg_make(parts: list[exp.Expr]) -> exp.Expr:
    return exp.Anonymous(this="make_timestamp", expressions=parts)


def _pg_shift(moment: exp.Expr, minutes: exp.Expr) -> exp.Expr:
    """A local time with its offset east of UTC, as a TIMESTAMPTZ (as DuckDB's %z gives)."""
    utc = exp.Paren(this=exp.AtTimeZone(this=moment, zone=exp.Literal.string("UTC")))
    interval = exp.Interval(this=exp.Literal.string("1 minute"))
    return exp.Paren(
        this=exp.Sub(this=utc, expression=exp.Paren(this=exp.Mul(this=minutes, expression=interval)))
    )


def _postgres(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Select):
        return _pg_computed_once(node)
    if isinstance(node, exp.Anonymous):
        return _pg_function(node)
    if isinstance(node, exp.TryCast):
        return _try_number(node.this, node.to, "postgres")
    if isinstance(node, exp.EndsWith):
        suffix = node.expression
        return exp.EQ(
            this=exp.Anonymous(this="right", expressions=[node.this, exp.Length(this=suffix.copy())]),
            expression=suffix,
        )
    if isinstance(node, exp.Round):
        return exp.Round(
            this=exp.cast(node.this, exp.DataType.build("DECIMAL")), decimals=node.args.get("decimals")
        )
    if isinstance(node, exp.ArgMin):
        return _first_by(node.this, node.expression, "postgres")
    if isinstance(node, exp.First):
        return _element(exp.paren(exp.ArrayAgg(this=node.this)), 1)
    if isinstance(node, exp.Ordered):
        return _ordered(node)
    if isinstance(node, exp.Bracket) and not isinstance(node.this, (exp.Paren, exp.Column)):
        bracketed = node.copy()
        bracketed.set("this", exp.paren(bracketed.this))
        return bracketed
    if isinstance(node, exp.GenerateSeries):
        return _timestamp_series(node)
    if isinstance(node, exp.RegexpReplace):
        # NOTE: sqlglot writes the 'g' flag twice ('gg') for PostgreSQL.
        parts = [node.this, _pattern(node.expression, "postgres"), node.args["replacement"]]
        return exp.Anonymous(this="regexp_replace", expressions=[*parts, exp.Literal.string("g")])
    if isinstance(node, exp.DayOfWeekIso):
        return exp.Extract(this=exp.var("ISODOW"), expression=node.this)
    if isinstance(node, exp.Trunc):
        return exp.Anonymous(this="trunc", expressions=[node.this])
    if isinstance(node, exp.Split):
        return exp.Anonymous(this="string_to_array", expressions=[node.this, node.expression])
    return node


def _pg_function(node: exp.Anonymous) -> exp.Expr:
    name = node.name.lower()
    args = node.expressions
    if name == "try_strptime" and isinstance(args[1], exp.Literal):
        return _pg_time(args[0], args[1].name)
    if name == "timezone":
        # NOTE: AT TIME ZONE binds tighter than + or -: the moment is bracketed whole.
        return exp.paren(exp.AtTimeZone(this=exp.paren(args[1]), zone=args[0]))
    if name == "list_position":
        return exp.Anonymous(this="array_position", expressions=args)
    return node


def _try_number(value: exp.Expr, to: exp.DataType, target: str) -> exp.Expr:
    """TRY_CAST of text to a number, where the engine has none: cast only what reads as one.

    The patterns are what DuckDB's casts accept: surrounding spaces, a sign, digits,
    and for a double a fraction and an exponent.
    """
    if to.this in exp.DataType.INTEGER_TYPES:
        shape = r"^\s*[+-]?\d{1,18}\s*$"
    elif to.this in (exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT, exp.DataType.Type.DECIMAL):
        shape = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"
    else:
        raise UnvettedSQL(f"TRY_CAST to {to.sql('duckdb')} is not vetted for {target}")
    text = exp.cast(value, exp.DataType.Type.TEXT)
    matches = exp.RegexpLike(this=text, expression=exp.Literal.string(shape))
    return exp.Case().when(matches, exp.cast(exp.Trim(this=text.copy()), to))


def _present(value: exp.Expr, key: exp.Expr) -> exp.Expr:
    """The rows DuckDB's arg_min(value, key) looks at: a value, and a key that is not NULL.

    A tuple key is never NULL, though a part of it may be; such a part sorts after
    every value, as in DuckDB's comparison of structs.
    """
    parts = [value] if isinstance(key, exp.Tuple) else [value, key]
    return exp.and_(*[exp.paren(p.copy()).is_(exp.null()).not_() for p in parts])


def _first_by(value: exp.Expr, key: exp.Expr, target: str) -> exp.Expr:
    """arg_min(value, key): the value of the row with the least key."""
    keys = key.expressions if isinstance(key, exp.Tuple) else [key]
    present = _present(value, key)
    order = exp.Order(expressions=[exp.Ordered(this=k.copy(), nulls_first=False) for k in keys])
    aggregated = exp.ArrayAgg(this=exp.Order(this=value, expressions=order.expressions))
    filtered = exp.Filter(this=aggregated, expression=exp.Where(this=present))
    return _element(exp.paren(filtered), 1)


# Escapes whose meaning differs between DuckDB's RE2 and PostgreSQL's regular expressions.
_RE2_ONLY = re.compile(r"\\[bBzAQEpP]|\(\?P?<")


def _pattern(pattern: exp.Expr, target: str) -> exp.Expr:
    """A regular expression that means the same to RE2 and to the target, else UnvettedSQL."""
    if not isinstance(pattern, exp.Literal) or _RE2_ONLY.search(pattern.name):
        raise UnvettedSQL(f"the regular expression {_clip(pattern)} is not vetted for {target}")
    return pattern


def _timestamp_series(node: exp.GenerateSeries) -> exp.Expr:
    """generate_series over a step of time yields TIMESTAMPs in DuckDB, also from DATEs."""
    series = node.copy()
    for bound in ("start", "end"):
        series.set(bound, exp.cast(series.args[bound], exp.DataType.Type.TIMESTAMP))
    return series


def _named_subqueries(tree: exp.Expr) -> exp.Expr:
    """Every subquery in FROM or JOIN gets a name, numbered in order: PostgreSQL requires one."""
    unnamed = (
        node
        for node in tree.walk(bfs=False)
        if isinstance(node, exp.Subquery) and not node.alias and isinstance(node.parent, (exp.From, exp.Join))
    )
    for number, node in enumerate(list(unnamed), start=1):
        node.set("alias", exp.TableAlias(this=exp.to_identifier(f"_leadspec_s{number}")))
    return tree


def _ordered(node: exp.Ordered) -> exp.Expr:
    """DuckDB sorts NULLs last in both directions, and text by code point."""
    if node.args.get("nulls_first") is None:
        node = node.copy()
        node.set("nulls_first", False)
    return node


# --- Apache Spark -------------------------------------------------------------------

_INSTANT = "leadspec_instant"  # marks a Spark time that DuckDB holds as a TIMESTAMPTZ
_SPARK_ANONYMOUS = frozenset(
    {
        "from_utc_timestamp",
        "array_position",
        "make_timestamp",
        "named_struct",
        "percentile",
        "regexp_extract",
        "regexp_replace",
        "slice",
        "timestampadd",
        "to_utc_timestamp",
        "transform",
        "try_element_at",
        "unix_seconds",
        "array_sort",
        "collect_list",
    }
)


def _fn(name: str, *args: exp.Expr) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _spark_shift(moment: exp.Expr, minutes: exp.Expr) -> exp.Expr:
    """A local time with its offset east of UTC, as the naive UTC time."""
    return _fn("timestampadd", exp.var("MINUTE"), exp.Neg(this=minutes), moment)


def _spark(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Window) and isinstance(node.this, exp.RowNumber) and not _ordered_window(node):
        # NOTE: a number for each row, in no order: Spark numbers rows only in an ordered window.
        return _fn("monotonically_increasing_id")
    if isinstance(node, exp.Anonymous):
        return _spark_function(node)
    if isinstance(node, exp.Select) and node.args.get("windows"):
        return _inline_windows(node)
    if isinstance(node, exp.TryCast):
        return _try_number(node.this, node.to, "spark")
    if isinstance(node, exp.ArgMin):
        return _min_by(node.this, node.expression)
    if isinstance(node, exp.Ordered):
        return _ordered(node)
    if isinstance(node, exp.Bracket):
        return _spark_element(node)
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        return _sorted_list(node.this)
    if isinstance(node, exp.First) and isinstance(node.this, exp.Order):
        return _fn("try_element_at", _sorted_list(node.this), exp.Literal.number(1))
    if isinstance(node, exp.PercentileCont):
        return _fn("percentile", node.this, node.expression)
    if isinstance(node, exp.DateDiff):
        if node.text("unit").upper() not in DATEDIFF_UNITS:
            raise UnvettedSQL(f"date_diff by {node.text('unit')} is not vetted for spark")
        # NOTE: unix_seconds truncates to the second, so the difference counts boundaries crossed.
        seconds = [
            _fn("unix_seconds", exp.cast(t, exp.DataType.Type.TIMESTAMPTZ))
            for t in (node.this, node.expression)
        ]
        return exp.paren(exp.Sub(this=seconds[0], expression=seconds[1]))
    if isinstance(node, exp.DayOfWeekIso):
        return exp.Extract(this=exp.var("DAYOFWEEK_ISO"), expression=node.this)
    if isinstance(node, exp.RegexpReplace):
        replacement = node.args["replacement"]
        if not isinstance(replacement, exp.Literal):
            raise UnvettedSQL(f"the replacement {_clip(replacement)} is not vetted for spark")
        java = _java_replacement(replacement.name)
        return _fn("regexp_replace", node.this, _pattern(node.expression, "spark"), exp.Literal.string(java))
    if isinstance(node, exp.Add) and _is_time_of_day(node.expression):
        return _day_and_time(node.this, node.expression)
    if isinstance(node, exp.Table) and isinstance(node.this, exp.GenerateSeries):
        return _spark_series(node)
    if isinstance(node, exp.Trunc):  # NOTE: Spark's trunc is for dates; x % 1 is x's fraction
        number = exp.paren(node.this)
        return exp.paren(
            exp.Sub(
                this=number,
                expression=exp.paren(exp.Mod(this=number.copy(), expression=exp.Literal.number(1))),
            )
        )
    return node


def _java_replacement(text: str) -> str:
    r"""RE2's replacement (\1 a group, \\ a backslash) as Java writes it ($1, \\, \$)."""

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return "$" + match.group(1)
        return "\\\\" if match.group(0) == "\\\\" else "\\$"

    return re.sub(r"\\(\d)|\\\\|\$", one, text)


def _inline_windows(select: exp.Select) -> exp.Select:
    """OVER (w ROWS ...) with w from the WINDOW clause, written out: Spark cannot add a frame
    to a named window."""
    named = {w.name: w for w in select.args["windows"]}
    inlined = select.copy()
    inlined.set("windows", None)
    for window in inlined.find_all(exp.Window):
        definition = named.get(window.text("alias"))
        if definition is not None and window.parent_select is inlined:
            window.set("alias", None)
            window.set("partition_by", [p.copy() for p in definition.args.get("partition_by") or []])
            order = definition.args.get("order")
            window.set("order", order.copy() if order else None)
    return inlined


def _ordered_window(window: exp.Window) -> bool:
    return bool(window.args.get("order") or window.args.get("partition_by"))


def _spark_function(node: exp.Anonymous) -> exp.Expr:
    name = node.name.lower()
    args = node.expressions
    if name == "try_strptime" and isinstance(args[1], exp.Literal):
        return _spark_time(args[0], args[1].name)
    if name == "timezone" and isinstance(args[0], exp.Literal):
        if args[0].name == "UTC":  # NOTE: every time is UTC on this session: from a zone to UTC is all
            instant = exp.paren(args[1])
            instant.meta[_INSTANT] = True
            return instant
        # NOTE: DuckDB's timezone(zone, t) reads a naive t as local in zone, and turns an
        # instant (a TIMESTAMPTZ, such as timezone('UTC', t) gives) into local time there.
        towards = "from_utc_timestamp" if args[1].meta.get(_INSTANT) else "to_utc_timestamp"
        return exp.cast(_fn(towards, args[1], args[0]), exp.DataType.Type.TIMESTAMPNTZ)
    if name == "list_position":
        # NOTE: Spark's array_position says 0 where DuckDB's list_position says NULL.
        return exp.Nullif(this=_fn("array_position", *args), expression=exp.Literal.number(0))
    return node


def _spark_time(value: exp.Expr, fmt: str) -> exp.Expr:
    """try_strptime(value, fmt): the value matched once per group.

    The zero-padded reads PostgreSQL takes are not used here: a CASE of them per format
    ran local Spark's driver out of memory while planning the HubSpot sample's five."""
    regex = exp.Literal.string(times.pattern(fmt)[0])
    return times.parsed(
        fmt,
        lambda n: _fn("regexp_extract", value.copy(), regex.copy(), exp.Literal.number(n)),
        exp.RegexpLike(this=value.copy(), expression=regex.copy()),
        lambda parts: _fn("make_timestamp", *parts),
        _spark_shift,
    )


def _min_by(value: exp.Expr, key: exp.Expr) -> exp.Expr:
    """arg_min(value, key): the value of the row with the least key."""
    present = _present(value, key)
    if isinstance(key, exp.Tuple):
        # NOTE: Spark sorts a NULL part of a struct first, DuckDB last: each part is led by
        # whether it is NULL.
        by = _struct([p for k in key.expressions for p in (exp.paren(k.copy()).is_(exp.null()), k)])
    else:
        by = key
    return exp.Filter(this=_fn("min_by", value, by), expression=exp.Where(this=present))


def _struct(values: list[exp.Expr], last: exp.Expr | None = None) -> exp.Expr:
    parts: list[exp.Expr] = []
    for n, value in enumerate(values):
        parts += [exp.Literal.string(f"k{n}"), value.copy()]
    if last is not None:
        parts += [exp.Literal.string("v"), last.copy()]
    return _fn("named_struct", *parts)


def _sorted_list(order: exp.Order) -> exp.Expr:
    """list(v ORDER BY k...) : collect (k..., v) pairs, sort them by the keys as DuckDB orders
    (each key's direction, NULLs last), keep the values. NULL values stay, as in DuckDB."""
    keys = [o.this for o in order.expressions]
    pairs = _fn("collect_list", _struct(keys, order.this))
    left, right = exp.to_identifier("l"), exp.to_identifier("r")
    compare: exp.Expr = exp.Literal.number(0)
    for n, ordered in reversed(list(enumerate(order.expressions))):
        a, b = exp.column(f"k{n}", table="l"), exp.column(f"k{n}", table="r")
        sign = -1 if ordered.args.get("desc") else 1
        nulls_first = bool(ordered.args.get("nulls_first"))
        compare = (
            exp.Case()
            .when(exp.and_(a.is_(exp.null()), b.is_(exp.null())), compare)
            .when(a.copy().is_(exp.null()), exp.Literal.number(-1 if nulls_first else 1))
            .when(b.copy().is_(exp.null()), exp.Literal.number(1 if nulls_first else -1))
            .when(exp.LT(this=a.copy(), expression=b.copy()), exp.Literal.number(-sign))
            .when(exp.GT(this=a.copy(), expression=b.copy()), exp.Literal.number(sign))
            .else_(compare.copy())
        )
    comparator = exp.Lambda(this=compare, expressions=[left, right])
    pick = exp.Lambda(this=exp.column("v", table="p"), expressions=[exp.to_identifier("p")])
    return _fn("transform", _fn("array_sort", pairs, comparator), pick)


def _spark_element(node: exp.Bracket) -> exp.Expr:
    """DuckDB's list[n] (NULL past the end) and list[a:b] (1-based, both ends kept)."""
    (index,) = node.expressions
    if isinstance(index, exp.Slice):
        start, end = index.this, index.expression
        length = exp.Add(
            this=exp.paren(exp.Sub(this=end, expression=start.copy())), expression=exp.Literal.number(1)
        )
        return _fn("slice", node.this, start, length)
    if node.args.get("offset") != 1:  # NOTE: sqlglot keeps DuckDB's index 0-based; Spark's is 1-based
        index = (
            exp.Literal.number(int(index.name) + 1)
            if index.is_int
            else exp.Add(this=index, expression=exp.Literal.number(1))
        )
    return _fn("try_element_at", node.this, index)


def _is_time_of_day(node: exp.Expr) -> bool:
    return (
        isinstance(node, exp.Cast)
        and node.to.this == exp.DataType.Type.TIME
        and isinstance(node.this, exp.Literal)
    )


def _day_and_time(day: exp.Expr, time_of_day: exp.Cast) -> exp.Expr:
    """DATE + TIME '09:00:00' is a TIMESTAMP in DuckDB; Spark has no TIME to add."""
    hours, minutes, seconds = (int(part) for part in (time_of_day.this.name.split(":") + ["0", "0"])[:3])
    offset = exp.Literal.number(hours * 3600 + minutes * 60 + seconds)
    return _fn("timestampadd", exp.var("SECOND"), offset, exp.cast(day, exp.DataType.Type.TIMESTAMPNTZ))


def _spark_series(table: exp.Table) -> exp.Expr:
    """generate_series(a, b, step) AS g(d) in FROM: one row per moment, from a subquery that
    explodes a sequence; LATERAL when it follows another table, whose columns it may read."""
    series: exp.GenerateSeries = table.this
    bounds = [exp.cast(series.args[b], exp.DataType.Type.TIMESTAMPNTZ) for b in ("start", "end")]
    alias = table.args["alias"]
    (column,) = alias.args.get("columns") or [exp.to_identifier("generate_series")]
    exploded = exp.Explode(this=exp.Anonymous(this="sequence", expressions=[*bounds, series.args["step"]]))
    select = exp.select(exp.alias_(exploded, column.name)).subquery(alias.name)
    if isinstance(table.parent, exp.Join):
        return exp.Lateral(this=select)
    return select


_TARGETS: dict[str, tuple[Rewrite, frozenset[type[exp.Expr]], frozenset[str]]] = {
    "postgres": (
        _postgres,
        COMMON
        | {
            exp.Order,
            exp.Offset,
            exp.Explode,
            exp.GenerateSeries,
            exp.Extract,
            exp.Round,
            exp.PercentileCont,
        },
        _PG_ANONYMOUS,
    ),
    "spark": (
        _spark,
        (COMMON - {exp.AtTimeZone})
        | {
            exp.Order,
            exp.Explode,
            exp.Extract,
            exp.Round,
            exp.Filter,
            exp.Lambda,
            exp.Lateral,
            exp.EndsWith,
            exp.Split,
        },
        _SPARK_ANONYMOUS | {"sequence", "min_by", "monotonically_increasing_id"},
    ),
}
