"""Read a YAML file safely and remember where every key and value stands.

PyYAML's SafeLoader composes the node tree (no arbitrary objects are ever built);
we then construct plain values ourselves so that each path such as
("steps", 2, "by") maps to the 1-based line and column of its key and value.
This is the only place 0-based marks become 1-based positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .codes import Code
from .findings import Finding

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int
    column: int


def _position(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


@dataclass
class Document:
    """One parsed YAML file: its data plus the position of every key and value."""

    path: str
    data: Any
    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    def locate(self, loc: PathKey, *, key: bool = False) -> Position:
        """Position of `loc`, or of its nearest ancestor that exists in the file."""
        loc = tuple(loc)
        while loc:
            table = self.keys if key else self.values
            if loc in table:
                return table[loc]
            if loc in self.values:
                return self.values[loc]
            loc, key = loc[:-1], False
        return self.values.get((), Position(1, 1))

    def finding(
        self, loc: PathKey, code: Code, message: str, hint: str = "", *, key: bool = False
    ) -> Finding:
        pos = self.locate(loc, key=key)
        return Finding(self.path, pos.line, pos.column, code, message, hint)


class YamlError(Exception):
    """The file could not be read as YAML; carries the finding that says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _context(text: str, line: int) -> str:
    lines = text.splitlines()
    start, end = max(line - 3, 0), min(line + 1, len(lines))
    return "\n".join(
        f"{'>' if n + 1 == line else ' '} {n + 1:4} | {lines[n]}" for n in range(start, end)
    )


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            Finding(shown, line, column, Code.LS002,
                    f"byte 0x{raw[exc.start]:02x} is not UTF-8 text",
                    "Save the file as UTF-8 (most editors offer it under 'Save with encoding').")
        ) from None


# NOTE: libyaml's safe loader, where PyYAML was built with it, composes the same nodes with
# the same marks several times faster; the pure-Python one is the fallback.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(file: Path, shown: str) -> Document:
    """Parse one YAML file; raise YamlError for unreadable or malformed input."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise YamlError(
            Finding(shown, 0, 0, Code.LS002, f"cannot read the file: {exc.strerror}",
                    "Check that the path exists and is readable.")
        ) from None
    text = _decode(raw, shown)
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        doc = Document(shown, None)
        doc.data = _build(loader, node, (), doc) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _position(mark) if mark else Position(1, 1)
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{problem} ({exc.context})"
        raise YamlError(
            Finding(shown, pos.line, pos.column, Code.LS001, problem,
                    "Check the indentation and quoting on this line and the one before it; "
                    "quote text that contains ': ' or starts with a special character.",
                    _context(text, pos.line))
        ) from None
    finally:
        loader.dispose()
    return doc


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: PathKey, doc: Document) -> Any:
    doc.values[path] = _position(node.start_mark)
    if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
        raise yaml.MarkedYAMLError(problem=f"the tag {node.tag} is not allowed in a spec",
                                   problem_mark=node.start_mark)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.MarkedYAMLError(problem="a key must be plain text",
                                           problem_mark=key_node.start_mark)
            key_path = (*path, key)
            if key in result:
                doc.problems.append(
                    Finding(doc.path, key_node.start_mark.line + 1,
                            key_node.start_mark.column + 1, Code.LS003,
                            f"key '{key}' appears twice in this mapping",
                            f"Keep one '{key}:'; the first is at line {doc.keys[key_path].line}.")
                )
                continue
            doc.keys[key_path] = _position(key_node.start_mark)
            result[key] = _build(loader, value_node, key_path, doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), doc) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
