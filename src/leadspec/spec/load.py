"""Load a spec folder into a `Spec`, keeping where every value came from.

All schema errors from all files are collected before anything stops; cross-file
checks (references, lifecycle) belong to `lint` and run only on a spec that loaded.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import models
from .codes import Code
from .findings import Finding, did_you_mean
from .models import definitions
from .models.process import Process
from .models.stage import Stage
from .releases import check_releases
from .yaml_source import Document, YamlError, read_yaml

PROCESS_FILE = "process/process.yaml"
DEFINITION_FILES: dict[str, type[BaseModel]] = {
    "lead": definitions.LeadFile,
    "fields": definitions.FieldsFile,
    "sources": definitions.SourcesFile,
    "roles": definitions.RolesFile,
    "grading": definitions.GradingFile,
    "scoring": definitions.ScoringFile,
    "readiness": definitions.ReadinessFile,
    "failure_modes": definitions.FailureModesFile,
    "kpis": definitions.KpisFile,
    "glossary": definitions.GlossaryFile,
}


@dataclass
class Sources:
    """The parsed documents behind a Spec, to locate a finding in the YAML."""

    root: Path
    process: Document
    stages: dict[str, Document]
    definitions: dict[str, Document]
    checks: list[tuple[Document, int]] = field(default_factory=list)  # parallel to Spec.checks

    def check(self, position: int) -> tuple[Document, tuple[str | int, ...]]:
        """The file and location of the check at `position` in Spec.checks."""
        doc, index = self.checks[position]
        return doc, ("checks", index)


@dataclass
class LoadedSpec:
    spec: models.Spec | None
    sources: Sources | None
    findings: list[Finding]


def load_spec(root: Path) -> LoadedSpec:
    """Read and validate every spec file under `root`; never raises for bad input.

    Frozen releases (process/releases/) are not part of the spec; they are only checked
    for edits, and those findings come with the rest.
    """
    loaded = _load(root)
    released = check_releases(root)
    if not released:
        return loaded
    return LoadedSpec(loaded.spec, loaded.sources, sorted([*loaded.findings, *released]))


def _load(root: Path) -> LoadedSpec:
    findings: list[Finding] = []
    docs: dict[str, Document] = {}

    def read(rel: str) -> Document | None:
        try:
            doc = read_yaml(root / rel, rel)
        except YamlError as exc:
            findings.append(exc.finding)
            return None
        findings.extend(doc.problems)
        docs[rel] = doc
        return doc

    required = [PROCESS_FILE, *(f"definitions/{name}.yaml" for name in DEFINITION_FILES)]
    for rel in required:
        if not (root / rel).is_file():
            findings.append(
                Finding(
                    rel,
                    0,
                    0,
                    Code.LS004,
                    "required file is missing",
                    f"Create {rel}; see the reference spec for its shape.",
                )
            )
    stage_files = sorted(p.relative_to(root).as_posix() for p in root.glob("stages/*.yaml"))
    check_files = sorted(p.relative_to(root).as_posix() for p in root.glob("checks/*.yaml"))
    for rel in [*required, *stage_files, *check_files]:
        if (root / rel).is_file():
            read(rel)
    if any(f.fatal for f in findings):
        return LoadedSpec(None, None, sorted(findings))

    process = validate_document(docs[PROCESS_FILE], Process, findings)
    stages = {rel: validate_document(docs[rel], Stage, findings) for rel in stage_files if rel in docs}
    parts = {
        name: validate_document(docs[f"definitions/{name}.yaml"], model, findings)
        for name, model in DEFINITION_FILES.items()
    }
    check_parts = {rel: validate_document(docs[rel], definitions.ChecksFile, findings) for rel in check_files}

    stage_docs: dict[str, Document] = {}
    for rel, stage in stages.items():
        if stage is None:
            continue
        expected = Path(rel).stem
        if stage.id != expected:
            findings.append(
                docs[rel].finding(
                    ("id",),
                    Code.LS013,
                    f"stage id '{stage.id}' does not match the file name '{expected}'",
                    f"Rename the file to stages/{stage.id}.yaml or set id: {expected}.",
                )
            )
        stage_docs.setdefault(stage.id, docs[rel])
    if any(f.severity == "error" for f in findings) or process is None:
        return LoadedSpec(None, None, sorted(findings))

    sources = Sources(
        root,
        docs[PROCESS_FILE],
        stage_docs,
        {name: docs[f"definitions/{name}.yaml"] for name in DEFINITION_FILES},
    )
    checks: list[definitions.Check] = []
    for rel, part in check_parts.items():
        for index, check in enumerate(part.checks if part else []):
            sources.checks.append((docs[rel], index))
            checks.append(check)

    spec = models.Spec(
        process=process,
        stages=_lifecycle_order(process, [s for s in stages.values() if s is not None]),
        lead=parts["lead"].lead,
        fields=parts["fields"].fields,
        sources=parts["sources"].sources,
        roles=parts["roles"].roles,
        grading=parts["grading"].grading,
        scoring=parts["scoring"].scoring,
        readiness=parts["readiness"].readiness,
        failure_modes=parts["failure_modes"].failure_modes,
        kpis=parts["kpis"].kpis,
        glossary=parts["glossary"].glossary,
        checks=checks,
    )
    return LoadedSpec(spec, sources, sorted(findings))


def _lifecycle_order(process: Process, stages: list[Stage]) -> list[Stage]:
    """Pre-lead stages, breadth-first from the entry, the outcomes, then anything left by id."""
    lifecycle = process.lifecycle
    outcomes = [o.stage for o in lifecycle.outcomes]
    order = list(lifecycle.pre_lead)
    queue = [lifecycle.entry]
    while queue:
        current = queue.pop(0)
        if current in order or current in outcomes:
            continue
        order.append(current)
        queue.extend(t.target for t in lifecycle.transitions if t.source == current)
    order += outcomes
    rank = {stage_id: i for i, stage_id in enumerate(order)}
    return sorted(stages, key=lambda s: (rank.get(s.id, len(rank)), s.id))


def validate_document(doc: Document, model: type[BaseModel], findings: list[Finding]) -> Any:
    """Validate a parsed file with its model; schema errors become located findings."""
    if not isinstance(doc.data, dict):
        findings.append(
            doc.finding(
                (),
                Code.LS012,
                "the file must hold a mapping of keys",
                f"Start the file with the keys of a {model.__name__}.",
            )
        )
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        findings.extend(_schema_finding(doc, model, err) for err in exc.errors())
        return None


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Keep the parts of a pydantic location that are real keys or indexes in the data."""
    path: list[str | int] = []
    for part in loc:
        if (
            isinstance(data, dict)
            and part in data
            or isinstance(data, list)
            and isinstance(part, int)
            and part < len(data)
        ):
            data = data[part]
        else:
            continue
        path.append(part)
    return tuple(path)


