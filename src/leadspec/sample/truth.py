"""The generator's own truth about a sample: each lead as it was generated, before any CRM file.

`write_sample` puts a CRM's shape on these leads and writes them; this gives the
same leads (same CRM, count, seed and plants) without writing anything, so a test
can compute what a report on the written files must say from what the generator
knows: every lead's fields at the sample's as-of time, in canonical terms with
times as whole UTC minutes, and its whole history of stage, owner and activity
events.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .generate import DEFAULT_RATE, Generator
from .model import Lead
from .write import prepare


def generated_leads(
    crm: str, leads: int, seed: int, *, spec_root: Path, plant: bool = True, plant_rate: float = DEFAULT_RATE
) -> Iterator[Lead]:
    """The leads `write_sample(..., crm, leads, seed, plant=plant)` writes, one at a time."""
    ctx, _, writer = prepare(crm, seed, spec_root)
    # NOTE: the writer only lends its lead ids here; it opens no file until `open`.
    yield from Generator(ctx, seed, writer.lead_id).leads(leads, plant=plant, rate=plant_rate)
