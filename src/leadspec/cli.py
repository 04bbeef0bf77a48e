"""The `leadspec` command. The only module that ends the process with an exit code."""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import enum
import re
import shutil
import signal
import sys
import tempfile
import threading
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .outputs import OutputError, check_writable, write_all
from .render import findings as render_findings
from .rules.lint import lint
from .spec import Severity, Spec, load_spec
from .spec.schema import SCHEMA_DIR, write_schemas

if typing.TYPE_CHECKING:
    import duckdb

    from .conformance.report import Report
    from .data import LoadedExport, Mapping
    from .data.readers import Source
    from .engines import Connection, Engine
    from .versions import VersionError

# NOTE: everything beyond the spec (DuckDB, the data step, the checks, the reports, the
# site, the pilot, the versions) is imported by the commands that use it, so `validate`
# in a pre-commit hook starts in half the time and `check` never waits for MkDocs.
CRMS = ("salesforce", "hubspot", "generic")  # the shapes `leadspec sample` writes
DEFAULT_PLANT_RATE = 0.02


class Exit(enum.IntEnum):
    """Exit codes.

    0    OK: no errors (warnings may be present).
    1    FAILED: the spec or the data breaks the rules.
    2    UNUSABLE: input could not be read, an output could not be written, the engine ran
         out of memory, or the command was used wrongly.
    130  INTERRUPTED by SIGINT (Ctrl-C), 143 by SIGTERM: nothing half-written is left.
    """

    OK = 0
    FAILED = 1
    UNUSABLE = 2
    INTERRUPTED = 130


