"""The short fuzz run of CI: every strategy of benchmarks/fuzz.py (the long run, docs/fuzzing.md) on a
few thousand SYNTHETIC inputs. The invariant (`fuzz.check`): the parser returns an Agreement or raises
kyoyaku's own error; every 25th input also goes through `kyoyaku parse FILE` in-process.

With CI=true the hypothesis profile "kyoyaku-fuzz-ci" is derandomized (the same inputs on every run,
no example database); otherwise "kyoyaku-fuzz-dev" draws new inputs each run and replays failures."""

import os
import subprocess
import sys

import pytest
from hypothesis import settings

from .conftest import load_benchmark

fuzz = load_benchmark("fuzz")
settings.register_profile("kyoyaku-fuzz-ci", deadline=None, derandomize=True, database=None,
                          suppress_health_check=fuzz.HEALTH, print_blob=True)
settings.register_profile("kyoyaku-fuzz-dev", deadline=None, suppress_health_check=fuzz.HEALTH)
PROFILE = settings.get_profile("kyoyaku-fuzz-ci" if os.environ.get("CI") == "true" else "kyoyaku-fuzz-dev")

# 3,300 inputs in all, about 15 s on 2 CPUs; long_lines parses lines of up to 150,000 characters, so
# fewer of them.
EXAMPLES = {"seed_like": 800, "generated": 500, "unicode_noise": 400, "long_lines": 100, "raw_bytes": 400,
            "bytes_mutated": 800, "helpers": 300}


@pytest.mark.parametrize("strategy", list(EXAMPLES))
def test_parser_returns_a_result_or_its_own_error(strategy, tmp_path):
    fuzz.TALLY = fuzz.Tally()
    test = settings(PROFILE, max_examples=EXAMPLES[strategy])(fuzz.fuzz_test(strategy, 25, tmp_path))
    test()
    assert fuzz.TALLY.inputs >= EXAMPLES[strategy] and not fuzz.TALLY.crashes
    if strategy != "helpers":
        assert fuzz.TALLY.cli_runs >= EXAMPLES[strategy] // 25


def test_check_catches_a_crash(monkeypatch):
    """The invariant would fail on a crash: an exception that is not kyoyaku's own."""
    import kyoyaku.text.parse

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(kyoyaku.text.parse, "parse_bytes", broken)
    with pytest.raises(fuzz.Crash, match="KeyError"):
        fuzz.check(b"x", fuzz.Tally())


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf\xe5\x8d\x94\xe7\xb4\x84\n\x00",  # NUL after a BOM
        b"\xff\xfe\x00\x00" + "協約".encode("utf-16-le"),  # UTF-32/16 text: neither UTF-8 nor Shift_JIS
        "協約\n".encode("cp932") + b"\x82",  # Shift_JIS cut inside a character
        "協約\nA市（以下「甲」という。）\n第十十条 x".encode(),  # tests/regressions: not a number
    ],
    ids=["nul", "utf-16", "cut-shift-jis", "not-a-number"],
)
def test_kyoyaku_parse_in_a_process_exits_2_without_traceback(data, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-m", "kyoyaku.cli", "parse", str(path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"kyoyaku: {path}") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
