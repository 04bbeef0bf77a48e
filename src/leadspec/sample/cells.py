"""Canonical values as a CRM writes them, read backwards from the CRM's mapping.

The mapping says how export text becomes canonical values; this module turns it
around. A field's column is the mapping's column (the first one the export has,
when it lists several); a translated value is one of the CRM values the value map
sends to it (for `stage`, also the statuses the stages claim); a time is printed in
one of the mapping's own formats, in UTC when the format has an offset and in the
mapping's time zone when it has not. So whatever the mapping reads back is exactly
the canonical value the generator meant.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Sequence
from typing import Any

from ..data.mapping import Mapping, options
from ..spec.models import Spec
from .clock import utc

_FIELDS = {
    "Y": ("%04d", 0),
    "y": ("%02d", 1),
    "m": ("%02d", 2),
    "d": ("%02d", 3),
    "H": ("%02d", 4),
    "I": ("%02d", 5),
    "p": ("%s", 6),
    "M": ("%02d", 7),
    "S": ("%02d", 8),
    "g": ("%03d", 9),
    "f": ("%06d", 10),
}
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def has_time(fmt: str) -> bool:
    return all(code in fmt for code in ("%Y", "%m", "%d", "%M")) and ("%H" in fmt or "%I" in fmt)


def readable(fmt: str, zone: str) -> bool:
    """A format that gives back the same instant: with an offset, or free of a literal Z outside UTC."""
    return has_time(fmt) and ("%z" in fmt or zone == "UTC" or "Z" not in fmt.replace("%Z", ""))


class Shape:
    """How one mapping writes each canonical field: columns, CRM values, time formats."""

    def __init__(
        self,
        mapping: Mapping,
        spec: Spec,
        stamp_formats: Sequence[str],
        date_format: str,
        booleans: Sequence[tuple[str, str]],
    ) -> None:
        file = mapping.file
        self.mapping, self.spec = mapping, spec
        self.zone = zoneinfo.ZoneInfo(file.timestamps.time_zone)
        unknown = [f for f in (*stamp_formats, date_format) if f not in file.timestamps.formats]
        bad = [f for f in stamp_formats if not readable(f, file.timestamps.time_zone)]
        if unknown or bad:
            raise ValueError(f"formats {unknown + bad} are not readable by the mapping '{mapping.name}'")
        self.stamp_formats = tuple(TimeFormat(f, self.zone) for f in stamp_formats)
        self.date_format = TimeFormat(date_format, self.zone)
        self.booleans = tuple(booleans)
        self.types = {f.id: f.type for f in spec.fields}
        self.columns = {name: list(options(cols)) for name, cols in file.leads.columns.items()}
        self.reverse: dict[str, dict[str, list[str]]] = {}
        self.nulls: dict[str, list[str]] = {}
        for name, pairs in file.values.items():
            for raw, target in pairs.items():
                if target is None:
                    self.nulls.setdefault(name, []).append(raw)
                else:
                    self.reverse.setdefault(name, {}).setdefault(target, []).append(raw)
        self.claims = {stage.id: list(stage.crm_status) for stage in spec.stages}

    def crm_values(self, name: str, value: str) -> list[str]:
        """Every CRM value the mapping reads as `value`: its own map's, then the stages' claims."""
        own = self.reverse.get(name, {}).get(value, [])
        return own + [c for c in self.claims.get(value, []) if c not in own] if name == "stage" else own

    def translated(self, name: str) -> bool:
        return name in self.reverse or name in self.nulls or name == "stage"

    def stamp(self, at: int | None, rng: random.Random) -> str:
        if at is None:
            return ""
        formats = self.stamp_formats
        return (formats[0] if len(formats) == 1 else rng.choice(formats))(at)

    def date(self, at: int | None) -> str:
        return "" if at is None else self.date_format(at)

    def text(self, name: str, value: Any, rng: random.Random) -> str:
        """The export text for a field's canonical value (None is a blank)."""
        if value is None:
            return ""
        kind = self.types.get(name, "string")
        if self.translated(name):
            options = self.reverse.get(name, {}).get(str(value)) or self.crm_values(name, str(value))
            return rng.choice(options) if options else str(value)
        if kind in ("timestamp", "date"):
            return self.stamp(int(value), rng)
        if kind == "boolean":
            yes, no = rng.choice(self.booleans)
            return yes if value else no
        if kind == "integer":
            return f"{int(value)}" if rng.random() < 0.8 else f"{int(value)}.0"
        if kind == "number":
            number = float(value)
            return f"{number:.1f}" if rng.random() < 0.5 or not number.is_integer() else f"{int(number)}"
        return str(value)


class TimeFormat:
    """A DuckDB strptime format compiled for printing whole-minute times, fast.

    In UTC with `+0000` when the format has %z, else in `zone`. Sample times are whole
    minutes, so seconds and fractions print as zeros; dates and offsets are cached.
    """

    def __init__(self, fmt: str, zone: zoneinfo.ZoneInfo) -> None:
        self.zone = zone if "%z" not in fmt else None
        template, order, i = [], [], 0
        while i < len(fmt):
            char = fmt[i]
            if char == "%" and i + 1 < len(fmt):
                code = fmt[i + 1]
                if code in _FIELDS:
                    template.append(_FIELDS[code][0])
                    order.append(_FIELDS[code][1])
                else:
                    template.append({"z": "+0000", "%": "%%"}[code])
                i += 2
            else:
                template.append("%%" if char == "%" else char)
                i += 1
        self.template, self.order = "".join(template), tuple(order)
        self.days: dict[int, tuple[int, int, int]] = {}
        self.offsets: dict[int, int] = {}

    def __call__(self, at: int) -> str:
        if self.zone is not None:
            hour = at // 60
            offset = self.offsets.get(hour)
            if offset is None:
                shift = utc(hour * 60).replace(tzinfo=dt.UTC).astimezone(self.zone).utcoffset()
                offset = self.offsets[hour] = int(shift.total_seconds()) // 60 if shift else 0
            at += offset
        day, minute = divmod(at, 24 * 60)
        date = self.days.get(day)
        if date is None:
            calendar = dt.date.fromordinal(_EPOCH_ORDINAL + day)
            date = self.days[day] = (calendar.year, calendar.month, calendar.day)
        hour, minutes = divmod(minute, 60)
        values = (
            date[0],
            date[0] % 100,
            date[1],
            date[2],
            hour,
            (hour - 1) % 12 + 1,
            "AM" if hour < 12 else "PM",
            minutes,
            0,
            0,
            0,
        )
        return self.template % tuple(values[i] for i in self.order)
