"""How spec values read in prose: durations, windows, ranges."""

from __future__ import annotations

from ..spec.models import Range, Window, duration_parts

_UNITS = {"m": "minute", "h": "hour", "d": "day", "w": "week"}
_BUSINESS_UNITS = {"m": "working minute", "h": "working hour", "d": "working day",
                   "w": "working week"}
_KPI_UNITS = {"percent": "%", "minutes": " min", "hours": " h", "days": " days",
              "currency": "", "count": "", "ratio": ":1"}


def duration(text: str, clock: str = "calendar") -> str:
    amount, unit = duration_parts(text)
    name = (_BUSINESS_UNITS if clock == "business" else _UNITS)[unit]
    return f"{amount} {name}{'' if amount == 1 else 's'}"


def window(w: Window) -> str:
    """'1 working hour' or '5 minutes', with any per-source limits after it."""
    text = duration(w.within, w.clock)
    if w.by_source:
        extra = "; ".join(f"{source}: {duration(limit, w.clock)}"
                          for source, limit in sorted(w.by_source.items()))
        text += f" ({extra})"
    return text


def number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")


def target(r: Range | None, unit: str = "") -> str:
    """A KPI target or expected range: '25–35%', 'at least 8', 'at most 5 min'."""
    if r is None:
        return "no target"
    suffix = _KPI_UNITS.get(unit, "")
    prefix = "$" if unit == "currency" else ""

    def fmt(value: float) -> str:
        return f"{prefix}{number(value)}{suffix}"

    if r.min is not None and r.max is not None:
        return f"{prefix}{number(r.min)}–{number(r.max)}{suffix}"
    if r.min is not None:
        return f"at least {fmt(r.min)}"
    return f"at most {fmt(r.max)}"  # type: ignore[arg-type]
