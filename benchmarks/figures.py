"""Benchmark: the report's figures (kyoyaku.publish.report → publish.figures, publish.registry_figures),
each drawn and written (PNG + SVG) on the shipped data and on 1,000 SYNTHETIC agreements
(benchmarks/synthetic.py), as a ratio to the floor: an empty figure of the same size written the same
way (figures.save), measured in the same run.

    .venv/bin/python benchmarks/figures.py [DIST]      (DIST: a built dist/, default dist)

Each figure is timed from the rows of its query to both files written (the queries are not counted).
As the build draws them (report.draw_figures): the five together on min(2, CPU count) worker
processes forked from this one, first once in a fresh process (fonts and matplotlib's caches warm up
in each worker), then best of 3; the CPU time is this process's and its workers' together. Then each
figure in this process (workers=1), the five once in order, then each figure's best of 3: what a
figure costs alone. Beside each wall time the CPU time, which other work on the machine changes far
less. Targets (issue 19): every figure ≤ 1 s at any scale, the shipped data's build spending < 1 s in
figures. Results: docs/benchmarks.md ("Figures")."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic

from kyoyaku.publish import figures, registry_figures, report
from kyoyaku.sparql.query import find_query, run
from kyoyaku.sparql.store import open_store

# (file stem, draw from the query's rows, query, the figure's fixed size)
FIGURES = [
    ("coverage", report.coverage_figure, "coverage-matrix", figures.COVERAGE_SIZE),
    ("areas", report.area_figure, "area-agreements", figures.AREAS_SIZE),
    ("agreements-per-year", report.per_year_figure, "agreements-per-year", registry_figures.PER_YEAR_SIZE),
    ("area-sizes", report.sizes_figure, "area-sizes", registry_figures.SIZES_SIZE),
    ("area-growth", report.growth_figure, "area-growth", registry_figures.GROWTH_SIZE),
]


def floor(size: tuple[float, float], out: Path) -> float:
    """An empty figure of `size` (one blank axes) written as PNG + SVG the way every figure is."""
    import matplotlib
    from matplotlib.figure import Figure

    started = time.perf_counter()
    with matplotlib.rc_context(figures.RC):
        fig = Figure(figsize=size)
        fig.add_axes((0.1, 0.1, 0.8, 0.8))
        figures.save(fig, out)
    return time.perf_counter() - started


def measure(data: Path, out: Path) -> tuple[dict[str, tuple], tuple]:
    """({stem: ((once wall, CPU), (best of 3 wall, CPU), floor best of 3 wall)} drawn in this process,
    ((once wall, CPU), (best of 3 wall, CPU)) of the five as the build draws them) in seconds."""
    store = open_store([data])
    tables = {query: run(store, find_query(query)) for _, _, query, _ in FIGURES}
    tasks = [(draw, tables[query], out / stem) for stem, draw, query, _ in FIGURES]
    # as the build draws them, first while nothing is drawn yet in this process (its workers fork from it)
    built = [_timed(lambda: report.draw_figures(tasks)) for _ in range(4)]
    # in this process, in the build's order, each once
    once = {stem: _timed(lambda: draw(tables[query], out / stem)) for stem, draw, query, _ in FIGURES}  # noqa: B023
    results = {}
    for stem, draw, query, size in FIGURES:
        best = min(_timed(lambda: draw(tables[query], out / stem)) for _ in range(3))  # noqa: B023
        empty = min(floor(size, out / f"empty-{stem}") for _ in range(3))
        results[stem] = (once[stem], best, empty)
    return results, (built[0], min(built[1:]))


def _timed(work) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and of its children ended meanwhile) of work()."""
    started, cpu = time.perf_counter(), _cpu()
    work()
    return time.perf_counter() - started, _cpu() - cpu


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main(dist: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        nt = work / "synthetic.nt"
        synthetic.write_ntriples(1000, nt)
        runs = {"shipped data": dist / "kyoyaku.ttl", "1,000 synthetic": nt}
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        measured = {}
        for name, data in runs.items():
            (work / name).mkdir()
            measured[name] = measure(data, work / name)
        print(f"\nThe five figures as the build draws them, on {min(2, os.cpu_count() or 1)} worker processes "
              "(CPU: this process and its workers):\n")
        print("| data | once, s (CPU) | best of 3, s (CPU) | floor (five empty figures), s | × floor |")
        print("|---|---:|---:|---:|---:|")
        for name, (results, ((once, once_cpu), (best, best_cpu))) in measured.items():
            empty = sum(r[2] for r in results.values())
            print(f"| {name} | {once:.3f} ({once_cpu:.3f}) | {best:.3f} ({best_cpu:.3f}) | {empty:.3f} | {best / empty:.1f} |")
        print("\nEach figure drawn in this process:\n")
        print("| data | figure | once, s (CPU) | best of 3, s (CPU) | floor (empty figure), s | × floor |")
        print("|---|---|---:|---:|---:|---:|")
        for name, (results, _) in measured.items():
            rows = [*results.items(), ("**all five**", tuple(
                tuple(map(sum, zip(*(r[i] for r in results.values())))) if i < 2 else sum(r[2] for r in results.values())
                for i in range(3)))]
            for stem, ((once, once_cpu), (best, best_cpu), empty) in rows:
                print(f"| {name} | {stem} | {once:.3f} ({once_cpu:.3f}) | {best:.3f} ({best_cpu:.3f}) | {empty:.3f} | "
                      f"{best / empty:.1f} |", flush=True)
        print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist")
