"""HubSpot's shape: a contacts export, one row per contact, with HubSpot's column labels.

Times are shown in the account's time zone as HubSpot exports do, some with seconds
and some without. The stage is written the way the mapping reads it back: the
Lifecycle Stage carries it when a lifecycle stage means it, with a Lead Status that
means nothing (NEW, OPEN, ...) or none; otherwise (nurture, disqualified, accepted)
a Lead Status carries it beside a plausible Lifecycle Stage. Owners are HubSpot's
numeric owner ids; HubSpot has no queues, so a queued lead has no owner. The mapping
reads no history, so only the contacts file is written.
"""

from __future__ import annotations

import random
from pathlib import Path

from ..data.mapping import Mapping
from .cells import Shape
from .context import Context
from .model import INQ, MQL, SQL, Lead
from .writer import CsvFile, Writer

STANDARD = (
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner", "Lead Status",
    "Lifecycle Stage", "Marketing contact status", "Create Date", "Last Activity Date",
    "Company Name", "Job Title", "Country/Region", "Industry", "Number of Employees",
    "Annual Revenue", "Original Source", "Original Source Drill-Down 1", "HubSpot Score",
    "Became a Marketing Qualified Lead Date", "Became a Sales Qualified Lead Date",
    "Became an Opportunity Date", "Associated Deal IDs", "Recent Deal Amount",
)
LIFECYCLE = frozenset({"subscriber", "lead", "marketingqualifiedlead", "marketing qualified lead",
                       "salesqualifiedlead", "sales qualified lead", "opportunity", "customer",
                       "evangelist", "other"})
DRILL_DOWN = {"ORGANIC_SEARCH": ("google", "bing"), "PAID_SEARCH": ("google",),
              "SOCIAL_MEDIA": ("linkedin", "facebook"), "PAID_SOCIAL": ("linkedin",),
              "OFFLINE": ("IMPORT", "CRM_UI", "INTEGRATION"), "REFERRALS": ("referral",),
              "EMAIL_MARKETING": ("newsletter",)}


class HubSpotWriter(Writer):
    files = ("contacts.csv",)

    def __init__(self, ctx: Context, mapping: Mapping, seed: int) -> None:
        formats = [f for f in mapping.file.timestamps.formats
                   if "%z" not in f and "Z" not in f and "%H" in f]
        shape = Shape(mapping, ctx.spec, formats, "%Y-%m-%d", [("true", "false"), ("Yes", "No")])
        super().__init__(ctx, mapping, seed, shape)
        self.header = STANDARD + self.custom_columns(STANDARD)
        own = mapping.file.values.get("stage", {})
        self.statuses = {s.id: [raw for raw, target in own.items()
                                if target == s.id and raw.lower() not in LIFECYCLE] or list(s.crm_status)
                         for s in ctx.spec.stages}
        self.lifecycle = {s.id: [raw for raw in shape.crm_values("stage", s.id) if raw.lower() in LIFECYCLE]
                          for s in ctx.spec.stages}
        self.neutral = [raw for raw in shape.nulls.get("stage", []) if raw.lower() not in LIFECYCLE]

    def lead_id(self, number: int) -> str:
        return str(51_000_000_000 + self.base * 1000 + number)

    def open(self, folder: Path) -> None:
        self.contacts = CsvFile(folder / "contacts.csv", self.header)
        self.open_files = [self.contacts]

    def write(self, lead: Lead) -> None:
        rng = self.rng(lead)
        f = lead.fields
        owner = self.users.get(f.get("owner_id") or "")
        cells = self.mapped(lead, rng, self.header, {
            "owner_id": None if owner is None or owner.id == self.team.queue.id else owner.hubspot_id})
        cells["Lead Status"], cells["Lifecycle Stage"] = self._stage(f.get("stage"), lead, rng)
        cells["Marketing contact status"] = ("Marketing contact" if f.get("consent_status") in
                                             ("opted_in", "soft_opt_in") else "Non-marketing contact")
        cells["Original Source Drill-Down 1"] = rng.choice(
            DRILL_DOWN.get(cells.get("Original Source", "").upper().replace(" ", "_"), ("",)))
        self.contacts.row(cells)

    def _stage(self, stage: str | None, lead: Lead, rng: random.Random) -> tuple[str, str]:
        """(Lead Status, Lifecycle Stage) that the mapping reads back as `stage`."""
        if stage is None:
            return "", ""
        if self.lifecycle[stage]:
            status = rng.choice([*self.neutral, "", ""])
            return status, rng.choice(self.lifecycle[stage])
        reached = next((s for s, stamp in ((SQL, "sql_at"), (MQL, "mql_at")) if lead.fields.get(stamp)), INQ)
        return rng.choice(self.statuses[stage]), rng.choice(self.lifecycle[reached])
