"""docs/reference/mappings.md agrees with the code: its example, its keys, its finding codes."""

from __future__ import annotations

import re

from pydantic import BaseModel

from conftest import ROOT
from leadspec.data import CODES
from leadspec.data.mapping import (
    DERIVATIONS,
    Events,
    Join,
    JoinKey,
    Leads,
    MappingFile,
    OwnerRows,
    Timestamps,
)

DOC = (ROOT / "docs" / "reference" / "mappings.md").read_text(encoding="utf-8")


def test_the_examples_are_the_shipped_mappings() -> None:
    example, joins = re.findall(r"```yaml\n(.*?)```", DOC, re.S)
    assert example == (ROOT / "checks" / "mappings" / "salesforce.yaml").read_text(encoding="utf-8")
    hubspot = (ROOT / "checks" / "mappings" / "hubspot.yaml").read_text(encoding="utf-8").splitlines()
    assert [line for line in joins.splitlines() if line not in hubspot] == []


def test_every_key_and_derivation_is_documented() -> None:
    models: list[type[BaseModel]] = [MappingFile, Timestamps, Leads, Events, OwnerRows, Join, JoinKey]
    for model in models:
        for key in model.model_fields:
            assert f"`{key}`" in DOC or f"{{{key}," in DOC or f" {key}}}" in DOC, key
    for derivation in DERIVATIONS:
        assert f"`{derivation}`" in DOC, derivation


def test_every_data_finding_code_is_documented() -> None:
    for code, meaning in CODES.items():
        assert f"| `{code}` | {meaning} |" in DOC, code
