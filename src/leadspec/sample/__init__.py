"""Sample CRM exports: generated leads in Salesforce's, HubSpot's or leadspec's own shape.

spec -> rules -> data -> conformance -> **sample**. A deterministic generator walks
leads through the reference lifecycle inside every window the spec sets, writes
them through a CRM's mapping (read backwards), and can plant one known defect on
some leads, listing in `expected_violations.csv` exactly what `leadspec check`
must report. A clean sample reports nothing.
"""

from __future__ import annotations

from .context import AS_OF
from .generate import DEFAULT_RATE
from .plants import CATALOGUE, Plant
from .write import CRMS, EXPECTED, Written, unplantable, write_sample

__all__ = [
    "AS_OF",
    "CATALOGUE",
    "CRMS",
    "DEFAULT_RATE",
    "EXPECTED",
    "Plant",
    "Written",
    "unplantable",
    "write_sample",
]
