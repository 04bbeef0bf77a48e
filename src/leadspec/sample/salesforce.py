"""Salesforce's shape: Lead.csv and LeadHistory.csv as the Data Loader exports them.

The Lead file keeps the standard Lead columns in the order the Data Loader writes
them (see the shared Data Loader sample), followed by the custom fields the mapping
reads, in UTF-8 with a byte order mark and ISO times with `+0000`. The history holds
a `created` row per lead, a `Status` row per status change with Salesforce status
values, each owner change twice (user names as `Text`, ids as `EntityId`), and each
logged touch as a change of the tracked activity field the mapping names.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from ..data.mapping import Mapping
from .cells import Shape
from .context import SampleContext
from .model import WON, Lead
from .people import salesforce_id
from .writer import CsvFile, Writer

LEAD_COLUMNS = (
    "Id",
    "IsDeleted",
    "MasterRecordId",
    "LastName",
    "FirstName",
    "Salutation",
    "Name",
    "Title",
    "Company",
    "Street",
    "City",
    "State",
    "PostalCode",
    "Country",
    "Latitude",
    "Longitude",
    "GeocodeAccuracy",
    "Address",
    "Phone",
    "Email",
    "Website",
    "PhotoUrl",
    "Description",
    "LeadSource",
    "Status",
    "Industry",
    "Rating",
    "AnnualRevenue",
    "NumberOfEmployees",
    "OwnerId",
    "IsConverted",
    "ConvertedDate",
    "ConvertedAccountId",
    "ConvertedContactId",
    "ConvertedOpportunityId",
    "IsUnreadByOwner",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "LastActivityDate",
    "LastViewedDate",
    "LastReferencedDate",
    "Jigsaw",
    "JigsawContactId",
    "CompanyDunsNumber",
    "DandbCompanyId",
    "EmailBouncedReason",
    "EmailBouncedDate",
    "IndividualId",
)
HISTORY_COLUMNS = (
    "Id",
    "IsDeleted",
    "LeadId",
    "CreatedById",
    "CreatedDate",
    "Field",
    "DataType",
    "OldValue",
    "NewValue",
)


class SalesforceWriter(Writer):
    files = ("Lead.csv", "LeadHistory.csv")
    history_file = "LeadHistory.csv"
    date_columns = frozenset({"ConvertedDate", "LastActivityDate"})

    def __init__(self, ctx: SampleContext, mapping: Mapping, seed: int) -> None:
        formats = mapping.file.timestamps.formats
        loader = next(f for f in formats if "%z" in f and "%g" in f)
        shape = Shape(mapping, ctx.spec, [loader], "%Y-%m-%d", [("true", "false")])
        super().__init__(ctx, mapping, seed, shape)
        self.header = LEAD_COLUMNS + self.custom_columns(LEAD_COLUMNS)
        events = mapping.file.events
        self.activity_field = events.activity_fields[0] if events and events.activity_fields else None
        self.rows = 0

    def lead_id(self, number: int) -> str:
        return salesforce_id("00Q", self.base + number)

    def open(self, folder: Path) -> None:
        self.leads = CsvFile(folder / "Lead.csv", self.header, bom=True)
        self.history = CsvFile(folder / "LeadHistory.csv", HISTORY_COLUMNS, bom=True)
        self.open_files = [self.leads, self.history]

    def write(self, lead: Lead) -> None:
        rng = self.rng(lead)
        labels: dict[str, str] = {}
        status = self._label(lead.fields["stage"], labels, rng)
        cells = self.mapped(lead, rng, self.header)
        cells["Status"] = status
        cells.update(self._standard(lead, rng))
        self.leads.row(cells)
        if lead.history:
            self._history(lead, labels, rng)

    def _label(self, stage: str | None, labels: dict[str, str], rng: random.Random) -> str:
        """One status value per stage and lead, so the history and the lead file agree."""
        if stage is None:
            return ""
        if stage not in labels:
            claimed = self.shape.claims.get(stage, [])
            others = [v for v in self.shape.crm_values("stage", stage) if v not in claimed]
            pool = claimed if claimed and (not others or rng.random() < 0.85) else others
            labels[stage] = rng.choice(pool)
        return labels[stage]

    def _standard(self, lead: Lead, rng: random.Random) -> dict[str, str]:
        f, x = lead.fields, lead.extra
        creator = next(e.by for e in lead.events if e.kind == "stage") if lead.events else x["sdr"]
        modified = max([lead.created, *(e.at for e in lead.events)])
        last_by = next((e.by for e in reversed(lead.events) if e.at == modified), creator)
        country = f.get("country") or ""
        address = (
            ""
            if not x["street"]
            else json.dumps(
                {
                    "city": x["city"],
                    "country": country,
                    "geocodeAccuracy": None,
                    "latitude": None,
                    "longitude": None,
                    "postalCode": x["postal_code"],
                    "state": x["state"],
                    "street": x["street"],
                },
                separators=(",", ":"),
                sort_keys=True,
            )
        )
        converted = f.get("stage") == WON
        stamp = self.shape.stamp
        return {
            "Salutation": x["salutation"],
            "Name": f"{f['first_name']} {f['last_name'] or ''}".strip(),
            "Street": x["street"],
            "City": x["city"],
            "State": x["state"],
            "PostalCode": x["postal_code"],
            "Address": address,
            "Website": f"https://www.{x['domain']}" if x.get("domain") and rng.random() < 0.7 else "",
            "PhotoUrl": f"/services/images/photo/{lead.lead_id}",
            "Rating": rng.choice(("", "", "Hot", "Warm", "Cold")),
            "IsConverted": "1" if converted else "",
            "ConvertedAccountId": salesforce_id("001", self.base + lead.number) if converted else "",
            "ConvertedContactId": salesforce_id("003", self.base + lead.number) if converted else "",
            "IsUnreadByOwner": "1" if f.get("stage") == "marketing_qualified" and rng.random() < 0.3 else "",
            "CreatedById": creator,
            "LastModifiedDate": stamp(modified, rng),
            "LastModifiedById": last_by,
            "SystemModstamp": stamp(modified, rng),
        }

    def _history(self, lead: Lead, labels: dict[str, str], rng: random.Random) -> None:
        stamp = self.shape.stamp
        first = next(e for e in lead.events if e.kind == "stage")
        self._row(lead, first.by, lead.created, "created", "Text", "", "", rng)
        touched = ""
        for event in lead.events:
            if event.kind == "stage" and event.before is not None:
                self._row(
                    lead,
                    event.by,
                    event.at,
                    "Status",
                    "DynamicEnum",
                    self._label(event.before, labels, rng),
                    self._label(event.after, labels, rng),
                    rng,
                )
            elif event.kind == "owner":
                self._row(
                    lead,
                    event.by,
                    event.at,
                    "Owner",
                    "Text",
                    self._name(event.before),
                    self._name(event.after),
                    rng,
                )
                self._row(
                    lead, event.by, event.at, "Owner", "EntityId", event.before or "", event.after or "", rng
                )
            elif event.kind == "activity" and self.activity_field:
                now = stamp(event.at, rng)
                self._row(lead, event.by, event.at, self.activity_field, "DateTime", touched, now, rng)
                touched = now

    def _name(self, user: str | None) -> str:
        return self.users[user].name if user in self.users else ""

    def _row(
        self, lead: Lead, by: str, at: int, field: str, kind: str, old: str, new: str, rng: random.Random
    ) -> None:
        self.rows += 1
        self.history.row(
            {
                "Id": salesforce_id("017", self.base * 40 + self.rows),
                "IsDeleted": "",
                "LeadId": lead.lead_id,
                "CreatedById": by,
                "CreatedDate": self.shape.stamp(at, rng),
                "Field": field,
                "DataType": kind,
                "OldValue": old,
                "NewValue": new,
            }
        )