class _Leadspec(click.Group):
    """The command group, which turns whatever can stop any command into a message and an
    exit status, never a traceback: a signal, the engine's memory limit, a rule the engine
    cannot evaluate on the data, an output that cannot be written."""

    received: list[int] = []  # the signals that came during this run

    def main(self, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        with _signals_as_interrupts() as self.received:
            try:
                return super().main(*args, **kwargs)
            except SystemExit:
                if self.received:  # NOTE: while arguments are parsed, click says "Aborted!"
                    _interrupted(self.received[0])
                raise

    def invoke(self, ctx: click.Context) -> typing.Any:
        try:
            return super().invoke(ctx)
        except BaseException as exc:
            if self.received:
                _interrupted(self.received[0])
            _stop(exc)
            raise


def _interrupted(signum: int) -> typing.NoReturn:
    name = signal.Signals(signum).name
    click.echo(f"\ninterrupted by {name}: no output is left half-written", err=True)
    sys.exit(128 + signum)


def _stop(exc: BaseException) -> None:
    """Exit 2 with a message for a stop that is not the command's own doing."""
    # NOTE: an engine error can only come from a command that has loaded the engine.
    duckdb = sys.modules.get("duckdb")
    engines = sys.modules.get(f"{__package__}.engines")
    dialect = sys.modules.get(f"{__package__}.engines.dialect")
    if isinstance(exc, OutputError):
        click.echo(f"error: {exc}", err=True)
    elif dialect is not None and isinstance(exc, dialect.UnvettedSQL):
        click.echo(f"error: leadspec cannot run this on the engine: {exc}", err=True)
    elif engines is not None and isinstance(exc, engines.QueryError):
        from .data.errors import engine_reason

        click.echo(f"error: the engine stopped: {engine_reason(exc)}", err=True)
    elif duckdb is None or not isinstance(exc, duckdb.Error):
        return
    elif isinstance(exc, duckdb.OutOfMemoryException):
        from .data.errors import engine_reason

        click.echo(
            f"error: the engine ran out of memory ({engine_reason(exc)}). Raise --memory-limit, or "
            "leave it out so DuckDB may use most of the machine's memory and spill to "
            "disk beyond it",
            err=True,
        )
    else:
        from .data.errors import engine_reason

        click.echo(f"error: the engine stopped: {engine_reason(exc)}", err=True)
    sys.exit(Exit.UNUSABLE)


@contextmanager
def _signals_as_interrupts() -> Iterator[list[int]]:
    """SIGINT and SIGTERM raise KeyboardInterrupt, so files being written are cleaned up;
    the list says which signal came (DuckDB turns the interrupt into its own error)."""
    received: list[int] = []

    def interrupt(signum: int, frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():  # only it may set handlers
        yield received
        return
    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@click.group(cls=_Leadspec, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="leadspec")
def main() -> None:
    """Keep a lead management process as YAML; publish it and hold CRM data to it."""


def _a_spec(value: Path, point: str) -> Path:
    """The spec folder, once it is known to hold a spec: else how to start one (exit 2)."""
    from .starter import holds_spec

    if not holds_spec(value):
        where = "this folder" if value == Path(".") else str(value)
        raise click.UsageError(
            f"no leadspec spec in {where} (it has no process/process.yaml, stages/ or definitions/). "
            f"Start one with 'leadspec init {value}', or point to yours with {point} "
            f"or the {SPEC_ENV} variable"
        )
    return value


SPEC_ENV = "LEADSPEC_SPEC"
_FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


def spec_dir(command: typing.Callable[..., None]) -> typing.Callable[..., None]:
    """The spec folder as DIRECTORY or as --spec DIR (or LEADSPEC_SPEC), given once."""

    command = click.option(
        "--spec",
        "spec_option",
        default=None,
        envvar=SPEC_ENV,
        type=_FOLDER,
        help=f"The spec folder, instead of DIRECTORY (or set {SPEC_ENV}).",
    )(command)
    return click.argument("directory", required=False, type=_FOLDER)(command)


def _folder(directory: Path | None, spec_option: Path | None) -> Path:
    """The folder a spec_dir command reads: DIRECTORY, else --spec or LEADSPEC_SPEC, else here."""
    if directory is not None:
        source = click.get_current_context().get_parameter_source("spec_option")
        if source is click.core.ParameterSource.COMMANDLINE and spec_option != directory:
            raise click.UsageError("give the spec folder once: as DIRECTORY or as --spec DIR")
        return _a_spec(directory, "the DIRECTORY argument")
    return _a_spec(spec_option or Path("."), "--spec DIR")


@main.command()
@spec_dir
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="Human text, JSON for tools, or GitHub Actions annotations on the lines at fault.",
)
def validate(directory: Path | None, spec_option: Path | None, fmt: str) -> None:
    """Check the spec in DIRECTORY: schema, references, rules, lifecycle, completeness."""
    directory = _folder(directory, spec_option)
    loaded = load_spec(directory)
    findings = lint(loaded)
    files = _spec_file_count(directory)
    if fmt == "github":
        text = render_findings.as_github(findings, files, directory.as_posix())
    else:
        text = (render_findings.as_json if fmt == "json" else render_findings.as_text)(findings, files)
    click.echo(text, nl=False)
    if any(f.fatal for f in findings):
        sys.exit(Exit.UNUSABLE)
    sys.exit(Exit.FAILED if any(f.severity is Severity.ERROR for f in findings) else Exit.OK)


@main.command()
@spec_dir
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the site goes (default: DIRECTORY/site).",
)
def build(directory: Path | None, spec_option: Path | None, site_dir: Path | None) -> None:
    """Validate the spec, then build the playbook site with MkDocs in strict mode."""
    directory = _folder(directory, spec_option)
    loaded = load_spec(directory)
    findings = [f for f in lint(loaded) if f.severity is Severity.ERROR]
    if findings:
        click.echo(render_findings.as_text(findings, _spec_file_count(directory)), nl=False, err=True)
        sys.exit(Exit.UNUSABLE if any(f.fatal for f in findings) else Exit.FAILED)
    from .render.svg import GraphvizMissing, require_graphviz
    from .site import SiteError, build_site

    try:
        require_graphviz()  # NOTE: before MkDocs starts, so nothing is half-built
    except GraphvizMissing as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.UNUSABLE)
    target = (site_dir or directory / "site").resolve()
    try:
        build_site(directory / "mkdocs.yml", target)
    except SiteError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.FAILED)
    click.echo(f"built the playbook in {target}")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from",
    "start",
    type=click.Choice(["minimal", "reference"]),
    default="minimal",
    show_default=True,
    help="A 0.5 draft to fill in at a planning session, or the full reference process.",
)
@click.option(
    "--motion",
    type=click.Choice(["b2b", "b2c", "both"]),
    default="both",
    show_default=True,
    help="Whom the team sells to: businesses, consumers or both (--from minimal).",
)
@click.option("--company", default=None, help="Your company's name, for the process and the site.")
@click.option(
    "--crm",
    type=click.Choice(CRMS),
    default="salesforce",
    show_default=True,
    help="Whose exports the team's README shows how to check.",
)
@click.option("--force", is_flag=True, help="Into a folder that holds a spec: add only the files it lacks.")
def init(directory: Path, start: str, motion: str, company: str | None, crm: str, force: bool) -> None:
    """Start a process in DIRECTORY: a spec that validates and builds at once, for you to edit."""
    from .starter import StarterError, holds_spec, starter_files

    if holds_spec(directory) and not force:
        click.echo(
            f"error: {directory} already holds a spec; nothing was written. Give --force to add "
            "only the files it lacks, or choose an empty folder",
            err=True,
        )
        sys.exit(Exit.UNUSABLE)
    if company is not None and not company.strip():
        raise click.BadParameter("give the company's name, or leave --company out", param_hint="--company")
    try:
        files = starter_files(start, company.strip() if company else None, crm, motion)
    except StarterError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.UNUSABLE)
    missing = {directory / rel: text for rel, text in files.items() if not (directory / rel).exists()}
    write_all(missing, {})
    kept = len(files) - len(missing)
    click.echo(
        f"wrote {len(missing)} files to {directory}"
        + (f" ({kept} already there, kept as they were)" if kept else "")
    )
    go = "" if directory == Path(".") else f"cd {directory}\n  "
    click.echo(
        f"next:\n  {go}leadspec validate\n  leadspec build\n"
        f"  leadspec sample --crm {crm} --out sample   # an export to try the checks on"
    )


