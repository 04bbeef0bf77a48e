"""The playbook's pages: a Spec in, a mapping of page path -> Markdown out.

Independent of MkDocs on purpose: the MkDocs plugin feeds these pages to the site,
and another site generator could take the same output. The templates come with
the package (`leadspec/site_templates/pages/`); every value from the spec is HTML-escaped
by Jinja's autoescaping, and generated pages switch off macro rendering so text
such as '{{' in the spec stays literal.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..rules import KINDS
from ..rules.base import SECTIONS
from ..spec.checks import enforced_criteria, main_line
from ..spec.models import Spec
from ..spec.printable import printable
from . import relations, wording
from .diagrams import lifecycle_dot, neighbourhood_dot, swimlane_dot
from .pilot_page import view as pilot_view

Diagram = Callable[[str], str]  # DOT source -> inline SVG
_TICKS = re.compile(r"`([^`]*)`")


def job_aid_target(path: str, docs_dir: str = "docs") -> str:
    """Where a job aid file is published in the site, relative to the site root."""
    prefix = docs_dir.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else f"job-aids/files/{path}"


def page_paths(
    spec: Spec,
    report: dict[str, Any] | None = None,
    *,
    pilot: dict[str, Any] | None = None,
    history: dict[str, Any] | None = None,
) -> list[str]:
    """Every generated page, in reading order; the conformance page only with a report, the
    pilot results page only with a pilot report, the version history only with releases."""
    return [
        "index.md",
        "lead-definition.md",
        *(f"stages/{s.id}.md" for s in spec.stages),
        *(f"roles/{r.id}.md" for r in spec.roles),
        "reference/sources.md",
        "reference/data-dictionary.md",
        "reference/failure-modes.md",
        "reference/kpis.md",
        "reference/checks.md",
        "reference/glossary.md",
        *(["history.md"] if history else []),
        *(["conformance.md"] if report else []),
        *(["pilot.md"] if pilot else []),
    ]


def _environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        code=lambda text: Markup("<code>{}</code>").format(text),
        cell=lambda text: escape(" ".join(str(text).split())).replace("|", Markup("&#124;")),
        oneline=lambda text: " ".join(str(text).split()),
        duration=wording.duration,
        window=wording.window,
        target=wording.target,
        number=wording.number,
        ticks=_ticks,
    )
    return env


def _printable_data(value: Any) -> Any:
    """A report read from JSON with every string made printable: its values come from an
    export, and HTML escaping leaves control characters in place."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _printable_data(v) for k, v in value.items()}
    return value


def _ticks(text: str) -> Markup:
    """Escaped text whose `backtick` spans become <code>, where entities still read right."""
    return Markup(_TICKS.sub(r"<code>\1</code>", str(escape(" ".join(str(text).split())))))


def build_pages(
    spec: Spec,
    templates: Path,
    diagram: Diagram,
    report: dict[str, Any] | None = None,
    *,
    pilot: dict[str, Any] | None = None,
    history: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Render every page. `diagram` turns DOT into inline SVG (injected so tests can pin DOT).

    `report` is a conformance report in its JSON form (`leadspec check --json`); with
    it the playbook gains a conformance page and stage pages show current violations.
    `pilot` is a pilot report in its JSON form (`leadspec pilot --json`); with it the
    playbook gains a page of pilot results with the funnel drawn on the lifecycle.
    `history` is the version history as plain data (releases, their approvals and diffs;
    see `leadspec.versions.history`); with it the playbook gains a version history page
    and each role page says what the latest release changed for that role.
    """
    env = _environment(templates)
    report, pilot = _printable_data(report), _printable_data(pilot)
    context = {
        "spec": spec,
        "process": spec.process,
        "rel": relations,
        "roles": {r.id: r for r in spec.roles},
        "stages": {s.id: s for s in spec.stages},
        "kpis": {k.id: k for k in spec.kpis},
        "failure_modes": {f.id: f for f in spec.failure_modes},
        "checks": {c.id: c for c in spec.checks},
        "enforced": enforced_criteria(spec),
        "main_line": main_line(spec),
        "report": report,
        "results": {r["id"]: r for r in report["rules"]} if report else {},
        "pilot": pilot,
        "pilot_view": pilot_view(spec, pilot) if pilot else None,
        "history": history,
        "changed_for": lambda role_id: _changed_for(history, role_id),
        "rule_kinds": [
            (name, KINDS[name].title, [(h, Markup(KINDS[name].section(h))) for h in SECTIONS])
            for name in sorted(KINDS)
        ],
        "job_aid_target": job_aid_target,
        "svg": lambda dot: Markup(diagram(dot)),
        "lifecycle_dot": lifecycle_dot,
        "swimlane_dot": swimlane_dot,
        "neighbourhood_dot": neighbourhood_dot,
    }
    pages: dict[str, str] = {}
    items: dict[str, dict[str, Any]] = {
        "stages": {s.id: s for s in spec.stages},
        "roles": {r.id: r for r in spec.roles},
    }
    for path in page_paths(spec, report, pilot=pilot, history=history):
        kind, _, name = path.rpartition("/")
        template = f"{kind}.md.j2" if kind in ("stages", "roles") else path.replace(".md", ".md.j2")
        item = items.get(kind, {})
        link = _linker(path)
        text = env.get_template(template).render(
            context,
            page=path,
            link=link,
            item=item.get(name.removesuffix(".md")),
        )
        pages[path] = text + _abbreviations(spec)
    return pages


def _changed_for(history: dict[str, Any] | None, role_id: str) -> list[dict[str, Any]]:
    """Changes of the latest release that concern a role, in the diff's order."""
    if not history or not history["releases"]:
        return []
    return [c for c in history["releases"][0]["changes"] if role_id in c["roles"]]


def _linker(page: str) -> Callable[[str], str]:
    """Relative link from `page` to another page path such as 'roles/sdr.md'."""
    here = posixpath.dirname(page)
    return lambda target: posixpath.relpath(target, here or ".")


def _abbreviations(spec: Spec) -> str:
    """Glossary terms as Markdown abbreviations, shown as tooltips wherever they appear."""
    lines = []
    for term in sorted(spec.glossary, key=lambda t: t.term):
        definition = " ".join(term.definition.split()).replace('"', "'")
        for word in filter(None, (term.abbreviation, term.term)):
            lines.append(f"*[{word}]: {definition}")
    return "\n" + "\n".join(lines) + "\n" if lines else ""
