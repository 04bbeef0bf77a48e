"""A mapping file: how one CRM's export becomes the canonical `leads` and `lead_events`.

A mapping is data, not code, so that a sales ops person can adapt it to their CRM's
export without touching leadspec. It is read with the spec's YAML reader, so every
error points at `path:line:col` exactly as spec errors do; the checks that need the
spec (field ids, allowed values, stage claims) live in `validate.py`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ..spec.codes import Code
from ..spec.findings import Finding, did_you_mean
from ..spec.load import validate_document
from ..spec.models.common import Id, Strict, Text, TimeZone
from ..spec.yaml_source import Document, YamlError, read_yaml
from .errors import MappingError

MAPPINGS_DIR = "checks/mappings"
DERIVATIONS = ("first_owner_assignment", "first_activity", "last_entered:<stage>")
_DERIVATION = re.compile(r"^(first_owner_assignment|first_activity|last_entered:[a-z][a-z0-9_]*)$")


def _text_key(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError(
            f"the CRM value {value!r} must be quoted: YAML reads Yes/No, "
            "On/Off and numbers as something other than text"
        )
    return value


def _derivation(value: object) -> object:
    if isinstance(value, str) and not _DERIVATION.match(value):
        raise ValueError(f"'{value}' is not a derivation; use one of {', '.join(DERIVATIONS)}")
    return value


Columns = Text | Annotated[list[Text], Field(min_length=1)]
CrmValue = Annotated[str, BeforeValidator(_text_key)]
Derivation = Annotated[str, BeforeValidator(_derivation)]


class Timestamps(Strict):
    formats: list[Text] = Field(min_length=1, description="strptime formats, tried in order.")
    time_zone: TimeZone = Field("UTC", description="Zone of values written without an offset.")
    end_of_day: list[Id] = Field(
        default_factory=list,
        description="Timestamp fields whose columns hold a date alone that means 'some time that "
        "day' (Salesforce's LastActivityDate): a date is read as the day's last second, "
        "so an event earlier that day is never judged to come after it.",
    )


class Leads(Strict):
    lead_id: Columns = Field(description="The column holding the CRM's lead id.")
    columns: dict[Id, Columns] = Field(
        default_factory=dict,
        description="Canonical field -> export column, or a list of columns: the first "
        "that holds a value wins, and columns absent from the file are skipped.",
    )
    optional: list[Id] = Field(
        default_factory=list,
        description="Fields whose columns may be missing from an export: then NULL, with a finding.",
    )


class OwnerRows(Strict):
    column: Text
    equals: Text


class Events(Strict):
    """The history file's columns: each a column, or a list of columns of which the first
    the file has is read (an object's API names, then a report's labels)."""

    lead_id: Columns
    at: Columns
    field: Columns = Field(description="The column naming what changed, such as Field in LeadHistory.")
    old_value: Columns
    new_value: Columns
    stage_fields: list[Text] = Field(default_factory=list)
    owner_fields: list[Text] = Field(default_factory=list)
    activity_fields: list[Text] = Field(default_factory=list)
    created_fields: list[Text] = Field(default_factory=list)
    owner_rows: OwnerRows | None = Field(
        None,
        description="Keep only owner rows where this column equals this value "
        "(Salesforce writes each owner change twice: ids and names); a file "
        "without the column keeps them all.",
    )


class JoinKey(Strict):
    leads: Text = Field(description="The column of the leads export that holds the key.")
    file: Text = Field(description="The column of the joined file that holds the lead's key.")
    separator: Text | None = Field(
        None,
        description="Splits a cell of the joined file's key column that lists several keys "
        "(such as ';'), so that the row joins every lead it names.",
    )


class Join(Strict):
    name: Id = Field(
        description="The join's id: `--join <name>=PATH` gives its file, and "
        "leads.columns reads its columns as `<name>.<column>`."
    )
    key: JoinKey
    first_by: Text | None = Field(
        None,
        description="A column of the joined file: when several rows match one lead, the "
        "earliest by it is used (ties broken by the rows' content).",
    )
    required: bool = Field(
        False,
        description="Stop with an error when no file is given for it, "
        "instead of leaving its fields empty with a finding.",
    )


class MappingFile(Strict):
    name: Id
    description: Text
    timestamps: Timestamps
    leads: Leads
    values: dict[Id, dict[CrmValue, Text | None]] = Field(default_factory=dict)
    constants: dict[Id, bool | int | float | str] = Field(default_factory=dict)
    events: Events | None = None
    queue_prefixes: list[Text] = Field(
        default_factory=list,
        description="Owner ids that begin with one of these are queues, not named people "
        "(Salesforce queue ids begin with 00G): in the leads file and the history "
        "they are read as no owner, and counted as a finding.",
    )
    joins: list[Join] = Field(default_factory=list)
    derived: dict[Id, Derivation] = Field(default_factory=dict)


@dataclass(frozen=True)
class Mapping:
    """A validated mapping file and where its keys stand, to locate later findings."""

    path: str  # as shown in messages
    file: MappingFile
    doc: Document

    @property
    def name(self) -> str:
        return self.file.name


def options(columns: str | list[str]) -> list[str]:
    """A field's columns as a list: the one column, or its alternatives in order."""
    return [columns] if isinstance(columns, str) else columns


def either(columns: list[str]) -> str:
    """`'Id' or 'Lead ID'`: a field's columns, for a message that finds none of them."""
    return " or ".join(f"'{column}'" for column in columns)


def join_of(column: str, joins: Collection[str]) -> str | None:
    """The join a column such as `deals.Amount` is read from, or None for the leads file's own."""
    name, dot, _ = column.partition(".")
    return name if dot and name in joins else None


def known_mappings(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / MAPPINGS_DIR).glob("*.yaml"))


def resolve(ref: str | Path, root: Path) -> Path:
    """A bare name is `checks/mappings/<name>.yaml` under the spec root; a path is used as is."""
    text = str(ref)
    if isinstance(ref, Path) or "/" in text or "\\" in text or text.endswith((".yaml", ".yml")):
        return Path(ref)
    return root / MAPPINGS_DIR / f"{text}.yaml"


def load_mapping(ref: str | Path, root: Path) -> Mapping:
    """Read and validate a mapping by name or path; raise MappingError with every problem."""
    path = resolve(ref, root)
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    if not path.is_file():
        known = known_mappings(root)
        raise MappingError(
            [
                Finding(
                    shown,
                    0,
                    0,
                    Code.LS002,
                    "mapping file not found",
                    f"Known mappings: {', '.join(known) or 'none'}; or give the path of a mapping file."
                    + did_you_mean(str(ref), known),
                )
            ]
        )
    try:
        doc = read_yaml(path, shown)
    except YamlError as exc:
        raise MappingError([exc.finding]) from None
    findings: list[Finding] = list(doc.problems)
    model: Any = validate_document(doc, MappingFile, findings)
    if findings or model is None:
        raise MappingError(findings)
    return Mapping(shown, model, doc)
