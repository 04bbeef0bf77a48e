"""The reference page of finding codes, generated from `spec.codes` so it never drifts."""

from __future__ import annotations

from ..spec.codes import Code

_GROUPS = {
    "LS0": "Reading files",
    "LS1": "References between files",
    "LS2": "Rule expressions",
    "LS3": "The lifecycle",
    "LS4": "Completeness",
    "LS5": "Reading exports",
}


def codes_markdown() -> str:
    lines = [
        "# Finding codes",
        "",
        "leadspec reports each problem as `path:line:column: CODE [severity] message`,",
        "followed by a hint and a link to the code below. The codes are stable: scripts and CI",
        "may match on them. Exit status: 0 when there are no errors, 1 when there are errors in",
        "the spec, 2 when a file cannot be read at all (codes marked *stops reading*).",
        "",
    ]
    group = ""
    for code in Code:
        prefix = code.name[:3]
        if prefix != group:
            group = prefix
            lines += [f"## {_GROUPS[prefix]}", ""]
        info = code.info
        note = ", stops reading" if info.fatal else ""
        lines += [
            f"### {code.name}: {info.title} {{ #{code.name.lower()} }}",
            "",
            f"*{info.severity}{note}*. {info.explanation}",
            "",
        ]
    return "\n".join(lines)
