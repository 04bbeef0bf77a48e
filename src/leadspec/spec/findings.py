"""A finding: one thing wrong with a spec, located at a file, line and column."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from .codes import Code
from .printable import printable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # relative to the spec root, with forward slashes
    line: int  # 1-based; 0 when the finding is about the file as a whole
    column: int  # 1-based
    code: Code
    message: str
    hint: str = ""
    context: str = ""  # a few source lines, for syntax errors

    @property
    def severity(self) -> Severity:
        return Severity(self.code.info.severity)

    @property
    def fatal(self) -> bool:
        return self.code.info.fatal

    @property
    def location(self) -> str:
        """`path:line:col`, `path:line` when the column is not known, or `path` alone."""
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"

    @property
    def headline(self) -> str:
        """The finding on one line: `path:line:col: CODE [severity] message`."""
        return f"{self.location}: {self.code.name} [{self.severity.value}] {printable(self.message)}"

    def as_text(self) -> str:
        """The one way a finding is written: `path:line:col: CODE [severity] message`, the lines
        of context a syntax error carries, the hint, and where the code is documented."""
        lines = [self.headline]
        lines += [f"    {printable(row)}" for row in self.context.splitlines()]
        if self.hint:
            lines.append(f"    = {printable(self.hint)}")
        lines.append(f"    see {self.code.doc}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code.name,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "doc": self.code.doc,
        }


def plural(count: int, word: str) -> str:
    """'1 row', '2,500 rows': a count with its noun, the one way every message and report says it."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' Did you mean 'x'?' for the closest known name, or ''."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def known_list(kind: str, known: Iterable[str]) -> str:
    names = sorted(known)
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"known {kind}: {shown}" if names else f"no {kind} are defined"
