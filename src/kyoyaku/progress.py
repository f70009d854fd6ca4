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
    """The time of each phase of a command, one line on stderr as each ends (`kyoyaku: timing PHASE
    SECONDS s`), when the environment sets KYOYAKU_TIMINGS=1; otherwise silent. Costs a clock read."""

    def __init__(self) -> None:
        import os
        import time

        self._now = time.perf_counter
        self.enabled = os.environ.get(TIMINGS_VARIABLE) == "1"
        self._start = self._now()

    def mark(self, phase: str) -> None:
        """`phase` ended now: it began where the previous one ended (or at the clock's creation)."""
        end = self._now()
        if self.enabled:
            print(f"kyoyaku: timing {phase} {end - self._start:.3f} s", file=sys.stderr, flush=True)
        self._start = end
