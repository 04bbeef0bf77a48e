"""A diff (and its backtest) as text for the terminal, Markdown, or JSON for tools.

Every format lists the changes in the diff's order, grouped by area; the same two
versions give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from .backtest import Backtest
from .diff import Change
from .freeze import Snapshot

FORMAT_VERSION = 1
_WHOLE = 60  # words: longer old and new texts are shown around what changed
_CONTEXT = 8  # words kept on each side of the change


def describe(snapshot: Snapshot) -> str:
    """'0.75 (expert-review, released 2026-04-22)' or 'working (1.0, pilot)'."""
    if snapshot.released_on is None:
        return f"working ({snapshot.version}, {snapshot.status})"
    return f"{snapshot.label} ({snapshot.status}, released {snapshot.released_on.isoformat()})"


def _groups(changes: list[Change]) -> Iterator[tuple[str, list[Change]]]:
    for area, items in groupby(changes, key=lambda c: c.area):
        yield area, list(items)


def _count(changes: list[Change]) -> str:
    if not changes:
        return "no changes"
    return f"{len(changes)} change{'' if len(changes) == 1 else 's'}"


def excerpts(old: str, new: str) -> tuple[str, str]:
    """Old and new text, cut to the part that changed (with a little context) when long."""
    a, b = old.split(), new.split()
    if max(len(a), len(b)) <= _WHOLE:
        return " ".join(a), " ".join(b)
    same = 0
    while same < min(len(a), len(b)) and a[same] == b[same]:
        same += 1
    tail = 0
    while tail < min(len(a), len(b)) - same and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    start = max(same - _CONTEXT, 0)

    def cut(words: list[str]) -> str:
        stop = min(len(words) - tail + _CONTEXT, len(words))
        return ("…" if start else "") + " ".join(words[start:stop]) + ("…" if stop < len(words) else "")

    return cut(a), cut(b)


def as_text(old: Snapshot, new: Snapshot, changes: list[Change], backtest: Backtest | None = None) -> str:
    lines = [f"From {describe(old)} to {describe(new)}: {_count(changes)}."]
    for area, items in _groups(changes):
        lines += ["", area]
        for change in items:
            lines.append(f"  - {change.line}")
            if change.prose:
                was, now = excerpts(change.old, change.new)
                lines += [f"      was: {was}", f"      now: {now}"]
    if backtest is not None:
        lines += ["", *_backtest_text(old, new, backtest)]
    return "\n".join(lines) + "\n"


def _backtest_text(old: Snapshot, new: Snapshot, bt: Backtest) -> list[str]:
    a, b = old.label, new.label
    lines = [
        f"Backtest on {', '.join(bt.inputs)} (mapping {bt.mapping}), {bt.leads} leads, "
        f"as of {bt.as_of:%Y-%m-%d %H:%M} UTC: leads each version flags, rule by rule."
    ]
    lines += [f"  note: {note}" for note in bt.notes]
    rows = [(r.id, _n(r.old), _n(r.new), _delta(r.old, r.new)) for r in bt.rules]
    rows.append(
        ("any rule", str(bt.flagged_old), str(bt.flagged_new), _delta(bt.flagged_old, bt.flagged_new))
    )
    head = ("rule", a, b, "change")
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(4)]
    for row in [head, *rows]:
        cells = (cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))
        lines.append("  " + row[0].ljust(widths[0]) + "  " + "  ".join(cells))
    return lines


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)


def _delta(old: int | None, new: int | None) -> str:
    if old is None:
        return "new rule"
    if new is None:
        return "dropped"
    return "=" if old == new else f"{new - old:+d}"


def as_markdown(old: Snapshot, new: Snapshot, changes: list[Change], backtest: Backtest | None = None) -> str:
    lines = [
        f"# Changes from {old.label} to {new.label}",
        "",
        f"From {describe(old)} to {describe(new)}: {_count(changes)}.",
    ]
    for area, items in _groups(changes):
        lines += ["", f"## {area}", ""]
        for change in items:
            lines.append(f"- **{_md(change.title)}:** {_md(change.text)}")
            if change.prose:
                was, now = excerpts(change.old, change.new)
                lines += [f"    - was: {_md(was)}", f"    - now: {_md(now)}"]
    if backtest is not None:
        bt = backtest
        lines += [
            "",
            "## Backtest",
            "",
            f"{', '.join(bt.inputs)} (mapping {bt.mapping}), {bt.leads} leads, as of "
            f"{bt.as_of:%Y-%m-%d %H:%M} UTC: leads each version flags, rule by rule.",
            "",
        ]
        lines += [f"- {_md(note)}" for note in bt.notes] + ([""] if bt.notes else [])
        lines += [f"| Rule | {old.label} | {new.label} | Change |", "|---|--:|--:|---|"]
        lines += [f"| `{r.id}` | {_n(r.old)} | {_n(r.new)} | {_delta(r.old, r.new)} |" for r in bt.rules]
        lines.append(
            f"| any rule | {bt.flagged_old} | {bt.flagged_new} | {_delta(bt.flagged_old, bt.flagged_new)} |"
        )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text that Markdown shows as written: no tables broken, no HTML made."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("*", "\\*")


def as_json(old: Snapshot, new: Snapshot, changes: list[Change], backtest: Backtest | None = None) -> str:
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "from": _side(old),
        "to": _side(new),
        "changes": [c.as_dict() for c in changes],
    }
    if backtest is not None:
        document["backtest"] = backtest.as_dict()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _side(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "label": snapshot.label,
        "version": snapshot.version,
        "status": snapshot.status,
        "released_on": snapshot.released_on.isoformat() if snapshot.released_on else None,
    }