@main.command()
@spec_dir
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Folder to write to (default: DIRECTORY/{SCHEMA_DIR}).",
)
def schema(directory: Path | None, spec_option: Path | None, out: Path | None) -> None:
    """Write a JSON Schema for every kind of spec file, for editor completion."""
    directory = _folder(directory, spec_option)
    from .rules import checks_file_model

    for path in write_schemas(out or directory / SCHEMA_DIR, checks_file_model()):
        click.echo(f"wrote {path}")


existing_file = click.Path(exists=True, dir_okay=False, path_type=Path)
output_file = click.Path(dir_okay=False, writable=True, path_type=Path)
spec_option = click.option(
    "--spec",
    "spec_dir",
    default=".",
    show_default=True,
    envvar=SPEC_ENV,
    callback=lambda ctx, param, value: _a_spec(value, "--spec DIR"),
    type=_FOLDER,
    help=f"The spec folder (or set {SPEC_ENV}).",
)


class AsOf(click.ParamType):  # type: ignore[type-arg]
    """An ISO 8601 date or time, as naive UTC: `2026-06-30`, `2026-06-30T12:00`, or with `Z` or an
    offset (`2026-06-30T12:00:00Z`, as reports print it; `...+02:00` is converted)."""

    name = "TIME"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(
                f"'{value}' is not a date or time such as 2026-06-30, 2026-06-30T12:00:00 "
                "or 2026-06-30T12:00:00Z",
                param,
                ctx,
            )
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return moment


AS_OF = AsOf()


def _join_files(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, Path]:
    """`--join NAME=PATH`, repeated: join name -> file."""
    files: dict[str, Path] = {}
    for value in values:
        name, sep, path = value.partition("=")
        name = name.strip()
        if not sep or not name or not path:
            raise click.BadParameter(f"'{value}' is not NAME=PATH, such as deals=deals.csv", ctx, param)
        if name in files:
            raise click.BadParameter(f"the join '{name}' is given twice", ctx, param)
        files[name] = Path(path)
    return files


SQL_DIALECTS = ("snowflake", "bigquery", "postgres", "spark")


def _sql_files(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, Path]:
    """`--sql DIALECT=PATH`, repeated: dialect -> script file."""
    files: dict[str, Path] = {}
    for value in values:
        dialect, sep, path = value.partition("=")
        dialect = dialect.strip().lower()
        if not sep or dialect not in SQL_DIALECTS or not path:
            raise click.BadParameter(
                f"'{value}' is not DIALECT=PATH with a dialect of {', '.join(SQL_DIALECTS)}", ctx, param
            )
        if dialect in files:
            raise click.BadParameter(f"the dialect '{dialect}' is given twice", ctx, param)
        files[dialect] = Path(path)
    return files


# Options of every command that reads an export; `export_options` gathers those of
# `check` and `pilot`.
events_option = click.option(
    "--events", type=existing_file, default=None, help="History export: stage, owner and activity changes."
)
join_option = click.option(
    "--join",
    "join_files",
    multiple=True,
    metavar="NAME=PATH",
    callback=_join_files,
    help="A file joined to LEADS as the mapping's join NAME says, such as "
    "deals=deals.csv (a table, such as deals=crm.deals, with --leads-table); repeat for each join.",
)
encoding_option = click.option(
    "--encoding",
    type=click.Choice(["utf-8", "latin-1", "windows-1252"]),
    default=None,
    help="Text encoding of CSV exports (default UTF-8, with or without BOM).",
)
delimiter_option = click.option("--delimiter", default=None, help="CSV delimiter (default: detected).")


