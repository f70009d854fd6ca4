"""Benchmark: the gzip level of the published dumps (kyoyaku.publish.site.write_gzip), measured as
compression time and size at each level, on the shipped data's dumps and on 1,000 SYNTHETIC
agreements' N-Triples and Turtle.

    .venv/bin/python benchmarks/gzip_level.py [DIST]      (DIST: a built dist/, default dist)

The level pays when a level up saves bytes worth its time: the table gives each level's time as a
ratio to level 6 (the floor measured in the same run) and its size as a share of level 6's. Results:
docs/benchmarks.md ("Gzip level")."""

from __future__ import annotations

import gzip
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import pyoxigraph
import synthetic

LEVELS = (1, 3, 6, 9)


def measure(data: bytes, level: int, repeat: int = 3) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(gzip.compress(data, compresslevel=level, mtime=0))
        best = min(best, time.perf_counter() - started)
    return best, size


def main(dist: Path) -> None:
    files: dict[str, bytes] = {f"shipped {p.name}": p.read_bytes()
                               for p in sorted(dist.glob("kyoyaku.*")) if p.suffix != ".gz"}
    with tempfile.TemporaryDirectory() as folder:
        nt = Path(folder) / "synthetic.nt"
        synthetic.write_ntriples(1000, nt)
        store = pyoxigraph.Store()
        store.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
        files["1,000 synthetic .nt"] = nt.read_bytes()
        files["1,000 synthetic .ttl"] = store.dump(format=pyoxigraph.RdfFormat.TURTLE, from_graph=pyoxigraph.DefaultGraph())
    print("| file | MB | " + " | ".join(f"level {lv}: s (× 6), size (× 6)" for lv in LEVELS) + " |")
    print("|---|---:|" + "---:|" * len(LEVELS))
    for name, data in files.items():
        results = {level: measure(data, level) for level in LEVELS}
        floor_time, floor_size = results[6]
        cells = [f"{t:.3f} ({t / floor_time:.2f}), {s / 1e6:.2f} MB ({s / floor_size:.3f})" for t, s in results.values()]
        print(f"| {name} | {len(data) / 1e6:.1f} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist")
