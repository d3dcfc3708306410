"""A real OpenLink Virtuoso (``virtuoso-t`` from Debian's virtuoso-opensource) on 127.0.0.1 for the tests: its own
database folder and virtuoso.ini, free ports for SQL and HTTP, run in the foreground so the test owns the process.

Skipped, saying why, where virtuoso-t is not installed. ``.ci/run`` installs it where apt can run.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.sparql_fixtures import free_port

USER = PASSWORD = "dba"
"""A fresh database's administrator, who may write through /sparql-graph-crud-auth."""

_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = ., {dirs}
NumberOfBuffers    = 20000
MaxDirtyBuffers    = 15000
CheckpointInterval = 0
CaseMode           = 2
[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {db}
ServerThreads      = 4
MaxKeepAlives      = 4
KeepAliveTimeout   = 30
[SPARQL]
ResultSetMaxRows          = 1000000
MaxQueryExecutionTime     = 300
MaxQueryCostEstimationTime = 300
"""


class VirtuosoServer:
    """``virtuoso-t +foreground`` with a database in ``folder``; ``dirs`` may be read by its bulk loader."""

    def __init__(self, folder: Path, dirs: list[Path]) -> None:
        exe = shutil.which("virtuoso-t")
        if exe is None:
            pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
        self.isql = shutil.which("isql-vt") or shutil.which("isql-v")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        ini = folder / "virtuoso.ini"
        ini.write_text(_INI.format(db=folder, sql_port=self.sql_port, http_port=self.http_port,
                                   dirs=", ".join(str(d) for d in dirs)), encoding="utf-8")
        self._log = (folder / "stdout.log").open("wb")
        self.process = subprocess.Popen([exe, "+configfile", str(ini), "+foreground"], cwd=folder,
                                        stdout=self._log, stderr=subprocess.STDOUT)
        self._wait()

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store protocol endpoint that takes writes (HTTP digest authentication)."""
        return f"{self.url}/sparql-graph-crud-auth"

    def _wait(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        ask = f"{self.sparql}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(ask, timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not become ready: {self.log_tail()}")

    def log_tail(self) -> str:
        log = self.folder / "virtuoso.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def sql(self, statements: str, timeout: float = 600) -> str:
        """Run SQL through isql as dba; an ``*** Error`` becomes an exception."""
        if self.isql is None:
            pytest.skip("isql-vt (Virtuoso's isql) is not installed")
        done = subprocess.run([self.isql, f"127.0.0.1:{self.sql_port}", USER, PASSWORD, f"exec={statements}"],
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode or "*** Error" in done.stderr + done.stdout:
            raise RuntimeError(f"isql failed: {done.stdout[-1000:]}{done.stderr[-1000:]}")
        return done.stdout

    def bulk_load(self, folder: Path, pattern: str, graph: str) -> float:
        """Virtuoso's bulk loader on the files matching ``pattern`` in ``folder`` (N-Quads keep their graphs;
        ``graph`` is for triples), then a checkpoint; returns the seconds it took."""
        started = time.monotonic()
        self.sql(f"ld_dir('{folder}', '{pattern}', '{graph}'); rdf_loader_run(); checkpoint;")
        seconds = time.monotonic() - started
        failed = self.sql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        if "0 Rows." not in failed:
            raise RuntimeError(f"the bulk loader refused a file:\n{failed}")
        return seconds

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
