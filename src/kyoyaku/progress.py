"""Progress on the terminal for steps longer than a second (tqdm), silent under --quiet and when
stderr is not a terminal (pipes, CI logs, tests)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from contextvars import ContextVar

from tqdm import tqdm

# --quiet for every bar of a command, also those of stages it calls that take no `quiet` (the OCR of a
# scan's pages, text.ocr): set by quiet_scope
QUIET: ContextVar[bool] = ContextVar("kyoyaku_quiet", default=False)


def bar(total: int, what: str, quiet: bool = False) -> tqdm:
    """A progress bar that appears only if the step is still running after a second."""
    # tqdm's own disable=None test does not see a terminal through its stream wrapper: ask here
    return tqdm(total=total, desc=what, unit="", delay=1.0, leave=False, dynamic_ncols=True,
                disable=quiet or QUIET.get() or not sys.stderr.isatty())


@contextmanager
def quiet_scope(quiet: bool):
    """Every bar made inside is silent when `quiet`."""
    token = QUIET.set(quiet or QUIET.get())
    try:
        yield
    finally:
        QUIET.reset(token)


TIMINGS_VARIABLE = "KYOYAKU_TIMINGS"  # set to 1: a command's phases print their times (benchmarks/national.py)


class PhaseClock:
    """The time of each phase of a command, one line on stderr as each ends, when the environment
    sets KYOYAKU_TIMINGS=1 (otherwise silent; costs a clock read): `kyoyaku: timing PHASE SECONDS s,
    peak BYTES B`, the peak being the process's highest resident memory during the phase (Linux's
    VmHWM, reset at each phase's start through /proc/self/clear_refs; 0 where there is none)."""

    def __init__(self) -> None:
        import os
        import time

        self._now = time.perf_counter
        self.enabled = os.environ.get(TIMINGS_VARIABLE) == "1"
        if self.enabled:
            _reset_peak()
        self._start = self._now()

    def mark(self, phase: str) -> None:
        """`phase` ended now: it began where the previous one ended (or at the clock's creation)."""
        end = self._now()
        if self.enabled:
            print(f"kyoyaku: timing {phase} {end - self._start:.3f} s, peak {_peak()} B", file=sys.stderr, flush=True)
            _reset_peak()
            end = self._now()  # the two reads of /proc are no phase's
        self._start = end


def _peak() -> int:
    """This process's peak resident memory since the last _reset_peak, in bytes (0: not on Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


def _reset_peak() -> None:
    """Start the peak (VmHWM) again from the present resident memory: "5" (Linux, proc(5))."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass
