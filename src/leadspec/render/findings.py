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
    lines = [f.as_text() for f in findings]
    errors, warnings = _counts(findings)
    if findings:
        lines.append(f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}.")
    else:
        lines.append(f"{plural(files, 'file')} checked: no findings.")
    return "\n".join(lines) + "\n"


def as_json(findings: Sequence[Finding], files: int) -> str:
    errors, warnings = _counts(findings)
    document = {
        "format_version": FORMAT_VERSION,
        "files": files,
        "summary": {"errors": errors, "warnings": warnings},
        "findings": [f.as_dict() for f in findings],
    }
    return json.dumps(document, indent=2) + "\n"
