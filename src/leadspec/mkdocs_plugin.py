"""The MkDocs plugin: the playbook's pages, generated from the spec at build time.

Enabled in mkdocs.yml as `- leadspec`. It validates the spec (a spec with errors
stops the build with the same file:line messages as `leadspec validate`), adds
the pages from `render.pages` (with the version history from `versions`, when
there are releases) and the diagrams as generated files, publishes job
aids that live outside docs/, builds the navigation, and tells `mkdocs serve` to
watch the spec and template folders. No generated Markdown is written to disk.

The page templates, the theme override and the stylesheet come with the package, so a
spec folder made by `leadspec init` needs no copy of them; a team that wants its own
pages names its template folder with `templates:`, and its own theme changes go in
MkDocs' `custom_dir`, which wins over the packaged override.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .conformance.report import Report
from .pilot.report import PilotReport
from .render import findings as render_findings
from .render.diagrams import lifecycle_dot, neighbourhood_dot, swimlane_dot
from .render.pages import build_pages, job_aid_target
from .render.pilot_page import funnel_dot
from .render.svg import GraphvizMissing, to_svg
from .rules.lint import lint
from .spec import Severity, Spec, load_spec
from .versions import VersionError, load_history

WATCHED = ("process", "stages", "definitions", "checks")
PACKAGED = Path(__file__).resolve().parent / "site_templates"
STYLESHEET = "assets/leadspec.css"
log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class LeadspecConfig(Config):  # type: ignore[no-untyped-call]
    spec_dir = config_options.Type(str, default=".")
    templates = config_options.Optional(config_options.Type(str))  # default: the packaged pages
    # A `leadspec check --json` and a `leadspec pilot --json` report to show, if present.
    report = config_options.Optional(config_options.Type(str))
    pilot = config_options.Optional(config_options.Type(str))


class LeadspecPlugin(BasePlugin[LeadspecConfig]):  # type: ignore[no-untyped-call]
    spec: Spec

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent / self.config.spec_dir

    def _templates(self, root: Path) -> Path:
        return root / self.config.templates if self.config.templates else PACKAGED / "pages"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = self._root(config)
        # NOTE: below the spec's own custom_dir, when it has one, and above the theme's.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGED / "overrides"))
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        loaded = load_spec(root)
        findings = lint(loaded)
        if loaded.spec is None or any(f.severity is Severity.ERROR for f in findings):
            errors = [f for f in findings if f.severity is Severity.ERROR]
            raise PluginError(
                "the process spec has errors:\n"
                + render_findings.as_text(errors, len({f.path for f in errors}))
            )
        spec = self.spec = loaded.spec
        self.svgs: dict[str, str] = {}
        self.pilot = self._pilot(root)
        try:
            history = load_history(root, spec)
        except VersionError as exc:
            raise PluginError(f"the version history cannot be shown: {exc}") from None
        try:
            self.pages = build_pages(
                spec,
                self._templates(root),
                self._svg,
                self._report(root),
                pilot=self.pilot,
                history=history,
            )
        except GraphvizMissing as exc:
            raise PluginError(str(exc)) from None
        process = spec.process
        config.extra["leadspec"] = {
            "name": process.name,
            "version": process.version,
            "status": process.status,
        }
        if not config.nav:
            config.nav = _nav(spec, Path(config.docs_dir), self.pages)
        return config

    def _report(self, root: Path) -> dict[str, Any] | None:
        """The configured conformance report, or None when none is configured or written yet."""
        return _read_report(root, self.config.report, "conformance report", "check", Report.from_json)

    def _pilot(self, root: Path) -> dict[str, Any] | None:
        """The configured pilot report, or None when none is configured or written yet."""
        return _read_report(root, self.config.pilot, "pilot report", "pilot", PilotReport.from_json)

    def _svg(self, dot: str) -> str:
        if dot not in self.svgs:
            self.svgs[dot] = to_svg(dot)
        return self.svgs[dot]

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        spec = self.spec
        if not files.get_file_from_path(STYLESHEET):
            files.append(File.generated(config, STYLESHEET, abs_src_path=str(PACKAGED / STYLESHEET)))
        for path, text in self.pages.items():
            files.append(File.generated(config, path, content=text))
        diagrams = {
            "diagrams/lifecycle.svg": lifecycle_dot(spec, link_prefix="../"),
            "diagrams/handoffs.svg": swimlane_dot(spec, link_prefix="../"),
        }
        diagrams |= {f"diagrams/{s.id}.svg": neighbourhood_dot(spec, s.id, "../stages/") for s in spec.stages}
        if self.pilot:
            diagrams["diagrams/pilot-funnel.svg"] = funnel_dot(spec, self.pilot, link_prefix="../")
        for path, dot in diagrams.items():
            files.append(File.generated(config, path, content=_standalone(self._svg(dot))))
        root = self._root(config)
        docs = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
        for stage in spec.stages:
            for aid in stage.job_aids:
                if not aid.path:
                    continue
                target = job_aid_target(aid.path, docs)
                if target.startswith("job-aids/files/") and not files.get_file_from_path(target):
                    files.append(File.generated(config, target, abs_src_path=str(root / aid.path)))
        return files

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        own = (self.config.templates or "", self.config.report or "", self.config.pilot or "")
        for folder in (*WATCHED, *own):
            if folder and (root / folder).exists():
                server.watch(str(root / folder))
        return server


def _standalone(svg: str) -> str:
    """An inline SVG as a file of its own, for the full-size view of a diagram."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg


def _nav(spec: Spec, docs_dir: Path, pages: dict[str, str]) -> list[Any]:
    """Navigation in reading order; hand-written pages follow the generated ones."""
    written = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
    aids = [p for p in written if p.startswith("job-aids/")]
    others = [p for p in written if p not in aids and p != "index.md"]
    return [
        {"Start here": "index.md"},
        {"What counts as a lead": "lead-definition.md"},
        {"Stages": [{s.name: f"stages/{s.id}.md"} for s in spec.stages]},
        {"Roles": [{r.title: f"roles/{r.id}.md"} for r in spec.roles]},
        {
            "Reference": [
                {"Lead sources": "reference/sources.md"},
                {"Data dictionary": "reference/data-dictionary.md"},
                {"Failure modes": "reference/failure-modes.md"},
                {"KPIs": "reference/kpis.md"},
                {"Checks catalogue": "reference/checks.md"},
                {"Glossary": "reference/glossary.md"},
            ]
        },
        *([{"Version history": "history.md"}] if "history.md" in pages else []),
        *([{"Conformance": "conformance.md"}] if "conformance.md" in pages else []),
        *([{"Pilot results": "pilot.md"}] if "pilot.md" in pages else []),
        {"Job aids": aids},
        {"About this playbook": others},
    ]


def _read_report(
    root: Path, setting: str | None, kind: str, command: str, read: Callable[[dict[str, Any]], object]
) -> dict[str, Any] | None:
    """A JSON report named in mkdocs.yml: None until it is written, an error if it is not ours.

    The pages read the document as it is; `read` (the report's own reader) refuses one that
    is not a whole report of this format, before a template meets a missing field.
    """
    if not setting:
        return None
    path = root / setting
    if not path.is_file():
        log.info("leadspec: no %s at %s; run 'leadspec %s --json %s'", kind, path, command, setting)
        return None
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        read(report)
    except (OSError, ValueError) as exc:
        raise PluginError(
            f"{path}: not a leadspec {kind} ({exc}); run 'leadspec {command}' again with this version"
        ) from None
    return report  # type: ignore[no-any-return]
