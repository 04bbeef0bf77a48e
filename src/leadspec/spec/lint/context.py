"""What every lint module shares: the spec, its sources, and helpers to report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..codes import Code
from ..expression import check_rule
from ..findings import Finding, did_you_mean, known_list
from ..load import Sources
from ..models import Spec
from ..yaml_source import Document

Loc = tuple[str | int, ...]


@dataclass
class LintContext:
    spec: Spec
    sources: Sources
    findings: list[Finding] = field(default_factory=list)

    def report(self, doc: Document, loc: Loc, code: Code, message: str, hint: str = "") -> None:
        self.findings.append(doc.finding(loc, code, message, hint))

    @property
    def definitions(self) -> dict[str, Document]:
        return self.sources.definitions

    @property
    def process_doc(self) -> Document:
        return self.sources.process

    def stage_doc(self, stage_id: str) -> Document:
        return self.sources.stages[stage_id]

    def reference(
        self,
        doc: Document,
        loc: Loc,
        value: str | None,
        known: Iterable[str],
        code: Code,
        kind: str,
        noun: str,
    ) -> None:
        """Report `value` unless it is among `known` ids of `kind` (plural) defined in `noun`."""
        known = set(known)
        if value is None or value in known:
            return
        label = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
        self.report(
            doc,
            loc,
            code,
            f"{label} '{value}' is not a {kind.removesuffix('s')} defined in {noun}",
            f"{known_list(kind, known)}.{did_you_mean(value, known)}",
        )

    def rule(self, doc: Document, loc: Loc, text: str | None) -> None:
        if text is None:
            return
        spec = self.spec
        problems = check_rule(
            text,
            fields={f.id: f.type for f in spec.fields},
            thresholds=(t.id for t in spec.scoring.thresholds),
        )
        for problem in problems:
            self.report(doc, loc, problem.code, problem.message, problem.hint)

    def unique(self, doc: Document, key: str, ids: list[str], what: str) -> None:
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                self.report(
                    doc,
                    (key, index, "id"),
                    Code.LS013,
                    f"{what} id '{item_id}' is defined twice",
                    "Give each one its own id.",
                )
            seen.add(item_id)