class MemorySize(click.ParamType):  # type: ignore[type-arg]
    """A size such as 512MB, 4GB or 1.5GiB, as DuckDB's memory_limit takes it."""

    name = "SIZE"
    PATTERN = re.compile(r"\s*\d+(\.\d+)?\s*([KMGT]i?B|B)\s*", re.IGNORECASE)

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if not self.PATTERN.fullmatch(text):
            self.fail(f"'{text}' is not a size such as 512MB, 4GB or 1.5GiB", param, ctx)
        return text.strip()


memory_option = click.option(
    "--memory-limit",
    type=MemorySize(),
    default=None,
    help="DuckDB memory limit such as 4GB; beyond it DuckDB spills to disk.",
)


engine_option = click.option(
    "--engine",
    "engine_url",
    envvar="LEADSPEC_ENGINE_URL",
    default=None,
    metavar="URL",
    help="Where the checks run: DuckDB over the files (the default), or the database that holds "
    "the data, such as postgresql://user@host/db (libpq's variables, PGPASSWORD among them, "
    "fill in what the URL leaves out).",
)


def export_options(command: typing.Callable[..., None]) -> typing.Callable[..., None]:
    """LEADS and the options of `check` and `pilot`, which read an export the same way."""
    for option in reversed(
        [
            click.argument("leads", type=existing_file, required=False),
            events_option,
            join_option,
            engine_option,
            click.option(
                "--leads-table",
                default=None,
                metavar="TABLE",
                help="The leads as a table of the --engine (such as crm.lead), instead of LEADS.",
            ),
            click.option(
                "--events-table",
                default=None,
                metavar="TABLE",
                help="The history as a table of the --engine (such as crm.lead_history).",
            ),
            click.option(
                "--mapping",
                "mapping_ref",
                default="generic",
                show_default=True,
                help="A mapping in checks/mappings (salesforce, hubspot, generic) or a path.",
            ),
            spec_option,
            click.option(
                "--as-of",
                type=AS_OF,
                default=None,
                help="'Now': an ISO date or time, UTC unless it carries Z or an offset "
                "(default: the latest time in the data).",
            ),
            encoding_option,
            delimiter_option,
            memory_option,
        ]
    ):
        command = option(command)
    return command


@main.command()
@export_options
@click.option("--json", "json_out", type=output_file, help="Write the full report as JSON.")
@click.option("--junit", "junit_out", type=output_file, help="Write JUnit XML, one case per rule.")
@click.option("--markdown", "markdown_out", type=output_file, help="Write a Markdown summary.")
@click.option(
    "--violations",
    "violations_out",
    type=output_file,
    help="Write every violation as CSV (lead id, rule, stage, owner, detail).",
)
@click.option(
    "--samples",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Violating leads listed per rule in the reports.",
)
@click.option("--site-url", default="", help="Playbook address, for absolute links in Markdown.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 also when a warning is over its threshold or a rule cannot be "
    "measured on this export: for CI that must see every rule judged.",
)
@click.option("--trace", is_flag=True, help="Print each rule's SQL and row count to stderr.")
@click.option(
    "--sql",
    "sql_files",
    multiple=True,
    metavar="DIALECT=PATH",
    callback=_sql_files,
    help="Also write the run's SQL for another engine as a script, such as snowflake=checks.sql "
    "(snowflake, bigquery, postgres or spark); repeat for each.",
)
def check(
    leads: Path | None,
    events: Path | None,
    join_files: dict[str, Path],
    engine_url: str | None,
    leads_table: str | None,
    events_table: str | None,
    mapping_ref: str,
    spec_dir: Path,
    as_of: dt.datetime | None,
    json_out: Path | None,
    junit_out: Path | None,
    markdown_out: Path | None,
    violations_out: Path | None,
    samples: int,
    encoding: str | None,
    delimiter: str | None,
    memory_limit: str | None,
    site_url: str,
    strict: bool,
    trace: bool,
    sql_files: dict[str, Path],
) -> None:
    """Check a CRM export (LEADS) against the documented process."""
    from .conformance import RuleRunError, run_checks, write_violations_csv
    from .engines import Recorder
    from .render.report_json import as_json
    from .render.report_junit import as_junit
    from .render.report_markdown import as_markdown
    from .render.report_text import as_text

    check_writable([json_out, junit_out, markdown_out, violations_out, *sql_files.values()])
    where = _where(leads, events, join_files, engine_url, leads_table, events_table)
    spec, con, mapping, data, moment = _open_export(
        spec_dir, where, mapping_ref, encoding, delimiter, memory_limit, as_of
    )
    recorder = Recorder(con)
    with _unusable_input(RuleRunError):
        report = run_checks(
            recorder,
            spec,
            as_of=moment,
            mapping=mapping.name,
            inputs=data.inputs,
            data_findings=data.findings,
            samples=samples,
            unfed=data.unfed,
            history=data.history,
            strict=strict,
            engine=where.name,
            trace=(
                lambda label, sql, seconds, rows: click.echo(
                    f"-- {label}: {seconds:.3f}s, {'?' if rows is None else f'{rows:,}'} rows\n{sql}\n",
                    err=True,
                )
            )
            if trace
            else None,
        )
    texts = {
        path: render(report)
        for path, render in (
            (json_out, as_json),
            (junit_out, as_junit),
            (markdown_out, lambda r: as_markdown(r, site_url=site_url)),
        )
        if path is not None
    }
    texts.update(_sql_scripts(sql_files, recorder.statements, report, spec))
    files = {violations_out: lambda temp: write_violations_csv(con, spec, temp)} if violations_out else {}
    write_all(texts, files)
    click.echo(as_text(report, color=sys.stdout.isatty()), nl=False)
    sys.exit(Exit.FAILED if report.failed else Exit.OK)


