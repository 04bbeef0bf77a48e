"""Real database engines for tests: a throwaway PostgreSQL server and a local Spark session.

Both run on this machine only and leave nothing behind, so the SQL checks can be run in
the engines they will meet in production rather than against mocks.
"""

from __future__ import annotations

import csv
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql
from pyspark.sql import SparkSession

PG_USER = "leadspec"
PASSWORD_USER = "secret_user"
PASSWORD = "s3cret-pw"
DATABASE = "leadspec"
# NOTE: PostgreSQL refuses to run as root, so as root the server runs as this account.
SERVICE_ACCOUNT = "nobody"


@dataclass(frozen=True)
class PostgresServer:
    """How to reach a running test server: `url` over the socket, `password_url` over TCP."""

    url: str
    password_url: str
    host: str
    port: int
    socket_dir: Path


def password_url(port: int, password: str) -> str:
    """The TCP URL of the password user, with any password, so a refusal can be tested."""
    return f"postgresql://{PASSWORD_USER}:{quote(password, safe='')}@127.0.0.1:{port}/{DATABASE}"


def postgres_bin() -> Path:
    """The bin folder of the newest PostgreSQL that Debian installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise RuntimeError("no PostgreSQL under /usr/lib/postgresql; apt-get install postgresql")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _service_account() -> pwd.struct_passwd | None:
    """The account to run the server as: none when we are not root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVICE_ACCOUNT)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SERVICE_ACCOUNT], check=True)
        return pwd.getpwnam(SERVICE_ACCOUNT)


def _let_through(folder: Path) -> None:
    """Let every user pass through (not list) the folders above `folder`.

    NOTE: pytest makes /tmp/pytest-of-root and its runs 0700, which the service account
    could not cross to reach its data folder.
    """
    for parent in folder.parents:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


@contextmanager
def postgres_server(base: Path) -> Iterator[PostgresServer]:
    """Start a PostgreSQL server in a new folder under `base`; stop it and remove the folder at exit."""
    folder = Path(tempfile.mkdtemp(prefix="pg-", dir=base))
    port = _free_port()
    if len(str(folder / f".s.PGSQL.{port}")) > 100:
        raise ValueError(f"{folder} is too long a path for a unix socket")
    account = _service_account()
    bin_dir = postgres_bin()

    def run(*args: str) -> None:
        prefix = ["runuser", "-u", account.pw_name, "--"] if account else []
        done = subprocess.run([*prefix, *args], cwd=folder, capture_output=True, text=True)
        if done.returncode:
            log = folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}{tail}")

    if account:
        _let_through(folder)
        os.chown(folder, account.pw_uid, account.pw_gid)
    data = folder / "data"
    started = False
    try:
        run(
            str(bin_dir / "initdb"),
            f"--pgdata={data}",
            f"--username={PG_USER}",
            "--auth=trust",
            "--no-sync",
            "--encoding=UTF8",
            "--locale=C",
        )
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{folder}'\n"
                "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n"
            )
        # Superuser over the socket only; the password user over TCP only, so a wrong password fails.
        (data / "pg_hba.conf").write_text(
            f"local all {PG_USER} trust\nhost all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
        )
        run(str(bin_dir / "pg_ctl"), "start", "-w", "-D", str(data), "-l", str(folder / "server.log"))
        started = True
        url = f"postgresql://{PG_USER}@/{DATABASE}?host={quote(str(folder), safe='')}&port={port}"
        with psycopg.connect(url.replace(f"/{DATABASE}?", "/postgres?"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(PASSWORD_USER), sql.Literal(PASSWORD)
                )
            )
        yield PostgresServer(url, password_url(port, PASSWORD), "127.0.0.1", port, folder)
    finally:
        try:
            if started:
                run(str(bin_dir / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(data))
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def load_csv_into_postgres(url: str, table: str, csv_path: Path) -> None:
    """Load a CSV file into a new table of TEXT columns named as its header, the way exports arrive."""
    name = table.split(".")
    with csv_path.open(encoding="utf-8-sig", newline="") as source:
        header = next(csv.reader(source))
        source.seek(0)  # NOTE: utf-8-sig drops the BOM again after the seek, so COPY never sees it.
        columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in header)
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            if len(name) > 1:
                cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(*name[:-1])))
            cur.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(*name), columns))
            copy_sql = sql.SQL("COPY {} FROM STDIN (FORMAT csv, HEADER true)").format(sql.Identifier(*name))
            with cur.copy(copy_sql) as copy:
                while chunk := source.read(1 << 16):
                    copy.write(chunk)


def load_csv_into_spark(session: SparkSession, table: str, csv_path: Path) -> None:
    """Load a CSV file into a new catalog table of text columns named as its header."""
    with csv_path.open(encoding="utf-8-sig", newline="") as source:
        header = next(csv.reader(source))
        rows = list(csv.reader(source))
    database = table.rpartition(".")[0]
    if database:
        session.sql(f"CREATE DATABASE IF NOT EXISTS `{database}`")
    schema = ", ".join(f"`{c}` STRING" for c in header)
    session.createDataFrame(rows, schema).write.mode("overwrite").saveAsTable(table)


@contextmanager
def spark_session(base: Path) -> Iterator[SparkSession]:
    """A local Spark session whose warehouse, metastore, temp files and logs all stay under `base`."""
    for part in ("warehouse", "derby", "tmp"):
        (base / part).mkdir(parents=True, exist_ok=True)
    log_config = base / "log4j2.properties"
    log_config.write_text(
        "rootLogger.level = off\nrootLogger.appenderRef.stderr.ref = console\n"
        "appender.console.type = Console\nappender.console.name = console\n"
        "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
    )
    java_options = (
        f"-Dderby.system.home={base / 'derby'} -Djava.io.tmpdir={base / 'tmp'} "
        f"-Dlog4j2.configurationFile=file:{log_config} -XX:-UsePerfData"
    )
    session = (
        SparkSession.builder.master("local[2]")
        .appName("leadspec-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.warehouse.dir", str(base / "warehouse"))
        .config("spark.local.dir", str(base / "tmp"))
        .config("spark.driver.extraJavaOptions", java_options)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    try:
        yield session
    finally:
        session.stop()
