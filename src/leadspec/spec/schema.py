"""JSON Schema for every kind of spec file, so editors complete and check YAML as it is typed.

Each YAML file names its schema in a first-line comment that the YAML language
server reads: `# yaml-language-server: $schema=../schema/stage.schema.json`.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .load import DEFINITION_FILES
from .models import definitions
from .models.process import Process
from .models.stage import Stage

SCHEMA_DIR = "schema"


def file_models() -> dict[str, type[BaseModel]]:
    """Schema name -> the model of that kind of file."""
    return {"process": Process, "stage": Stage, **DEFINITION_FILES, "checks": definitions.ChecksFile}


def schemas() -> dict[str, str]:
    """File name -> JSON text, stable byte for byte."""
    out = {}
    for name, model in file_models().items():
        schema = model.model_json_schema(by_alias=True)
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://leadspec.dev/schema/{name}.schema.json",
            **schema,
        }
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, text in schemas().items():
        path = folder / file_name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
