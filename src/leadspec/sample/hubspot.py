"""HubSpot's shape: a contacts export and a deals export, with HubSpot's column labels.

Times are shown in the account's time zone as HubSpot exports do, some with seconds
and some without. The stage is written the way the mapping reads it back: the
Lifecycle Stage carries it when a lifecycle stage means it, with a Lead Status that
means nothing (NEW, OPEN, ...) or none; otherwise (nurture, disqualified, accepted)
a Lead Status carries it beside a plausible Lifecycle Stage. Owners are HubSpot's
numeric owner ids; HubSpot has no queues, so a queued lead has no owner. The mapping
reads no history, so no history file is written.

The opportunity comes from the deals export, which the mapping joins to the contacts
by the ids in its key column: a deal for each contact with an opportunity, created
when the contact converted. Some contacts get a later expansion deal (the join picks
the earliest), some deals also name a contact outside the export (a colleague in the
buying group), and a few deals name no contact of the export at all, as real exports
do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from ..data.mapping import Mapping
from .cells import Shape
from .clock import DAY
from .context import SampleContext
from .model import INQ, MQL, SQL, WON, Lead
from .writer import CsvFile, Writer

STANDARD = (
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Contact owner",
    "Lead Status",
    "Lifecycle Stage",
    "Marketing contact status",
    "Create Date",
    "Last Activity Date",
    "Company Name",
    "Job Title",
    "Country/Region",
    "Industry",
    "Number of Employees",
    "Annual Revenue",
    "Original Source",
    "Original Source Drill-Down 1",
    "HubSpot Score",
    "Became a Marketing Qualified Lead Date",
    "Became a Sales Qualified Lead Date",
    "Became an Opportunity Date",
    "Recent Deal Amount",
)
DEAL_COLUMNS = (
    "Record ID",
    "Deal Name",
    "Pipeline",
    "Deal Stage",
    "Amount",
    "Close Date",
    "Create Date",
    "Deal owner",
    "Associated Contact IDs",
)
OPEN_OR_WON = (
    "Appointment Scheduled",
    "Qualified To Buy",
    "Presentation Scheduled",
    "Decision Maker Bought-In",
    "Contract Sent",
    "Closed Won",
)
CLOSED_LOST = "Closed Lost"
LATER_DEAL = 0.15  # converted contacts with a later expansion deal
COLLEAGUE = 0.2  # deals that also name a colleague outside the export
OUTSIDE_DEAL = 0.006  # contacts whose company has a deal naming none of the export's contacts
LIFECYCLE = frozenset(
    {
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "marketing qualified lead",
        "salesqualifiedlead",
        "sales qualified lead",
        "opportunity",
        "customer",
        "evangelist",
        "other",
    }
)
DRILL_DOWN = {
    "ORGANIC_SEARCH": ("google", "bing"),
    "PAID_SEARCH": ("google",),
    "SOCIAL_MEDIA": ("linkedin", "facebook"),
    "PAID_SOCIAL": ("linkedin",),
    "OFFLINE": ("IMPORT", "CRM_UI", "INTEGRATION"),
    "REFERRALS": ("referral",),
    "EMAIL_MARKETING": ("newsletter",),
}


@dataclass(frozen=True)
class Deal:
    number: int  # unique in the sample: gives the deal's id
    created: int
    amount: float | None
    contacts: str  # the key cell: contact ids joined by the join's separator
    name: str
    stage: str


class HubSpotWriter(Writer):
    files = ("contacts.csv",)

    def __init__(self, ctx: SampleContext, mapping: Mapping, seed: int) -> None:
        formats = [f for f in mapping.file.timestamps.formats if "%z" not in f and "Z" not in f and "%H" in f]
        shape = Shape(mapping, ctx.spec, formats, "%Y-%m-%d", [("true", "false"), ("Yes", "No")])
        super().__init__(ctx, mapping, seed, shape)
        self.header = STANDARD + self.custom_columns(STANDARD)
        self.deal_join = next(iter(mapping.file.joins), None)
        if self.deal_join is not None:
            self.files = ("contacts.csv", "deals.csv")  # type: ignore[assignment]
            self.joined = {self.deal_join.name: "deals.csv"}
            prefix = f"{self.deal_join.name}."
            # field -> the deals column that feeds it, read from the mapping like every column
            self.deal_fields = {
                name: next(c for c in cols if c.startswith(prefix))[len(prefix) :]
                for name, cols in shape.columns.items()
                if any(c.startswith(prefix) for c in cols)
            }
            key, first = self.deal_join.key.file, self.deal_join.first_by
            extra = [c for c in (*self.deal_fields.values(), key, first) if c and c not in DEAL_COLUMNS]
            self.deal_header = DEAL_COLUMNS + tuple(dict.fromkeys(extra))
        own = mapping.file.values.get("stage", {})
        self.statuses = {
            s.id: [raw for raw, target in own.items() if target == s.id and raw.lower() not in LIFECYCLE]
            or list(s.crm_status)
            for s in ctx.spec.stages
        }
        self.lifecycle = {
            s.id: [raw for raw in shape.crm_values("stage", s.id) if raw.lower() in LIFECYCLE]
            for s in ctx.spec.stages
        }
        self.neutral = [raw for raw in shape.nulls.get("stage", []) if raw.lower() not in LIFECYCLE]

    def lead_id(self, number: int) -> str:
        return str(51_000_000_000 + self.base * 1000 + number)

    def open(self, folder: Path) -> None:
        self.contacts = CsvFile(folder / "contacts.csv", self.header)
        self.open_files = [self.contacts]
        if self.deal_join is not None:
            self.deals = CsvFile(folder / "deals.csv", self.deal_header)
            self.open_files.append(self.deals)

    def write(self, lead: Lead) -> None:
        rng = self.rng(lead)
        f = lead.fields
        owner = self.users.get(f.get("owner_id") or "")
        hubspot_owner = None if owner is None or owner.id == self.team.queue.id else owner.hubspot_id
        cells = self.mapped(lead, rng, self.header, {"owner_id": hubspot_owner})
        cells["Lead Status"], cells["Lifecycle Stage"] = self._stage(f.get("stage"), lead, rng)
        cells["Marketing contact status"] = (
            "Marketing contact"
            if f.get("consent_status") in ("opted_in", "soft_opt_in")
            else "Non-marketing contact"
        )
        cells["Original Source Drill-Down 1"] = rng.choice(
            DRILL_DOWN.get(cells.get("Original Source", "").upper().replace(" ", "_"), ("",))
        )
        self.contacts.row(cells)
        if self.deal_join is not None:
            for deal in self._deals(lead):
                self._write_deal(lead, deal, hubspot_owner or "")

    def _deals(self, lead: Lead) -> list[Deal]:
        """The deals that name the contact: the one it converted into first, then maybe others."""
        rng = random.Random(f"{self.seed}/{self.mapping.name}/{lead.number}/deals")
        f, number = lead.fields, lead.number * 4
        company = f.get("company") or "Unnamed company"
        won = f.get("stage") == WON
        deals = []
        if f.get("opportunity_id"):
            # NOTE: a deal on a contact that never converted (a planted defect) was opened while
            # sales worked the lead; its create date is then read as a conversion time.
            created = f.get("converted_at") or f.get("sql_at") or f.get("sal_at") or lead.created
            deals.append(
                Deal(
                    number,
                    created,
                    f.get("opportunity_amount"),
                    self._contacts(lead.lead_id, number, rng),
                    f"{company} - New Business",
                    rng.choice(OPEN_OR_WON) if won else CLOSED_LOST,
                )
            )
            later = created + rng.randint(7, 120) * DAY
            if won and rng.random() < LATER_DEAL and later < self.ctx.as_of:
                deals.append(
                    Deal(
                        number + 1,
                        later,
                        float(rng.randint(5, 80) * 1000),
                        self._contacts(lead.lead_id, number + 1, rng),
                        f"{company} - Expansion",
                        rng.choice(OPEN_OR_WON),
                    )
                )
        if rng.random() < OUTSIDE_DEAL:
            contacts = self._outside(number + 2) if rng.random() < 0.5 else ""
            created = min(self.ctx.as_of - DAY, lead.created + rng.randint(1, 60) * DAY)
            deals.append(
                Deal(
                    number + 2,
                    created,
                    float(rng.randint(10, 90) * 1000),
                    contacts,
                    f"{company} - Renewal",
                    rng.choice(OPEN_OR_WON),
                )
            )
        return deals

    def _contacts(self, lead_id: str, number: int, rng: random.Random) -> str:
        """The deal's key cell: the contact, and sometimes a colleague outside the export."""
        assert self.deal_join is not None
        separator = self.deal_join.key.separator
        ids = [lead_id]
        if separator and rng.random() < COLLEAGUE:
            ids.insert(rng.randrange(2), self._outside(number))
        return (separator or "").join(ids)

    def _outside(self, number: int) -> str:
        """A contact id that no contact of the export has (theirs start with 5 or 6)."""
        return str(71_000_000_000 + self.base * 1000 + number)

    def _write_deal(self, lead: Lead, deal: Deal, owner: str) -> None:
        assert self.deal_join is not None
        rng = random.Random(f"{self.seed}/{self.mapping.name}/deal/{deal.number}")
        deal_id = str(21_000_000_000 + self.base * 1000 + deal.number)
        values = {
            **lead.fields,
            "opportunity_id": deal_id,
            "opportunity_amount": deal.amount,
            "converted_at": deal.created,
        }
        cells = {
            column: self.shape.text(name, values.get(name), rng) for name, column in self.deal_fields.items()
        }
        standard = {
            "Record ID": deal_id,
            "Deal Name": deal.name,
            "Pipeline": "Sales Pipeline",
            "Deal Stage": deal.stage,
            "Amount": self.shape.text("opportunity_amount", deal.amount, rng),
            "Create Date": self.shape.stamp(deal.created, rng),
            "Close Date": self.shape.stamp(deal.created + rng.randint(14, 120) * DAY, rng),
            "Deal owner": owner,
        }
        if self.deal_join.first_by:
            standard[self.deal_join.first_by] = self.shape.stamp(deal.created, rng)
        cells = {**standard, **cells, self.deal_join.key.file: deal.contacts}
        self.deals.row(cells)

    def _stage(self, stage: str | None, lead: Lead, rng: random.Random) -> tuple[str, str]:
        """(Lead Status, Lifecycle Stage) that the mapping reads back as `stage`."""
        if stage is None:
            return "", ""
        if self.lifecycle[stage]:
            status = rng.choice([*self.neutral, "", ""])
            return status, rng.choice(self.lifecycle[stage])
        reached = next((s for s, stamp in ((SQL, "sql_at"), (MQL, "mql_at")) if lead.fields.get(stamp)), INQ)
        return rng.choice(self.statuses[stage]), rng.choice(self.lifecycle[reached])
