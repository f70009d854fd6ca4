"""A Virtuoso Open Source 7 server of the tests' own (`virtuoso-t`, installed by tests/system-deps.sh):
a temporary database directory and virtuoso.ini, HTTP and ISQL on 127.0.0.1 on free ports, SPARQL
Update granted to the anonymous SPARQL user (a fresh database's only account is `dba`/`dba`: the
server is reachable from this machine only, and removed with its directory after the tests)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ..conftest import free_port

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
START_WITHIN = 120  # seconds: a fresh database is made at the first start (about 4 s on 2 CPUs)

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
ServerThreads = 8
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


class Virtuoso:
    """virtuoso-t in the foreground on a temporary directory; `base` is its HTTP address, where
    /sparql answers queries and updates and /sparql-graph-crud is the Graph Store Protocol."""

    def __init__(self):
        if not (VIRTUOSO and ISQL):
            pytest.fail("Virtuoso is missing (virtuoso-t, isql-vt): run tests/system-deps.sh")
        self.directory = Path(tempfile.mkdtemp(prefix="kyoyaku-virtuoso-"))
        self.http, self.isql = free_port(), free_port()
        (self.directory / "virtuoso.ini").write_text(
            INI.format(dir=self.directory, http=self.http, isql=self.isql), encoding="utf-8")
        self.process = subprocess.Popen([VIRTUOSO, "+configfile", str(self.directory / "virtuoso.ini"), "+foreground"],
                                        cwd=self.directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.http}"
        self.endpoint = f"{self.base}/sparql"
        self.graph_store = f"{self.base}/sparql-graph-crud"
        try:
            self._wait_until_ready()
            # the endpoint runs as the user SPARQL, who may only read until granted updates
            self.sql('GRANT SPARQL_UPDATE TO "SPARQL";')
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_WITHIN
        probe = f"{self.endpoint}?" + urllib.parse.urlencode({"query": "ASK {}"})
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.directory / "virtuoso.log"
                tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log.exists() else ""
                pytest.fail(f"virtuoso-t exited at start ({self.process.returncode}):\n{tail}")
            try:
                urllib.request.urlopen(probe, timeout=2).close()
                if self._isql_answers():
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        pytest.fail(f"Virtuoso did not answer on {self.endpoint} within {START_WITHIN} s")

    def _isql_answers(self) -> bool:
        done = subprocess.run([ISQL, f"127.0.0.1:{self.isql}", "dba", "dba", "exec=select 1;"],
                              capture_output=True, text=True, timeout=30, check=False)
        return done.returncode == 0

    def sql(self, statement: str) -> str:
        """Run SQL as dba through isql; its output. A statement that fails fails the test."""
        done = subprocess.run([ISQL, f"127.0.0.1:{self.isql}", "dba", "dba", f"exec={statement}"],
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0 and "*** Error" not in done.stdout + done.stderr, done.stdout + done.stderr
        return done.stdout

    def update(self, text: str) -> None:
        request = urllib.request.Request(self.endpoint, data=text.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(request, timeout=60).close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # virtuoso-t checkpoints and exits
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)
