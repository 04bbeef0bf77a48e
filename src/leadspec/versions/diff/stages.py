"""Changes to the stages: added, removed or renamed, and each one's steps, criteria
and job aids, with the text of the job aid files.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ...spec.findings import plural
from ...spec.models import (
    Criterion,
    JobAid,
    Stage,
)
from .matching import Differ
from .wording import (
    code,
    field_label,
    normal,
    normal_rule,
    normal_text,
    plain,
    quote,
    rule_change,
)


def diff_stages(d: Differ) -> None:
    old = {s.id: s for s in d.old.stages}
    new = {s.id: s for s in d.new.stages}
    gone = [s for s in d.old.stages if s.id not in new]
    fresh = [s for s in d.new.stages if s.id not in old]
    for stage in gone:
        twin = next(
            (
                s
                for s in fresh
                if s.id not in d.renamed.values()
                and (
                    normal_text(s.name) == normal_text(stage.name)
                    or normal_text(s.definition) == normal_text(stage.definition)
                )
            ),
            None,
        )
        if twin is not None:
            d.renamed[stage.id] = twin.id
    twins = {v: k for k, v in d.renamed.items()}
    for stage in d.new.stages:
        was = old.get(stage.id) or (old[twins[stage.id]] if stage.id in twins else None)
        if was is None:
            d.add(
                "Stages",
                "stage_added",
                f"stage:{stage.id}",
                f"Stage {stage.name}",
                f"added, owned by {d.role_title(stage.owner)}.",
                None,
                plain(stage),
                [stage.owner],
            )
        else:
            diff_stage(d, was, stage)
    for stage in gone:
        if stage.id not in d.renamed:
            d.add(
                "Stages",
                "stage_removed",
                f"stage:{stage.id}",
                f"Stage {stage.name}",
                "removed.",
                plain(stage),
                None,
                [stage.owner],
            )


def diff_stage(d: Differ, old: Stage, new: Stage) -> None:
    subject, title = f"stage:{new.id}", f"Stage {new.name}"
    owners = {old.owner, new.owner}
    if old.id != new.id or normal_text(old.name) != normal_text(new.name):
        renamed = f"renamed from {old.name} to {new.name}"
        renamed += f" (id {old.id} is now {new.id})." if old.id != new.id else "."
        d.add(
            "Stages",
            "stage_renamed",
            subject,
            f"Stage {old.name}",
            renamed,
            {"id": old.id, "name": old.name},
            {"id": new.id, "name": new.name},
            owners,
        )
    if old.owner != new.owner:
        d.add(
            "Stages",
            "owner_moved",
            f"{subject}/owner",
            title,
            f"owner moved from {d.role_title(old.owner)} to {d.role_title(new.owner)}.",
            old.owner,
            new.owner,
            owners,
        )
    for name in ("short", "definition", "purpose"):
        text = d.describe(name, getattr(old, name), getattr(new, name))
        if text:
            d.add(
                "Stages",
                f"{name}_changed" if name == "definition" else "stage_changed",
                f"{subject}/{name}",
                title,
                text,
                getattr(old, name),
                getattr(new, name),
                owners,
            )
    diff_steps(d, subject, title, old, new)
    for key, noun in (("entry_conditions", "entry condition"), ("exit_criteria", "exit criterion")):
        diff_criteria(d, subject, title, noun, key, getattr(old, key), getattr(new, key), owners)
    diff_job_aids(d, subject, title, old.job_aids, new.job_aids, owners)
    for name, noun in (("response_window", "response window"), ("max_time_in_stage", "time-in-stage window")):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            d.add(
                "Stages",
                "stage_window_changed",
                f"{subject}/{name}",
                title,
                f"{noun} changed from {quote(before)} to {quote(after)}.",
                before,
                after,
                owners,
            )
    for name in ("escalation", "reassignment"):
        before, after = getattr(old, name), getattr(new, name)
        extra = {x.to for x in (before, after) if x is not None}
        text = d.describe(name, before, after)
        if text:
            d.add(
                "Stages",
                f"{name}_changed",
                f"{subject}/{name}",
                title,
                text,
                plain(before),
                plain(after),
                owners | extra,
            )
    for name in ("crm_status", "failure_modes", "kpis"):
        text = d.describe(
            field_label(name).replace("crm", "CRM").replace("kpis", "KPIs"),
            getattr(old, name),
            getattr(new, name),
        )
        if text:
            d.add(
                "Stages",
                "stage_changed",
                f"{subject}/{name}",
                title,
                text,
                list(getattr(old, name)),
                list(getattr(new, name)),
                owners,
            )


def diff_steps(d: Differ, subject: str, title: str, old: Stage, new: Stage) -> None:
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
                d.add(
                    "Stages",
                    "step_moved",
                    f"{subject}/step:{number}",
                    title,
                    f"step {number} moved from {d.role_title(a.by)} to {d.role_title(b.by)}.",
                    a.by,
                    b.by,
                    roles,
                )
            if normal_text(a.do) != normal_text(b.do):
                d.add(
                    "Stages",
                    "step_changed",
                    f"{subject}/step:{number}",
                    title,
                    f"step {number} reworded.",
                    a.do,
                    b.do,
                    roles,
                )
        for k in range(j1 + pairs, j2):
            step = new.steps[k]
            d.add(
                "Stages",
                "step_added",
                f"{subject}/step:{k + 1}",
                title,
                f"step {k + 1} added, by {d.role_title(step.by)}: {normal_text(step.do)}",
                None,
                step.do,
                owners | {step.by},
            )
        for k in range(i1 + pairs, i2):
            step = old.steps[k]
            d.add(
                "Stages",
                "step_removed",
                f"{subject}/step:{k + 1}",
                title,
                f"step {k + 1} of {len(old.steps)} removed: {normal_text(step.do)}",
                step.do,
                None,
                owners | {step.by},
            )


def diff_criteria(
    d: Differ,
    subject: str,
    title: str,
    noun: str,
    key: str,
    old: Sequence[Criterion],
    new: Sequence[Criterion],
    owners: set[str],
) -> None:
    part = "entry" if key == "entry_conditions" else "exit"

    def changed(a: Criterion, b: Criterion) -> None:
        parts = []
        if normal_rule(a.rule) != normal_rule(b.rule):
            if a.rule and b.rule:
                parts.append(rule_change(a.rule, b.rule))
            elif b.rule:
                parts.append(f"now checked by the rule {code(b.rule)}")
            else:
                parts.append("no longer checked by a rule")
        if normal_text(a.text) != normal_text(b.text):
            parts.append("text reworded")
        if a.manual != b.manual or normal(a.reason) != normal(b.reason):
            parts.append(
                "now manual"
                if b.manual and not a.manual
                else "reason for manual checking reworded"
                if b.manual
                else "no longer manual"
            )
        if parts:
            only_text = parts == ["text reworded"]  # then old and new are the texts
            d.add(
                "Stages",
                "criterion_changed",
                f"{subject}/{part}:{b.id}",
                title,
                f"{noun} {b.id} changed: {'; '.join(parts)}.",
                a.text if only_text else plain(a),
                b.text if only_text else plain(b),
                owners,
            )

    d.keyed(
        old,
        new,
        lambda c: c.id,
        lambda c: d.add(
            "Stages",
            "criterion_added",
            f"{subject}/{part}:{c.id}",
            title,
            f"{noun} {c.id} added: {normal_text(c.text)}"
            + (f" (rule: {code(c.rule)})" if c.rule else " (manual)"),
            None,
            plain(c),
            owners,
        ),
        lambda c: d.add(
            "Stages",
            "criterion_removed",
            f"{subject}/{part}:{c.id}",
            title,
            f"{noun} {c.id} removed: {normal_text(c.text)}",
            plain(c),
            None,
            owners,
        ),
        changed,
    )


def diff_job_aids(
    d: Differ, subject: str, title: str, old: Sequence[JobAid], new: Sequence[JobAid], owners: set[str]
) -> None:
    def key(aid: JobAid) -> str:
        return normal_text(aid.title).lower()

    def changed(a: JobAid, b: JobAid) -> None:
        described = (
            d.describe(name, getattr(a, name), getattr(b, name))
            for name in ("kind", "path", "url", "purpose")
        )
        parts = [text for text in described if text]
        if parts:
            d.add(
                "Stages",
                "job_aid_changed",
                f"{subject}/job_aid:{key(b)}",
                title,
                f"job aid '{b.title}' changed: " + " ".join(parts),
                plain(a),
                plain(b),
                owners,
            )

    d.keyed(
        old,
        new,
        key,
        lambda a: d.add(
            "Stages",
            "job_aid_added",
            f"{subject}/job_aid:{key(a)}",
            title,
            f"job aid '{a.title}' added ({a.kind}).",
            None,
            plain(a),
            owners,
        ),
        lambda a: d.add(
            "Stages",
            "job_aid_removed",
            f"{subject}/job_aid:{key(a)}",
            title,
            f"job aid '{a.title}' removed.",
            plain(a),
            None,
            owners,
        ),
        changed,
    )


def diff_job_aid_texts(d: Differ) -> None:
    """A job aid file whose text changed, once however many stages point to it."""
    for path in sorted(set(d.old_aids) & set(d.new_aids)):
        change = diff_aid_text_change(d, path)
        if not change:
            continue
        users = [
            (st, aid)
            for spec in (d.new, d.old)
            for st in spec.stages
            for aid in st.job_aids
            if aid.path == path
        ]
        title = f"Job aid '{users[0][1].title}'" if users else f"Job aid {path}"
        d.add(
            "Job aids",
            "job_aid_text_changed",
            f"job_aid:{path}",
            title,
            change,
            None,
            None,
            {st.owner for st, _ in users},
        )


def diff_aid_text_change(d: Differ, path: str) -> str:
    before, after = d.old_aids[path], d.new_aids[path]
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
    return f"the text of {path} changed ({plural(added, 'line')} added, {plural(removed, 'line')} removed)."
