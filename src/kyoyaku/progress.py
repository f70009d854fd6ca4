"""Progress on the terminal for steps longer than a second (tqdm), silent under --quiet and when
stderr is not a terminal (pipes, CI logs, tests)."""

from __future__ import annotations

import sys

from tqdm import tqdm


def bar(total: int, what: str, quiet: bool = False) -> tqdm:
    """A progress bar that appears only if the step is still running after a second."""
    # tqdm's own disable=None test does not see a terminal through its stream wrapper: ask here
    return tqdm(total=total, desc=what, unit="", delay=1.0, leave=False, dynamic_ncols=True,
                disable=quiet or not sys.stderr.isatty())
