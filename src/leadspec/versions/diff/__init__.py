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

The work is split by area: `matching` holds the differ and the comparisons every
area uses, one module per area of the spec finds its changes, and `wording` says
them.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...spec.models import Spec
from . import fields, kpis, lifecycle, process, rules, stages, windows
from .matching import AREAS, Change, Differ
from .wording import normal, normal_rule, normal_text

__all__ = ["AREAS", "Change", "diff", "normal", "normal_rule", "normal_text"]


def diff(
    old: Spec,
    new: Spec,
    old_aids: Mapping[str, str | None] | None = None,
    new_aids: Mapping[str, str | None] | None = None,
) -> list[Change]:
    """Every change from `old` to `new`, grouped by area in AREAS order, each in spec order.

    `old_aids` and `new_aids` hold the text of job aid files by path; without them only
    the job aid entries of the stages are compared.
    """
    d = Differ(old, new, dict(old_aids or {}), dict(new_aids or {}))
    process.diff_process(d)
    stages.diff_stages(d)
    stages.diff_job_aid_texts(d)
    lifecycle.diff_lifecycle(d)
    windows.diff_motions(d)
    process.diff_calendar(d)
    fields.diff_lead(d)
    fields.diff_fields(d)
    rules.diff_grading(d)
    rules.diff_scoring(d)
    d.simple_items("Readiness", "readiness", "Readiness level", d.old.readiness, d.new.readiness)
    d.simple_items("Sources", "source", "Source", d.old.sources, d.new.sources)
    process.diff_roles(d)
    process.diff_failure_modes(d)
    kpis.diff_kpis(d)
    rules.diff_checks(d)
    process.diff_glossary(d)
    rank = {area: i for i, area in enumerate(AREAS)}
    return sorted(d.changes, key=lambda c: rank[c.area])  # stable: spec order within an area
