"""The whole lint of a spec: the spec's own, then what each rule kind asks of its checks.

The spec knows what every check has in common; a check's own keys (a `field`, a
`rule`) belong to its kind. So each checks file is validated again here by the model
the registry derives (the common keys and the kind's `Options`, told apart by
`kind`), which reports an unknown or missing option at its line, and then each kind's
own `lint` looks at what types cannot say (a field that exists, a rule that parses).
"""

from __future__ import annotations

from ..spec.findings import Finding
from ..spec.lint import lint as lint_spec
from ..spec.lint.context import LintContext
from ..spec.load import LoadedSpec, validate_document


def lint(loaded: LoadedSpec) -> list[Finding]:
    """Every finding for a loaded spec, sorted: the spec's and its checks' options."""
    from . import KINDS, checks_file_model  # NOTE: the registry imports this module to find kinds

    findings = lint_spec(loaded)
    if loaded.spec is None or loaded.sources is None:
        return findings
    found: list[Finding] = []
    model = checks_file_model()
    for doc in {id(d): d for d, _ in loaded.sources.checks}.values():
        validate_document(doc, model, found)
    if not found:
        ctx = LintContext(loaded.spec, loaded.sources)
        for position, check in enumerate(loaded.spec.checks):
            kind = KINDS[check.kind]
            if kind.lint is not None:
                doc, loc = loaded.sources.check(position)
                kind.lint(check, kind.options.model_validate(check.options), ctx, doc, loc)
        found = ctx.findings
    return sorted({*findings, *found})
