"""Freeze a spec into one self-contained YAML document, and read a frozen one back.

A frozen release holds the whole resolved spec (every model, stages in lifecycle
order) and the text of each job aid file the stages point to, so a later diff, report
or site page needs nothing else. The document is deterministic: keys are sorted,
lists keep spec order, and the same spec gives the same bytes. Its checksum covers
the content (see `spec.releases`), so `leadspec validate` notices a hand edit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..rules.lint import lint
from ..spec import Severity, Spec, load_spec
from ..spec.findings import Finding
from ..spec.load import validate_document
from ..spec.releases import (
    FORMAT_VERSION,
    RELEASES_DIR,
    Release,
    content_checksum,
    intact,
    release_path,
    release_problems,
    released_versions,
)
from ..spec.yaml_source import YamlError, read_yaml

WORKING = "working"


class VersionError(Exception):
    """A version cannot be used: unknown, edited after release, or a spec with errors.

    The CLI prints the message (and the findings, when there are some) and exits 2.
    """

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


@dataclass(frozen=True)
class Snapshot:
    """A spec at one version: a frozen release or the working files."""

    label: str  # the version, or 'working'
    spec: Spec
    job_aids: dict[str, str | None] = field(default_factory=dict)  # path -> text
    released_on: dt.date | None = None  # None for the working files

    @property
    def version(self) -> str:
        return self.spec.process.version

    @property
    def status(self) -> str:
        return self.spec.process.status

    @property
    def name(self) -> str:
        """How the snapshot is named in output: '0.75', or 'working (1.0, pilot)'."""
        if self.label == WORKING:
            return f"the working files (version {self.version}, {self.status})"
        return f"release {self.label}"


def job_aid_texts(root: Path, spec: Spec) -> dict[str, str | None]:
    """Path -> text of every job aid file the stages point to (None when it cannot be read)."""
    texts: dict[str, str | None] = {}
    for stage in spec.stages:
        for aid in stage.job_aids:
            if aid.path is None or aid.path in texts:
                continue
            try:
                texts[aid.path] = (root / aid.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                texts[aid.path] = None
    return dict(sorted(texts.items()))


def working(root: Path) -> Snapshot:
    """The spec as the files say now; VersionError when it does not load or has errors."""
    loaded = load_spec(root)
    errors = [f for f in lint(loaded) if f.severity is Severity.ERROR]
    if loaded.spec is None or errors:
        raise VersionError("the working spec has errors; fix them first (leadspec validate)", errors)
    return Snapshot(WORKING, loaded.spec, job_aid_texts(root, loaded.spec))


def frozen(root: Path, version: str) -> Snapshot:
    """A frozen release read back and validated with the spec's models."""
    path = release_path(root, version)
    rel = f"{RELEASES_DIR}/{version}.yaml"
    if not path.is_file():
        known = released_versions(root)
        listed = ", ".join(known) if known else "none yet"
        raise VersionError(
            f"no release {version}: {rel} does not exist (released: {listed}); "
            f"give a released version or '{WORKING}'"
        )
    data = intact(path)
    if data is not None:
        try:
            release = Release.model_validate(data)
        except ValidationError:
            pass  # read again below, to say where
        else:
            return Snapshot(version, release.spec, dict(release.job_aids), release.released_on)
    try:
        doc = read_yaml(path, rel)
    except YamlError as exc:
        raise VersionError(f"{rel} cannot be read; restore it from version control", [exc.finding]) from None
    problems = release_problems(doc, version)
    if problems:
        raise VersionError(
            f"{rel} is not the release that was frozen; restore it (git checkout -- {rel})", problems
        )
    findings: list[Finding] = []
    checked: Release | None = validate_document(doc, Release, findings)
    if checked is None:
        raise VersionError(f"{rel} does not fit this version of leadspec", findings)
    return Snapshot(version, checked.spec, dict(checked.job_aids), checked.released_on)


def resolve(root: Path, name: str) -> Snapshot:
    """'working' or a released version such as 0.75."""
    if name == WORKING:
        return working(root)
    if not re.fullmatch(r"\d+\.\d+", name):
        raise VersionError(
            f"'{name}' is not a version: give a released version such as 0.75, "
            f"or '{WORKING}' for the files as they are"
        )
    return frozen(root, name)


def freeze(snapshot: Snapshot, released_on: dt.date) -> str:
    """The frozen document for a snapshot, as YAML text with its checksum."""
    spec = snapshot.spec
    body: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "version": spec.process.version,
        "status": spec.process.status,
        "released_on": released_on.isoformat(),
        "spec": _sorted(spec.model_dump(mode="json", by_alias=True)),
        "job_aids": _sorted(snapshot.job_aids),
    }
    # NOTE: the checksum is taken from the document as a reader will parse it back.
    parsed = yaml.safe_load(_dump(body))
    document = {
        **{k: body[k] for k in ("format_version", "version", "status", "released_on")},
        "checksum": content_checksum(parsed),
        "spec": body["spec"],
        "job_aids": body["job_aids"],
    }
    header = (
        f"# Release {spec.process.version} of {spec.process.name}, frozen by "
        "'leadspec release'.\n"
        "# Never edit this file: 'leadspec validate' reports any change to its content.\n"
        "# Compare it with another version with 'leadspec diff'.\n"
    )
    return header + _dump(document)


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line text as literal blocks, never aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