def _sql_scripts(
    sql_files: dict[str, Path], statements: list[str], report: Report, spec: Spec
) -> dict[Path, str]:
    """Each --sql script: the run's statements written for its dialect; exit 2 naming the
    dialect and the construct when one cannot be."""
    from .engines.dialect import UnvettedSQL
    from .engines.warehouse_sql import header, script
    from .rules.tables import EVENT_COLUMNS, lead_columns

    columns = {"leads": lead_columns(spec), "lead_events": EVENT_COLUMNS}
    scripts = {}
    rule_ids = [r.id for r in report.rules]
    for dialect, path in sql_files.items():
        lines = header(dialect, report.process, report.version, report.as_of, columns, rule_ids)
        try:
            scripts[path] = script(statements, dialect, lines, columns)
        except UnvettedSQL as exc:
            click.echo(f"error: no {dialect} script is written: {exc}; no output was written", err=True)
            sys.exit(Exit.UNUSABLE)
    return scripts


def _team(value: str | None) -> list[str]:
    """Owner ids from `--team`: comma-separated, or a file with one or more per line."""
    if value is None:
        return []
    path = Path(value)
    text = value
    if path.is_file():
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        text = ",".join(line for line in lines if not line.lstrip().startswith("#"))
    members = [part.strip() for part in text.split(",") if part.strip()]
    if not members:
        raise click.BadParameter(f"'{value}' names no owner id", param_hint="--team")
    return members


@main.command()
@export_options
@click.option(
    "--team",
    default=None,
    metavar="OWNERS",
    help="Owner ids of the pilot team, comma-separated, or a file of them (default: every owner).",
)
@click.option(
    "--from",
    "first_day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First day of the period, in the process calendar's time zone (default: the day of the first lead).",
)
@click.option(
    "--to",
    "last_day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day of the period, included (default: the as-of day).",
)
@click.option("--json", "json_out", type=output_file, help="Write the report as JSON.")
@click.option("--markdown", "markdown_out", type=output_file, help="Write the report as Markdown.")
def pilot(
    leads: Path | None,
    events: Path | None,
    join_files: dict[str, Path],
    engine_url: str | None,
    leads_table: str | None,
    events_table: str | None,
    mapping_ref: str,
    team: str | None,
    first_day: dt.datetime | None,
    last_day: dt.datetime | None,
    spec_dir: Path,
    as_of: dt.datetime | None,
    json_out: Path | None,
    markdown_out: Path | None,
    encoding: str | None,
    delimiter: str | None,
    memory_limit: str | None,
) -> None:
    """Measure the spec's KPIs on a CRM export (LEADS) for a pilot team and period."""
    from .pilot import run_pilot
    from .render import pilot_json, pilot_markdown, pilot_text

    members = _team(team)
    check_writable([json_out, markdown_out])
    if first_day and last_day and first_day > last_day:
        raise click.BadParameter("the period ends before it starts", param_hint="--from/--to")
    where = _where(leads, events, join_files, engine_url, leads_table, events_table)
    spec, con, mapping, data, moment = _open_export(
        spec_dir, where, mapping_ref, encoding, delimiter, memory_limit, as_of
    )
    report = run_pilot(
        con,
        spec,
        as_of=moment,
        mapping=mapping,
        inputs=data.inputs,
        events_file=where.events is not None,
        engine=where.name,
        team=members,
        first_day=first_day.date() if first_day else None,
        last_day=last_day.date() if last_day else None,
    )
    texts = {
        path: render(report)
        for path, render in ((json_out, pilot_json.as_json), (markdown_out, pilot_markdown.as_markdown))
        if path is not None
    }
    write_all(texts, {})
    click.echo(pilot_text.as_text(report, color=sys.stdout.isatty()), nl=False)
    sys.exit(Exit.FAILED if report.failed else Exit.OK)


