"""`leadspec release VERSION`: check the gates, write the changelog entry, freeze the spec.

Nothing is written unless every gate is met. The plan holds both new texts (the
process file with its changelog entry, and the frozen release) so the caller can
write them all or nothing; a release that exists is never written again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..rules.lint import lint
from ..spec import load_spec
from ..spec.load import PROCESS_FILE
from ..spec.models.process import Process, version_key
from ..spec.releases import RELEASES_DIR, release_path, released_versions
from . import changelog
from .diff import Change, diff
from .freeze import Snapshot, VersionError, freeze, frozen, job_aid_texts
from .gates import PilotEvidence, unmet


class GateRefused(Exception):
    """The version does not meet its gates; `unmet` names each condition."""

    def __init__(self, version: str, unmet: list[str]) -> None:
        super().__init__(f"release {version} refused")
        self.version = version
        self.unmet = unmet


@dataclass(frozen=True)
class Plan:
    version: str
    previous: str | None
    changes: list[Change]
    texts: dict[Path, str]  # path -> new content: the process file and the frozen release

    @property
    def release_file(self) -> str:
        return f"{RELEASES_DIR}/{self.version}.yaml"


def default_summary(previous: str | None) -> str:
    return "First release." if previous is None else f"Changes since {previous}."


def plan_release(
    root: Path,
    version: str,
    *,
    released_on: dt.date,
    summary: str | None = None,
    pilot: PilotEvidence | None = None,
) -> Plan:
    """What releasing `version` writes; GateRefused or VersionError when it must not happen."""
    if not re.fullmatch(r"\d+\.\d+", version):
        raise VersionError(f"'{version}' is not a version; write MAJOR.MINOR such as 0.5 or 1.0")
    rel = f"{RELEASES_DIR}/{version}.yaml"
    if release_path(root, version).exists():
        raise VersionError(
            f"release {version} exists ({rel}) and is never rewritten; set the "
            "next version in process/process.yaml and release that"
        )
    loaded = load_spec(root)
    findings = lint(loaded)
    fatal = [f for f in findings if f.fatal]
    if fatal:
        raise VersionError("the spec cannot be read; fix the files below first", fatal)
    spec = loaded.spec
    if spec is not None and spec.process.version != version:
        raise VersionError(
            f"{PROCESS_FILE} is at version {spec.process.version}, not {version}: "
            f'set version: "{version}" there first, or release '
            f"{spec.process.version}"
        )
    if spec is not None and any(e.version == version for e in spec.process.changelog):
        raise VersionError(
            f"{PROCESS_FILE} already has a changelog entry for {version}; remove "
            "it: the release writes it from the diff (give --summary for its "
            "summary)"
        )
    later = [v for v in released_versions(root) if version_key(v) >= version_key(version)]
    if later:
        raise VersionError(
            f"release {later[-1]} exists already; a new release must come after "
            "it: set a higher version in process/process.yaml"
        )
    problems = unmet(version, spec, findings, pilot)
    if problems or spec is None:
        raise GateRefused(version, problems)
    earlier = released_versions(root)
    previous = frozen(root, earlier[-1]) if earlier else None
    current = Snapshot(version, spec, job_aid_texts(root, spec))
    changes = diff(previous.spec, spec, previous.job_aids, current.job_aids) if previous else []
    label = previous.label if previous else None
    entry = changelog.entry(
        version, released_on, summary or default_summary(label), [c.line for c in changes]
    )
    process_path = root / PROCESS_FILE
    text = changelog.append_entry(process_path.read_text(encoding="utf-8"), entry)
    process = _process(text)
    released = Snapshot(version, spec.model_copy(update={"process": process}), current.job_aids, released_on)
    frozen_text = freeze(released, released_on)
    return Plan(version, label, changes, {process_path: text, release_path(root, version): frozen_text})


def _process(text: str) -> Process:
    """The process model of the edited file (only the new changelog entry differs)."""
    try:
        return Process.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as exc:
        raise VersionError(f"the new {PROCESS_FILE} does not validate: {exc}") from None
