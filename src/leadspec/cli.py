"""The `leadspec` command. The only module that ends the process with an exit code."""

from __future__ import annotations

import enum
import sys
from pathlib import Path

import click

from .render import findings as render_findings
from .site import SiteError, build_site
from .spec import Severity, load_spec
from .spec.lint import lint
from .spec.schema import SCHEMA_DIR, write_schemas


class Exit(enum.IntEnum):
    """Exit codes.

    0  OK: no errors (warnings may be present).
    1  FAILED: the spec or the data breaks the rules.
    2  UNUSABLE: input could not be read, or the command was used wrongly.
    """

    OK = 0
    FAILED = 1
    UNUSABLE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="leadspec")
def main() -> None:
    """Keep a lead management process as YAML; publish it and hold CRM data to it."""


spec_dir = click.argument(
    "directory", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


@main.command()
@spec_dir
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Human text, or JSON for tools.")
def validate(directory: Path, fmt: str) -> None:
    """Check the spec in DIRECTORY: schema, references, rules, lifecycle, completeness."""
    loaded = load_spec(directory)
    findings = lint(loaded)
    files = _spec_file_count(directory)
    render = render_findings.as_json if fmt == "json" else render_findings.as_text
    click.echo(render(findings, files), nl=False)
    if any(f.fatal for f in findings):
        sys.exit(Exit.UNUSABLE)
    sys.exit(Exit.FAILED if any(f.severity is Severity.ERROR for f in findings) else Exit.OK)


@main.command()
@spec_dir
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the site goes (default: DIRECTORY/site).")
def build(directory: Path, site_dir: Path | None) -> None:
    """Validate the spec, then build the playbook site with MkDocs in strict mode."""
    loaded = load_spec(directory)
    findings = [f for f in lint(loaded) if f.severity is Severity.ERROR]
    if findings:
        click.echo(render_findings.as_text(findings, _spec_file_count(directory)), nl=False,
                   err=True)
        sys.exit(Exit.UNUSABLE if any(f.fatal for f in findings) else Exit.FAILED)
    target = (site_dir or directory / "site").resolve()
    try:
        build_site(directory / "mkdocs.yml", target)
    except SiteError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.FAILED)
    click.echo(f"built the playbook in {target}")


@main.command()
@spec_dir
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Folder to write to (default: DIRECTORY/{SCHEMA_DIR}).")
def schema(directory: Path, out: Path | None) -> None:
    """Write a JSON Schema for every kind of spec file, for editor completion."""
    for path in write_schemas(out or directory / SCHEMA_DIR):
        click.echo(f"wrote {path}")


def _spec_file_count(directory: Path) -> int:
    folders = ("process", "stages", "definitions", "checks")
    return sum(len(list((directory / f).glob("*.yaml"))) for f in folders)


if __name__ == "__main__":
    main()