@main.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the export to (or give it as the argument).",
)
@click.option("--crm", type=click.Choice(CRMS), required=True, help="Whose export shape to write.")
@click.option(
    "--leads",
    "count",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="How many leads to write.",
)
@click.option(
    "--seed",
    type=int,
    default=7,
    show_default=True,
    help="The random seed: the same seed writes the same bytes.",
)
@click.option("--clean", is_flag=True, help="Plant no violations.")
@click.option(
    "--plant-rate",
    type=click.FloatRange(0, 1),
    default=DEFAULT_PLANT_RATE,
    show_default=True,
    help="Share of leads that carry a planted violation.",
)
@spec_option
def sample(
    folder: Path | None,
    out_dir: Path | None,
    crm: str,
    count: int,
    seed: int,
    clean: bool,
    plant_rate: float,
    spec_dir: Path,
) -> None:
    """Write a realistic export with violations planted at known leads (expected_violations.csv)."""
    from .sample import write_sample

    if (folder is None) == (out_dir is None):
        raise click.UsageError("give the folder to write to once: --out DIR (or as the argument)")
    out_dir = out_dir or folder
    assert out_dir is not None
    with _unusable_input(ValueError):
        written = write_sample(
            out_dir, crm, count, seed, plant=not clean, spec_root=spec_dir, plant_rate=plant_rate
        )
    spec = "" if spec_dir == Path(".") else f" --spec {spec_dir}"
    click.echo(
        f"wrote {written.leads} {crm} leads to {out_dir} "
        f"({written.violations} planted violations); check it with:\n"
        f"  {written.check_command()}{spec}"
    )


@main.command()
@click.argument("version")
@spec_option
@click.option(
    "--pilot",
    "pilot_file",
    type=existing_file,
    default=None,
    help="The pilot report (JSON) that the 1.0 gate reads.",
)
@click.option(
    "--summary", default=None, help="The changelog entry's summary (default: 'Changes since <previous>.')."
)
@click.option(
    "--date",
    "released_on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The release date (default: today).",
)
def release(
    version: str,
    spec_dir: Path,
    pilot_file: Path | None,
    summary: str | None,
    released_on: dt.datetime | None,
) -> None:
    """Freeze the spec as release VERSION once its gates are met, and write the changelog."""
    from .versions import GateRefused, VersionError, plan_release, read_pilot_report

    try:
        pilot = read_pilot_report(pilot_file) if pilot_file else None
        plan = plan_release(
            spec_dir,
            version,
            summary=summary,
            pilot=pilot,
            released_on=(released_on or dt.datetime.now()).date(),
        )
    except VersionError as exc:
        _version_error(exc)
    except GateRefused as exc:
        count = len(exc.unmet)
        click.echo(
            f"release {version} refused: {count} condition{'' if count == 1 else 's'} not met", err=True
        )
        for condition in exc.unmet:
            click.echo(f"  - {condition}", err=True)
        sys.exit(Exit.FAILED)
    write_all(plan.texts, {})
    since = f"{len(plan.changes)} changes since {plan.previous}" if plan.previous else "first release"
    click.echo(
        f"released {version} ({since}): wrote {plan.release_file} and its changelog "
        "entry in process/process.yaml"
    )
    for change in plan.changes:
        click.echo(f"  - {change.line}")


