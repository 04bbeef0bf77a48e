"""Changes to the KPIs: their targets, measures and units."""

from __future__ import annotations

from ...render import wording
from ...spec.models import (
    Kpi,
)
from .matching import Differ
from .wording import normal, plain


def diff_kpis(d: Differ) -> None:
    def roles(kpi_id: str) -> set[str]:
        return d.both(lambda s: (st.owner for st in s.stages if kpi_id in st.kpis))

    def target(k: Kpi) -> str:
        return wording.target(k.target, k.unit)

    def changed(a: Kpi, b: Kpi) -> None:
        title = f"KPI {b.name}"
        if normal(a.target) != normal(b.target) or (a.unit != b.unit and a.target):
            d.add(
                "KPIs",
                "kpi_target_changed",
                f"kpi:{b.id}/target",
                title,
                f"target changed from {target(a)} to {target(b)}.",
                plain(a.target),
                plain(b.target),
                roles(b.id),
            )
        d.attributes("KPIs", "kpi", f"kpi:{b.id}", title, a, b, roles(b.id), skip=("id", "target"))

    d.keyed(
        d.old.kpis,
        d.new.kpis,
        lambda k: k.id,
        lambda k: d.add(
            "KPIs",
            "kpi_added",
            f"kpi:{k.id}",
            f"KPI {k.name}",
            f"added, target {target(k)}, reviewed {k.cadence}.",
            None,
            plain(k),
            roles(k.id),
        ),
        lambda k: d.add(
            "KPIs", "kpi_removed", f"kpi:{k.id}", f"KPI {k.name}", "removed.", plain(k), None, roles(k.id)
        ),
        changed,
    )
