"""benchmarks/national.py --real-only (issue 19, item 1) at N = 2: the real `kyoyaku build` of texts
between real municipalities runs, its floor runs, and only the section "The real build" of the page is
rewritten — the page's other sections (the one benchmarks/readers.py writes included) kept byte for
byte. No time is asserted: only that each figure is there, in its place."""

import os
import re
import subprocess
import sys

from kyoyaku.pipeline import WRITE_STEPS

from .conftest import ROOT

TOP = "# Benchmarks\n\nthe tables of the full run\n\n## Growth\n\nkept as it was\n\n"
READERS = "## Readers\n\nwritten by benchmarks/readers.py\n"


def run_real_only(page_path, *sizes):
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / "national.py"), "--real-only", "--real-sizes",
                           *map(str, sizes), "--out", str(page_path)],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=300, check=False)


def test_the_real_build_section_is_measured_and_replaces_only_itself(tmp_path):
    page_path = tmp_path / "benchmarks.md"
    page_path.write_text(TOP + "## The real build\n\nan older measurement\n\n" + READERS, encoding="utf-8")
    done = run_real_only(page_path, 2)
    assert done.returncode == 0, done.stderr[-2000:]
    page = page_path.read_text(encoding="utf-8")
    assert page.startswith(TOP + "## The real build\n\n")
    assert page.endswith("\n\n" + READERS)
    assert "an older measurement" not in page and page.count("## The real build") == 1
    section = page[len(TOP):-len(READERS)]
    # one row at N = 2: triples, files written, the build's time and peak, the floor's three steps, two ratios
    row = re.search(r"^\| 2 \| ([\d,]+) \| ([\d,]+) \(\d+ MiB\) \| [\d.]+ m?s \| \d+ MiB \| [\d.]+ m?s "
                    r"\([\d.]+ m?s \+ [\d.]+ m?s \+ [\d.]+ m?s\) \| \d+ MiB \| [\d.]+× \| [\d.]+× \|$", section, re.MULTILINE)
    assert row, section
    assert int(row.group(1).replace(",", "")) > 1000  # two agreements of the seed's ~580 triples each
    # each phase: its time as a ratio to the floor's, and its own peak memory as a ratio to the floor's peak
    phases = re.findall(r"^\| ([a-z][a-z ]*) \| [\d.]+ m?s \([\d.]+×\) \| \d+ MiB \([\d.]+×\) \|$", section,
                        re.MULTILINE)
    assert phases == ["parse", "map", "validate", *WRITE_STEPS, "finish"]
    load = re.search(r"load average \(1 min\) before → after each build: ([\d.]+) → ([\d.]+) at N = 2"
                     r"( \(above `nproc`: other work shared the cores\))?$", section, re.MULTILINE)
    assert load, section
    # the note on shared cores only when the load was above the number of cores
    assert bool(load.group(3)) == (max(float(load.group(1)), float(load.group(2))) > (os.cpu_count() or 1))