@main.command("diff")
@click.argument("old")
@click.argument("new")
@spec_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Text for a terminal, Markdown for a pull request or changelog, JSON for tools.",
)
@click.option(
    "--backtest",
    "leads",
    type=existing_file,
    default=None,
    help="A leads export: run both versions' rules on it and count flagged leads.",
)
@click.option("--events", type=existing_file, default=None, help="History export (backtest).")
@click.option(
    "--join",
    "join_files",
    multiple=True,
    metavar="NAME=PATH",
    callback=_join_files,
    help="A file joined to the leads export (backtest), as for check.",
)
@engine_option
@click.option(
    "--leads-table",
    default=None,
    metavar="TABLE",
    help="The leads as a table of the --engine (backtest), instead of --backtest LEADS.",
)
@click.option(
    "--events-table", default=None, metavar="TABLE", help="The history as a table of the --engine (backtest)."
)
@click.option(
    "--mapping", "mapping_ref", default=None, help="The export's mapping (backtest; default generic)."
)
@click.option(
    "--as-of", type=AS_OF, default=None, help="'Now' for time limits in the backtest (as for check)."
)
@encoding_option
@delimiter_option
def diff_command(
    old: str,
    new: str,
    spec_dir: Path,
    fmt: str,
    leads: Path | None,
    events: Path | None,
    join_files: dict[str, Path],
    engine_url: str | None,
    leads_table: str | None,
    events_table: str | None,
    mapping_ref: str | None,
    as_of: dt.datetime | None,
    encoding: str | None,
    delimiter: str | None,
) -> None:
    """What changed from OLD to NEW: released versions such as 0.75, or 'working'."""
    from .versions import VersionError, resolve
    from .versions import backtest as run_backtest
    from .versions import diff as spec_diff
    from .versions import output as diff_output

    backtesting = leads is not None or leads_table is not None
    if not backtesting and (events or events_table or join_files or mapping_ref or as_of):
        click.echo(
            "error: --events, --events-table, --join, --mapping and --as-of belong to --backtest "
            "LEADS (or --leads-table)",
            err=True,
        )
        sys.exit(Exit.UNUSABLE)
    try:
        before, after = resolve(spec_dir, old), resolve(spec_dir, new)
    except VersionError as exc:
        _version_error(exc)
    changes = spec_diff(before.spec, after.spec, before.job_aids, after.job_aids)
    tested = None
    if backtesting:
        from .conformance import RuleRunError
        from .data import load_mapping

        where = _where(leads, events, join_files, engine_url, leads_table, events_table)
        con = _connect(None) if where.engine is None else _engine(where.engine)
        with _unusable_input(RuleRunError):
            mapping = load_mapping(mapping_ref or "generic", spec_dir)
            tested = run_backtest(
                con,
                before,
                after,
                where.leads,
                where.events,
                mapping,
                as_of=as_of,
                encoding=encoding,
                delimiter=delimiter,
                joins=where.joins,
            )
    render = {"text": diff_output.as_text, "markdown": diff_output.as_markdown, "json": diff_output.as_json}[
        fmt
    ]
    click.echo(render(before, after, changes, tested), nl=False)


def _version_error(exc: VersionError) -> typing.NoReturn:
    if exc.findings:
        click.echo(
            render_findings.as_text(exc.findings, len({f.path for f in exc.findings})), err=True, nl=False
        )
    click.echo(f"error: {exc}", err=True)
    sys.exit(Exit.UNUSABLE)


@main.group()
def mapping() -> None:
    """Mapping files: how a CRM's export becomes the canonical lead model."""


@mapping.command("init")
@click.argument("export", type=existing_file)
@click.option(
    "--events",
    type=existing_file,
    default=None,
    metavar="HISTORY",
    help="A history export: draft the events section from it too.",
)
@click.option("--out", type=output_file, default=None, help="Write here instead of printing.")
@spec_option
@encoding_option
@delimiter_option
def mapping_init(
    export: Path,
    events: Path | None,
    out: Path | None,
    spec_dir: Path,
    encoding: str | None,
    delimiter: str | None,
) -> None:
    """Draft a mapping from EXPORT's header (and a history's), for you to complete."""
    from .data import draft_mapping

    if out is not None and out.exists():
        click.echo(f"error: {out} exists; choose another --out or delete it", err=True)
        sys.exit(Exit.UNUSABLE)
    with _unusable_input():
        text = draft_mapping(
            export, load_spec(spec_dir).spec, events=events, encoding=encoding, delimiter=delimiter
        )
    if out is None:
        click.echo(text, nl=False)
    else:
        write_all({out: text}, {})
        history = f" --events {events}" if events else ""
        click.echo(
            f"wrote {out}; fill in the commented lines, then: leadspec check "
            f"{export}{history} --mapping {out}"
        )


@dataclasses.dataclass(frozen=True)
class _Where:
    """Where an export is: files for DuckDB, or tables (or files) of another engine."""

    engine: str | None  # its URL; None for DuckDB over files
    name: str  # duckdb, postgresql or spark, as reports name it
    leads: Source
    events: Source | None
    joins: dict[str, Source]


