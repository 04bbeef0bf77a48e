"""The data step: a CRM export, read through a mapping, becomes the canonical tables.

spec -> rules -> **data** -> conformance. A mapping file (`checks/mappings/<name>.yaml`)
says which export column feeds which field of the data dictionary and how CRM values
translate; `load_export` reads the leads file (and the history file, when there is
one) once each into DuckDB and builds `leads` and `lead_events` exactly as
`rules.tables` defines them, with data findings for what could not be mapped.
Conformance then runs the rules on those tables; nothing here knows about rules.
"""

from __future__ import annotations

from .draft import draft_mapping
from .errors import InputError, MappingError
from .findings import CODES
from .load import LoadedExport, load_export, sha256
from .mapping import Mapping, known_mappings, load_mapping
from .readers import Source, Table
from .records import DataFinding, InputFile

__all__ = [
    "Source",
    "Table",
    "CODES",
    "DataFinding",
    "InputError",
    "InputFile",
    "LoadedExport",
    "Mapping",
    "MappingError",
    "draft_mapping",
    "known_mappings",
    "load_export",
    "load_mapping",
    "sha256",
]
