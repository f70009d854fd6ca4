"""kyoyaku.progress.PhaseClock: each phase's time and its own peak memory, for the benchmarks."""

import re
import sys

import pytest

from kyoyaku.progress import PhaseClock

MIB = 1024 * 1024

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM and clear_refs are Linux's")


def test_each_phase_reports_its_own_peak_not_the_process_lifetime_one(monkeypatch, capsys):
    """A phase that takes 300 MiB and gives it back peaks 300 MiB above the phases before and after
    it: the peak is reset at each phase's start, so a later phase does not inherit an earlier one's."""
    monkeypatch.setenv("KYOYAKU_TIMINGS", "1")
    clock = PhaseClock()
    clock.mark("before")
    block = bytearray(300 * MIB)
    block[::4096] = b"\1" * len(block[::4096])  # every page touched, so resident
    del block
    clock.mark("big")
    clock.mark("after")
    lines = capsys.readouterr().err.splitlines()
    peaks = {m.group(1): int(m.group(2)) for line in lines
             if (m := re.fullmatch(r"kyoyaku: timing (\w+) \d+\.\d{3} s, peak (\d+) B", line))}
    assert list(peaks) == ["before", "big", "after"], lines
    assert peaks["big"] - peaks["before"] >= 290 * MIB, peaks
    assert peaks["big"] - peaks["after"] >= 290 * MIB, peaks


def test_silent_without_the_variable(monkeypatch, capsys):
    monkeypatch.delenv("KYOYAKU_TIMINGS", raising=False)
    clock = PhaseClock()
    clock.mark("phase")
    assert capsys.readouterr().err == ""
