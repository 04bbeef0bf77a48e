"""Changes to the process itself, its calendar, roles, failure modes and glossary."""

from __future__ import annotations

from ...spec.models import (
    Spec,
)
from .matching import Differ
from .wording import field_label, normal_text, plain

_GOVERNANCE = {"version", "status", "approvals", "changelog", "waivers"}


def diff_process(d: Differ) -> None:
    old, new = d.old.process, d.new.process
    skip = {*_GOVERNANCE, "stakeholders", "lifecycle", "motions", "calendar"}
    d.attributes("Process", "process", "process", "Process", old, new, (), skip)
    d.keyed(
        old.stakeholders,
        new.stakeholders,
        lambda s: s.function,
        lambda s: d.add(
            "Process",
            "stakeholder_added",
            f"stakeholder:{s.function}",
            f"Stakeholder {field_label(s.function)}",
            f"added, represented by {d.role_title(s.role)}.",
            None,
            plain(s),
            [s.role],
        ),
        lambda s: d.add(
            "Process",
            "stakeholder_removed",
            f"stakeholder:{s.function}",
            f"Stakeholder {field_label(s.function)}",
            "removed.",
            plain(s),
            None,
            [s.role],
        ),
        lambda a, b: d.attributes(
            "Process",
            "stakeholder",
            f"stakeholder:{b.function}",
            f"Stakeholder {field_label(b.function)}",
            a,
            b,
            [a.role, b.role],
            skip=("function",),
        ),
    )


def diff_calendar(d: Differ) -> None:
    old, new = d.old.process.calendar, d.new.process.calendar
    d.attributes("Calendar", "calendar", "calendar", "Working calendar", old, new, (), skip=("holidays",))
    before = {h.date: h for h in old.holidays}
    after = {h.date: h for h in new.holidays}
    added = [after[d] for d in sorted(after) if d not in before]
    removed = [before[d] for d in sorted(before) if d not in after]
    for h in added:
        d.add(
            "Calendar",
            "holiday_added",
            f"calendar/holiday:{h.date}",
            "Working calendar",
            f"holiday added: {h.date} {h.name}.",
            None,
            h.name,
        )
    for h in removed:
        d.add(
            "Calendar",
            "holiday_removed",
            f"calendar/holiday:{h.date}",
            "Working calendar",
            f"holiday removed: {h.date} {h.name}.",
            h.name,
            None,
        )


def diff_roles(d: Differ) -> None:
    d.simple_items("Roles", "role", "Role", d.old.roles, d.new.roles, lambda r: [r.id])


def diff_failure_modes(d: Differ) -> None:
    def stages_of(spec: Spec, fm_id: str) -> set[str]:
        return {st.owner for st in spec.stages if fm_id in st.failure_modes}

    d.simple_items(
        "Failure modes",
        "failure_mode",
        "Failure mode",
        d.old.failure_modes,
        d.new.failure_modes,
        lambda f: stages_of(d.old, f.id) | stages_of(d.new, f.id),
    )


def diff_glossary(d: Differ) -> None:
    d.keyed(
        d.old.glossary,
        d.new.glossary,
        lambda t: normal_text(t.term).lower(),
        lambda t: d.add(
            "Glossary", "term_added", f"term:{t.term}", f"Term {t.term}", "added.", None, plain(t)
        ),
        lambda t: d.add(
            "Glossary", "term_removed", f"term:{t.term}", f"Term {t.term}", "removed.", plain(t), None
        ),
        lambda a, b: d.attributes(
            "Glossary", "term", f"term:{b.term}", f"Term {b.term}", a, b, (), skip=("term",)
        ),
    )
