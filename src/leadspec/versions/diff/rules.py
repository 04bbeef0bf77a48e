"""Changes to grading, scoring and the checks, rules compared as parsed SQL."""

from __future__ import annotations

from typing import Any

from ...spec.models import (
    Check,
)
from .matching import Differ
from .wording import (
    field_label,
    normal,
    normal_rule,
    normal_text,
    plain,
    rule_change,
    threshold,
)


def diff_grading(d: Differ) -> None:
    old, new = d.old.grading, d.new.grading
    roles = d.field_roles(new.field) | d.field_roles(old.field)
    d.attributes("Grading", "grading", "grading", "Grading", old, new, roles, skip=("grades",))

    def changed(a: Any, b: Any) -> None:
        if normal_rule(a.rule) != normal_rule(b.rule):
            d.add(
                "Grading",
                "grade_changed",
                f"grade:{b.grade}/rule",
                f"Grade {b.grade}",
                f"{rule_change(a.rule, b.rule)}.",
                a.rule,
                b.rule,
                roles,
            )
        d.attributes(
            "Grading", "grade", f"grade:{b.grade}", f"Grade {b.grade}", a, b, roles, skip=("grade", "rule")
        )

    d.keyed(
        old.grades,
        new.grades,
        lambda g: g.grade,
        lambda g: d.add(
            "Grading",
            "grade_added",
            f"grade:{g.grade}",
            f"Grade {g.grade}",
            f"added: {g.label}.",
            None,
            plain(g),
            roles,
        ),
        lambda g: d.add(
            "Grading",
            "grade_removed",
            f"grade:{g.grade}",
            f"Grade {g.grade}",
            "removed.",
            plain(g),
            None,
            roles,
        ),
        changed,
    )


def diff_scoring(d: Differ) -> None:
    old, new = d.old.scoring, d.new.scoring
    roles = d.field_roles(new.field) | d.field_roles(old.field)
    d.attributes("Scoring", "scoring", "scoring", "Scoring", old, new, roles, skip=("signals", "thresholds"))

    def changed(a: Any, b: Any) -> None:
        if a.points != b.points:
            verb = "raised" if b.points > a.points else "lowered"
            d.add(
                "Scoring",
                "signal_points_changed",
                f"signal:{b.id}/points",
                f"Scoring signal {b.name}",
                f"points {verb} from {a.points} to {b.points}.",
                a.points,
                b.points,
                roles,
            )
        d.attributes(
            "Scoring",
            "signal",
            f"signal:{b.id}",
            f"Scoring signal {b.name}",
            a,
            b,
            roles,
            skip=("id", "points"),
        )

    d.keyed(
        old.signals,
        new.signals,
        lambda s: s.id,
        lambda s: d.add(
            "Scoring",
            "signal_added",
            f"signal:{s.id}",
            f"Scoring signal {s.name}",
            f"added, worth {s.points} points.",
            None,
            plain(s),
            roles,
        ),
        lambda s: d.add(
            "Scoring",
            "signal_removed",
            f"signal:{s.id}",
            f"Scoring signal {s.name}",
            "removed.",
            plain(s),
            None,
            roles,
        ),
        changed,
    )
    d.simple_items(
        "Scoring", "threshold", "Threshold", old.thresholds, new.thresholds, lambda t: d.threshold_roles(t.id)
    )


def diff_checks(d: Differ) -> None:
    def roles(check: Check) -> set[str]:
        found: set[str] = set()
        for spec in (d.old, d.new):
            if any(c.id == check.id for c in spec.checks):
                found |= d.check_owners_in(spec, check)
        return found

    def changed(a: Check, b: Check) -> None:
        title = f"Rule {b.id}"
        before, after = a.option("rule"), b.option("rule")
        if normal_rule(before) != normal_rule(after):
            d.add(
                "Checks",
                "rule_changed",
                f"check:{b.id}/rule",
                title,
                f"{rule_change(before, after, 'condition')}.",
                before,
                after,
                roles(a) | roles(b),
            )
        if normal(a.threshold) != normal(b.threshold):
            d.add(
                "Checks",
                "rule_changed",
                f"check:{b.id}/threshold",
                title,
                f"allowed violations changed from {threshold(a)} to {threshold(b)}.",
                plain(a.threshold),
                plain(b.threshold),
                roles(a) | roles(b),
            )
        d.attributes(
            "Checks", "rule", f"check:{b.id}", title, a, b, roles(a) | roles(b), skip=("id", "threshold")
        )
        for name in sorted({*a.options, *b.options} - {"rule"}):  # the kind's own options
            text = d.describe(field_label(name), a.option(name), b.option(name))
            if text:
                d.add(
                    "Checks",
                    "rule_changed",
                    f"check:{b.id}/{name}",
                    title,
                    text,
                    plain(a.option(name)),
                    plain(b.option(name)),
                    roles(a) | roles(b),
                )

    d.keyed(
        d.old.checks,
        d.new.checks,
        lambda c: c.id,
        lambda c: d.add(
            "Checks",
            "rule_added",
            f"check:{c.id}",
            f"Rule {c.id}",
            f"added ({field_label(c.kind)}, {c.severity}): {normal_text(c.description)}",
            None,
            plain(c),
            roles(c),
        ),
        lambda c: d.add(
            "Checks",
            "rule_dropped",
            f"check:{c.id}",
            f"Rule {c.id}",
            f"dropped: {normal_text(c.description)}",
            plain(c),
            None,
            roles(c),
        ),
        changed,
    )
