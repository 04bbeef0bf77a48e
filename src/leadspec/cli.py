"""The `leadspec` command. The only module that ends the process with an exit code."""

from __future__ import annotations

import datetime as dt
import enum
import sys
from pathlib import Path

import click
import duckdb

from .conformance import run_checks, write_violations_csv
from .data import InputError, MappingError, draft_mapping, load_export, load_mapping
from .outputs import write_all
from .render import findings as render_findings
from .render.report_json import as_json
from .render.report_junit import as_junit
from .render.report_markdown import as_markdown
from .render.report_text import as_text
from .sample import CRMS, DEFAULT_RATE, write_sample
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


existing_file = click.Path(exists=True, dir_okay=False, path_type=Path)
output_file = click.Path(dir_okay=False, writable=True, path_type=Path)


@main.command()
@click.argument("leads", type=existing_file)
@click.option("--events", type=existing_file, default=None,
              help="History export: stage, owner and activity changes.")
@click.option("--mapping", "mapping_ref", default="generic", show_default=True,
              help="A mapping in checks/mappings (salesforce, hubspot, generic) or a path.")
@click.option("--spec", "spec_dir", default=".", show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The spec folder.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
              default=None, help="'Now' for time limits, in UTC (default: latest time in the data).")
@click.option("--json", "json_out", type=output_file, help="Write the full report as JSON.")
@click.option("--junit", "junit_out", type=output_file, help="Write JUnit XML, one case per rule.")
@click.option("--markdown", "markdown_out", type=output_file, help="Write a Markdown summary.")
@click.option("--violations", "violations_out", type=output_file,
              help="Write every violation as CSV (lead id, rule, stage, owner, detail).")
@click.option("--samples", type=click.IntRange(min=0), default=5, show_default=True,
              help="Violating leads listed per rule in the reports.")
@click.option("--encoding", type=click.Choice(["utf-8", "latin-1", "windows-1252"]),
              default=None, help="Text encoding of CSV exports (default UTF-8, with or without BOM).")
@click.option("--delimiter", default=None, help="CSV delimiter (default: detected).")
@click.option("--memory-limit", default=None,
              help="DuckDB memory limit such as 4GB; beyond it DuckDB spills to disk.")
@click.option("--site-url", default="", help="Playbook address, for absolute links in Markdown.")
@click.option("--trace", is_flag=True, help="Print each rule's SQL and row count to stderr.")
def check(leads: Path, events: Path | None, mapping_ref: str, spec_dir: Path,
          as_of: dt.datetime | None, json_out: Path | None, junit_out: Path | None,
          markdown_out: Path | None, violations_out: Path | None, samples: int,
          encoding: str | None, delimiter: str | None, memory_limit: str | None,
          site_url: str, trace: bool) -> None:
    """Check a CRM export (LEADS) against the documented process."""
    loaded = load_spec(spec_dir)
    findings = [f for f in lint(loaded) if f.severity is Severity.ERROR]
    if findings or loaded.spec is None:
        click.echo(render_findings.as_text(findings, _spec_file_count(spec_dir)), err=True, nl=False)
        click.echo("error: fix the spec before checking data (leadspec validate)", err=True)
        sys.exit(Exit.UNUSABLE)
    spec = loaded.spec
    con = duckdb.connect()
    if memory_limit:
        con.execute(f"SET memory_limit = {_sql_text(memory_limit)}")
    con.execute(f"SET enable_progress_bar = {'true' if sys.stderr.isatty() else 'false'}")
    try:
        mapping = load_mapping(mapping_ref, spec_dir)
        data = load_export(con, spec, leads, events, mapping, encoding=encoding,
                           delimiter=delimiter)
    except MappingError as exc:
        click.echo(render_findings.as_text(exc.findings, 1), err=True, nl=False)
        sys.exit(Exit.UNUSABLE)
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.UNUSABLE)
    moment = as_of or data.latest
    if moment is None:
        click.echo("error: the export holds no timestamps; give --as-of", err=True)
        sys.exit(Exit.UNUSABLE)
    report = run_checks(
        con, spec, as_of=moment, mapping=mapping.name, inputs=data.inputs,
        data_findings=data.findings, samples=samples,
        trace=(lambda rule, sql, seconds: click.echo(f"-- {rule}: {seconds:.3f}s\n{sql}\n",
                                                      err=True))
        if trace else None,
    )
    texts = {path: render(report) for path, render in (
        (json_out, as_json), (junit_out, as_junit),
        (markdown_out, lambda r: as_markdown(r, site_url=site_url))) if path is not None}
    files = {violations_out: lambda temp: write_violations_csv(con, spec, temp)} if violations_out else {}
    write_all(texts, files)
    click.echo(as_text(report, color=sys.stdout.isatty()), nl=False)
    sys.exit(Exit.FAILED if report.failed else Exit.OK)


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--crm", type=click.Choice(CRMS), required=True, help="Whose export shape to write.")
@click.option("--leads", "count", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--clean", is_flag=True, help="Plant no violations.")
@click.option("--plant-rate", type=click.FloatRange(0, 1), default=DEFAULT_RATE, show_default=True,
              help="Share of leads that carry a planted violation.")
@click.option("--spec", "spec_dir", default=".", show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
def sample(out_dir: Path, crm: str, count: int, seed: int, clean: bool, plant_rate: float,
           spec_dir: Path) -> None:
    """Write a realistic export with violations planted at known leads (expected_violations.csv)."""
    try:
        written = write_sample(out_dir, crm, count, seed, plant=not clean, spec_root=spec_dir,
                               plant_rate=plant_rate)
    except MappingError as exc:
        click.echo(render_findings.as_text(exc.findings, 1), err=True, nl=False)
        sys.exit(Exit.UNUSABLE)
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.UNUSABLE)
    click.echo(f"wrote {written.leads} {crm} leads to {out_dir} "
               f"({written.violations} planted violations); check it with:\n"
               f"  {written.check_command()}")


@main.group()
def mapping() -> None:
    """Mapping files: how a CRM's export becomes the canonical lead model."""


@mapping.command("init")
@click.argument("export", type=existing_file)
@click.option("--out", type=output_file, default=None, help="Write here instead of printing.")
@click.option("--spec", "spec_dir", default=".", show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--encoding", type=click.Choice(["utf-8", "latin-1", "windows-1252"]), default=None)
@click.option("--delimiter", default=None)
def mapping_init(export: Path, out: Path | None, spec_dir: Path, encoding: str | None,
                 delimiter: str | None) -> None:
    """Draft a mapping from EXPORT's header, for you to complete."""
    if out is not None and out.exists():
        click.echo(f"error: {out} exists; choose another --out or delete it", err=True)
        sys.exit(Exit.UNUSABLE)
    try:
        text = draft_mapping(export, load_spec(spec_dir).spec, encoding=encoding,
                             delimiter=delimiter)
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.UNUSABLE)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_all({out: text}, {})
        click.echo(f"wrote {out}; fill in the commented lines, then: leadspec check "
                   f"{export} --mapping {out}")


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _spec_file_count(directory: Path) -> int:
    folders = ("process", "stages", "definitions", "checks")
    return sum(len(list((directory / f).glob("*.yaml"))) for f in folders)


if __name__ == "__main__":
    main()
