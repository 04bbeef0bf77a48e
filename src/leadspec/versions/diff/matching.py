"""The differ's state and the comparisons every area uses.

`Differ` holds both specs and the changes found so far; `keyed` matches items by id
(new ones in new order, then the removed ones), `attributes` says how each field of
two versions of one item changed, and the role queries name who a change concerns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ...render import wording
from ...spec.expression import RuleError, referenced_fields
from ...spec.models import (
    Check,
    Range,
    Spec,
)
from .wording import (
    PROSE,
    field_label,
    is_scalar_list,
    list_change,
    normal,
    plain,
    quote,
)

AREAS = (
    "Process",
    "Stages",
    "Job aids",
    "Lifecycle",
    "Motions and windows",
    "Calendar",
    "Lead definition",
    "Data dictionary",
    "Grading",
    "Scoring",
    "Readiness",
    "Sources",
    "Roles",
    "Failure modes",
    "KPIs",
    "Checks",
    "Glossary",
)


@dataclass(frozen=True)
class Change:
    area: str  # one of AREAS, for grouping
    kind: str  # <thing>_<what happened>, e.g. window_tightened
    subject: str  # stable path of the thing, e.g. stage:inquiry/exit:inq_graded_scored
    title: str  # the thing as people name it, e.g. "Stage Inquiry"
    text: str  # one sentence saying what happened, without the title
    old: Any = None
    new: Any = None
    roles: tuple[str, ...] = ()  # role ids the change concerns, sorted

    @property
    def line(self) -> str:
        return f"{self.title}: {self.text}"

    @property
    def prose(self) -> bool:
        """True when old and new are texts worth showing in full (a reworded text)."""
        return isinstance(self.old, str) and isinstance(self.new, str) and self.text.endswith("reworded.")

    def as_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "kind": self.kind,
            "subject": self.subject,
            "title": self.title,
            "text": self.text,
            "line": self.line,
            "old": self.old,
            "new": self.new,
            "roles": list(self.roles),
        }


@dataclass
class Differ:
    old: Spec
    new: Spec
    old_aids: dict[str, str | None]
    new_aids: dict[str, str | None]
    changes: list[Change] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # old stage id -> new stage id

    def add(
        self,
        area: str,
        kind: str,
        subject: str,
        title: str,
        text: str,
        old: Any = None,
        new: Any = None,
        roles: Iterable[str] = (),
    ) -> None:
        self.changes.append(Change(area, kind, subject, title, text, old, new, tuple(sorted(set(roles)))))

    def both(self, pick: Callable[[Spec], Iterable[str]]) -> set[str]:
        return set(pick(self.old)) | set(pick(self.new))

    def owners(self, stage_ids: Iterable[str]) -> set[str]:
        ids = set(stage_ids)
        return self.both(lambda s: (st.owner for st in s.stages if st.id in ids))

    def window_roles(self, name: str) -> set[str]:
        return self.both(
            lambda s: (
                st.owner
                for st in s.stages
                if name in (st.response_window, st.max_time_in_stage, st.escalation and st.escalation.after)
            )
        )

    def window_users(self, name: str) -> str:
        spec = self.new if any(name in m.windows for m in self.new.process.motions.values()) else self.old
        uses = []
        for st in spec.stages:
            if st.response_window == name:
                uses.append(f"respond in {st.name}")
            if st.max_time_in_stage == name:
                uses.append(f"leave {st.name}")
        return f" ({'; '.join(uses)})" if uses else ""

    def rule_readers(self, spec: Spec, test: Callable[[str], bool]) -> set[str]:
        """Owners of stages with a criterion, or scoped by a check, whose rule passes `test`."""
        found = {
            st.owner
            for st in spec.stages
            for c in (*st.entry_conditions, *st.exit_criteria)
            if c.rule and test(c.rule)
        }
        for check in spec.checks:
            if check.option("rule") and test(check.option("rule")):
                found |= self.check_owners_in(spec, check)
        return found

    def field_roles(self, field_id: str) -> set[str]:
        def reads(rule: str) -> bool:
            try:
                return field_id in referenced_fields(rule)
            except RuleError:
                return False

        found: set[str] = set()
        for spec in (self.old, self.new):
            found |= self.rule_readers(spec, reads)
            found |= {
                st.owner
                for f in spec.fields
                if f.id == field_id and f.required_from
                for st in spec.stages
                if st.id == f.required_from
            }
            for check in spec.checks:
                if check.option("field") == field_id:
                    found |= self.check_owners_in(spec, check)
        return found

    def threshold_roles(self, name: str) -> set[str]:
        pattern = re.compile(rf"\bmotion\.{re.escape(name)}\b", re.IGNORECASE)
        return self.rule_readers(self.old, lambda r: bool(pattern.search(r))) | self.rule_readers(
            self.new, lambda r: bool(pattern.search(r))
        )

    def check_owners_in(self, spec: Spec, check: Check) -> set[str]:
        if check.scope.stages:
            return {st.owner for st in spec.stages if st.id in check.scope.stages}
        pre = set(spec.process.lifecycle.pre_lead)
        return {st.owner for st in spec.stages if st.id not in pre}

    def role_title(self, role_id: str) -> str:
        for spec in (self.new, self.old):
            for role in spec.roles:
                if role.id == role_id:
                    return role.title
        return role_id

    def stage_name(self, stage_id: str) -> str:
        for spec in (self.new, self.old):
            for stage in spec.stages:
                if stage.id == stage_id:
                    return stage.name
        return stage_id

    def attributes(
        self,
        area: str,
        thing: str,
        subject: str,
        title: str,
        old: BaseModel,
        new: BaseModel,
        roles: Iterable[str],
        skip: Iterable[str] = (),
    ) -> None:
        """One change per differing attribute of two versions of the same item."""
        roles = set(roles)
        for name in type(new).model_fields:
            if name in skip:
                continue
            before, after = getattr(old, name), getattr(new, name)
            text = self.describe(field_label(name), before, after)
            if text:
                self.add(
                    area,
                    f"{thing}_changed",
                    f"{subject}/{name}",
                    title,
                    text,
                    plain(before),
                    plain(after),
                    roles,
                )

    def describe(self, label: str, before: Any, after: Any) -> str | None:
        """How a value changed, as a sentence; None when it did not."""
        if normal(before) == normal(after):
            return None
        if isinstance(before, Range | None) and isinstance(after, Range | None) and (before or after):
            return f"{label} changed from {wording.target(before)} to {wording.target(after)}."
        if is_scalar_list(before) and is_scalar_list(after):
            return list_change(label, before or [], after or [])
        if before is None and isinstance(after, BaseModel):
            return f"{label} added."
        if after is None and isinstance(before, BaseModel):
            return f"{label} removed."
        if isinstance(before, BaseModel) and isinstance(after, BaseModel):
            parts = [
                self.describe(f"{label} {field_label(n)}", getattr(before, n), getattr(after, n))
                for n in type(after).model_fields
            ]
            said = [p.removesuffix(".") for p in parts if p]
            return "; ".join(said) + "." if said else None
        if isinstance(before, str) and isinstance(after, str) and (len(before) > PROSE or len(after) > PROSE):
            return f"{label} reworded."
        return f"{label} changed from {quote(plain(before))} to {quote(plain(after))}."

    def keyed(
        self,
        old: Sequence[Any],
        new: Sequence[Any],
        key: Callable[[Any], str],
        added: Callable[[Any], None],
        removed: Callable[[Any], None],
        changed: Callable[[Any, Any], None],
    ) -> None:
        """Match items by key: new ones in new order, then the removed ones in old order."""
        before = {key(item): item for item in old}
        after_keys = set()
        for item in new:
            k = key(item)
            after_keys.add(k)
            if k in before:
                changed(before[k], item)
            else:
                added(item)
        for item in old:
            if key(item) not in after_keys:
                removed(item)

    def simple_items(
        self,
        area: str,
        thing: str,
        noun: str,
        old: Sequence[Any],
        new: Sequence[Any],
        roles: Callable[[Any], Iterable[str]] = lambda _: (),
    ) -> None:
        def title(item: Any) -> str:
            name = getattr(item, "name", None) or getattr(item, "title", None)
            return f"{noun} {name}" if name else f"{noun} {item.id}"

        self.keyed(
            old,
            new,
            lambda i: i.id,
            lambda i: self.add(
                area, f"{thing}_added", f"{thing}:{i.id}", title(i), "added.", None, plain(i), roles(i)
            ),
            lambda i: self.add(
                area, f"{thing}_removed", f"{thing}:{i.id}", title(i), "removed.", plain(i), None, roles(i)
            ),
            lambda a, b: self.attributes(
                area, thing, f"{thing}:{b.id}", title(b), a, b, set(roles(a)) | set(roles(b)), skip=("id",)
            ),
        )
