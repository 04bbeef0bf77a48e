"""The two ways reading an export can fail before any data is checked.

`InputError` is about the export file (unreadable, wrong encoding, a column the
mapping needs is missing); `MappingError` is about the mapping YAML and carries
findings located at `path:line:col`, like spec errors.
"""

from __future__ import annotations

from ..spec.findings import Finding


class InputError(Exception):
    """An export that cannot be read as the mapping says: names the file, the problem and the fix."""

    def __init__(self, file: str, problem: str, fix: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        self.fix = fix
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {problem}. {fix}")


class MappingError(Exception):
    """The mapping file is invalid; `findings` say where and why, all of them at once."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings)
        super().__init__("\n".join(f"{f.location}: {f.code.name} {f.message}" for f in self.findings))
