"""When Oxigraph crashes. A Rust panic in pyoxigraph or in the Oxigraph server aborts the whole
process (exit 134, SIGABRT, a Rust backtrace on stderr): Python cannot catch it. The known one —
ORDER BY over literals of different types, e.g. integers with strings of digits, makes Rust's sort
detect that Oxigraph's comparison is not a total order (docs/oxigraph-panic.md) — is one a client
can trigger on the shipped data.

- `in_child` runs the embedded engine's work (open a store, run a query) in a forked child process,
  so that such a crash becomes one EngineError instead of a dead `kyoyaku` (kyoyaku.cli `query`);
- `crash_reason` reads the panic out of what a crashed process wrote, for that error and for
  `kyoyaku serve`, which restarts its Oxigraph server when it crashes (kyoyaku.serve).
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable
from typing import TypeVar

from ..errors import EngineError, KyoyakuError

T = TypeVar("T")

# what each known crash means, by a phrase of its panic message
KNOWN_CRASHES = {
    "does not correctly implement a total order":
        "a known Oxigraph bug: ORDER BY over literals of different types (numbers and strings, …); "
        "ORDER BY STR(?x) avoids it (docs/oxigraph-panic.md)",
}


def crash_reason(stderr: str, returncode: int | None = None) -> str:
    """One line for why a process that ran Oxigraph died: its panic message (and what a known one
    means), else the last thing it wrote, else how it ended."""
    lines = [line.strip() for line in stderr.splitlines()]
    message = None
    for number, line in enumerate(lines):
        if " panicked at " in line:
            # Rust ≥ 1.73: "thread '…' panicked at FILE:LINE:COL:" then the message on the next line
            message = lines[number + 1] if line.endswith(":") and number + 1 < len(lines) else \
                line.split(" panicked at ", 1)[1]
            break
        if line.startswith("memory allocation of "):  # Rust's out-of-memory abort: no "panicked"
            message = line
            break
    if message:
        meaning = next((text for phrase, text in KNOWN_CRASHES.items() if phrase in message), None)
        return f"Oxigraph panicked: {message}" + (f" — {meaning}" if meaning else "")
    written = [line for line in lines if line]
    if written:
        return written[-1][:300]
    if returncode is not None and returncode < 0:
        return f"killed by {signal.Signals(-returncode).name}"
    return f"exit status {returncode}" if returncode is not None else "no reason given"


def in_child(work: Callable[[], T], what: str) -> T:
    """`work()` run in a forked child process, its value (or its error) handed back to this one; a
    child that dies instead — a Rust panic aborts it — raises EngineError naming `what` (a query
    file) and the panic, in one line. The child's stderr is kept from the terminal unless it ends
    normally. The child opens the store itself: a forked process must not share an open store's
    threads (an on-disk store runs RocksDB's). Where there is no fork, `work()` runs here."""
    if not hasattr(os, "fork"):
        return work()
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as stderr:
        readable, writable = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            status = 0
            try:
                os.close(readable)
                os.dup2(stderr.fileno(), 2)
                faulthandler.disable()  # its dump of an abort would reach the terminal: the parent reports it
                try:
                    outcome = (True, work())
                except Exception as error:  # noqa: BLE001 — every error is the parent's to raise
                    if not isinstance(error, KyoyakuError):
                        traceback.print_exc()  # a bug: its trace in the child's stderr, which the parent shows
                    outcome = (False, error)
                try:
                    data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # noqa: BLE001 — an error that does not pickle: its text
                    data = pickle.dumps((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
                with os.fdopen(writable, "wb") as pipe:
                    pipe.write(data)
            except BaseException:  # noqa: BLE001 — interrupted (Ctrl-C): the parent reports it
                status = 130
            finally:
                os._exit(status)
        os.close(writable)
        try:
            with os.fdopen(readable, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
        except BaseException:  # interrupted: the child must not outlive this process
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
            raise
        stderr.seek(0)
        written = stderr.read().decode("utf-8", errors="replace")
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and data:
        if written:
            sys.stderr.write(written)  # warnings, or the trace of a bug raised below
        ok, value = pickle.loads(data)
        if ok:
            return value
        raise value
    returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    raise EngineError(f"{what}: Oxigraph stopped while running this query ({crash_reason(written, returncode)})")

