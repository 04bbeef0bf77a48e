"""Append a changelog entry to process/process.yaml without touching anything else in it.

The file is edited as text, so its comments, quoting and layout stay as the authors
wrote them: the entry goes after the last item of `changelog:` (or becomes a new
`changelog:` at the end), and the result is parsed back to prove that the only
difference is the new entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from .freeze import VersionError


def entry(version: str, date: dt.date, summary: str, changes: list[str]) -> dict[str, Any]:
    return {"version": version, "date": date, "summary": summary, "changes": list(changes)}


def append_entry(text: str, new: dict[str, Any], shown: str = "process/process.yaml") -> str:
    """`text` with `new` appended to its changelog; VersionError when that cannot be done safely."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise VersionError(f"{shown} does not hold a mapping of keys")
    node = next((v for k, v in root.value if k.value == "changelog"), None)
    lines = text.splitlines(keepends=True)
    if node is None:
        body = text if text.endswith("\n") or not text else text + "\n"
        result = body + "changelog:\n" + _item(new, 2)
    elif isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        dash = _dash_column(lines, node.value[0])
        end = _end_line(node.value[-1])
        result = "".join(lines[:end]) + _item(new, dash) + "".join(lines[end:])
    elif isinstance(node, yaml.SequenceNode) and not node.value:
        start, stop = node.start_mark.index, node.end_mark.index
        result = text[:start].rstrip(" ") + "\n" + _item(new, 2).rstrip("\n") + text[stop:]
    else:
        raise VersionError(f"{shown}: 'changelog' is not a list; write it as a list of entries")
    _prove(text, result, new, shown)
    return result


def _item(new: dict[str, Any], indent: int) -> str:
    """The entry as a list item in the layout of the reference spec's changelog."""
    pad = " " * indent
    lines = [
        f'{pad}- version: "{new["version"]}"',
        f"{pad}  date: {new['date'].isoformat()}",
        f"{pad}  summary: {_scalar(new['summary'])}",
    ]
    if new["changes"]:
        lines.append(f"{pad}  changes:")
        lines += [f"{pad}    - {_scalar(change)}" for change in new["changes"]]
    else:
        lines.append(f"{pad}  changes: []")
    return "\n".join(lines) + "\n"


def _scalar(value: str) -> str:
    """One line of YAML for a text: plain when YAML reads it back as is, else quoted."""
    style = None if "'" not in value else '"'
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_style=style)
    text = dumped.removesuffix("\n").removesuffix("\n...")
    if "\n" in text or yaml.safe_load(text) != value:
        text = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_style='"')
        text = text.removesuffix("\n")
    return text


def _dash_column(lines: list[str], first: yaml.Node) -> int:
    line = lines[first.start_mark.line]
    dash = line.rfind("-", 0, first.start_mark.column)
    return dash if dash >= 0 else max(first.start_mark.column - 2, 0)


def _end_line(node: yaml.Node) -> int:
    """The index of the line after the last character of `node`'s own text."""
    while True:
        if isinstance(node, yaml.MappingNode) and node.value:
            node = node.value[-1][1]
        elif isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
            node = node.value[-1]
        else:
            break
    mark = node.end_mark
    return mark.line if mark.column == 0 else mark.line + 1


def _prove(before: str, after: str, new: dict[str, Any], shown: str) -> None:
    old = yaml.safe_load(before) or {}
    result = yaml.safe_load(after)
    expected = {**old, "changelog": [*(old.get("changelog") or []), new]}
    if result != expected:
        raise VersionError(
            f"could not add the changelog entry to {shown} without changing "
            "anything else; write 'changelog:' as a block list of entries "
            "('- version: ...') and run the release again"
        )
