"""Building blocks shared by every spec file: ids, durations, criteria."""

from __future__ import annotations

import re
import zoneinfo
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)


class Strict(BaseModel):
    """Base for every spec model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Lower-case identifier: letters, digits and underscores.",
    ),
]
Text = Annotated[str, Field(min_length=1)]


def _known_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{value}' is not an IANA time zone; use a name such as America/New_York or UTC"
        ) from None
    return value


TimeZone = Annotated[
    str, AfterValidator(_known_zone), Field(description="An IANA time zone such as America/New_York.")
]

_DURATION = re.compile(r"^(\d+)\s*(m|h|d|w)$")
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}


def _duration_text(value: object) -> object:
    if isinstance(value, str) and not _DURATION.match(value.strip()):
        raise ValueError(f"'{value}' is not a duration; write a number and a unit: 5m, 4h, 2d, 1w")
    return value.strip() if isinstance(value, str) else value


Duration = Annotated[
    str,
    BeforeValidator(_duration_text),
    Field(description="A number and a unit: m minutes, h hours, d days, w weeks."),
]


def duration_parts(text: str) -> tuple[int, str]:
    """Split a validated duration into its amount and unit ('4h' -> (4, 'h'))."""
    match = _DURATION.match(text)
    assert match, text
    return int(match.group(1)), match.group(2)


def duration_minutes(text: str) -> int:
    """Length of a duration in minutes, counting days and weeks as 24 h and 7 d."""
    amount, unit = duration_parts(text)
    return amount * _UNIT_MINUTES[unit]


class Window(Strict):
    """A time limit, measured on the calendar or in the working calendar's hours."""

    within: Duration
    clock: Literal["business", "calendar"] = Field(
        "business",
        description="business: only working hours and days count (see process.calendar); "
        "calendar: every minute counts.",
    )
    by_source: dict[Id, Duration] = Field(
        default_factory=dict,
        description="A different limit for some lead source categories, by category id.",
    )


class Criterion(Strict):
    """A condition stated for people and, where CRM data can show it, for the checks."""

    id: Id
    text: Text = Field(description="The condition as a person reads it.")
    rule: str | None = Field(
        None,
        description="SQL boolean expression over the canonical lead fields that holds "
        "when the condition is met.",
    )
    manual: bool = Field(False, description="True when CRM data cannot show the condition.")
    reason: str | None = Field(
        None, description="Why the condition cannot be checked from data (with manual)."
    )

    @model_validator(mode="after")
    def _rule_or_manual(self) -> Criterion:
        if self.manual and self.rule:
            raise ValueError("a criterion is either checked by 'rule' or 'manual', not both")
        if not self.manual and not self.rule:
            raise ValueError("add 'rule:' with an expression, or 'manual: true' and a 'reason:'")
        if self.manual and not self.reason:
            raise ValueError("a manual criterion needs 'reason:' saying why data cannot show it")
        return self


class Range(Strict):
    """An inclusive target range; either end may be open."""

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min is None and self.max is None:
            raise ValueError("give 'min:', 'max:' or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self
