"""The semantic diff: two specs in, the changes people would name out, in spec order.

Pure: no files, no output format. Items with ids (stages, criteria, fields, KPIs,
checks, roles, ...) are matched by id, so reordering them is not a change; text is
compared with its whitespace normalised, so reflowing a paragraph is not a change;
rules are compared as parsed SQL, so re-spacing a rule is not a change. Steps keep
their order, because their order is part of what they say.

Each change has a kind (`window_tightened`, `criterion_changed`, ...), a subject
path (`motion:b2b/window:first_response`), a title and a sentence for people, the
old and new values, and the roles it concerns (owners of the stages it touches),
which the role pages of the playbook use.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from pydantic import BaseModel
from sqlglot.errors import ParseError, TokenError

from ..render import wording
from ..spec.expression import RuleError, referenced_fields
from ..spec.models import (
    Check,
    Criterion,
    JobAid,
    Kpi,
    Range,
    Spec,
    Stage,
    Window,
    duration_minutes,
)
from ..spec.models.process import Motion

AREAS = ("Process", "Stages", "Job aids", "Lifecycle", "Motions and windows", "Calendar",
         "Lead definition", "Data dictionary", "Grading", "Scoring", "Readiness", "Sources",
         "Roles", "Failure modes", "KPIs", "Checks", "Glossary")
_PROSE = 60  # longer texts are said to be reworded; shorter ones are quoted old and new
_GOVERNANCE = {"version", "status", "approvals", "changelog", "waivers"}


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
        return isinstance(self.old, str) and isinstance(self.new, str) and self.text.endswith(
            "reworded.")

    def as_dict(self) -> dict[str, Any]:
        return {"area": self.area, "kind": self.kind, "subject": self.subject,
                "title": self.title, "text": self.text, "line": self.line, "old": self.old,
                "new": self.new, "roles": list(self.roles)}


def normal_text(value: str) -> str:
    """Text as compared: runs of whitespace (line breaks of a reflowed paragraph) are one space."""
    return " ".join(value.split())


def normal_rule(rule: str | None) -> str | None:
    if rule is None:
        return None
    try:
        tree = sqlglot.parse_one(rule, dialect="duckdb")
    except (ParseError, TokenError):
        return normal_text(rule)
    return tree.sql(dialect="duckdb") if tree is not None else normal_text(rule)


def normal(value: Any) -> Any:
    """A value as compared: models as plain data, texts with normalised whitespace."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True)
    if isinstance(value, str):
        return normal_text(value)
    if isinstance(value, list | tuple):
        return [normal(v) for v in value]
    if isinstance(value, dict):
        return {k: normal(v) for k, v in sorted(value.items())}
    return value


def diff(old: Spec, new: Spec, old_aids: Mapping[str, str | None] | None = None,
         new_aids: Mapping[str, str | None] | None = None) -> list[Change]:
    """Every change from `old` to `new`, grouped by area in AREAS order, each in spec order.

    `old_aids` and `new_aids` hold the text of job aid files by path; without them only
    the job aid entries of the stages are compared.
    """
    d = _Differ(old, new, dict(old_aids or {}), dict(new_aids or {}))
    d.run()
    rank = {area: i for i, area in enumerate(AREAS)}
    return sorted(d.changes, key=lambda c: rank[c.area])  # stable: spec order within an area


# --- wording -------------------------------------------------------------------------

def _quote(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return wording.number(value)
    if isinstance(value, list):
        return ", ".join(_quote(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k} {_quote(v)}" for k, v in value.items()) or "none"
    return f"'{value}'" if isinstance(value, str) and " " in value else str(value)


_LABELS = {"to": "recipient", "after": "window", "by": "role"}  # names that read badly alone


def _label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " "))


def _window_text(within: str, clock: str) -> str:
    return wording.duration(within, clock)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- the differ ----------------------------------------------------------------------

