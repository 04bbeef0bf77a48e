"""A time written with a strftime format, read in plain SQL that every engine runs alike.

DuckDB reads a mapping's formats with `try_strptime`; PostgreSQL and Spark have no
such function, and their own parsers read formats another way (PostgreSQL's
`to_timestamp` accepts impossible dates, Spark's patterns are Java's). So for them a
format becomes a regular expression, the parts it captures become numbers, the
numbers are checked (a 30 February is no date) and assembled with `make_timestamp`.
The rules are DuckDB's, as `tests/engines` holds value by value: surrounding spaces
are ignored, a space in the format matches any run of spaces, %m %d %H %I %M %S
take one or two digits, %y 00-68 is 20xx and 69-99 19xx, %p is either case, %f takes
up to six digits and %g three, %z takes +HH, +HHMM and +HH:MM (any two digits of hours).

Capturing groups is the costly part on PostgreSQL (some 150 µs a value, against a few
for a plain match), and exports write times zero-padded. So a value first meets the
format's zero-padded spellings (`padded`), whose parts sit at fixed places and are
cut out with SUBSTRING; only a value none of them fits is matched with groups.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

Group = Callable[[int], exp.Expr]  # the text of one captured group

_PARTS = {
    "%Y": ("year", r"(\d{4})"),
    "%y": ("year2", r"(\d{2})"),
    "%m": ("month", r"(\d{1,2})"),
    "%d": ("day", r"(\d{1,2})"),
    "%H": ("hour", r"(\d{1,2})"),
    "%I": ("hour12", r"(\d{1,2})"),
    "%M": ("minute", r"(\d{1,2})"),
    "%S": ("second", r"(\d{1,2})"),
    "%f": ("fraction", r"(\d{1,6})"),
    "%g": ("fraction", r"(\d{1,3})"),
    "%p": ("ampm", r"([AaPp][Mm])"),
    "%z": ("offset", r"([+-])(\d{2}):?(\d{2})?"),
}
# The zero-padded spellings of each part: a regular expression, its width, and where
# each group the part captures sits in it (offset from the part's start, length).
_PADDED = {
    "%Y": [("[0-9]{4}", 4, [(0, 4)])],
    "%y": [("[0-9]{2}", 2, [(0, 2)])],
    "%f": [("[0-9]{3}", 3, [(0, 3)]), ("[0-9]{6}", 6, [(0, 6)])],
    "%g": [("[0-9]{3}", 3, [(0, 3)])],
    "%p": [("[AaPp][Mm]", 2, [(0, 2)])],
    "%z": [
        ("[+-][0-9]{2}:[0-9]{2}", 6, [(0, 1), (1, 2), (4, 2)]),
        ("[+-][0-9]{4}", 5, [(0, 1), (1, 2), (3, 2)]),
    ],
}
_TWO_DIGITS = [("[0-9]{2}", 2, [(0, 2)])]
_TOKEN = re.compile(r"%[A-Za-z%]|\s+|.", re.S)


class UnsupportedFormat(ValueError):
    """A format with a directive this reader does not know (such as %j or %a)."""


def pattern(fmt: str) -> tuple[str, list[str]]:
    """The anchored regular expression of `fmt` and the part each group captures."""
    regex, parts = [r"^\s*"], []
    for token in _TOKEN.findall(fmt.replace("%T", "%H:%M:%S")):
        if token in _PARTS:
            name, group = _PARTS[token]
            regex.append(group)
            parts += ["sign", "offset_hours", "offset_minutes"] if name == "offset" else [name]
        elif token == "%%":
            regex.append("%")
        elif token.startswith("%"):
            raise UnsupportedFormat(f"the format directive {token} is not supported on this engine")
        elif token.isspace():
            regex.append(r"\s+")
        else:
            regex.append(re.escape(token))
    regex.append(r"\s*$")
    return "".join(regex), parts


def padded(fmt: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each zero-padded spelling of `fmt`: its anchored regular expression, and where each
    group of `pattern(fmt)` sits in a value it matches (1-based start, length).

    %m %d %H %I %M %S take two digits, %f three or six, %z +HH:MM or +HHMM, a space one
    space, and nothing surrounds the value, so every part has a fixed place.
    """
    spellings: list[tuple[str, int, list[tuple[int, int]]]] = [("^", 1, [])]
    for token in _TOKEN.findall(fmt.replace("%T", "%H:%M:%S")):
        if token in _PARTS:
            choices = _PADDED.get(token, _TWO_DIGITS)
        elif token.startswith("%") and token != "%%":
            raise UnsupportedFormat(f"the format directive {token} is not supported on this engine")
        else:
            literal = "%" if token == "%%" else " " if token.isspace() else token
            choices = [(re.escape(literal), len(literal), [])]
        spellings = [
            (regex + part, start + width, spans + [(start + at, length) for at, length in groups])
            for regex, start, spans in spellings
            for part, width, groups in choices
        ]
    return [(regex + "$", spans) for regex, _, spans in spellings]


