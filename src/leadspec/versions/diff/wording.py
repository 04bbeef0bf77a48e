"""How the diff words a change: values quoted, labels named, rules compared token by token.

Also what counts as the same value: text with its whitespace normalised, rules as parsed
SQL, models as plain data.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import sqlglot
from pydantic import BaseModel
from sqlglot.errors import ParseError, TokenError

from ...render import wording
from ...spec.findings import plural
from ...spec.models import (
    Check,
)

PROSE = 60  # longer texts are said to be reworded; shorter ones are quoted old and new


def quote(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return wording.number(value)
    if isinstance(value, list):
        return ", ".join(quote(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k} {quote(v)}" for k, v in value.items()) or "none"
    return f"'{value}'" if isinstance(value, str) and " " in value else str(value)


_LABELS = {"to": "recipient", "after": "window", "by": "role"}  # names that read badly alone


def field_label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " "))


def window_text(within: str, clock: str) -> str:
    return wording.duration(within, clock)


_TOKEN = re.compile(r"'(?:[^']|'')*'|\d+(?:\.\d+)?|\w+|[^\s\w]")


_SHOWN_RULE = 80  # shorter new rules are quoted whole after their change


def rule_change(before: str | None, after: str | None, noun: str = "rule") -> str:
    """'rule: 'C' removed (now `...`)' when only values changed, else the rule old and new."""
    if not before or not after:
        return f"{noun} now {code(after)} (was {code(before)})"
    a = _TOKEN.findall(normal_rule(before) or "")
    b = _TOKEN.findall(normal_rule(after) or "")
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gone = [x for x in a[i1:i2] if x != ","]
        came = [x for x in b[j1:j2] if x != ","]
        if not all(_is_value(x) for x in gone + came):
            return f"{noun} now {code(after)} (was {code(before)})"
        if len(gone) == 1 and len(came) == 1:
            parts.append(f"{gone[0]} changed to {came[0]}")
            continue
        if gone:
            parts.append(f"{', '.join(gone)} removed")
        if came:
            parts.append(f"{', '.join(came)} added")
    text = f"{noun}: {'; '.join(parts)}"
    shown = normal_text(after)
    return text + (f" (now `{shown}`)" if len(shown) <= _SHOWN_RULE else "")


def _is_value(token: str) -> bool:
    return token.startswith("'") or token.replace(".", "", 1).isdigit()


def code(rule: str | None) -> str:
    return f"`{normal_text(rule)}`" if rule else "none"


def threshold(check: Check) -> str:
    t = check.threshold
    return plural(t.count, "lead") if t.count is not None else f"{t.percent:g}% of checked leads"


def is_scalar_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str | int | float) for v in value)


def list_change(label: str, before: list[Any], after: list[Any]) -> str | None:
    old = [normal(v) for v in before]
    new = [normal(v) for v in after]
    added = [v for v in new if v not in old]
    removed = [v for v in old if v not in new]
    if not added and not removed:
        return None  # only the order differs, which carries no meaning in these lists
    parts = []
    if added:
        parts.append(f"added {quote(added)}")
    if removed:
        parts.append(f"removed {quote(removed)}")
    return f"{label}: {'; '.join(parts)}."


def plain(value: Any) -> Any:
    """A value as JSON-ready data, for the old and new of a change."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in sorted(value.items())}
    return value


def normal_text(value: str) -> str:
    """Text as compared: runs of whitespace (line breaks of a reflowed paragraph) are one space."""
    return " ".join(value.split())


def normal_rule(rule: str | None) -> str | None:
    if rule is None:
        return None
    try:
        tree = sqlglot.parse_one(rule, dialect="duckdb")
    except (ParseError, TokenError):
        return normal_text(rule)
    return tree.sql(dialect="duckdb") if tree is not None else normal_text(rule)


def normal(value: Any) -> Any:
    """A value as compared: models as plain data, texts with normalised whitespace."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True)
    if isinstance(value, str):
        return normal_text(value)
    if isinstance(value, list | tuple):
        return [normal(v) for v in value]
    if isinstance(value, dict):
        return {k: normal(v) for k, v in sorted(value.items())}
    return value
