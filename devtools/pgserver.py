"""A throw-away PostgreSQL server for the test session: initdb + pg_ctl in a temporary directory, loopback only.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user (created by the
Debian package that scripts/bootstrap.sh installs). A missing server is an error, never a skip.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresMissing(RuntimeError):
    pass


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresMissing("PostgreSQL server (initdb/pg_ctl) not found: run scripts/bootstrap.sh "
                          "(installs Debian's postgresql package). The test suite needs a real server.")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    base: Path
    port: int
    bindir: Path
    user: str = "netra"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True)

    def start(self, durable: bool = False) -> PostgresServer:
        """`durable`: every commit flushed to disk as in production (benchmarks); tests skip the flushes."""
        data = self.base / "data"
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run("initdb", "-D", str(data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                  "--no-sync")
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(data), "-l", str(self.base / "server.log"), "-o", options, "-w", "start")
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def start_server(durable: bool = False) -> PostgresServer:
    bindir = _bindir()
    base = Path(tempfile.mkdtemp(prefix="netra-pg-"))
    os.chmod(base, 0o755)
    return PostgresServer(base=base, port=_free_port(), bindir=bindir).start(durable=durable)
