"""leadspec's own layout: a column per field of the data dictionary and a lead_events file.

Both motions and every source category fit here, so this is the shape that shows the
B2C windows and the partner and reactivation limits, which the Salesforce and
HubSpot mappings (constant motion b2b, fixed source lists) cannot carry.
"""

from __future__ import annotations

from pathlib import Path

from ..data.mapping import Mapping, options
from .cells import Shape, readable
from .context import SampleContext
from .model import Lead
from .people import salesforce_id
from .writer import CsvFile, Writer


class GenericWriter(Writer):
    files = ("leads.csv", "events.csv")
    history_file = "events.csv"

    def __init__(self, ctx: SampleContext, mapping: Mapping, seed: int) -> None:
        stamps = mapping.file.timestamps
        formats = [f for f in stamps.formats if readable(f, stamps.time_zone) and ".%" not in f][:2]
        shape = Shape(mapping, ctx.spec, formats, "%Y-%m-%d", [("true", "false")])
        super().__init__(ctx, mapping, seed, shape)
        events = mapping.file.events
        assert events is not None
        self.event_columns = tuple(
            options(c)[0]
            for c in (events.lead_id, events.at, events.field, events.old_value, events.new_value)
        )
        self.kinds = {
            "stage": events.stage_fields[0],
            "owner": events.owner_fields[0],
            "activity": events.activity_fields[0],
        }
        self.header = (self._id_column(), *self.custom_columns((self._id_column(),)))

    def lead_id(self, number: int) -> str:
        return salesforce_id("00Q", self.base + number)

    def open(self, folder: Path) -> None:
        self.leads = CsvFile(folder / "leads.csv", self.header)
        self.events = CsvFile(folder / "events.csv", self.event_columns)
        self.open_files = [self.leads, self.events]

    def write(self, lead: Lead) -> None:
        rng = self.rng(lead)
        self.leads.row(self.mapped(lead, rng, self.header))
        if not lead.history:
            return
        lead_id, at, kind, old, new = self.event_columns
        for event in lead.events:
            self.events.row(
                {
                    lead_id: lead.lead_id,
                    at: self.shape.stamp(event.at, rng),
                    kind: self.kinds[event.kind],
                    old: event.before or "",
                    new: event.after or "",
                }
            )
