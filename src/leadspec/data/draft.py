"""A first draft of a mapping, from an export's header alone.

Writing a mapping from scratch means reading a header of sixty columns against the
data dictionary. The draft does the obvious part: columns whose names match a field
(ignoring case, spaces and punctuation, plus well-known Salesforce and HubSpot
names) are filled in, every other column is listed as a comment, and each section
says what is left to decide. It loads as a mapping as soon as it is saved.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..spec.models import Spec
from .draft_events import column_key, events_section
from .readers import read_header

ALIASES = {
    "id": "lead_id",
    "recordid": "lead_id",
    "leadid": "lead_id",
    "createddate": "created_at",
    "createdate": "created_at",
    "emailaddress": "email",
    "phonenumber": "phone",
    "title": "job_title",
    "companyname": "company",
    "countryregion": "country",
    "numberofemployees": "employee_count",
    "leadsource": "source_category",
    "originalsource": "source_category",
    "status": "stage",
    "leadstatus": "stage",
    "lifecyclestage": "stage",
    "contactowner": "owner_id",
    "leadowner": "owner_id",
    "hubspotowner": "owner_id",
    "converteddate": "converted_at",
    "convertedopportunityid": "opportunity_id",
    "lastactivitydate": "last_activity_at",
    "lastactivity": "last_activity_at",
    "companyaccount": "company",
    "annualrevenue": "annual_revenue",
    "noofemployees": "employee_count",
    "becameamarketingqualifiedleaddate": "mql_at",
    "becameasalesqualifiedleaddate": "sql_at",
    "hubspotscore": "intent_score",
}
COMMON = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "industry",
    "country",
    "annual_revenue",
    "owner_id",
    "campaign",
)
FORMATS = [
    "%Y-%m-%dT%H:%M:%S.%g%z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%Y-%m-%d",
    "%m/%d/%Y",
]
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_ ./()-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _quote(text: str) -> str:
    plain = _PLAIN.match(text) and text.lower() not in _YAML_WORDS and not text.endswith(" ")
    return text if plain else json.dumps(text, ensure_ascii=False)


def match_columns(columns: list[str], fields: list[str]) -> dict[str, str]:
    """Field id -> the first column whose name resembles it."""
    by_key = {column_key(f): f for f in fields} | {k: f for k, f in ALIASES.items() if f in fields}
    matched: dict[str, str] = {}
    for column in columns:
        field = by_key.get(column_key(column))
        if field and field not in matched:
            matched[field] = column
    return matched


def draft_mapping(
    path: Path,
    spec: Spec | None = None,
    *,
    events: Path | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> str:
    """Draft mapping YAML for the export at `path` (and its history), for a person to complete."""
    columns = read_header(path, encoding=encoding, delimiter=delimiter)
    fields = [f.id for f in spec.fields] if spec else sorted({*ALIASES.values(), *COMMON})
    matched = match_columns(columns, fields)
    lead_id = matched.pop("lead_id", columns[0] if columns else "Id")
    used = {lead_id, *matched.values()}
    name = re.sub(r"[^a-z0-9_]", "_", path.stem.lower()).strip("_") or "export"
    if not name[0].isalpha():
        name = f"export_{name}"
    lines = [
        f"# Draft mapping for {path.name}, written from its header by 'leadspec mapping init'.",
        "# Check every line, fill in the commented parts, then save it as",
        f"# checks/mappings/{name}.yaml. docs/reference/mappings.md explains each key.",
        f"name: {name}",
        f"description: Leads exported as {_quote(path.name)}; say which CRM and which report or object.",
        "timestamps:",
        "  # Tried in order; keep the ones your export uses (DuckDB strptime codes).",
        "  formats:",
        *(f"    - {json.dumps(f)}" for f in FORMATS),
        "  # The zone of times written without an offset: usually the exporting user's.",
        "  time_zone: UTC",
        "leads:",
        f"  lead_id: {_quote(lead_id)}",
        "  columns:",
        *(f"    {field}: {_quote(column)}" for field, column in sorted(matched.items())),
        "    # Columns not matched to a field; give each a field id or leave it out:",
        *(f"    # <field>: {_quote(c)}" for c in columns if c not in used),
        *_values_section(spec, matched),
        *_rest(spec, events is None),
        *(events_section(events, _quote, encoding=encoding, delimiter=delimiter) if events else []),
    ]
    return "\n".join(lines) + "\n"


def _values_section(spec: Spec | None, matched: dict[str, str]) -> list[str]:
    lines = ["values:"]
    if "stage" in matched:
        pre_lead = spec.process.lifecycle.pre_lead if spec else []
        stages = ", ".join(s.id for s in spec.stages if s.id not in pre_lead) if spec else "stage ids"
        lines += [
            f"  # Each status of '{matched['stage']}' -> a stage ({stages}).",
            "  # Statuses in the stages' crm_status lists are included without listing them.",
            "  stage: {}",
        ]
    if "source_category" in matched:
        categories = ", ".join(s.id for s in spec.sources) if spec else "source categories"
        lines += [
            f"  # Each value of '{matched['source_category']}' -> {categories}.",
            "  source_category: {}",
        ]
    return lines if len(lines) > 1 else ["values: {}"]


def _rest(spec: Spec | None, history_template: bool) -> list[str]:
    motions = sorted(spec.process.motions) if spec else ["<a motion id from process/process.yaml>"]
    constants = [
        "# Fields the CRM does not hold, the same for every lead; replace {} with lines such as",
        f"#   motion: {motions[0]}" + (f"   (one of {', '.join(motions)})" if len(motions) > 1 else ""),
        "constants: {}",
    ]
    if not history_template:
        return constants
    return [
        *constants,
        "# The lead history (such as Salesforce LeadHistory), if you export it; or draft this",
        "# section from it with 'leadspec mapping init EXPORT --events HISTORY':",
        "# events:",
        "#   lead_id: LeadId",
        "#   at: CreatedDate",
        "#   field: Field",
        "#   old_value: OldValue",
        "#   new_value: NewValue",
        "#   stage_fields: [Status]",
        "#   owner_fields: [Owner]",
        "# derived:",
        "#   routed_at: first_owner_assignment",
    ]
