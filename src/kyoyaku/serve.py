"""`kyoyaku serve`: a read-only SPARQL 1.1 endpoint over the built data — the Oxigraph server (the
`oxigraph` package's binary) on an on-disk store, the one written by `build --store` or a
temporary one loaded from the data files — behind the HTTP front of kyoyaku.conneg, which also
serves the published tree (`dist/`) with content negotiation, on one address. The front
listens on loopback unless `public`, the Oxigraph server (read-only) on 127.0.0.1 always; queries are
cut off after `timeout_s` by the front (which streams answers: kyoyaku.conneg) and by Oxigraph."""

from __future__ import annotations

import ipaddress
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .errors import EndpointError, UsageError
from .store import STORE_MARKER, open_store

STARTUP_SECONDS = 20


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
          public: bool = False, timeout_s: int = 60, site: Path | None = None, announce=print) -> int:
    """Serve until interrupted (Ctrl-C, SIGTERM) or the server exits; returns 0 after a clean stop."""
    from .conneg import make_server

    if timeout_s < 1:
        raise UsageError(f"--timeout {timeout_s}: expected a whole number of seconds, at least 1")
    if not public and not is_loopback(host):
        raise UsageError(f"--host {host} is not a loopback address: add --public to serve it to the network")
    binary = oxigraph_binary()
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop: clean up as for Ctrl-C
    with tempfile.TemporaryDirectory(prefix="kyoyaku-serve-") as tmp:
        if store is not None:
            if not (store / STORE_MARKER).is_file():
                raise UsageError(f"{store}: not a store written by `kyoyaku build --store`")
            location = store / "oxigraph"
        else:
            location = Path(tmp) / "oxigraph"
            loaded = open_store(data, location=location)
            loaded.flush()
            del loaded  # the server opens the database next: this process must have closed it
        nothing = Path(tmp) / "no-site"  # without a site: documents are 404, never the temporary files
        nothing.mkdir()
        try:
            front = make_server(host, port, site or nothing, "", query_timeout=timeout_s)
        except OSError as e:
            raise EndpointError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
        inner = _free_port()
        log = (Path(tmp) / "server.log").open("w+", encoding="utf-8")  # a file: a pipe nobody reads would fill
        server = subprocess.Popen([binary, "serve-read-only", "--location", str(location),
                                   "--bind", f"127.0.0.1:{inner}", "--timeout-s", str(timeout_s)],
                                  stdout=log, stderr=log)
        front.RequestHandlerClass.sparql_url = f"http://127.0.0.1:{inner}/query"
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        try:
            _wait_until_listening(server, "127.0.0.1", inner, Path(log.name))
            announce(f"SPARQL endpoint: http://{address}/query (read-only; Ctrl-C stops it)", flush=True)
            if site is not None:
                announce(f"documents: http://{address}/ (from {site}, by content negotiation)", flush=True)
            front.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            front.server_close()
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=10)
            log.close()
    announce("stopped")
    return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _wait_until_listening(server: subprocess.Popen, host: str, port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            reason = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            raise EndpointError(f"the Oxigraph server stopped at start: {reason[-1] if reason else 'no reason given'}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise EndpointError(f"the Oxigraph server did not listen on {host}:{port} within {STARTUP_SECONDS} s")
