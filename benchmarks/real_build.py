"""The real `kyoyaku build`, timed as a user runs it, beside the floor (pyoxigraph alone).

Called by benchmarks/national.py (the one benchmark entry point: `--real-sizes`, `--real-only`); run
alone only as its child, `python benchmarks/real_build.py --floor DATA.nt WORK`.

The sources are text files the parser reads: the seed text (data/sources/mito-omitama-2022-02-21.txt)
rewritten between REAL municipalities — the synthetic agreements of benchmarks/synthetic.py name
fictional ones (架空…, prefecture codes 48–99), which the parser, reading the national list, refuses.
Agreement i: area a = i // PARTNERS_PER_AREA (modulo the areas there are) has one core city and ten
partners, eleven consecutive municipalities (by code) whose names are each the only municipality of
that name (so every name resolves without its prefecture); its date is synthetic.agreement_date(i),
moved a day on if the pair already signed on it. The signatories are 架空 太郎 and 架空 花子: the texts are
SYNTHETIC (real names, made-up agreements), written only to a temporary directory and never published.

Measured for each N, each build from cold in a process of its own:

  build   `python -m kyoyaku.cli build --sources S --out O --no-registry --quiet` with
          KYOYAKU_TIMINGS=1 (each phase's time on stderr) and SOURCE_DATE_EPOCH set: its wall time and
          the peak memory of its process tree (tree_memory, sampled every SAMPLE_EVERY s);
  floor   pyoxigraph alone in a fresh process: bulk-load the build's own kyoyaku.nt into an in-memory
          Store, dump it as Turtle and as N-Quads to files; each step's time and the process's peak
          (VmHWM, its Rust allocations included).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic

SAMPLE_EVERY = 0.2  # seconds; reading smaps_rollup of a 2 GB process takes ~20 ms
TIMING = "kyoyaku: timing "  # kyoyaku.progress.PhaseClock's line prefix
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH: the catalog's date fixed, as in the tests


def tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the sum of their proportional set sizes
    (Pss: a page shared by k processes counts 1/k in each, so forked workers are not counted twice),
    or of their resident set sizes where smaps_rollup cannot be read."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            try:
                with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as f:
                    total += next(int(line.split()[1]) for line in f if line.startswith("Pss:")) * 1024
            except (OSError, StopIteration):
                with open(f"/proc/{p}/status", encoding="ascii") as f:
                    total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, StopIteration):
            continue
    return total


class PeakSampler:
    """The peak of tree_memory(pid) while the process runs, sampled in a thread."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.running = pid, 0, True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, tree_memory(self.pid))
            time.sleep(SAMPLE_EVERY)

    def stop(self) -> int:
        self.running = False
        self._thread.join()
        return self.peak


# --- real sources ----------------------------------------------------------------------------------

@cache
def areas() -> tuple[tuple, ...]:
    """(core, partner × PARTNERS_PER_AREA) of real municipalities, each name unique in the national
    list and neither seed party (their names are what the rewriting replaces)."""
    from kyoyaku.text.municipalities import _records

    counts = Counter(m.name for m in _records())
    usable = sorted((m for m in _records() if counts[m.name] == 1
                     and m.name not in (synthetic.SEED_CORE, synthetic.SEED_PARTNER)), key=lambda m: m.code)
    size = synthetic.PARTNERS_PER_AREA + 1
    return tuple(tuple(usable[k:k + size]) for k in range(0, len(usable) - size + 1, size))


def real_sources(n: int) -> list[tuple[str, bytes]]:
    """The first n real-municipality texts: (file name, bytes)."""
    out, signed = [], set()
    for i in range(n):
        area_index, position = divmod(i, synthetic.PARTNERS_PER_AREA)
        group = areas()[area_index % len(areas())]
        core, partner = group[0], group[1 + position]
        day = synthetic.agreement_date(i)
        while (core.code, partner.code, day) in signed:  # the agreement's IRI: core-partner/date
            day += timedelta(days=1)
        signed.add((core.code, partner.code, day))
        text = synthetic.seed_bytes().decode("utf-8")
        for old, new in synthetic._replacements(core.name, partner.name, f"{core.name}地域連携中枢都市圏",
                                                synthetic.era_date(day)):
            text = text.replace(old, new)
        out.append((f"real-{i + 1:05d}.txt", text.encode("utf-8")))
    return out


