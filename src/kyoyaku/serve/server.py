"""`kyoyaku serve`: a read-only SPARQL 1.1 endpoint over the built data — the Oxigraph server (the
`oxigraph` package's binary) on an on-disk store, the one written by `build --store` or a
temporary one loaded from the data files — behind the HTTP front of kyoyaku.serve.front, which also
serves the published tree (`dist/`) with content negotiation, on one address. The front
listens on loopback unless `public`, the Oxigraph server (read-only) on 127.0.0.1 always; queries are
cut off after `timeout_s` by the front (which streams answers: kyoyaku.serve.front) and by Oxigraph.

The Oxigraph server is kept serving (OxigraphServer): it is restarted when it stops (a query can
make it panic, which aborts it: docs/oxigraph-panic.md), when a query it was running passed the
timeout (its own `--timeout-s` does not stop every query: a sort goes on, growing by hundreds of
MB a second), when its resident memory passes `max_memory`, and when a later `build --store`
replaced the store it serves."""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..errors import EndpointError, UsageError
from ..outputs import recover_missing
from ..sparql.isolate import crash_reason
from ..sparql.store import STORE_MARKER, open_store, read_store
from .front import DEFAULT_MAX_BODY, Upstream

STARTUP_SECONDS = 20
DEFAULT_MAX_MEMORY_MIB = 1024  # the Oxigraph server's resident memory; the shipped data need ~20–60 MiB
WATCH_SECONDS = 0.25  # how often the Oxigraph server, its memory and the store are looked at
STOP_SECONDS = 5


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def oxigraph_binary() -> str:
    """The `oxigraph` command installed with the package (beside this Python), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise EndpointError("the Oxigraph server is not installed: `pip install oxigraph` (a dependency of kyoyaku)")
    return found


def serve(data: list[Path], store: Path | None = None, host: str = "127.0.0.1", port: int = 7878,
          public: bool = False, timeout_s: int = 60, site: Path | None = None, announce=print,
          max_body: int = DEFAULT_MAX_BODY, max_memory_mib: int = DEFAULT_MAX_MEMORY_MIB,
          public_url: str | None = None) -> int:
    """Serve until interrupted (Ctrl-C, SIGTERM); returns 0 after a clean stop. `public_url` is the
    URL clients reach it at (behind a proxy), named in the service description."""
    from .front import make_server
    from .service import public_base

    if not 1 <= port <= 65535:
        raise UsageError(f"--port {port}: expected a port number from 1 to 65535")
    if timeout_s < 1:
        raise UsageError(f"--timeout {timeout_s}: expected a whole number of seconds, at least 1")
    if max_body < 1:
        raise UsageError(f"--max-body {max_body}: expected a whole number of bytes, at least 1")
    if max_memory_mib < 1:
        raise UsageError(f"--max-memory {max_memory_mib}: expected a whole number of MiB, at least 1")
    if not public and not is_loopback(host):
        raise UsageError(f"--host {host} is not a loopback address: add --public to serve it to the network")
    if public_url is not None:
        public_url = public_base(public_url)
    binary = oxigraph_binary()
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop: clean up as for Ctrl-C
    with tempfile.TemporaryDirectory(prefix="kyoyaku-serve-") as tmp:
        if store is not None:
            if not (store / STORE_MARKER).is_file():
                raise UsageError(f"{store}: not a store written by `kyoyaku build --store`")
            opened = read_store(store)
            del opened  # opened once here, read-only: a damaged store is one line, not the server's backtrace
        else:
            loaded = open_store(data, location=Path(tmp) / "oxigraph")
            loaded.flush()
            del loaded  # the server opens the database next: this process must have closed it
        nothing = Path(tmp) / "no-site"  # without a site: documents are 404, never the temporary files
        nothing.mkdir()
        oxigraph = OxigraphServer(binary, store if store is not None else Path(tmp), timeout_s,
                                  max_memory_mib * 1024 * 1024, Path(tmp) / "server.log", follow=store is not None)
        try:
            front = make_server(host, port, site or nothing, oxigraph, query_timeout=timeout_s, max_body=max_body,
                                public_url=public_url)
        except OSError as e:
            raise EndpointError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        stop = threading.Event()
        try:
            oxigraph.start()
            threading.Thread(target=oxigraph.watch, args=(stop,), name="oxigraph-watch", daemon=True).start()
            announce(f"SPARQL endpoint: http://{address}/query (read-only; Ctrl-C stops it)", flush=True)
            if site is not None:
                announce(f"documents: http://{address}/ (from {site}, by content negotiation)", flush=True)
            if public_url is not None:
                announce(f"public URL: {public_url}/query (named in the service description)", flush=True)
            front.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            front.server_close()
            oxigraph.stop()
    announce("stopped")
    return 0


class OxigraphServer(Upstream):
    """The `oxigraph serve-read-only` process behind the front, kept serving: restarted (on a new
    port, with the same arguments) when it has stopped, after a request to it failed or timed out,
    when its resident memory passes `max_memory` bytes, and — when `follow` — when the store
    directory `store` was replaced (a later `build --store` swaps a new one in). Each start is a new
    generation: a failure reported for an older one, already replaced, restarts nothing."""

    def __init__(self, binary: str, store: Path, timeout_s: int, max_memory: int, log: Path, follow: bool,
                 say=None):
        self.binary = binary
        self.store = store
        self.timeout_s = timeout_s
        self.max_memory = max_memory
        self.log = log
        self.follow = follow
        self.say = say or (lambda text: print(f"kyoyaku serve: {text}", file=sys.stderr, flush=True))
        self.generation = 0
        self._lock = threading.RLock()
        self._process: subprocess.Popen | None = None
        self._url = ""
        self._log_start = 0  # where the running process's lines start in the log
        self._store_id: tuple[int, int] | None = None
        self._down: str | None = None  # why it could not be started, while it cannot
        self._ended: dict[int, str] = {}  # why each recent generation was ended, for its failed requests

    @property
    def process(self) -> subprocess.Popen | None:
        return self._process

    def start(self) -> None:
        """Start a new generation and wait until it listens; EndpointError when it does not."""
        with self._lock:
            if self.follow:
                recover_missing(self.store)  # a two-step swap killed in its gap (systems without renameat2)
                if not (self.store / STORE_MARKER).is_file():
                    raise EndpointError(f"{self.store}: no store written by `kyoyaku build --store` there any more")
                self._store_id = _identity(self.store)
            port = _free_port()
            with self.log.open("ab") as log:  # appended: the child writes through its own descriptor
                self._log_start = log.tell()
                process = subprocess.Popen([self.binary, "serve-read-only", "--location", str(self.store / "oxigraph"),
                                            "--bind", f"127.0.0.1:{port}", "--timeout-s", str(self.timeout_s)],
                                           stdout=log, stderr=log, stdin=subprocess.DEVNULL)
            try:
                self._wait_until_listening(process, port)
            except BaseException:
                _end(process)
                raise
            self._process, self._url = process, f"http://127.0.0.1:{port}/query"
            self.generation += 1
            self._down = None

    def current(self) -> tuple[str, int]:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._restart(f"the Oxigraph server stopped ({self._stopped_because()})" if self._process is not None
                              else self._down or "the Oxigraph server was not running")
            if self._process is None:
                raise EndpointError(self._down or "it could not be started")
            return self._url, self.generation

    def failed(self, generation: int, what: str) -> str:
        """After a timeout its work is stopped by a restart; after no answer, it is restarted if it
        stopped (a crash); either way only if `generation` is still the one running."""
        with self._lock:
            if generation != self.generation or self._process is None:
                return self._restarted_note(generation)
            process = self._process
        if what != "timeout":
            try:  # outside the lock: other requests go on meanwhile
                process.wait(timeout=2)  # a crash closes the connection a moment before the process exits
            except subprocess.TimeoutExpired:
                return ""  # it runs: the request failed for another reason
        with self._lock:
            if generation != self.generation or self._process is None:
                return self._restarted_note(generation)
            reason = f"a query ran past the timeout ({self.timeout_s} s)" if what == "timeout" else \
                f"the Oxigraph server stopped ({self._stopped_because()})"
            self._restart(reason)
            return f"; {reason}: it was restarted" if self._process is not None else \
                f"; {reason}: it could not be restarted ({self._down})"

    def _restarted_note(self, generation: int) -> str:
        return f"; {self._ended[generation]}: it was restarted" if generation in self._ended else ""

    def watch(self, stop: threading.Event) -> None:
        """Restart it when it stopped, outgrew `max_memory`, or its store was replaced; until `stop`."""
        while not stop.wait(WATCH_SECONDS):
            with self._lock:
                process = self._process
                if process is None:
                    continue  # could not be started: the next request tries again (current)
                if process.poll() is not None:
                    self._restart(f"the Oxigraph server stopped ({self._stopped_because()})")
                elif (memory := _resident_bytes(process.pid)) is not None and memory > self.max_memory:
                    self._restart(f"the Oxigraph server used {memory // 2**20} MiB, over --max-memory "
                                  f"{self.max_memory // 2**20}")
                elif self.follow and (found := _identity(self.store)) is not None and found != self._store_id:
                    self._restart(f"{self.store} was replaced by a new `kyoyaku build --store`")

    def stop(self) -> None:
        with self._lock:
            if self._process is not None:
                _end(self._process)
                self._process = None

    def _restart(self, reason: str) -> None:
        """Stop the running process (requests still on it are cut: their clients see an error, never
        short results) and start a new generation; say why, in one line on stderr."""
        if self._process is not None:
            _end(self._process)
            self._process = None
        self._ended[self.generation] = reason
        self._ended.pop(self.generation - 16, None)  # enough for the requests still on their way
        try:
            self.start()
        except EndpointError as e:
            if self._down != str(e):
                self.say(f"{reason}: the Oxigraph server could not be restarted: {e}")
            self._down = str(e)
            return
        self.say(f"{reason}: restarted the Oxigraph server")

    def _stopped_because(self) -> str:
        process = self._process
        if process is None:
            return "not running"
        with self.log.open("rb") as log:
            log.seek(self._log_start)
            written = log.read().decode("utf-8", errors="replace")
        return crash_reason(written, process.poll())

    def _wait_until_listening(self, process: subprocess.Popen, port: int) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                with self.log.open("rb") as log:
                    log.seek(self._log_start)
                    reason = crash_reason(log.read().decode("utf-8", errors="replace"), process.returncode)
                raise EndpointError(f"the Oxigraph server stopped at start: {reason}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise EndpointError(f"the Oxigraph server did not listen on 127.0.0.1:{port} within {STARTUP_SECONDS} s")


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _identity(path: Path) -> tuple[int, int] | None:
    """What tells a directory from the one swapped in at its name (None while there is none)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _resident_bytes(pid: int) -> int | None:
    """The resident memory of a process (Linux /proc; None where there is none)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _interrupt(signum, frame):
    raise KeyboardInterrupt
