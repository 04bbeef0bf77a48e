"""`leadspec init`: a new spec folder that validates and builds at once.

The starting point is the reference process (Northwind's), which comes with the
package as `leadspec/reference/` (copied there when the wheel is built; in a
checkout of the repository it is the repository itself). A new folder gets the
spec files, the CRM mappings, the job aids, `mkdocs.yml`, the JSON Schemas, a
README for the team, a `.gitignore` and an editor setting that maps the schemas.
Files already in the folder are never overwritten.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .rules import checks_file_model
from .spec.schema import SCHEMA_DIR, file_models, schemas

PACKAGED = Path(__file__).resolve().parent / "reference"
CHECKOUT = Path(__file__).resolve().parents[2]
# What a team's folder takes from the reference: its spec and its playbook pages, not
# its frozen releases (those record Northwind's approvals, not the team's).
PARTS = ("process/process.yaml", "stages", "definitions", "checks", "docs/job-aids", "docs/service-levels.md")
CONFIG = "mkdocs.yml"
SPEC_MARKERS = ("process/process.yaml", "stages", "definitions")


class StarterError(Exception):
    """The starting spec cannot be written: says why and what to do."""


def reference_root() -> Path:
    """The reference process: the package's copy, else the repository's."""
    for root in (PACKAGED, CHECKOUT):
        if (root / "process" / "process.yaml").is_file() and (root / CONFIG).is_file():
            return root
    raise StarterError("this installation of leadspec has no reference process; reinstall leadspec")


def holds_spec(folder: Path) -> bool:
    """Whether `folder` already holds (part of) a spec."""
    return any((folder / marker).exists() for marker in SPEC_MARKERS)


def starter_files(company: str | None, crm: str) -> dict[str, str]:
    """Relative path -> text of every file of a new spec folder."""
    root = reference_root()
    files: dict[str, str] = {}
    for part in (*PARTS, CONFIG):
        path = root / part
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in found:
            files[file.relative_to(root).as_posix()] = file.read_text(encoding="utf-8")
    name = _process_name(files["process/process.yaml"])
    if company:
        name = f"{company} Lead Management Process"
        files["process/process.yaml"] = _set_line(files["process/process.yaml"], "name", name)
        files[CONFIG] = _set_line(files[CONFIG], "site_name", f"{company} Lead Playbook")
        files[CONFIG] = _set_line(
            files[CONFIG],
            "site_description",
            f"How {company} captures, qualifies, routes and converts leads.",
        )
    files["README.md"] = _readme(name, crm)
    files[".gitignore"] = "site/\nbuild/\n"
    files[".vscode/settings.json"] = _editor_settings()
    files |= {f"{SCHEMA_DIR}/{n}": text for n, text in schemas(checks_file_model()).items()}
    return dict(sorted(files.items()))


def _process_name(text: str) -> str:
    found = re.search(r"^name:\s*(.+)$", text, re.M)
    return found.group(1).strip().strip("\"'") if found else "The lead management process"


def _set_line(text: str, key: str, value: str) -> str:
    """`text` with its top-level `key:` line set to `value`, the comments around it kept."""
    line = f"{key}: {json.dumps(value, ensure_ascii=False)}"  # a JSON string is a YAML string
    changed, count = re.subn(rf"^{key}:.*$", lambda _: line, text, count=1, flags=re.M)
    return changed if count else f"{line}\n{text}"


def _editor_settings() -> str:
    """VS Code's YAML extension: each schema for the files of its kind."""
    globs = {"process": ["process/process.yaml"], "stage": ["stages/*.yaml"], "checks": ["checks/*.yaml"]}
    mapping = {
        f"./{SCHEMA_DIR}/{name}.schema.json": globs.get(name, [f"definitions/{name}.yaml"])
        for name in file_models(checks_file_model())
    }
    return json.dumps({"yaml.schemas": mapping}, indent=2, sort_keys=True) + "\n"


def _readme(name: str, crm: str) -> str:
    return f"""# {name}

This folder is our lead management process, kept as YAML with
[leadspec](https://pypi.org/project/leadspec/). The same files make the
playbook site that sales, marketing and new hires read, and the checks that
hold our CRM exports to the process.

## Where things are

| folder | what it holds |
|---|---|
| `process/process.yaml` | name, version, stakeholders, lifecycle, motions, calendar, approvals, changelog |
| `stages/` | one file per stage: definition, owner, steps, exit criteria, job aids, response windows |
| `definitions/` | the lead definition, fields, sources, roles, grading, scoring, failure modes, KPIs, glossary |
| `checks/` | rules beyond the exit criteria, and `mappings/` from each CRM's export to the fields |
| `docs/` | job aids and hand-written playbook pages |
| `schema/` | JSON Schemas for editors (rewrite them with `leadspec schema`) |

## Everyday commands

```sh
leadspec validate                      # after every edit: errors name the file and line
leadspec build                         # the playbook, into site/
leadspec mapping init Lead.csv         # a draft mapping for our own export, to complete
leadspec check Lead.csv --events LeadHistory.csv --mapping {crm} --json build/conformance.json
leadspec build                         # again: the site now has a Conformance page
```

`leadspec sample --crm {crm} --out sample` writes an export with known
violations, to try the check before our own data is at hand. Open the folder in
VS Code with the YAML extension and every file completes and checks as it is
typed.
"""