@dataclass
class _Differ:
    old: Spec
    new: Spec
    old_aids: dict[str, str | None]
    new_aids: dict[str, str | None]
    changes: list[Change] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # old stage id -> new stage id

    def add(self, area: str, kind: str, subject: str, title: str, text: str, old: Any = None,
            new: Any = None, roles: Iterable[str] = ()) -> None:
        self.changes.append(Change(area, kind, subject, title, text, old, new,
                                   tuple(sorted(set(roles)))))

    def run(self) -> None:
        self.process()
        self.stages()
        self.job_aid_texts()
        self.lifecycle()
        self.motions()
        self.calendar()
        self.lead()
        self.fields()
        self.grading()
        self.scoring()
        self.simple_items("Readiness", "readiness", "Readiness level",
                          self.old.readiness, self.new.readiness)
        self.simple_items("Sources", "source", "Source", self.old.sources, self.new.sources)
        self.roles()
        self.failure_modes()
        self.kpis()
        self.checks()
        self.glossary()

    # roles concerned -----------------------------------------------------------------

    def _both(self, pick: Callable[[Spec], Iterable[str]]) -> set[str]:
        return set(pick(self.old)) | set(pick(self.new))

    def owners(self, stage_ids: Iterable[str]) -> set[str]:
        ids = set(stage_ids)
        return self._both(lambda s: (st.owner for st in s.stages if st.id in ids))

    def window_roles(self, name: str) -> set[str]:
        return self._both(lambda s: (st.owner for st in s.stages if name in (
            st.response_window, st.max_time_in_stage, st.escalation and st.escalation.after)))

    def window_users(self, name: str) -> str:
        spec = self.new if any(name in m.windows for m in self.new.process.motions.values()) \
            else self.old
        uses = []
        for st in spec.stages:
            if st.response_window == name:
                uses.append(f"respond in {st.name}")
            if st.max_time_in_stage == name:
                uses.append(f"leave {st.name}")
        return f" ({'; '.join(uses)})" if uses else ""

    def rule_readers(self, spec: Spec, test: Callable[[str], bool]) -> set[str]:
        """Owners of stages with a criterion, or scoped by a check, whose rule passes `test`."""
        found = {st.owner for st in spec.stages
                 for c in (*st.entry_conditions, *st.exit_criteria) if c.rule and test(c.rule)}
        for check in spec.checks:
            if check.rule and test(check.rule):
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
            found |= {st.owner for f in spec.fields if f.id == field_id and f.required_from
                      for st in spec.stages if st.id == f.required_from}
            for check in spec.checks:
                if check.field == field_id:
                    found |= self.check_owners_in(spec, check)
        return found

    def threshold_roles(self, name: str) -> set[str]:
        pattern = re.compile(rf"\bmotion\.{re.escape(name)}\b", re.IGNORECASE)
        return self.rule_readers(self.old, lambda r: bool(pattern.search(r))) | \
            self.rule_readers(self.new, lambda r: bool(pattern.search(r)))

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

    # generic comparison ----------------------------------------------------------------

    def attributes(self, area: str, thing: str, subject: str, title: str, old: BaseModel,
                   new: BaseModel, roles: Iterable[str], skip: Iterable[str] = ()) -> None:
        """One change per differing attribute of two versions of the same item."""
        roles = set(roles)
        for name in type(new).model_fields:
            if name in skip:
                continue
            before, after = getattr(old, name), getattr(new, name)
            text = self.describe(_label(name), before, after)
            if text:
                self.add(area, f"{thing}_changed", f"{subject}/{name}", title, text,
                         _plain(before), _plain(after), roles)

    def describe(self, label: str, before: Any, after: Any) -> str | None:
        """How a value changed, as a sentence; None when it did not."""
        if normal(before) == normal(after):
            return None
        if isinstance(before, Range | None) and isinstance(after, Range | None) and (
                before or after):
            return f"{label} changed from {wording.target(before)} to {wording.target(after)}."
        if _is_scalar_list(before) and _is_scalar_list(after):
            return _list_change(label, before or [], after or [])
        if before is None and isinstance(after, BaseModel):
            return f"{label} added."
        if after is None and isinstance(before, BaseModel):
            return f"{label} removed."
        if isinstance(before, BaseModel) and isinstance(after, BaseModel):
            parts = [self.describe(f"{label} {_label(n)}", getattr(before, n), getattr(after, n))
                     for n in type(after).model_fields]
            said = [p.removesuffix(".") for p in parts if p]
            return "; ".join(said) + "." if said else None
        if isinstance(before, str) and isinstance(after, str) and (
                len(before) > _PROSE or len(after) > _PROSE):
            return f"{label} reworded."
        return f"{label} changed from {_quote(_plain(before))} to {_quote(_plain(after))}."

    def keyed(self, old: Sequence[Any], new: Sequence[Any], key: Callable[[Any], str],
              added: Callable[[Any], None], removed: Callable[[Any], None],
              changed: Callable[[Any, Any], None]) -> None:
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

    def simple_items(self, area: str, thing: str, noun: str, old: Sequence[Any],
                     new: Sequence[Any], roles: Callable[[Any], Iterable[str]] = lambda _: ()
                     ) -> None:
        def title(item: Any) -> str:
            name = getattr(item, "name", None) or getattr(item, "title", None)
            return f"{noun} {name}" if name else f"{noun} {item.id}"

        self.keyed(
            old, new, lambda i: i.id,
            lambda i: self.add(area, f"{thing}_added", f"{thing}:{i.id}", title(i), "added.",
                               None, _plain(i), roles(i)),
            lambda i: self.add(area, f"{thing}_removed", f"{thing}:{i.id}", title(i),
                               "removed.", _plain(i), None, roles(i)),
            lambda a, b: self.attributes(area, thing, f"{thing}:{b.id}", title(b), a, b,
                                         set(roles(a)) | set(roles(b)), skip=("id",)),
        )

    # process ---------------------------------------------------------------------------

    def process(self) -> None:
        old, new = self.old.process, self.new.process
        skip = {*_GOVERNANCE, "stakeholders", "lifecycle", "motions", "calendar"}
        self.attributes("Process", "process", "process", "Process", old, new, (), skip)
        self.keyed(
            old.stakeholders, new.stakeholders, lambda s: s.function,
            lambda s: self.add("Process", "stakeholder_added", f"stakeholder:{s.function}",
                               f"Stakeholder {_label(s.function)}",
                               f"added, represented by {self.role_title(s.role)}.", None,
                               _plain(s), [s.role]),
            lambda s: self.add("Process", "stakeholder_removed", f"stakeholder:{s.function}",
                               f"Stakeholder {_label(s.function)}", "removed.", _plain(s), None,
                               [s.role]),
            lambda a, b: self.attributes("Process", "stakeholder", f"stakeholder:{b.function}",
                                         f"Stakeholder {_label(b.function)}", a, b,
                                         [a.role, b.role], skip=("function",)),
        )

    # stages ----------------------------------------------------------------------------

    def stages(self) -> None:
        old = {s.id: s for s in self.old.stages}
        new = {s.id: s for s in self.new.stages}
        gone = [s for s in self.old.stages if s.id not in new]
        fresh = [s for s in self.new.stages if s.id not in old]
        for stage in gone:
            twin = next((s for s in fresh if s.id not in self.renamed.values() and (
                normal_text(s.name) == normal_text(stage.name)
                or normal_text(s.definition) == normal_text(stage.definition))), None)
            if twin is not None:
                self.renamed[stage.id] = twin.id
        twins = {v: k for k, v in self.renamed.items()}
        for stage in self.new.stages:
            was = old.get(stage.id) or (old[twins[stage.id]] if stage.id in twins else None)
            if was is None:
                self.add("Stages", "stage_added", f"stage:{stage.id}", f"Stage {stage.name}",
                         f"added, owned by {self.role_title(stage.owner)}.", None,
                         _plain(stage), [stage.owner])
            else:
                self.stage(was, stage)
        for stage in gone:
            if stage.id not in self.renamed:
                self.add("Stages", "stage_removed", f"stage:{stage.id}", f"Stage {stage.name}",
                         "removed.", _plain(stage), None, [stage.owner])

    def stage(self, old: Stage, new: Stage) -> None:
        subject, title = f"stage:{new.id}", f"Stage {new.name}"
        owners = {old.owner, new.owner}
        if old.id != new.id or normal_text(old.name) != normal_text(new.name):
            text = f"renamed from {old.name} to {new.name}"
            text += f" (id {old.id} is now {new.id})." if old.id != new.id else "."
            self.add("Stages", "stage_renamed", subject, f"Stage {old.name}", text,
                     {"id": old.id, "name": old.name}, {"id": new.id, "name": new.name}, owners)
        if old.owner != new.owner:
            self.add("Stages", "owner_moved", f"{subject}/owner", title,
                     f"owner moved from {self.role_title(old.owner)} to "
                     f"{self.role_title(new.owner)}.", old.owner, new.owner, owners)
        for name in ("short", "definition", "purpose"):
            text = self.describe(name, getattr(old, name), getattr(new, name))
            if text:
                self.add("Stages", f"{name}_changed" if name == "definition" else "stage_changed",
                         f"{subject}/{name}", title, text, getattr(old, name),
                         getattr(new, name), owners)
        self.steps(subject, title, old, new)
        for key, noun in (("entry_conditions", "entry condition"),
                          ("exit_criteria", "exit criterion")):
            self.criteria(subject, title, noun, key, getattr(old, key), getattr(new, key), owners)
        self.job_aids(subject, title, old.job_aids, new.job_aids, owners)
        for name, noun in (("response_window", "response window"),
                           ("max_time_in_stage", "time-in-stage window")):
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                self.add("Stages", "stage_window_changed", f"{subject}/{name}", title,
                         f"{noun} changed from {_quote(before)} to {_quote(after)}.", before,
                         after, owners)
        for name in ("escalation", "reassignment"):
            before, after = getattr(old, name), getattr(new, name)
            extra = {x.to for x in (before, after) if x is not None}
            text = self.describe(name, before, after)
            if text:
                self.add("Stages", f"{name}_changed", f"{subject}/{name}", title, text,
                         _plain(before), _plain(after), owners | extra)
        for name in ("crm_status", "failure_modes", "kpis"):
            text = self.describe(_label(name).replace("crm", "CRM").replace("kpis", "KPIs"),
                                 getattr(old, name), getattr(new, name))
            if text:
                self.add("Stages", "stage_changed", f"{subject}/{name}", title, text,
                         list(getattr(old, name)), list(getattr(new, name)), owners)

    def steps(self, subject: str, title: str, old: Stage, new: Stage) -> None:
        before = [(normal_text(s.do), s.by) for s in old.steps]
        after = [(normal_text(s.do), s.by) for s in new.steps]
        owners = {old.owner, new.owner}
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(pairs):
                a, b = old.steps[i1 + k], new.steps[j1 + k]
                number = j1 + k + 1
                roles = owners | {a.by, b.by}
                if a.by != b.by:
                    self.add("Stages", "step_moved", f"{subject}/step:{number}", title,
                             f"step {number} moved from {self.role_title(a.by)} to "
                             f"{self.role_title(b.by)}.", a.by, b.by, roles)
                if normal_text(a.do) != normal_text(b.do):
                    self.add("Stages", "step_changed", f"{subject}/step:{number}", title,
                             f"step {number} reworded.", a.do, b.do, roles)
            for k in range(j1 + pairs, j2):
                step = new.steps[k]
                self.add("Stages", "step_added", f"{subject}/step:{k + 1}", title,
                         f"step {k + 1} added, by {self.role_title(step.by)}: "
                         f"{normal_text(step.do)}", None, step.do, owners | {step.by})
            for k in range(i1 + pairs, i2):
                step = old.steps[k]
                self.add("Stages", "step_removed", f"{subject}/step:{k + 1}", title,
                         f"step {k + 1} of {len(old.steps)} removed: {normal_text(step.do)}",
                         step.do, None, owners | {step.by})

    def criteria(self, subject: str, title: str, noun: str, key: str,
                 old: Sequence[Criterion], new: Sequence[Criterion], owners: set[str]) -> None:
        part = "entry" if key == "entry_conditions" else "exit"

        def changed(a: Criterion, b: Criterion) -> None:
            parts = []
            if normal_rule(a.rule) != normal_rule(b.rule):
                if a.rule and b.rule:
                    parts.append(_rule_change(a.rule, b.rule))
                elif b.rule:
                    parts.append(f"now checked by the rule {_code(b.rule)}")
                else:
                    parts.append("no longer checked by a rule")
            if normal_text(a.text) != normal_text(b.text):
                parts.append("text reworded")
            if a.manual != b.manual or normal(a.reason) != normal(b.reason):
                parts.append("now manual" if b.manual and not a.manual
                             else "reason for manual checking reworded" if b.manual
                             else "no longer manual")
            if parts:
                only_text = parts == ["text reworded"]  # then old and new are the texts
                self.add("Stages", "criterion_changed", f"{subject}/{part}:{b.id}", title,
                         f"{noun} {b.id} changed: {'; '.join(parts)}.",
                         a.text if only_text else _plain(a), b.text if only_text else _plain(b),
                         owners)

        self.keyed(
            old, new, lambda c: c.id,
            lambda c: self.add("Stages", "criterion_added", f"{subject}/{part}:{c.id}", title,
                               f"{noun} {c.id} added: {normal_text(c.text)}"
                               + (f" (rule: {_code(c.rule)})" if c.rule else " (manual)"),
                               None, _plain(c), owners),
            lambda c: self.add("Stages", "criterion_removed", f"{subject}/{part}:{c.id}", title,
                               f"{noun} {c.id} removed: {normal_text(c.text)}", _plain(c), None,
                               owners),
            changed,
        )

    def job_aids(self, subject: str, title: str, old: Sequence[JobAid], new: Sequence[JobAid],
                 owners: set[str]) -> None:
        def key(aid: JobAid) -> str:
            return normal_text(aid.title).lower()

        def changed(a: JobAid, b: JobAid) -> None:
            described = (self.describe(name, getattr(a, name), getattr(b, name))
                         for name in ("kind", "path", "url", "purpose"))
            parts = [text for text in described if text]
            if parts:
                self.add("Stages", "job_aid_changed", f"{subject}/job_aid:{key(b)}", title,
                         f"job aid '{b.title}' changed: " + " ".join(parts), _plain(a),
                         _plain(b), owners)

        self.keyed(
            old, new, key,
            lambda a: self.add("Stages", "job_aid_added", f"{subject}/job_aid:{key(a)}", title,
                               f"job aid '{a.title}' added ({a.kind}).", None, _plain(a),
                               owners),
            lambda a: self.add("Stages", "job_aid_removed", f"{subject}/job_aid:{key(a)}",
                               title, f"job aid '{a.title}' removed.", _plain(a), None, owners),
            changed,
        )

    def job_aid_texts(self) -> None:
        """A job aid file whose text changed, once however many stages point to it."""
        for path in sorted(set(self.old_aids) & set(self.new_aids)):
            change = self.aid_text_change(path)
            if not change:
                continue
            users = [(st, aid) for spec in (self.new, self.old) for st in spec.stages
                     for aid in st.job_aids if aid.path == path]
            title = f"Job aid '{users[0][1].title}'" if users else f"Job aid {path}"
            self.add("Job aids", "job_aid_text_changed", f"job_aid:{path}", title, change,
                     None, None, {st.owner for st, _ in users})

    def aid_text_change(self, path: str) -> str:
        before, after = self.old_aids[path], self.new_aids[path]
        if before is None or after is None or normal_text(before) == normal_text(after):
            return ""
        a = [normal_text(line) for line in before.splitlines() if line.strip()]
        b = [normal_text(line) for line in after.splitlines() if line.strip()]
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        added = removed = 0
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                removed += i2 - i1
                added += j2 - j1
        return (f"the text of {path} changed ({_plural(added, 'line')} added, "
                f"{_plural(removed, 'line')} removed).")

    # lifecycle -------------------------------------------------------------------------

    def lifecycle(self) -> None:
        old, new = self.old.process.lifecycle, self.new.process.lifecycle

        def ids(items: Iterable[str]) -> list[str]:
            return [self.renamed.get(i, i) for i in items]

        title = "Lifecycle"
        if ids(old.pre_lead) != list(new.pre_lead):
            self.add("Lifecycle", "lifecycle_changed", "lifecycle/pre_lead", title,
                     f"pre-lead stages changed from {_quote(list(old.pre_lead))} to "
                     f"{_quote(list(new.pre_lead))}.", list(old.pre_lead), list(new.pre_lead),
                     self.owners([*old.pre_lead, *new.pre_lead]))
        if self.renamed.get(old.entry, old.entry) != new.entry:
            self.add("Lifecycle", "lifecycle_changed", "lifecycle/entry", title,
                     f"entry stage changed from {self.stage_name(old.entry)} to "
                     f"{self.stage_name(new.entry)}.", old.entry, new.entry,
                     self.owners([old.entry, new.entry]))

        def key(t: Any) -> str:
            return f"{t.source}->{t.target}"

        def old_key(t: Any) -> str:
            return f"{self.renamed.get(t.source, t.source)}->{self.renamed.get(t.target, t.target)}"

        def name(t: Any) -> str:
            return f"Transition {self.stage_name(t.source)} → {self.stage_name(t.target)}"

        before = {old_key(t): t for t in old.transitions}
        after = {key(t) for t in new.transitions}
        for t in new.transitions:
            roles = self.owners([t.source, t.target])
            if key(t) not in before:
                self.add("Lifecycle", "transition_added", f"transition:{key(t)}", name(t),
                         f"added: {normal_text(t.when)}", None, t.when, roles)
            elif normal_text(before[key(t)].when) != normal_text(t.when):
                self.add("Lifecycle", "transition_changed", f"transition:{key(t)}", name(t),
                         "condition reworded.", before[key(t)].when, t.when, roles)
        for t in old.transitions:
            if old_key(t) not in after:
                self.add("Lifecycle", "transition_removed", f"transition:{old_key(t)}", name(t),
                         "removed.", t.when, None, self.owners([t.source, t.target]))
        outcomes_old = {self.renamed.get(o.stage, o.stage): o.result for o in old.outcomes}
        outcomes_new = {o.stage: o.result for o in new.outcomes}
        if outcomes_old != outcomes_new:
            self.add("Lifecycle", "lifecycle_changed", "lifecycle/outcomes", title,
                     f"outcomes changed from {_quote(outcomes_old)} to {_quote(outcomes_new)}.",
                     outcomes_old, outcomes_new, self.owners([*outcomes_old, *outcomes_new]))

    # motions and windows ---------------------------------------------------------------

    def motions(self) -> None:
        old, new = self.old.process.motions, self.new.process.motions
        for motion_id in sorted(set(old) | set(new)):
            tag = motion_id.upper()
            if motion_id not in old:
                self.add("Motions and windows", "motion_added", f"motion:{motion_id}",
                         f"Motion {tag}", f"added: {new[motion_id].name}.", None,
                         _plain(new[motion_id]))
                continue
            if motion_id not in new:
                self.add("Motions and windows", "motion_removed", f"motion:{motion_id}",
                         f"Motion {tag}", "removed.", _plain(old[motion_id]), None)
                continue
            self.motion(motion_id, old[motion_id], new[motion_id])

    def motion(self, motion_id: str, old: Motion, new: Motion) -> None:
        tag, subject = motion_id.upper(), f"motion:{motion_id}"
        self.attributes("Motions and windows", "motion", subject, f"Motion {tag}", old, new, (),
                        skip=("thresholds", "windows"))
        for name in sorted(set(old.thresholds) | set(new.thresholds)):
            before, after = old.thresholds.get(name), new.thresholds.get(name)
            if before == after:
                continue
            if before is None or after is None:
                verb = "added" if before is None else "removed"
                text = f"{verb}" + (f" at {wording.number(after)}." if after is not None else ".")
            else:
                verb = "raised" if after > before else "lowered"
                text = f"{verb} from {wording.number(before)} to {wording.number(after)}."
            self.add("Motions and windows", f"threshold_{verb}",
                     f"{subject}/threshold:{name}", f"{tag} threshold {name}", text, before,
                     after, self.threshold_roles(name))
        for name in sorted(set(old.windows) | set(new.windows)):
            self.window(motion_id, name, old.windows.get(name), new.windows.get(name))

    def window(self, motion_id: str, name: str, old: Window | None, new: Window | None) -> None:
        tag = motion_id.upper()
        subject = f"motion:{motion_id}/window:{name}"
        title = f"{tag} window {name}{self.window_users(name)}"
        roles = self.window_roles(name)
        area = "Motions and windows"
        if old is None or new is None:
            window = new or old
            assert window is not None
            verb = "added" if old is None else "removed"
            self.add(area, f"window_{verb}", subject, title,
                     f"{verb}: {wording.window(window)}.", _plain(old), _plain(new), roles)
            return
        if old.clock != new.clock:
            self.add(area, "window_changed", subject, title,
                     f"changed from {wording.window(old)} to {wording.window(new)} "
                     f"(now on the {new.clock} clock).", _plain(old), _plain(new), roles)
            return
        self.limit(area, subject, title, "", old.within, new.within, new.clock, roles)
        for source in sorted(set(old.by_source) | set(new.by_source)):
            before = old.by_source.get(source, old.within)
            after = new.by_source.get(source, new.within)
            label = f"for {source} leads "
            if duration_minutes(before) != duration_minutes(after):
                self.limit(area, f"{subject}/source:{source}", title, label, before, after,
                           new.clock, roles)
            elif (source in old.by_source) != (source in new.by_source):
                own = source in new.by_source
                self.add(area, "window_source_added" if own else "window_source_removed",
                         f"{subject}/source:{source}", title,
                         f"{source} leads {'now have their own' if own else 'now follow the'} "
                         f"limit, {_window_text(after, new.clock)} (unchanged for them).",
                         old.by_source.get(source), new.by_source.get(source), roles)

    def limit(self, area: str, subject: str, title: str, label: str, before: str, after: str,
              clock: str, roles: set[str]) -> None:
        a, b = duration_minutes(before), duration_minutes(after)
        if a == b and before == after:
            return
        verb = "tightened" if b < a else "loosened" if b > a else "changed"
        self.add(area, f"window_{verb}", subject, title,
                 f"{label}{verb} from {_window_text(before, clock)} to "
                 f"{_window_text(after, clock)}.", before, after, roles)

    # calendar, lead, fields ------------------------------------------------------------

    def calendar(self) -> None:
        old, new = self.old.process.calendar, self.new.process.calendar
        self.attributes("Calendar", "calendar", "calendar", "Working calendar", old, new, (),
                        skip=("holidays",))
        before = {h.date: h for h in old.holidays}
        after = {h.date: h for h in new.holidays}
        added = [after[d] for d in sorted(after) if d not in before]
        removed = [before[d] for d in sorted(before) if d not in after]
        for h in added:
            self.add("Calendar", "holiday_added", f"calendar/holiday:{h.date}",
                     "Working calendar", f"holiday added: {h.date} {h.name}.", None, h.name)
        for h in removed:
            self.add("Calendar", "holiday_removed", f"calendar/holiday:{h.date}",
                     "Working calendar", f"holiday removed: {h.date} {h.name}.", h.name, None)

    def lead(self) -> None:
        self.attributes("Lead definition", "lead", "lead", "Lead definition", self.old.lead,
                        self.new.lead, self.owners([self.new.process.lifecycle.entry]))

    def fields(self) -> None:
        def text(f: Any) -> str:
            values = f": {', '.join(f.allowed_values)}" if f.allowed_values else ""
            return f"added ({f.type}{values}){', personal data' if f.pii else ''}."

        self.keyed(
            self.old.fields, self.new.fields, lambda f: f.id,
            lambda f: self.add("Data dictionary", "field_added", f"field:{f.id}",
                               f"Field {f.id}", text(f), None, _plain(f), self.field_roles(f.id)),
            lambda f: self.add("Data dictionary", "field_removed", f"field:{f.id}",
                               f"Field {f.id}", "removed.", _plain(f), None,
                               self.field_roles(f.id)),
            lambda a, b: self.attributes("Data dictionary", "field", f"field:{b.id}",
                                         f"Field {b.id}", a, b, self.field_roles(b.id),
                                         skip=("id",)),
        )

    # grading, scoring ------------------------------------------------------------------

    def grading(self) -> None:
        old, new = self.old.grading, self.new.grading
        roles = self.field_roles(new.field) | self.field_roles(old.field)
        self.attributes("Grading", "grading", "grading", "Grading", old, new, roles,
                        skip=("grades",))

        def changed(a: Any, b: Any) -> None:
            if normal_rule(a.rule) != normal_rule(b.rule):
                self.add("Grading", "grade_changed", f"grade:{b.grade}/rule", f"Grade {b.grade}",
                         f"{_rule_change(a.rule, b.rule)}.",
                         a.rule, b.rule, roles)
            self.attributes("Grading", "grade", f"grade:{b.grade}", f"Grade {b.grade}", a, b,
                            roles, skip=("grade", "rule"))

        self.keyed(
            old.grades, new.grades, lambda g: g.grade,
            lambda g: self.add("Grading", "grade_added", f"grade:{g.grade}", f"Grade {g.grade}",
                               f"added: {g.label}.", None, _plain(g), roles),
            lambda g: self.add("Grading", "grade_removed", f"grade:{g.grade}",
                               f"Grade {g.grade}", "removed.", _plain(g), None, roles),
            changed,
        )

    def scoring(self) -> None:
        old, new = self.old.scoring, self.new.scoring
        roles = self.field_roles(new.field) | self.field_roles(old.field)
        self.attributes("Scoring", "scoring", "scoring", "Scoring", old, new, roles,
                        skip=("signals", "thresholds"))

        def changed(a: Any, b: Any) -> None:
            if a.points != b.points:
                verb = "raised" if b.points > a.points else "lowered"
                self.add("Scoring", "signal_points_changed", f"signal:{b.id}/points",
                         f"Scoring signal {b.name}",
                         f"points {verb} from {a.points} to {b.points}.", a.points, b.points,
                         roles)
            self.attributes("Scoring", "signal", f"signal:{b.id}", f"Scoring signal {b.name}",
                            a, b, roles, skip=("id", "points"))

        self.keyed(
            old.signals, new.signals, lambda s: s.id,
            lambda s: self.add("Scoring", "signal_added", f"signal:{s.id}",
                               f"Scoring signal {s.name}", f"added, worth {s.points} points.",
                               None, _plain(s), roles),
            lambda s: self.add("Scoring", "signal_removed", f"signal:{s.id}",
                               f"Scoring signal {s.name}", "removed.", _plain(s), None, roles),
            changed,
        )
        self.simple_items("Scoring", "threshold", "Threshold", old.thresholds, new.thresholds,
                          lambda t: self.threshold_roles(t.id))

    # roles, failure modes, KPIs, checks, glossary --------------------------------------

    def roles(self) -> None:
        self.simple_items("Roles", "role", "Role", self.old.roles, self.new.roles,
                          lambda r: [r.id])

    def failure_modes(self) -> None:
        def stages_of(spec: Spec, fm_id: str) -> set[str]:
            return {st.owner for st in spec.stages if fm_id in st.failure_modes}

        self.simple_items("Failure modes", "failure_mode", "Failure mode",
                          self.old.failure_modes, self.new.failure_modes,
                          lambda f: stages_of(self.old, f.id) | stages_of(self.new, f.id))

    def kpis(self) -> None:
        def roles(kpi_id: str) -> set[str]:
            return self._both(lambda s: (st.owner for st in s.stages if kpi_id in st.kpis))

        def target(k: Kpi) -> str:
            return wording.target(k.target, k.unit)

        def changed(a: Kpi, b: Kpi) -> None:
            title = f"KPI {b.name}"
            if normal(a.target) != normal(b.target) or (a.unit != b.unit and a.target):
                self.add("KPIs", "kpi_target_changed", f"kpi:{b.id}/target", title,
                         f"target changed from {target(a)} to {target(b)}.", _plain(a.target),
                         _plain(b.target), roles(b.id))
            self.attributes("KPIs", "kpi", f"kpi:{b.id}", title, a, b, roles(b.id),
                            skip=("id", "target"))

        self.keyed(
            self.old.kpis, self.new.kpis, lambda k: k.id,
            lambda k: self.add("KPIs", "kpi_added", f"kpi:{k.id}", f"KPI {k.name}",
                               f"added, target {target(k)}, reviewed {k.cadence}.", None,
                               _plain(k), roles(k.id)),
            lambda k: self.add("KPIs", "kpi_removed", f"kpi:{k.id}", f"KPI {k.name}",
                               "removed.", _plain(k), None, roles(k.id)),
            changed,
        )

    def checks(self) -> None:
        def roles(check: Check) -> set[str]:
            found: set[str] = set()
            for spec in (self.old, self.new):
                if any(c.id == check.id for c in spec.checks):
                    found |= self.check_owners_in(spec, check)
            return found

        def changed(a: Check, b: Check) -> None:
            title = f"Rule {b.id}"
            if normal_rule(a.rule) != normal_rule(b.rule):
                self.add("Checks", "rule_changed", f"check:{b.id}/rule", title,
                         f"{_rule_change(a.rule, b.rule, 'condition')}.", a.rule, b.rule,
                         roles(a) | roles(b))
            if normal(a.threshold) != normal(b.threshold):
                self.add("Checks", "rule_changed", f"check:{b.id}/threshold", title,
                         f"allowed violations changed from {_threshold(a)} to {_threshold(b)}.",
                         _plain(a.threshold), _plain(b.threshold), roles(a) | roles(b))
            self.attributes("Checks", "rule", f"check:{b.id}", title, a, b,
                            roles(a) | roles(b), skip=("id", "rule", "threshold"))

        self.keyed(
            self.old.checks, self.new.checks, lambda c: c.id,
            lambda c: self.add("Checks", "rule_added", f"check:{c.id}", f"Rule {c.id}",
                               f"added ({_label(c.kind)}, {c.severity}): "
                               f"{normal_text(c.description)}", None, _plain(c), roles(c)),
            lambda c: self.add("Checks", "rule_dropped", f"check:{c.id}", f"Rule {c.id}",
                               f"dropped: {normal_text(c.description)}", _plain(c), None,
                               roles(c)),
            changed,
        )

    def glossary(self) -> None:
        self.keyed(
            self.old.glossary, self.new.glossary, lambda t: normal_text(t.term).lower(),
            lambda t: self.add("Glossary", "term_added", f"term:{t.term}", f"Term {t.term}",
                               "added.", None, _plain(t)),
            lambda t: self.add("Glossary", "term_removed", f"term:{t.term}", f"Term {t.term}",
                               "removed.", _plain(t), None),
            lambda a, b: self.attributes("Glossary", "term", f"term:{b.term}", f"Term {b.term}",
                                         a, b, (), skip=("term",)),
        )


