"""What every CRM writer shares: CSV files written row by row, and the mapped lead columns.

A writer opens its files once, takes leads one at a time and writes their rows at
once, so the size of a sample is bounded by disk, not memory. Each lead's choices
of CRM wording (which status label, which date format) come from a random stream
of its own, so a lead's rows do not depend on the leads before it.
"""

from __future__ import annotations

import csv
import random
from abc import ABC, abstractmethod
from pathlib import Path
from typing import IO, Any

from ..data.mapping import Mapping, join_of, options
from .cells import Shape
from .context import SampleContext
from .model import Lead
from .people import Team, team


class CsvFile:
    def __init__(self, path: Path, header: tuple[str, ...], *, bom: bool = False) -> None:
        self.header = header
        self.handle: IO[str] = path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(header)

    def row(self, cells: dict[str, str]) -> None:
        self.writer.writerow([cells.get(column, "") for column in self.header])

    def close(self) -> None:
        self.handle.close()


class Writer(ABC):
    """One CRM's export files, written from canonical leads through the CRM's mapping."""

    files: tuple[str, ...]  # every file written; the first is the leads (or contacts) file
    history_file: str | None = None  # the history file, when the CRM's mapping reads one
    date_columns: frozenset[str] = frozenset()

    def __init__(self, ctx: SampleContext, mapping: Mapping, seed: int, shape: Shape) -> None:
        self.ctx, self.mapping, self.seed, self.shape = ctx, mapping, seed, shape
        self.team: Team = team(seed)
        self.users = {u.id: u for group in (*self.team.sdrs.values(), *self.team.aes.values()) for u in group}
        self.users.update({u.id: u for u in (*self.team.marketing, self.team.queue, self.team.integration)})
        self.base = random.Random(f"{seed}/{mapping.name}/ids").randrange(10**6, 10**7)
        self.open_files: list[CsvFile] = []
        self.joined: dict[str, str] = {}  # join name -> the file written for it
        self.deciders: dict[tuple[str, ...], dict[str, str]] = {}

    @abstractmethod
    def lead_id(self, number: int) -> str: ...

    @abstractmethod
    def open(self, folder: Path) -> None: ...

    @abstractmethod
    def write(self, lead: Lead) -> None: ...

    def close(self) -> None:
        for file in self.open_files:
            file.close()
        self.open_files = []

    def rng(self, lead: Lead) -> random.Random:
        return random.Random(f"{self.seed}/{self.mapping.name}/{lead.number}")

    def mapped(
        self, lead: Lead, rng: random.Random, header: tuple[str, ...], overrides: dict[str, Any] | None = None
    ) -> dict[str, str]:
        """The lead's mapped columns. A column feeding several fields is written from the
        translated one (Salesforce's LeadSource gives both the source category and detail)."""
        values = {**lead.fields, **(overrides or {})}
        cells = {}
        for column, name in self._deciding(header).items():
            value = values.get(name)
            if column in self.date_columns:
                cells[column] = self.shape.date(value)
            else:
                cells[column] = self.shape.text(name, value, rng)
        cells[self._id_column()] = lead.lead_id
        return cells

    def _deciding(self, header: tuple[str, ...]) -> dict[str, str]:
        """Export column -> the field that decides its text, once per header."""
        if header not in self.deciders:
            deciding: dict[str, str] = {}
            for name, columns in self.shape.columns.items():
                column = next((c for c in columns if c in header), columns[0])
                if column not in deciding or self.shape.translated(name):
                    deciding[column] = name
            self.deciders[header] = deciding
        return self.deciders[header]

    def custom_columns(self, standard: tuple[str, ...]) -> tuple[str, ...]:
        """Mapped columns that are not among the CRM's standard ones, in the mapping's order.

        Fields that a joined file feeds get none: the joined file carries them.
        """
        joins = [join.name for join in self.mapping.file.joins]
        seen = list(standard)
        for columns in self.shape.columns.values():
            if any(join_of(c, joins) for c in columns):
                continue
            if not any(c in seen for c in columns):
                seen.append(columns[0])
        return tuple(seen[len(standard) :])

    def _id_column(self) -> str:
        return options(self.mapping.file.leads.lead_id)[0]
