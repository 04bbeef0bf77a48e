"""Shared fixtures: the repository root, the reference spec, and broken copies of specs."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
PAGES = ROOT / "src" / "leadspec" / "site_templates" / "pages"  # the packaged page templates


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite golden files from the current output instead of comparing.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def copy_spec(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".venv", "__pycache__"))
    return target


PROJECT_PARTS = ("process", "stages", "definitions", "checks", "docs")


def copy_project(target: Path, *extra: str) -> Path:
    """The reference project's spec, docs, templates and mkdocs.yml (and `extra` folders)."""
    for part in (*PROJECT_PARTS, *extra):
        shutil.copytree(ROOT / part, target / part)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def apply_edits(root: Path, case: dict) -> None:
    """Apply a case's text edits, new files and deletions to a copied spec."""
    for edit in case.get("edits", []):
        path = root / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert edit["replace"] in text, f"{edit['file']} has no {edit['replace']!r}"
        text = text.replace(edit["replace"], edit["with"], 1)
        path.write_bytes(text.encode(edit.get("encoding", "utf-8")))
    for rel, text in case.get("files", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for rel in case.get("delete", []):
        (root / rel).unlink()


def assert_golden(path: Path, text: str, update: bool) -> None:
    """Compare `text` with the golden file; `make snapshots` rewrites it instead."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path} was missing and has been written; run again")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{path} differs; run 'make snapshots' if the change is intended"


def fake_svg(dot: str) -> str:
    """Stands in for Graphviz: pins which DOT a page embeds without pinning SVG bytes."""
    return f'<svg data-dot="{hashlib.sha256(dot.encode()).hexdigest()[:12]}"></svg>'


def salesforce_export(folder: Path, leads: str, history: str) -> tuple[Path, Path]:
    """A Lead.csv and a LeadHistory.csv of a few columns each: the rows are given as CSV text."""
    lead_file, history_file = folder / "Lead.csv", folder / "LeadHistory.csv"
    lead_file.write_text("Id,Status,CreatedDate,OwnerId,LastActivityDate\n" + leads, encoding="utf-8")
    history_file.write_text(
        "LeadId,CreatedDate,Field,DataType,OldValue,NewValue\n" + history, encoding="utf-8"
    )
    return lead_file, history_file


@pytest.fixture(scope="session")
def reference_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference playbook without reports, built once for every test that only reads it."""
    from leadspec.site import build_site

    project = copy_project(tmp_path_factory.mktemp("reference") / "project")
    build_site(project / "mkdocs.yml", project / "site")
    return project / "site"


@pytest.fixture(scope="session")
def reported_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference playbook with a conformance report (the generic example) and a pilot
    report (the Salesforce example) configured, built once."""
    from click.testing import CliRunner

    from leadspec.cli import main
    from leadspec.site import build_site

    project = copy_project(tmp_path_factory.mktemp("reported") / "project", "examples")
    generic, salesforce = project / "examples" / "generic", project / "examples" / "salesforce"
    runs = [
        [
            "check",
            str(generic / "leads.csv"),
            "--events",
            str(generic / "events.csv"),
            "--as-of",
            "2026-10-30",
            "--json",
            str(project / "build" / "conformance.json"),
        ],
        [
            "pilot",
            str(salesforce / "Lead.csv"),
            "--events",
            str(salesforce / "LeadHistory.csv"),
            "--mapping",
            "salesforce",
            "--as-of",
            "2026-11-02T11:00:00",
            "--json",
            str(project / "build" / "pilot.json"),
        ],
    ]
    for args in runs:
        result = CliRunner().invoke(main, [*args, "--spec", str(project)])
        assert result.exit_code == 1, result.output
    build_site(project / "mkdocs.yml", project / "site")
    return project / "site"


def json_keys(value: object) -> set[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in json_keys(v)}
    return set()


def documented_fields(page: Path) -> set[str]:
    """The keys a reference page documents: each name it sets in code, in a table or a sentence."""
    text = page.read_text(encoding="utf-8")
    return {key.split(".")[-1] for key in re.findall(r"`([\w.]+)`", text)}
