"""`leadspec init`: a new spec folder that validates and builds at once.

Two starting points. `reference` is the full reference process (Northwind's),
which comes with the package as `leadspec/reference/` (copied there when the wheel
is built; in a checkout of the repository it is the repository itself). `minimal`
(`leadspec/starters/minimal/`) is a version 0.5 draft for a first planning session:
the lead definition, five buying stages with nurture and disqualification beside
them, each with a definition, steps, exit criteria, one owner and a job-aid stub,
for one motion or both. It takes the reference's data dictionary and CRM mappings,
so `check` and `sample` read the same exports on both.

A new folder also gets `mkdocs.yml`, the JSON Schemas, a README for the team, a
`.gitignore` and an editor setting that maps the schemas. Files already in the
folder are never overwritten.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2

from .rules import checks_file_model
from .spec.schema import SCHEMA_DIR, file_models, schemas

PACKAGED = Path(__file__).resolve().parent / "reference"
CHECKOUT = Path(__file__).resolve().parents[2]
# What a team's folder takes from the reference: its spec and its playbook pages, not
# its frozen releases (those record Northwind's approvals, not the team's). NOTE:
# setup.py's REFERENCE copies these (and CONFIG) into the wheel; change both together.
PARTS = ("process/process.yaml", "stages", "definitions", "checks", "docs/job-aids", "docs/service-levels.md")
CONFIG = "mkdocs.yml"
SPEC_MARKERS = ("process/process.yaml", "stages", "definitions")
MINIMAL = Path(__file__).resolve().parent / "starters" / "minimal"
# What the minimal draft takes from the reference: the canonical fields and the CRM
# mappings onto them, which every mapping's columns and value maps are checked against.
FROM_REFERENCE = ("definitions/fields.yaml", "checks/mappings")
STARTS = ("minimal", "reference")
MOTIONS = {"b2b": ("b2b",), "b2c": ("b2c",), "both": ("b2b", "b2c")}
# The export files of each CRM as the team's README shows them to `check`.
EXPORTS = {
    "salesforce": ("Lead.csv", "--events LeadHistory.csv"),
    "hubspot": ("contacts.csv", "--join deals=deals.csv"),
    "generic": ("leads.csv", "--events events.csv"),
}


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


def starter_files(start: str, company: str | None, crm: str, motion: str = "both") -> dict[str, str]:
    """Relative path -> text of every file of a new spec folder."""
    if start not in STARTS:
        raise StarterError(f"unknown starting point '{start}'; choose one of {', '.join(STARTS)}")
    if start == "reference" and motion != "both":
        raise StarterError(
            "the reference process has both motions, B2B and B2C; --motion chooses for --from minimal"
        )
    root = reference_root()
    if start == "reference":
        files = _read(root, (*PARTS, CONFIG))
        name = _process_name(files["process/process.yaml"])
        if company:
            name = f"{company} Lead Management Process"
            files["process/process.yaml"] = _set_line(files["process/process.yaml"], "name", name)
    else:
        name = f"{company} Lead Management Process" if company else "Lead Management Process"
        files = _minimal(name, MOTIONS[motion]) | _read(root, (*FROM_REFERENCE, CONFIG))
        if motion != "both":
            files = _one_motion(files, motion)
    site = f"{company} Lead Playbook" if company else ("Lead Playbook" if start == "minimal" else "")
    if site:
        files[CONFIG] = _set_line(files[CONFIG], "site_name", site)
        who = company or "we"
        files[CONFIG] = _set_line(
            files[CONFIG], "site_description", f"How {who} capture, qualify, route and convert leads."
        )
    files["README.md"] = _readme(name, crm)
    files[".gitignore"] = "site/\nbuild/\n"
    files[".vscode/settings.json"] = _editor_settings()
    files |= {f"{SCHEMA_DIR}/{n}": text for n, text in schemas(checks_file_model()).items()}
    return dict(sorted(files.items()))


def _read(root: Path, parts: tuple[str, ...]) -> dict[str, str]:
    files = {}
    for part in parts:
        path = root / part
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in found:
            files[file.relative_to(root).as_posix()] = file.read_text(encoding="utf-8")
    return files


def _minimal(name: str, motions: tuple[str, ...]) -> dict[str, str]:
    """The minimal draft's own files, with the process name and the motions filled in."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    return {
        rel: env.from_string(text).render(name=name, motions=motions)
        for rel, text in _read(MINIMAL, ("process", "stages", "definitions", "checks", "docs")).items()
    }


def _one_motion(files: dict[str, str], motion: str) -> dict[str, str]:
    """The reference's fields and mappings narrowed to the one motion the draft has."""
    fields = files["definitions/fields.yaml"]
    files["definitions/fields.yaml"] = fields.replace(
        "allowed_values: [b2b, b2c]", f"allowed_values: [{motion}]"
    )
    for rel, text in files.items():
        if rel.startswith("checks/mappings/"):
            text = re.sub(r"^  motion: b2b$", f"  motion: {motion}", text, flags=re.M)
            files[rel] = text.replace("motion: {b2b: b2b, b2c: b2c}", f"motion: {{{motion}: {motion}}}")
    return files


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
    leads, rest = EXPORTS[crm]
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
leadspec mapping init {leads}         # a draft mapping for our own export, to complete
leadspec check {leads} {rest} --mapping {crm} --json build/conformance.json
leadspec build                         # again: the site now has a Conformance page
```

`leadspec sample --crm {crm} --out sample` writes an export with known
violations, to try the check before our own data is at hand. Open the folder in
VS Code with the YAML extension and every file completes and checks as it is
typed.
"""
