"""JSON Schema for every kind of spec file, so editors complete and check YAML as it is typed.

Each YAML file names its schema in a first-line comment that the YAML language
server reads: `# yaml-language-server: $schema=../schema/stage.schema.json`.
A checks file's schema comes from the rule kinds (`rules.checks_file_model`), since
each kind declares its own options; the caller passes it in.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .load import DEFINITION_FILES
from .models.process import Process
from .models.stage import Stage

SCHEMA_DIR = "schema"


def file_models(checks: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Schema name -> the model of that kind of file."""
    return {"process": Process, "stage": Stage, **DEFINITION_FILES, "checks": checks}


def schemas(checks: type[BaseModel]) -> dict[str, str]:
    """File name -> JSON text, stable byte for byte."""
    out = {}
    for name, model in file_models(checks).items():
        schema = model.model_json_schema(by_alias=True)
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://leadspec.dev/schema/{name}.schema.json",
            **schema,
        }
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(folder: Path, checks: type[BaseModel]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, text in schemas(checks).items():
        path = folder / file_name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
