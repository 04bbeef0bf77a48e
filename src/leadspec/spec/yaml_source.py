"""Read a YAML file safely and remember where every key and value stands.

PyYAML's SafeLoader composes the node tree (no arbitrary objects are ever built);
we then construct plain values ourselves so that each path such as
("steps", 2, "by") maps to the 1-based line and column of its key and value.
This is the only place 0-based marks become 1-based positions.

Spec files come from pull requests, so a file is refused, with its line, before it
can cost more than its size: aliases (`*name`) are not read at all, since a few
lines of nested aliases expand to billions of values; nesting deeper than
MAX_NESTING and files over MAX_BYTES are refused; so are characters YAML forbids.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .codes import Code
from .findings import Finding

PathKey = tuple[str | int | float | None, ...]  # keys may be numbers or null in YAML


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


CONTEXT_WIDTH = 160


def _context(text: str, line: int, column: int = 1) -> str:
    """A few lines around `line`, each cut to the part around `column`."""
    lines = text.splitlines()
    start, end = max(line - 3, 0), min(line + 1, len(lines))
    first = max(column - CONTEXT_WIDTH // 2, 0)
    return "\n".join(
        f"{'>' if n + 1 == line else ' '} {n + 1:4} | {lines[n][first : first + CONTEXT_WIDTH]}"
        for n in range(start, end)
    )


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            Finding(
                shown,
                line,
                column,
                Code.LS002,
                f"byte 0x{raw[exc.start]:02x} is not UTF-8 text",
                "Save the file as UTF-8 (most editors offer it under 'Save with encoding').",
            )
        ) from None


MAX_BYTES = 5_000_000  # the largest frozen release is about 140 KB
MAX_NESTING = 64  # mappings and lists inside one another; the reference spec needs 8
MAX_VALUES = 200_000  # keys and values once aliases are expanded; a frozen release holds ~20,000

# NOTE: libyaml's safe loader, where PyYAML was built with it, scans the text several times
# faster; the pure-Python one is the fallback.
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Characters YAML allows (YAML 1.1, 5.1): tab, newlines, printable text; no other control codes.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _Refused(yaml.MarkedYAMLError):
    """A construct the spec loader refuses, with a hint of its own."""

    def __init__(self, code: Code, problem: str, mark: Any, hint: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.code = code
        self.hint = hint


class SpecLoader(yaml.composer.Composer, _BASE):  # type: ignore[misc, valid-type]
    """The safe loader, composing nodes itself to count what aliases expand to.

    Each node's size (itself and everything under it, aliases expanded) is known once it
    is composed, so an alias is refused at its own line as soon as the document would pass
    MAX_VALUES, or when it refers to a node that is not finished: itself.
    """

    def __init__(self, stream: str) -> None:
        _BASE.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        self._depth = 0
        self._values = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            anchored = self.anchors.get(event.anchor)
            if anchored is not None and id(anchored) not in self._sizes:
                raise _Refused(
                    Code.LS006,
                    f"the alias '*{event.anchor}' refers to itself",
                    event.start_mark,
                    "An alias can only repeat a finished value; write the value out instead.",
                )
            self._count(self._sizes.get(id(anchored), 0), event)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise _Refused(
                Code.LS007,
                f"values are nested more than {MAX_NESTING} levels deep",
                event.start_mark,
                "Spec files need a few levels; look for a runaway '[' or '{'.",
            )
        self._count(1, event)
        before = self._values - 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._sizes[id(node)] = self._values - before
        return node

    def _count(self, values: int, event: yaml.Event) -> None:
        self._values += values
        if self._values <= MAX_VALUES:
            return
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                Code.LS006,
                f"with the alias '*{event.anchor}' the file holds more than {MAX_VALUES:,} values",
                event.start_mark,
                "Write the values out where they apply; aliases that repeat aliases "
                "multiply, and a few lines of them can stall every check.",
            )
        raise _Refused(
            Code.LS007,
            f"the file holds more than {MAX_VALUES:,} values",
            event.start_mark,
            "Check that this is the file you meant.",
        )


def read_yaml(file: Path, shown: str) -> Document:
    """Parse one YAML file; raise YamlError for unreadable or malformed input."""
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(
                Finding(
                    shown,
                    0,
                    0,
                    Code.LS007,
                    f"the file is {size / 1e6:.1f} MB; a spec file may be at most {MAX_BYTES / 1e6:g} MB",
                    "Check that this is the file you meant; split a large list across files.",
                )
            )
        raw = file.read_bytes()
    except OSError as exc:
        raise YamlError(
            Finding(
                shown,
                0,
                0,
                Code.LS002,
                f"cannot read the file: {exc.strerror}",
                "Check that the path exists and is readable.",
            )
        ) from None
    text = _decode(raw, shown)
    _refuse_forbidden(text, shown)
    loader = SpecLoader(text)
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
        code, hint = (
            (exc.code, exc.hint)
            if isinstance(exc, _Refused)
            else (
                Code.LS001,
                "Check the indentation and quoting on this line and the one "
                "before it; quote text that contains ': ' or starts with a special "
                "character.",
            )
        )
        raise YamlError(
            Finding(shown, pos.line, pos.column, code, problem, hint, _context(text, pos.line, pos.column))
        ) from None
    except yaml.YAMLError as exc:  # NOTE: the parser's other errors carry no position
        raise YamlError(
            Finding(
                shown, 1, 1, Code.LS001, f"not valid YAML: {exc}", "Check the file in a YAML-aware editor."
            )
        ) from None
    finally:
        loader.dispose()
    return doc


def load_safely(text: str) -> Any:
    """Plain data from YAML text, refusing what spec files refuse (raises yaml.YAMLError)."""
    if _FORBIDDEN.search(text):
        raise yaml.YAMLError("a character YAML does not allow")
    return yaml.load(text, Loader=SpecLoader)


def _refuse_forbidden(text: str, shown: str) -> None:
    """Refuse a control character (NUL, BEL, ESC, ...) at its line and column."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - text.rfind("\n", 0, found.start())
    char = found.group()
    name = unicodedata.name(char, "a control character").lower()
    raise YamlError(
        Finding(
            shown,
            line,
            column,
            Code.LS001,
            f"the character U+{ord(char):04X} ({name}) is not allowed in YAML",
            "Delete it; control characters often come with text pasted from another program.",
            _context(text, line, column),
        )
    )


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: PathKey, doc: Document) -> Any:
    doc.values[path] = _position(node.start_mark)
    if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
        raise yaml.MarkedYAMLError(
            problem=f"the tag {node.tag} is not allowed in a spec", problem_mark=node.start_mark
        )
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.MarkedYAMLError(
                    problem="a key must be plain text", problem_mark=key_node.start_mark
                )
            key_path = (*path, key)
            if key in result:
                doc.problems.append(
                    Finding(
                        doc.path,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        Code.LS003,
                        f"key '{key}' appears twice in this mapping",
                        f"Keep one '{key}:'; the first is at line {doc.keys[key_path].line}.",
                    )
                )
                continue
            doc.keys[key_path] = _position(key_node.start_mark)
            result[key] = _build(loader, value_node, key_path, doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), doc) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