def write_sources(n: int, folder: Path) -> Path:
    folder = synthetic.check_outside_project(folder)
    folder.mkdir(parents=True)
    for name, data in real_sources(n):
        (folder / name).write_bytes(data)
    return folder


# --- measuring -------------------------------------------------------------------------------------

def run_build(sources: Path, out: Path, limit: float | None = None) -> dict:
    """The real command on `sources` into `out`: wall seconds, peak bytes of its process tree, each
    phase's seconds (KYOYAKU_TIMINGS), the files and bytes it wrote."""
    env = dict(os.environ, KYOYAKU_TIMINGS="1", SOURCE_DATE_EPOCH=EPOCH)
    command = [sys.executable, "-m", "kyoyaku.cli", "build", "--sources", str(sources), "--out", str(out),
               "--no-registry", "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", env=env, cwd=ROOT)
    sampler = PeakSampler(proc.pid)
    try:
        stdout, stderr = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        sampler.stop()
        return {"timed_out": limit}
    wall = time.perf_counter() - start
    peak = sampler.stop()
    if proc.returncode:
        raise RuntimeError(f"kyoyaku build failed ({proc.returncode}): {stderr[-2000:]}")
    phases = {}
    for line in stderr.splitlines():
        if line.startswith(TIMING):
            name, seconds, _ = line[len(TIMING):].rsplit(" ", 2)
            phases[name] = float(seconds)
    files = [p for p in out.rglob("*") if p.is_file()]
    summary = stdout.splitlines()[0] if stdout else ""
    return {"seconds": wall, "peak": peak, "phases": phases, "files": len(files),
            "bytes": sum(p.stat().st_size for p in files), "summary": summary}


def floor_child(data: Path, work: Path) -> None:
    """In a fresh process: pyoxigraph alone loading `data` and dumping it; one JSON line on stdout."""
    from pyoxigraph import DefaultGraph, RdfFormat, Store

    times = {}
    start = time.perf_counter()
    store = Store()
    store.bulk_load(path=str(data), format=RdfFormat.N_TRIPLES)
    times["load"] = time.perf_counter() - start
    start = time.perf_counter()
    store.dump(output=str(work / "floor.ttl"), format=RdfFormat.TURTLE, from_graph=DefaultGraph())
    times["turtle"] = time.perf_counter() - start
    start = time.perf_counter()
    store.dump(output=str(work / "floor.nq"), format=RdfFormat.N_QUADS)
    times["nquads"] = time.perf_counter() - start
    with open("/proc/self/status", encoding="ascii") as f:
        vmhwm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))
    print(json.dumps({"phases": times, "triples": len(store), "vmhwm": vmhwm}))


def run_floor(data: Path, work: Path) -> dict:
    """floor_child in its own process: each step's seconds, the sum, the triples, the peak memory."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--floor", str(data), str(work)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    sampler = PeakSampler(proc.pid)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    peak = sampler.stop()
    if proc.returncode:
        raise RuntimeError(f"the floor failed ({proc.returncode}): {stderr[-2000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(seconds=sum(result["phases"].values()), wall=wall,
                  peak=max(peak, result["vmhwm"]))
    for name in ("floor.ttl", "floor.nq"):
        (work / name).unlink()
    return result


def measure(n: int, work: Path, limit: float | None = None) -> dict:
    """The real build of n real-municipality texts and its floor, in `work` (a temporary directory)."""
    sources = write_sources(n, work / "sources")
    out = work / "dist"
    result = {"n": n, "build": run_build(sources, out, limit)}
    if "timed_out" not in result["build"]:
        result["nt_bytes"] = (out / "kyoyaku.nt").stat().st_size
        result["floor"] = run_floor(out / "kyoyaku.nt", work)
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["--floor"]:
        floor_child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit("run by benchmarks/national.py (--real-sizes, --real-only); see its --help")
