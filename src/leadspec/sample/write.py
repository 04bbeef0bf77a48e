"""`write_sample`: a CRM export of generated leads, and the violations planted in it.

The export files are written as the leads are generated; only the expected
violations (a few percent of the leads) are held until the end, to be sorted.
`expected_violations.csv` lists every (lead_id, rule_id) pair that checking the
export at the sample's as-of time must report: no more, no fewer.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..data import load_mapping
from ..data.mapping import Mapping
from ..spec import load_spec
from ..spec.checks import all_checks
from ..spec.models import Spec
from .context import AS_OF, Capabilities, SampleContext, capabilities
from .generate import DEFAULT_RATE, Generator
from .generic import GenericWriter
from .hubspot import HubSpotWriter
from .plants import catalogue
from .salesforce import SalesforceWriter
from .writer import Writer

WRITERS: dict[str, Callable[[SampleContext, Mapping, int], Writer]] = {
    "salesforce": SalesforceWriter,
    "hubspot": HubSpotWriter,
    "generic": GenericWriter,
}
CRMS = tuple(WRITERS)
EXPECTED = "expected_violations.csv"


@dataclass(frozen=True)
class Written:
    """What `write_sample` wrote, for the command to report."""

    crm: str
    export: Path  # the leads (or contacts) file
    history: Path | None  # the history file, when the CRM's mapping reads one
    expected: Path  # expected_violations.csv
    leads: int
    planted: int  # leads with a planted defect
    violations: int  # rows of expected_violations.csv
    as_of: dt.datetime  # check the export at this time (UTC) to get exactly the expected violations
    unplantable: dict[str, str]  # rule id -> why this CRM's export cannot break it
    joins: dict[str, Path] = field(default_factory=dict)  # join name -> the file written for it

    def check_command(self) -> str:
        """The `leadspec check` command that reports exactly the expected violations."""
        events = f" --events {self.history}" if self.history else ""
        joins = "".join(f" --join {name}={path}" for name, path in self.joins.items())
        return (
            f"leadspec check {self.export}{events}{joins} --mapping {self.crm} "
            f"--as-of {self.as_of:%Y-%m-%dT%H:%M:%S}"
        )


def prepare(crm: str, seed: int, spec_root: Path) -> tuple[SampleContext, Mapping, Writer]:
    """The generation context, mapping and writer for `crm`, from the spec under `spec_root`."""
    if crm not in WRITERS:
        raise ValueError(f"unknown CRM '{crm}'; choose one of {', '.join(CRMS)}")
    spec = load_spec(spec_root).spec
    if spec is None:
        raise ValueError(f"the spec in {spec_root} does not load; run leadspec validate")
    mapping = load_mapping(crm, spec_root)
    ctx = SampleContext(spec, mapping)
    return ctx, mapping, WRITERS[crm](ctx, mapping, seed)


def write_sample(
    out_dir: Path,
    crm: str,
    leads: int,
    seed: int,
    *,
    plant: bool = True,
    spec_root: Path,
    plant_rate: float = DEFAULT_RATE,
) -> Written:
    """Write `leads` generated leads as `crm`'s export files, and `expected_violations.csv`.

    `crm` is salesforce, hubspot or generic; its mapping is read from the spec under
    `spec_root`. The same seed gives byte-identical files. With `plant`, about
    `plant_rate` of the leads (at least one per plant kind) carry one planted defect.
    """
    if leads < 0:
        raise ValueError("the number of leads cannot be negative")
    ctx, mapping, writer = prepare(crm, seed, spec_root)
    out_dir.mkdir(parents=True, exist_ok=True)
    generator = Generator(ctx, seed, writer.lead_id)
    expected: list[tuple[str, str]] = []
    planted = 0
    writer.open(out_dir)
    try:
        for lead in generator.leads(leads, plant=plant, rate=plant_rate):
            writer.write(lead)
            expected.extend((lead.lead_id, rule) for rule in lead.rules)
            planted += lead.plant is not None
    finally:
        writer.close()
    expected.sort()
    with (out_dir / EXPECTED).open("w", newline="", encoding="utf-8") as handle:
        table = csv.writer(handle, lineterminator="\n")
        table.writerow(("lead_id", "rule_id"))
        table.writerows(expected)
    history = out_dir / writer.history_file if writer.history_file else None
    return Written(
        crm,
        out_dir / writer.files[0],
        history,
        out_dir / EXPECTED,
        leads,
        planted,
        len(expected),
        AS_OF,
        unplantable(mapping, ctx.spec),
        {name: out_dir / file for name, file in writer.joined.items()},
    )


def unplantable(mapping: Mapping, spec: Spec) -> dict[str, str]:
    """Rule ids no plant can break through this mapping, with the reason."""
    caps = capabilities(mapping, spec)
    covered = {rule for plant in catalogue(caps) for rule in plant.expected(caps)}
    return {
        check.id: _reason(check.kind, check.option("field"), caps)
        for check in (c.check for c in all_checks(spec))
        if check.id not in covered
    }


def _reason(kind: str, field: str | None, caps: Capabilities) -> str:
    if kind == "allowed_values" and field == "stage":
        return (
            "every status goes through the stage value map, so the stage is an allowed "
            "stage or empty, never another value"
        )
    if not caps.history:
        return "the mapping reads no history, so rules on stage visits and changes cannot run"
    return "no plant breaks it"
