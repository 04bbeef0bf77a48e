"""Changes to the lead definition and the data dictionary."""

from __future__ import annotations

from typing import Any

from .matching import Differ
from .wording import plain


def diff_lead(d: Differ) -> None:
    d.attributes(
        "Lead definition",
        "lead",
        "lead",
        "Lead definition",
        d.old.lead,
        d.new.lead,
        d.owners([d.new.process.lifecycle.entry]),
    )


def diff_fields(d: Differ) -> None:
    def text(f: Any) -> str:
        values = f": {', '.join(f.allowed_values)}" if f.allowed_values else ""
        return f"added ({f.type}{values}){', personal data' if f.pii else ''}."

    d.keyed(
        d.old.fields,
        d.new.fields,
        lambda f: f.id,
        lambda f: d.add(
            "Data dictionary",
            "field_added",
            f"field:{f.id}",
            f"Field {f.id}",
            text(f),
            None,
            plain(f),
            d.field_roles(f.id),
        ),
        lambda f: d.add(
            "Data dictionary",
            "field_removed",
            f"field:{f.id}",
            f"Field {f.id}",
            "removed.",
            plain(f),
            None,
            d.field_roles(f.id),
        ),
        lambda a, b: d.attributes(
            "Data dictionary",
            "field",
            f"field:{b.id}",
            f"Field {b.id}",
            a,
            b,
            d.field_roles(b.id),
            skip=("id",),
        ),
    )
