"""Changes to the lifecycle: entry, transitions, outcomes and the pre-lead stages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .matching import Differ
from .wording import normal_text, quote


def diff_lifecycle(d: Differ) -> None:
    old, new = d.old.process.lifecycle, d.new.process.lifecycle

    def ids(items: Iterable[str]) -> list[str]:
        return [d.renamed.get(i, i) for i in items]

    title = "Lifecycle"
    if ids(old.pre_lead) != list(new.pre_lead):
        d.add(
            "Lifecycle",
            "lifecycle_changed",
            "lifecycle/pre_lead",
            title,
            f"pre-lead stages changed from {quote(list(old.pre_lead))} to {quote(list(new.pre_lead))}.",
            list(old.pre_lead),
            list(new.pre_lead),
            d.owners([*old.pre_lead, *new.pre_lead]),
        )
    if d.renamed.get(old.entry, old.entry) != new.entry:
        d.add(
            "Lifecycle",
            "lifecycle_changed",
            "lifecycle/entry",
            title,
            f"entry stage changed from {d.stage_name(old.entry)} to {d.stage_name(new.entry)}.",
            old.entry,
            new.entry,
            d.owners([old.entry, new.entry]),
        )

    def key(t: Any) -> str:
        return f"{t.source}->{t.target}"

    def old_key(t: Any) -> str:
        return f"{d.renamed.get(t.source, t.source)}->{d.renamed.get(t.target, t.target)}"

    def name(t: Any) -> str:
        return f"Transition {d.stage_name(t.source)} → {d.stage_name(t.target)}"

    before = {old_key(t): t for t in old.transitions}
    after = {key(t) for t in new.transitions}
    for t in new.transitions:
        roles = d.owners([t.source, t.target])
        if key(t) not in before:
            d.add(
                "Lifecycle",
                "transition_added",
                f"transition:{key(t)}",
                name(t),
                f"added: {normal_text(t.when)}",
                None,
                t.when,
                roles,
            )
        elif normal_text(before[key(t)].when) != normal_text(t.when):
            d.add(
                "Lifecycle",
                "transition_changed",
                f"transition:{key(t)}",
                name(t),
                "condition reworded.",
                before[key(t)].when,
                t.when,
                roles,
            )
    for t in old.transitions:
        if old_key(t) not in after:
            d.add(
                "Lifecycle",
                "transition_removed",
                f"transition:{old_key(t)}",
                name(t),
                "removed.",
                t.when,
                None,
                d.owners([t.source, t.target]),
            )
    outcomes_old = {d.renamed.get(o.stage, o.stage): o.result for o in old.outcomes}
    outcomes_new = {o.stage: o.result for o in new.outcomes}
    if outcomes_old != outcomes_new:
        d.add(
            "Lifecycle",
            "lifecycle_changed",
            "lifecycle/outcomes",
            title,
            f"outcomes changed from {quote(outcomes_old)} to {quote(outcomes_new)}.",
            outcomes_old,
            outcomes_new,
            d.owners([*outcomes_old, *outcomes_new]),
        )
