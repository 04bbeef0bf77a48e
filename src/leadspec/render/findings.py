"""Spec findings as terminal text or JSON (`leadspec validate`)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..spec import Finding, Severity
from ..spec.findings import plural

FORMAT_VERSION = 1


def _counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    return errors, len(findings) - errors


def as_text(findings: Sequence[Finding], files: int) -> str:
    """`path:line:col: CODE [severity] message`, a hint line, then a summary."""
    return "\n".join([*(f.as_text() for f in findings), _summary(findings, files)]) + "\n"


def _summary(findings: Sequence[Finding], files: int) -> str:
    errors, warnings = _counts(findings)
    if findings:
        return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}."
    return f"{plural(files, 'file')} checked: no findings."


def as_json(findings: Sequence[Finding], files: int) -> str:
    errors, warnings = _counts(findings)
    document = {
        "format_version": FORMAT_VERSION,
        "files": files,
        "summary": {"errors": errors, "warnings": warnings},
        "findings": [f.as_dict() for f in findings],
    }
    return json.dumps(document, indent=2) + "\n"


def as_github(findings: Sequence[Finding], files: int, folder: str = ".") -> str:
    """GitHub Actions annotations (`::error file=…,line=…::message`), then the summary.

    The runner places each on the changed line of a pull request. Paths are made
    relative to the repository by `folder`, the spec's folder as given on the command line.
    """
    lines = []
    for f in findings:
        path = f.path if folder in ("", ".") else f"{folder.rstrip('/')}/{f.path}"
        where = [f"file={_property(path)}"]
        if f.line:
            where.append(f"line={f.line}")
            if f.column:
                where.append(f"col={f.column}")
        where.append(f"title={_property(f.code.name)}")
        text = f.message + (f"\n{f.hint}" if f.hint else "")
        command = "error" if f.severity is Severity.ERROR else "warning"
        lines.append(f"::{command} {','.join(where)}::{_data(text)}")
    return "".join(f"{line}\n" for line in [*lines, _summary(findings, files)])


def _data(text: str) -> str:
    """A workflow command's message, escaped as the runner reads it back."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
