"""A generated lead in canonical terms, before any CRM's shape is put on it.

`fields` holds one value per field of the data dictionary as the checks will read
it (times as whole minutes since the epoch, UTC), and `events` the history as
`lead_events` will hold it. Writers turn both into a CRM's files; nothing here knows
a CRM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INQ, MQL, NUR, SAL, SQL, WON, DQ = (
    "inquiry",
    "marketing_qualified",
    "nurture",
    "sales_accepted",
    "sales_qualified",
    "converted",
    "disqualified",
)


@dataclass(frozen=True)
class Event:
    at: int
    kind: str  # stage, owner or activity
    before: str | None
    after: str | None  # the stage or owner after; the activity's type
    by: str  # id of the user who made the change
    personal: bool = True  # an activity by the owner, not an automated send


@dataclass(frozen=True)
class Knobs:
    """Ways a journey departs from the process on purpose, for planted defects."""

    late_first_response: bool = False
    no_mql_contact: bool = False
    late_enrolment: bool = False
    early_owner: bool = False
    owner_gap: bool = False


@dataclass(frozen=True)
class Scenario:
    """A journey asked for by a planted defect: its path and how it stands at the as-of time."""

    path: tuple[str, ...]
    open: bool = False  # still in the last stage at the as-of time
    motion: str | None = None
    source: str | None = None
    outbound: bool | None = None  # None: either
    dq_reason: str | None = None
    recycle_reason: str | None = None
    knobs: Knobs = Knobs()
    stale: bool = False  # the open last stage is past its maximum time
    hidden: bool = False  # created before the history begins; no history rows are written
    created_after: int | None = None


@dataclass
class Lead:
    number: int  # 1-based position in the sample
    lead_id: str
    created: int  # the creation the history shows, even when a defect moves created_at
    fields: dict[str, Any]
    events: list[Event]
    extra: dict[str, Any] = field(default_factory=dict)  # non-canonical columns: address, ...
    history: bool = True
    plant: str | None = None
    rules: frozenset[str] = frozenset()
