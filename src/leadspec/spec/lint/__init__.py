"""Checks that need the whole spec: references, rules, lifecycle, completeness, KPI measures.

Each module contributes findings through a shared `LintContext`; `lint` runs them all
and returns every finding, sorted, so a user sees all problems at once.
"""

from __future__ import annotations

from ..findings import Finding
from ..load import LoadedSpec
from . import completeness, lifecycle, measures, references
from .context import LintContext


def lint(loaded: LoadedSpec) -> list[Finding]:
    """All findings for a loaded spec: the loader's own plus the cross-file ones."""
    if loaded.spec is None or loaded.sources is None:
        return sorted(loaded.findings)
    ctx = LintContext(loaded.spec, loaded.sources)
    for module in (references, lifecycle, completeness, measures):
        module.run(ctx)
    return sorted({*loaded.findings, *ctx.findings})


__all__ = ["lint"]
