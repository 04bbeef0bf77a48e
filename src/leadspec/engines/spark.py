"""Apache Spark as an engine: leadspec's statements run where a lakehouse keeps the data.

`--engine spark` starts Spark in local mode on this machine; `spark://host:7077`,
`yarn` or `local[4]` name a master, and `sc://host:15002` a Spark Connect server. An
active session in the same process is used as it is, and left running at the end.

Spark SQL has queries but no temporary tables to insert into, delete from or update.
So each statement that changes a table leadspec made becomes a query over the old
rows (an INSERT a union, a DELETE the rows kept, an UPDATE a left join, a dropped
column a projection), and its result is checkpointed and registered as a temporary
view of the same name. Nothing is written to the catalog: the views end with the
session. The session's clock is UTC and its TIMESTAMP is the naive one, as in DuckDB.

Inputs are catalog tables (`crm.lead`) or files Spark reads: a path ending in .csv
or .parquet, or a Delta table's folder (when Delta Lake is installed), read as given.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from itertools import count
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from . import EngineError, QueryError, Rows, hide_password, plain
from .dialect import render

_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.ansi.enabled": "true",
    # NOTE: inferring constraints through a union of checkpointed rows fails ("key not
    # found"), and over leadspec's long CASE expressions it costs more than it saves.
    "spark.sql.constraintPropagation.enabled": "false",
}
_LOG_CONFIG = (
    "rootLogger.level = off\nrootLogger.appenderRef.stderr.ref = console\n"
    "appender.console.type = Console\nappender.console.name = console\n"
    "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
)
_FILE_FORMATS = {".csv": "csv", ".parquet": "parquet"}
_HIT = "_leadspec_hit"


class Spark:
    """A Spark session that takes statements in DuckDB's dialect."""

    name = "spark"

    def __init__(self, url: str) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineError("Spark needs pyspark: pip install 'leadspec[spark]'") from None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        active = SparkSession.getActiveSession()
        self._owned = active is None
        try:
            self.session = active or self._start(SparkSession, url)
            self._restore = {key: self.session.conf.get(key, None) for key in _SETTINGS}
            for key, value in _SETTINGS.items():
                self.session.conf.set(key, value)
            self.session.sql("SELECT 1").collect()
        except Exception as exc:  # NOTE: Java, py4j and Spark Connect each raise their own
            self._cleanup()
            raise EngineError(f"cannot start Spark at {hide_password(url)}: {_reason(exc)}") from None
        self._views: dict[str, str] = {}  # a file the user named -> the view that reads it
        self._numbers = count(1)

    def _start(self, session_type: Any, url: str) -> Any:
        builder = session_type.builder.appName("leadspec")
        if url.startswith("sc://"):
            return builder.remote(url).getOrCreate()
        if not os.environ.get("JAVA_HOME") and not _on_path("java"):
            raise EngineError(
                "Spark runs on Java, and no java is on PATH: apt-get install default-jre-headless"
            )
        self._folder = tempfile.TemporaryDirectory(prefix="leadspec-spark-")
        log_config = Path(self._folder.name) / "log4j2.properties"
        log_config.write_text(_LOG_CONFIG, encoding="utf-8")
        master = "local[*]" if url == "spark" else url
        builder = (
            builder.master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
        )
        builder = builder.config(
            "spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log_config}"
        )
        builder = builder.config("spark.local.dir", self._folder.name)
        if master.startswith("local"):
            # NOTE: on one machine, Spark's 200 shuffle partitions are mostly overhead.
            builder = builder.config("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 1)))
            builder = builder.config("spark.driver.host", "127.0.0.1")
        return builder.getOrCreate()

    # --- statements ---------------------------------------------------------------

    def execute(self, query: str) -> Rows:
        rows: list[tuple[Any, ...]] = []
        for tree in sqlglot.parse(query, read="duckdb"):
            if tree is not None:
                try:
                    rows = self._statement(tree)
                except QueryError:
                    raise
                except Exception as exc:  # NOTE: AnalysisException, Py4JJavaError, ...
                    raise QueryError(_reason(exc)) from None
        return Rows(rows)

    def _statement(self, tree: exp.Expr) -> list[tuple[Any, ...]]:
        if isinstance(tree, exp.Create):
            return self._create(tree)
        if isinstance(tree, exp.Insert):
            name = _name(tree.this)
            added = self._frame(tree.expression).localCheckpoint()
            self._replace(name, self.session.table(name).union(added))
            return [(added.count(),)]
        if isinstance(tree, exp.Delete):
            name = _name(tree.this)
            condition = tree.args["where"].this
            kept = (
                exp.select("*")
                .from_(name)
                .where(exp.func("COALESCE", exp.paren(condition), exp.false()).not_())
            )
            before = self.session.table(name).count()
            return [(before - self._replace(name, self._frame(kept)),)]
        if isinstance(tree, exp.Update):
            return [(self._replace(_name(tree.this), self._frame(self._updated(tree))),)]
        if isinstance(tree, exp.Alter):
            return self._alter(tree)
        if isinstance(tree, exp.Drop):
            for table in tree.args.get("tables") or [tree.this]:
                self.session.catalog.dropTempView(_name(table))
            return []
        return self._collect(self._frame(tree))

    def _create(self, tree: exp.Create) -> list[tuple[Any, ...]]:
        target = tree.this
        name = _name(target.this if isinstance(target, exp.Schema) else target)
        query = tree.expression
        if query is None:  # CREATE TABLE t (column type, ...): an empty table
            definitions = [d for d in target.expressions if isinstance(d, exp.ColumnDef)]
            query = exp.select(
                *(exp.alias_(exp.cast(exp.null(), d.args["kind"]), d.name, quoted=True) for d in definitions)
            ).where(exp.false())
        if str(tree.args.get("kind", "")).upper() == "VIEW":
            self._frame(query).createOrReplaceTempView(name)
            return []
        return [(self._replace(name, self._frame(query)),)]

    def _alter(self, tree: exp.Alter) -> list[tuple[Any, ...]]:
        name = _name(tree.this)
        frame = self.session.table(name)
        for action in tree.args.get("actions") or []:
            if not (isinstance(action, exp.Drop) and str(action.args.get("kind", "")).upper() == "COLUMN"):
                raise QueryError(f"ALTER TABLE ... {action.sql('duckdb')} is not vetted for spark")
            frame = frame.drop(*(column.name for column in action.args["tables"]))
        self._replace(name, frame)
        return []

    def _updated(self, tree: exp.Update) -> exp.Select:
        """UPDATE t SET ... FROM (rows) AS d WHERE match: t left-joined to the rows, each set
        column taking its new value where a row matched and keeping its own elsewhere."""
        name = _name(tree.this)
        source = tree.args["from_"].this
        if not isinstance(source, exp.Subquery) or not source.alias:
            raise QueryError("UPDATE ... FROM is vetted for spark only from a named subquery")
        alias = source.alias
        marked = exp.select(exp.Star(), exp.alias_(exp.true(), _HIT)).from_(source.copy())
        assigned = {e.this.name: e.expression for e in tree.expressions}
        hit = exp.column(_HIT, table=alias)
        columns = [
            exp.alias_(
                exp.Case().when(hit.copy(), assigned[c]).else_(exp.column(c, table=name, quoted=True))
                if c in assigned
                else exp.column(c, table=name, quoted=True),
                c,
                quoted=True,
            )
            for c in self.session.table(name).columns
        ]
        joined = exp.Subquery(this=marked, alias=exp.TableAlias(this=exp.to_identifier(alias)))
        return exp.select(*columns).from_(name).join(joined, on=tree.args["where"].this, join_type="left")

    def _frame(self, tree: exp.Expr) -> Any:
        return self.session.sql(render(tree, "spark"))

    def _replace(self, name: str, frame: Any) -> int:
        """`frame`'s rows, computed once, as the temporary view `name`; how many there are."""
        computed = frame.localCheckpoint()
        computed.createOrReplaceTempView(name)
        return int(computed.count())

    def _collect(self, frame: Any) -> list[tuple[Any, ...]]:
        return [tuple(plain(v) for v in row) for row in _naive(frame).collect()]

    # --- inputs and outputs ---------------------------------------------------------

    def relation(self, table: str) -> str:
        """How statements name a table the user gave: a catalog table as written, a file as
        the view that reads it."""
        if _is_file(table):
            if table not in self._views:
                view = f"_leadspec_input{next(self._numbers)}"
                self._read(table).createOrReplaceTempView(view)
                self._views[table] = view
            return self._views[table]
        return ".".join(
            exp.to_identifier(part.strip("`"), quoted=True).sql("duckdb") for part in table.split(".")
        )

    def _read(self, path: str) -> Any:
        reader = self.session.read
        suffix = Path(path).suffix.lower()
        if suffix == ".csv":
            # NOTE: every column as text, as a CRM writes it; quoted fields may span lines.
            options = {"header": "true", "multiLine": "true", "escape": '"', "inferSchema": "false"}
            return reader.options(**options).csv(path)
        if suffix == ".parquet":
            return reader.parquet(path)
        return reader.format("delta").load(path)

    def columns(self, table: str) -> list[tuple[str, str]]:
        """The columns of a table, or of a file Spark reads, with their types in DuckDB's names."""
        try:
            every = sqlglot.parse_one(f"SELECT * FROM {self.relation(table)}", read="duckdb")
            schema = self._frame(every).schema
        except Exception as exc:
            raise EngineError(_reason(exc)) from None
        return [(f.name, _duckdb_type(f.dataType.simpleString())) for f in schema.fields]

    def write_csv(self, query: str, path: Path) -> None:
        """The rows, streamed from Spark, written as DuckDB writes a CSV file."""
        try:
            frame = _naive(self.session.sql(render(sqlglot.parse_one(query, read="duckdb"), "spark")))
            with path.open("w", encoding="utf-8", newline="") as out:
                out.write(",".join(_cell(c) for c in frame.columns) + "\n")
                for row in frame.toLocalIterator():
                    out.write(",".join(_cell(v) for v in row) + "\n")
        except Exception as exc:
            raise QueryError(_reason(exc)) from None

    def close(self) -> None:
        for view in [*self._views.values()]:
            self.session.catalog.dropTempView(view)
        for key, value in self._restore.items():
            if value is None:
                self.session.conf.unset(key)
            else:
                self.session.conf.set(key, value)
        self._cleanup()

    def _cleanup(self) -> None:
        session = getattr(self, "session", None)
        if self._owned and session is not None:
            session.stop()
        if self._folder is not None:
            self._folder.cleanup()


def _name(table: exp.Expr) -> str:
    return table.name if isinstance(table, exp.Table) else table.sql("duckdb")


def _is_file(table: str) -> bool:
    return "/" in table or Path(table).suffix.lower() in _FILE_FORMATS or Path(table).is_dir()


def _on_path(program: str) -> bool:
    return any((Path(folder) / program).exists() for folder in os.environ.get("PATH", "").split(os.pathsep))


def _naive(frame: Any) -> Any:
    """The frame with TIMESTAMP WITH LOCAL TIME ZONE columns as naive UTC times: PySpark would
    otherwise shift them to the Python process's zone on the way out."""
    from pyspark.sql.functions import col
    from pyspark.sql.types import TimestampType

    positional = frame.toDF(*(f"c{i}" for i in range(len(frame.columns))))
    columns = [
        col(f.name).cast("timestamp_ntz") if isinstance(f.dataType, TimestampType) else col(f.name)
        for f in positional.schema.fields
    ]
    return positional.select(*columns).toDF(*frame.columns)


def _reason(exc: BaseException) -> str:
    """The first line of what Spark said, without the JVM's stack or a password."""
    text = str(exc).strip()
    lines = [line for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    if "JAVA_GATEWAY_EXITED" in text:
        first = "the Java gateway exited before it started; check that Java 17 or newer is installed"
    elif "OutOfMemoryError" in text:
        first = (
            "Spark ran out of memory; give its driver more (SPARK_DRIVER_MEMORY=8g for local "
            "Spark, spark.driver.memory on a cluster)"
        )
    return hide_password(first.strip())


_TYPES = {
    "string": "VARCHAR",
    "timestamp": "TIMESTAMP WITH TIME ZONE",
    "timestamp_ntz": "TIMESTAMP",
    "date": "DATE",
    "boolean": "BOOLEAN",
    "tinyint": "BIGINT",
    "smallint": "BIGINT",
    "int": "BIGINT",
    "bigint": "BIGINT",
    "float": "DOUBLE",
    "double": "DOUBLE",
}


def _duckdb_type(name: str) -> str:
    """Spark's type name as DuckDB names the type; nested types keep their shape for _as_text."""
    if name.startswith("decimal"):
        return "DECIMAL"
    if name.startswith("array"):
        return "VARCHAR[]"
    if name.startswith(("struct", "map")):
        return name.split("<")[0].upper()
    return _TYPES.get(name, "VARCHAR")


def _cell(value: Any) -> str:
    """One CSV field as DuckDB writes it: NULL empty, an empty text quoted, quotes doubled."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else str(value)
    if text == "" or any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text