def parsed(
    fmt: str,
    group: Group,
    matched: exp.Expr,
    make: Callable[[list[exp.Expr]], exp.Expr],
    shift: Callable[[exp.Expr, exp.Expr], exp.Expr],
) -> exp.Expr:
    """The time a value holds in `fmt`, or NULL: naive when `fmt` has no %z, else shifted.

    `group(n)` is the engine's n-th group (1-based) that `pattern(fmt)` captures of the
    value, `matched` whether the pattern matches it at all, `make` the engine's
    make_timestamp(year, month, day, hour, minute, seconds), `shift(t, minutes)` its time
    `t` as UTC, `minutes` being the value's offset east of UTC.
    """
    _, parts = pattern(fmt)

    def number(name: str, default: int = 0) -> exp.Expr:
        if name not in parts:
            return exp.Literal.number(default)
        captured = group(parts.index(name) + 1)
        # NOTE: Spark and DuckDB give '' for a group that matched nothing, PostgreSQL NULL.
        return exp.cast(exp.Nullif(this=captured, expression=exp.Literal.string("")), exp.DataType.Type.INT)

    year = number("year")
    if "year2" in parts:
        two = number("year2")
        year = exp.Paren(
            this=exp.Case()
            .when(
                exp.LT(this=two, expression=exp.Literal.number(69)),
                exp.Add(this=two, expression=exp.Literal.number(2000)),
            )
            .else_(exp.Add(this=two.copy(), expression=exp.Literal.number(1900)))
        )
    month, day = number("month", 1), number("day", 1)
    minute, second = number("minute"), number("second")
    hour = number("hour")
    checks = [
        _between(month, 1, 12),
        _between(day, 1, None, days=_days_in(year, month)),
        _between(minute, 0, 59),
        _between(second, 0, 59),
    ]
    if "hour12" in parts:
        twelve = number("hour12")
        checks.append(_between(twelve, 1, 12))
        hour = exp.Paren(this=exp.Mod(this=twelve.copy(), expression=exp.Literal.number(12)))
        if "ampm" in parts:
            pm = exp.Upper(this=group(parts.index("ampm") + 1)).eq(exp.Literal.string("PM"))
            hour = exp.Paren(
                this=exp.Add(
                    this=hour,
                    expression=exp.Case().when(pm, exp.Literal.number(12)).else_(exp.Literal.number(0)),
                )
            )
    else:
        checks.append(_between(hour, 0, 23))
    seconds: exp.Expr = exp.cast(second, exp.DataType.Type.DOUBLE)
    if "fraction" in parts:
        digits = group(parts.index("fraction") + 1)
        fraction = exp.Div(
            this=exp.cast(digits, exp.DataType.Type.DOUBLE),
            expression=exp.Pow(this=exp.Literal.number(10), expression=exp.Length(this=digits.copy())),
        )
        seconds = exp.Paren(this=exp.Add(this=seconds, expression=exp.Paren(this=fraction)))
    result = make([year, month, day, hour, minute, seconds])
    if "sign" in parts:
        sign = (
            exp.Case()
            .when(
                group(parts.index("sign") + 1).eq(exp.Literal.string("-")),
                exp.Literal.number(-1),
            )
            .else_(exp.Literal.number(1))
        )
        minutes = exp.Paren(
            this=exp.Mul(
                this=sign,
                expression=exp.Paren(
                    this=exp.Add(
                        this=exp.Mul(this=number("offset_hours"), expression=exp.Literal.number(60)),
                        expression=exp.Coalesce(
                            this=number("offset_minutes"), expressions=[exp.Literal.number(0)]
                        ),
                    )
                ),
            )
        )
        result = shift(result, minutes)
    # NOTE: copy=False: every part is new, and copying at each step made translating slow.
    valid = exp.and_(matched.copy(), *checks, copy=False)
    return exp.Paren(this=exp.Case().when(valid, result, copy=False))


def padded_reads(
    fmt: str,
    value: exp.Expr,
    make: Callable[[list[exp.Expr]], exp.Expr],
    shift: Callable[[exp.Expr, exp.Expr], exp.Expr],
) -> list[tuple[exp.Expr, exp.Expr]]:
    """For each zero-padded spelling of `fmt`, whether `value` is written so, and its time
    (NULL if impossible), its parts cut out with SUBSTRING; `make` and `shift` as in `parsed`."""
    reads: list[tuple[exp.Expr, exp.Expr]] = []
    for regex, spans in padded(fmt):

        def part(n: int, spans: list[tuple[int, int]] = spans) -> exp.Expr:
            start, length = spans[n - 1]
            return exp.Substring(
                this=value.copy(), start=exp.Literal.number(start), length=exp.Literal.number(length)
            )

        written = exp.RegexpLike(this=value.copy(), expression=exp.Literal.string(regex))
        reads.append((written, parsed(fmt, part, exp.true(), make, shift)))
    return reads


def _between(value: exp.Expr, low: int, high: int | None, days: exp.Expr | None = None) -> exp.Expr:
    top = days if days is not None else exp.Literal.number(high)
    return exp.Between(this=value.copy(), low=exp.Literal.number(low), high=top)


def _days_in(year: exp.Expr, month: exp.Expr) -> exp.Expr:
    """How many days `month` of `year` has, leap years included."""

    def divisible(n: int) -> exp.Expr:
        return exp.Mod(this=year.copy(), expression=exp.Literal.number(n)).eq(exp.Literal.number(0))

    leap = exp.or_(exp.and_(divisible(4), divisible(100).not_(), copy=False), divisible(400), copy=False)
    february = (
        exp.Case().when(leap, exp.Literal.number(29), copy=False).else_(exp.Literal.number(28), copy=False)
    )
    thirty = exp.In(this=month.copy(), expressions=[exp.Literal.number(n) for n in (4, 6, 9, 11)])
    return (
        exp.Case()
        .when(month.copy().eq(exp.Literal.number(2)), february, copy=False)
        .when(thirty, exp.Literal.number(30), copy=False)
        .else_(exp.Literal.number(31), copy=False)
    )
