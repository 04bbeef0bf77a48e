"""process/releases/<version>.yaml: frozen releases, and the check that none was edited.

`leadspec release` writes each file once (see `leadspec.versions`); here is only what
the spec step needs to trust them: the shape of a frozen file, its content checksum,
and the findings `validate` reports when a file no longer matches what was frozen.
Frozen files are never part of the working spec.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field

from .codes import Code
from .findings import Finding
from .models import Spec
from .models.common import Strict
from .models.process import Status, Version, version_key
from .yaml_source import MAX_BYTES, Document, YamlError, load_safely, read_yaml

RELEASES_DIR = "process/releases"
FORMAT_VERSION = 1


class Release(Strict):
    """One frozen release: the whole resolved spec plus the job aid texts it points to."""

    format_version: Literal[1]
    version: Version
    status: Status
    released_on: dt.date
    checksum: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")
    spec: Spec
    job_aids: dict[str, str | None] = Field(
        description="Job aid file path -> its text when the release was frozen (None: missing)."
    )


def content_checksum(data: Mapping[str, Any]) -> str:
    """SHA-256 of everything but the checksum itself, as canonical JSON.

    The content is hashed, not the bytes, so only a change of a value breaks it: line
    endings or a re-indented file do not.
    """
    body = {key: value for key, value in data.items() if key != "checksum"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def release_path(root: Path, version: str) -> Path:
    return root / RELEASES_DIR / f"{version}.yaml"


def released_versions(root: Path) -> list[str]:
    """Versions with a frozen file, oldest first (0.5 < 0.75 < 1.0)."""
    names = [p.stem for p in (root / RELEASES_DIR).glob("*.yaml")]
    return sorted((n for n in names if _is_version(n)), key=version_key)


def _is_version(name: str) -> bool:
    major, dot, minor = name.partition(".")
    return bool(dot) and major.isdigit() and minor.isdigit()


def restore_hint(rel: str) -> str:
    return (
        f"A released version is never rewritten: restore it (git checkout -- {rel}) and "
        "make the change in the working files for the next release."
    )


def release_problems(doc: Document, expected_version: str) -> list[Finding]:
    """Why a parsed frozen file cannot be trusted; empty when it is as it was frozen."""
    data = doc.data
    hint = restore_hint(doc.path)
    if not isinstance(data, dict) or not isinstance(data.get("checksum"), str):
        return [
            doc.finding(
                (), Code.LS005, "the file has no checksum, so it was not written by 'leadspec release'", hint
            )
        ]
    if content_checksum(data) != data["checksum"]:
        return [
            doc.finding(
                ("checksum",),
                Code.LS005,
                f"release {expected_version} was edited after it was frozen: its "
                "content no longer matches its checksum",
                hint,
                key=True,
            )
        ]
    version = str(data.get("version"))
    if version != expected_version:
        return [
            doc.finding(
                ("version",),
                Code.LS005,
                f"the file is named for version {expected_version} but holds version {version}",
                f"Rename it back to {version}.yaml; frozen files are named by their version.",
            )
        ]
    return []


def intact(path: Path) -> dict[str, Any] | None:
    """The data of a frozen file when it is exactly as frozen, read quickly; None otherwise.

    Frozen files are large and nearly always intact, so they are first read without
    keeping positions; only a file with a problem is read again to locate it.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = load_safely(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("checksum"), str)
        or content_checksum(data) != data["checksum"]
        or str(data.get("version")) != path.stem
    ):
        return None
    return data


def check_releases(root: Path) -> list[Finding]:
    """A finding for every frozen release that was edited, renamed or broken by hand."""
    findings: list[Finding] = []
    for path in sorted((root / RELEASES_DIR).glob("*.yaml")):
        if intact(path) is not None:
            continue
        rel = path.relative_to(root).as_posix()
        try:
            doc = read_yaml(path, rel)
        except YamlError as exc:
            found = exc.finding
            findings.append(
                Finding(
                    rel,
                    found.line,
                    found.column,
                    Code.LS005,
                    f"the frozen release cannot be read: {found.message}",
                    restore_hint(rel),
                )
            )
            continue
        findings.extend(release_problems(doc, path.stem))
    return findings
