"""The version history as plain data, for the playbook's history page and role pages.

Every release, newest first, with its status, date, summary, approvals and the diff
from the release before it; then what the working files change since the latest
release. Plain dicts and lists, so the renderer needs nothing from this package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..spec.models import Spec
from ..spec.releases import released_versions
from .diff import diff
from .freeze import WORKING, Snapshot, frozen, job_aid_texts


def load_history(root: Path, spec: Spec) -> dict[str, Any] | None:
    """The history of the spec under `root` (whose working files `spec` holds), or None
    when nothing has been released yet. Raises VersionError for an unusable release."""
    versions = released_versions(root)
    if not versions:
        return None
    releases = [frozen(root, v) for v in versions]
    return history_data(releases, Snapshot(WORKING, spec, job_aid_texts(root, spec)))


def history_data(releases: list[Snapshot], current: Snapshot) -> dict[str, Any]:
    """`releases` oldest first; `current` the working files."""
    entries = []
    previous: Snapshot | None = None
    for release in releases:
        changes = diff(previous.spec, release.spec, previous.job_aids, release.job_aids) if previous else []
        entries.append(
            {
                "version": release.version,
                "status": release.status,
                "released_on": release.released_on.isoformat() if release.released_on else None,
                "summary": _summary(release, current),
                "previous": previous.label if previous else None,
                "approvals": _approvals(release, current),
                "changes": [c.as_dict() for c in changes],
            }
        )
        previous = release
    latest = releases[-1]
    working = diff(latest.spec, current.spec, latest.job_aids, current.job_aids)
    return {
        "latest": latest.label,
        "releases": entries[::-1],
        "working": {
            "version": current.version,
            "status": current.status,
            "since": latest.label,
            "changes": [c.as_dict() for c in working],
        },
    }


def _summary(release: Snapshot, current: Snapshot) -> str:
    for spec in (release.spec, current.spec):
        for entry in spec.process.changelog:
            if entry.version == release.version:
                return " ".join(entry.summary.split())
    return ""


def _approvals(release: Snapshot, current: Snapshot) -> list[dict[str, str]]:
    """Approvals of the release's version: those frozen with it, then any recorded later."""
    seen: list[dict[str, str]] = []
    for spec in (release.spec, current.spec):
        for a in spec.process.approvals:
            if a.version != release.version:
                continue
            item = {
                "role": a.role,
                "function": a.function,
                "date": a.date.isoformat(),
                "decision": a.decision,
                "comment": " ".join(a.comment.split()),
            }
            if item not in seen:
                seen.append(item)
    return seen
