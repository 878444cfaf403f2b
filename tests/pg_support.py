"""A PostgreSQL server for the tests: the one FRONTWATCH_TEST_PG names, or a throwaway
cluster started from this machine's server binaries (/usr/lib/postgresql/*/bin, as
Debian's `postgresql` package installs them, which .ci/run does when they are missing).

The cluster lives in a temporary directory, listens on a free loopback port only, trusts
local connections (nobody else can reach it), runs without fsync (its data is thrown
away), and is stopped and deleted when the test session ends. PostgreSQL refuses to run
as root, so as root it runs as the `postgres` system user.

Tests that need a server skip, saying why, only when none of this is possible.

Each test gets its own schema (`fresh_url`): a URL whose search_path names a new schema,
so tests need no CREATE DATABASE right and cannot see each other's tables.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

log = logging.getLogger(__name__)

ENV = "FRONTWATCH_TEST_PG"
_schemas = itertools.count(1)


@dataclass(frozen=True)
class PgServer:
    url: str  # a database the tests may create schemas in
    started: bool  # a throwaway cluster of ours, rather than FRONTWATCH_TEST_PG
    schemas: list[str] = field(default_factory=list)

    def fresh_url(self, prefix: str = "t") -> str:
        """The server's URL with search_path set to a new, empty schema."""
        import psycopg
        from psycopg import sql

        name = f"fw_{prefix}_{os.getpid()}_{next(_schemas)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        self.schemas.append(name)
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}options={quote(f'-csearch_path={name}')}"

    def drop_schemas(self) -> None:
        """Leave somebody else's server (FRONTWATCH_TEST_PG) as the tests found it."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url, autocommit=True) as conn:
            for name in self.schemas:
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                    sql.Identifier(name)))
        self.schemas.clear()


def _bindir() -> Path | None:
    """The newest server installation's bin directory, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Cluster:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="frontwatch-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError as exc:
                raise RuntimeError("running as root and there is no `postgres` user to run "
                                   "the server as") from exc
            self.user = "postgres"
            shutil.chown(self.root, user="postgres")

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)

    def start(self) -> str:
        for locale in ("--locale=C.UTF-8", "--no-locale"):
            # C.UTF-8 where it exists: lower() then folds non-ASCII letters, as on a
            # production server; plain C otherwise.
            proc = self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "frontwatch",
                             "-E", "UTF8", locale, "--no-sync")
            if proc.returncode == 0:
                break
            shutil.rmtree(self.data, ignore_errors=True)
        else:
            raise RuntimeError(f"initdb failed: {proc.stderr.strip()[-500:]}")
        opts = (f"-h 127.0.0.1 -p {self.port} -k {self.root} -F "
                "-c full_page_writes=off -c synchronous_commit=off -c max_connections=50")
        proc = self._run("pg_ctl", "-D", str(self.data), "-o", opts,
                         "-l", str(self.root / "server.log"), "-w", "-t", "30", "start")
        if proc.returncode != 0:
            logfile = self.root / "server.log"
            tail = logfile.read_text(errors="replace")[-500:] if logfile.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {proc.stderr.strip()[-300:]} {tail}")
        return f"postgresql://frontwatch@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _server() -> Iterator[PgServer | str]:
    """A server, or the reason there is none."""
    try:
        import psycopg
    except ImportError:
        yield "psycopg is not installed (pip install 'frontwatch[postgres]')"
        return
    url = os.environ.get(ENV)
    if url:
        try:
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            yield f"{ENV} is set but the server cannot be reached: {exc}"
            return
        server = PgServer(url, started=False)
        try:
            yield server
        finally:
            server.drop_schemas()
        return
    bindir = _bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        yield (f"no PostgreSQL server: set {ENV} to a URL, or install the server "
               "(apt-get install postgresql)")
        return
    try:
        cluster = _Cluster(bindir)
    except (RuntimeError, OSError) as exc:
        yield f"cannot start a PostgreSQL cluster: {exc}"
        return
    try:
        url = cluster.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        cluster.stop()
        yield f"cannot start a PostgreSQL cluster: {exc}"
        return
    try:
        yield PgServer(url, started=True)
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    for found in _server():
        if isinstance(found, str):
            pytest.skip(found)
        yield found