def _where(
    leads: Path | None,
    events: Path | None,
    join_files: dict[str, Path],
    engine_url: str | None,
    leads_table: str | None,
    events_table: str | None,
) -> _Where:
    """Where the export is, from the options; a usage error (exit 2) when they disagree."""
    from .data import Table
    from .engines import EngineError, kind

    engine = None if engine_url in (None, "", "duckdb") else engine_url
    if engine is None and (leads_table or events_table):
        raise click.UsageError("--leads-table and --events-table name tables of an --engine")
    if (leads is None) == (leads_table is None):
        raise click.UsageError("give the leads once: as LEADS (a file) or as --leads-table TABLE")
    if events is not None and events_table is not None:
        raise click.UsageError("give the history once: --events FILE or --events-table TABLE")
    try:
        name = kind(engine) if engine else "duckdb"
    except EngineError as exc:
        raise click.BadParameter(str(exc), param_hint="--engine") from None
    tables = engine is not None and leads_table is not None
    return _Where(
        engine,
        name,
        Table(leads_table, name) if leads_table else typing.cast(Path, leads),
        Table(events_table, name) if events_table else events,
        {join: Table(str(path), name) if tables else path for join, path in join_files.items()},
    )


def _open_export(
    spec_dir: Path,
    where: _Where,
    mapping_ref: str,
    encoding: str | None,
    delimiter: str | None,
    memory_limit: str | None,
    as_of: dt.datetime | None,
) -> tuple[Spec, Connection, Mapping, LoadedExport, dt.datetime]:
    """The valid spec and the export loaded by its mapping, with the as-of time; else exit 2."""
    from .data import load_export, load_mapping

    loaded = load_spec(spec_dir)
    findings = [f for f in lint(loaded) if f.severity is Severity.ERROR]
    if findings or loaded.spec is None:
        click.echo(render_findings.as_text(findings, _spec_file_count(spec_dir)), err=True, nl=False)
        click.echo("error: fix the spec before reading data (leadspec validate)", err=True)
        sys.exit(Exit.UNUSABLE)
    con = _connect(memory_limit) if where.engine is None else _engine(where.engine)
    with _unusable_input():
        mapping = load_mapping(mapping_ref, spec_dir)
        data = load_export(
            con,
            loaded.spec,
            where.leads,
            where.events,
            mapping,
            encoding=encoding,
            delimiter=delimiter,
            joins=where.joins,
        )
    moment = as_of or data.latest
    if moment is None:
        files = " and ".join(path.name for path in (where.leads, where.events) if path is not None)
        click.echo(
            f"error: {files}: no row holds a time the mapping reads, so there is no "
            "latest time to judge time limits by; give --as-of",
            err=True,
        )
        sys.exit(Exit.UNUSABLE)
    return loaded.spec, con, mapping, data, moment


@contextmanager
def _unusable_input(*also: type[Exception]) -> Iterator[None]:
    """Exit 2 with the message when an export or mapping cannot be used (or on `also`)."""
    from .data import InputError, MappingError

    try:
        yield
    except MappingError as exc:
        click.echo(render_findings.as_text(exc.findings, 1), err=True, nl=False)
        sys.exit(Exit.UNUSABLE)
    except InputError as exc:
        click.echo(exc.finding.as_text(), err=True)
        sys.exit(Exit.UNUSABLE)
    except also as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.UNUSABLE)


def _connect(memory_limit: str | None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills, beyond its memory limit, to a private folder."""
    import duckdb

    spill = tempfile.mkdtemp(prefix="leadspec-spill-")
    atexit.register(shutil.rmtree, spill, ignore_errors=True)
    # NOTE: left alone, DuckDB spills into ./.tmp of whatever folder the user is in.
    # NOTE: every output is sorted by its own ORDER BY, so DuckDB need not keep rows in the
    # order they were read: on a million leads that saves a tenth of the run and memory.
    con = duckdb.connect(config={"temp_directory": spill, "preserve_insertion_order": False})
    if memory_limit:
        con.execute(f"SET memory_limit = {_sql_text(memory_limit)}")
    con.execute(f"SET enable_progress_bar = {'true' if sys.stderr.isatty() else 'false'}")
    return con


def _engine(url: str) -> Engine:
    """A connection to the engine `url` names; exit 2, the password unshown, when it fails."""
    from .engines import EngineError, connect

    try:
        return connect(url)
    except EngineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.UNUSABLE)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _spec_file_count(directory: Path) -> int:
    folders = ("process", "stages", "definitions", "checks")
    return sum(len(list((directory / f).glob("*.yaml"))) for f in folders)


if __name__ == "__main__":
    main()