def _schema_finding(doc: Document, model: type[BaseModel], err: Any) -> Finding:
    loc = tuple(err["loc"])
    path = _data_path(doc.data, loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, path[:-1], doc.data)
        name = str(path[-1])
        return doc.finding(
            path,
            Code.LS010,
            f"unknown key '{name}'",
            f"Allowed keys here: {', '.join(allowed)}.{did_you_mean(name, allowed)}",
            key=True,
        )
    where = ".".join(str(p) for p in path)
    if kind == "union_tag_invalid":  # a `kind` naming no variant: a rule kind or a measure
        key = err["ctx"]["discriminator"].strip("'")
        tags = [t.strip(" '") for t in err["ctx"]["expected_tags"].split(",")]
        return doc.finding(
            (*path, key),
            Code.LS012,
            f"{key} '{err['ctx']['tag']}' is not a known {key}",
            f"Known: {', '.join(tags)}.{did_you_mean(str(err['ctx']['tag']), tags)}",
        )
    if kind == "missing":
        name = str(loc[-1])
        return doc.finding(
            path,
            Code.LS011,
            f"missing key '{name}'" + (f" in {where}" if where else ""),
            f"Add '{name}:' here.",
            key=True,
        )
    message = err["msg"].removeprefix("Value error, ")
    return doc.finding(
        path,
        Code.LS012,
        f"{where}: {message}" if where else message,
        "See the JSON Schema from 'leadspec schema' for the expected shape.",
    )


def _allowed_keys(model: type[BaseModel], path: tuple[str | int, ...], data: Any) -> list[str]:
    """Keys a mapping at `path` may hold, found by following the model's annotations.

    Where the annotation is a union of models told apart by a `kind` key (a KPI's
    measure), the data's own `kind` picks the model.
    """
    current: Any = model
    for part in path:
        current = _inner(_variant(current, data), part)
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            data = None
        if current is None:
            return []
    current = _variant(current, data)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(f.alias or name for name, f in current.model_fields.items())
    return []


def _variant(annotation: Any, data: Any) -> Any:
    """The member of a union of models whose literal `kind` equals the data's `kind`."""
    options = (
        typing.get_args(annotation)
        if typing.get_origin(annotation) in (typing.Union, types.UnionType)
        else ()
    )
    kind = data.get("kind") if isinstance(data, dict) else None
    for option in options:
        field = getattr(option, "model_fields", {}).get("kind")
        if field is not None and kind in typing.get_args(field.annotation):
            return option
    return annotation


def _inner(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return _unwrap(info.annotation)
        return None
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is list and args:
        return _unwrap(args[0])
    if origin is dict and len(args) == 2:
        return _unwrap(args[1])
    return None


def _unwrap(annotation: Any) -> Any:
    """Optional[X] -> X, Annotated[X, ...] -> X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation
