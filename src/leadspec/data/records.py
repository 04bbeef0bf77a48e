"""What the data step hands on: the files it read and the problems it found in them.

The conformance Report carries them as they are, and the report renderers read them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputFile:
    role: str  # leads, events, or join:<name> for a file joined to the leads
    name: str  # file name as given, without directories
    sha256: str
    rows: int


@dataclass(frozen=True)
class DataFinding:
    """A problem with the data itself, found while mapping it: never a crash."""

    code: str  # one of findings.CODES
    column: str  # the export's column, or '' for the file as a whole
    count: int
    message: str
    examples: tuple[str, ...] = ()  # never values of a personal field
