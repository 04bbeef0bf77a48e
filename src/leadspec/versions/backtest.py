"""Run two versions' rules on the same CRM export: what a change would have meant if live.

One DuckDB connection; the export is loaded through the mapping once per version
(each version has its own data dictionary, so the canonical tables differ), and both
versions are judged as of the same moment. A mapping column for a field a version
does not define is left out for that version, and said so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..conformance import Report, run_checks
from ..data import Mapping, Source, load_export
from ..engines import Connection
from ..spec.models import Spec
from .freeze import Snapshot


@dataclass(frozen=True)
class RuleCounts:
    id: str
    old: int | None  # leads the old version flags; None when it has no such rule
    new: int | None

    @property
    def delta(self) -> int | None:
        return None if self.old is None or self.new is None else self.new - self.old

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "old": self.old, "new": self.new, "delta": self.delta}


@dataclass(frozen=True)
class Backtest:
    inputs: tuple[str, ...]  # file names of the export
    mapping: str
    as_of: dt.datetime
    leads: int
    rules: tuple[RuleCounts, ...]
    flagged_old: int  # leads flagged by at least one rule
    flagged_new: int
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": list(self.inputs),
            "mapping": self.mapping,
            "as_of": self.as_of.isoformat(),
            "leads": self.leads,
            "rules": [r.as_dict() for r in self.rules],
            "flagged": {"old": self.flagged_old, "new": self.flagged_new},
            "notes": list(self.notes),
        }


def narrow(mapping: Mapping, spec: Spec) -> tuple[Mapping, list[str]]:
    """The mapping without the fields `spec` does not define, and those fields' names."""
    known = {f.id for f in spec.fields}
    file = mapping.file
    used = {*file.leads.columns, *file.leads.optional, *file.values, *file.constants, *file.derived}
    dropped = sorted(used - known)
    if not dropped:
        return mapping, []
    leads = file.leads.model_copy(
        update={
            "columns": {k: v for k, v in file.leads.columns.items() if k in known},
            "optional": [f for f in file.leads.optional if f in known],
        }
    )
    narrowed = file.model_copy(
        update={
            "leads": leads,
            "values": {k: v for k, v in file.values.items() if k in known},
            "constants": {k: v for k, v in file.constants.items() if k in known},
            "derived": {k: v for k, v in file.derived.items() if k in known},
        }
    )
    return dataclasses.replace(mapping, file=narrowed), dropped


def backtest(
    con: Connection,
    old: Snapshot,
    new: Snapshot,
    leads: Source,
    events: Source | None,
    mapping: Mapping,
    *,
    as_of: dt.datetime | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    joins: dict[str, Source] | None = None,
) -> Backtest:
    """Per rule, how many leads of the export each version flags.

    Raises the data step's MappingError or InputError when a version cannot read the export.
    """
    notes: dict[str, list[str]] = {"old": [], "new": []}
    runs: dict[str, tuple[Report, int]] = {}
    moment = as_of
    for key, snapshot in (("new", new), ("old", old)):  # the newer version fixes 'now'
        fitted, dropped = narrow(mapping, snapshot.spec)
        if dropped:
            notes[key].append(
                f"{snapshot.name} has no field {', '.join(dropped)}: the mapping's "
                "columns for them were not read for that version"
            )
        data = load_export(
            con, snapshot.spec, leads, events, fitted, encoding=encoding, delimiter=delimiter, joins=joins
        )
        if moment is None:
            moment = data.latest or dt.datetime(1970, 1, 1)
        report = run_checks(
            con,
            snapshot.spec,
            as_of=moment,
            mapping=mapping.name,
            inputs=data.inputs,
            samples=0,
            unfed=data.unfed,
            history=data.history,
        )
        flagged = con.execute("SELECT COUNT(DISTINCT lead_id) FROM violations").fetchone()
        skipped = sorted(r.id for r in report.rules if r.status == "skipped")
        if skipped:
            notes[key].append(
                f"{snapshot.name}: {len(skipped)} rules not measured, since the export "
                f"lacks the data they read (their count is 0): {', '.join(skipped)}"
            )
        runs[key] = (report, int(flagged[0]) if flagged else 0)
    assert moment is not None
    old_report, flagged_old = runs["old"]
    new_report, flagged_new = runs["new"]
    before = {r.id: r.violations for r in old_report.rules}
    after = {r.id: r.violations for r in new_report.rules}
    order = [r.id for r in new_report.rules] + [r.id for r in old_report.rules if r.id not in after]
    rules = tuple(RuleCounts(rule, before.get(rule), after.get(rule)) for rule in order)
    names = tuple(i.name for i in new_report.inputs)
    return Backtest(
        names,
        mapping.name,
        moment,
        new_report.leads,
        rules,
        flagged_old,
        flagged_new,
        tuple(notes["old"] + notes["new"]),
    )