_TOKEN = re.compile(r"'(?:[^']|'')*'|\d+(?:\.\d+)?|\w+|[^\s\w]")
_SHOWN_RULE = 80  # shorter new rules are quoted whole after their change


def _rule_change(before: str | None, after: str | None, noun: str = "rule") -> str:
    """'rule: 'C' removed (now `...`)' when only values changed, else the rule old and new."""
    if not before or not after:
        return f"{noun} now {_code(after)} (was {_code(before)})"
    a = _TOKEN.findall(normal_rule(before) or "")
    b = _TOKEN.findall(normal_rule(after) or "")
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gone = [x for x in a[i1:i2] if x != ","]
        came = [x for x in b[j1:j2] if x != ","]
        if not all(_is_value(x) for x in gone + came):
            return f"{noun} now {_code(after)} (was {_code(before)})"
        if len(gone) == 1 and len(came) == 1:
            parts.append(f"{gone[0]} changed to {came[0]}")
            continue
        if gone:
            parts.append(f"{', '.join(gone)} removed")
        if came:
            parts.append(f"{', '.join(came)} added")
    text = f"{noun}: {'; '.join(parts)}"
    shown = normal_text(after)
    return text + (f" (now `{shown}`)" if len(shown) <= _SHOWN_RULE else "")


def _is_value(token: str) -> bool:
    return token.startswith("'") or token.replace(".", "", 1).isdigit()


def _code(rule: str | None) -> str:
    return f"`{normal_text(rule)}`" if rule else "none"


def _threshold(check: Check) -> str:
    t = check.threshold
    return _plural(t.count, "lead") if t.count is not None else f"{t.percent:g}% of checked leads"


def _is_scalar_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str | int | float) for v in value)


def _list_change(label: str, before: list[Any], after: list[Any]) -> str | None:
    old = [normal(v) for v in before]
    new = [normal(v) for v in after]
    added = [v for v in new if v not in old]
    removed = [v for v in old if v not in new]
    if not added and not removed:
        return None  # only the order differs, which carries no meaning in these lists
    parts = []
    if added:
        parts.append(f"added {_quote(added)}")
    if removed:
        parts.append(f"removed {_quote(removed)}")
    return f"{label}: {'; '.join(parts)}."


def _plain(value: Any) -> Any:
    """A value as JSON-ready data, for the old and new of a change."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    return value
