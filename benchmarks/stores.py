"""Benchmark: rdflib against embedded Oxigraph (pyoxigraph) on SYNTHETIC data shaped like the seed.

The data are synthetic. The seed agreement (data/sources/mito-omitama-2022-02-21.txt, converted by
kyoyaku.text.parse + kyoyaku.graph.mapping.to_graph) is copied N times; in copy i the agreement IRI and every IRI
under it (articles, annex rows, parties, role statements, the source file …) is rewritten from
https://w3id.org/kyoyaku/agreement/082015-082368/2022-02-21 to https://example.org/synthetic/agreement/i.
Municipalities, the area, the law and concepts stay shared, as they would be in real data. Each
size is written to a temporary Turtle file. The numbers say how the two stores scale on data of
this shape; they are not measurements of any real corpus.

For each size (--sizes, default 100 and 1000 agreements, plus --small, default 10, where rdflib can
still finish the queries), best of --repeat runs (a case is not repeated once its runs have taken
--budget seconds):

  parse      (in this process) the Turtle file into an rdflib Graph (kyoyaku.sparql.store.load) and into
             an in-memory Oxigraph store (kyoyaku.sparql.store.open_store(..., with_reference=False));
  queries    (one child process per engine and query, which loads the data first, untimed) the
             shipped `leadership-balance` (GROUP BY, sub-select, property path) and
             `keyword-search` with keyword=観光 (UNION, FILTER CONTAINS), the same text on both:
             rdflib Graph.query with the rows materialised, Oxigraph kyoyaku.sparql.query.run. A query
             whose first run takes longer than --limit seconds is stopped, reported as "> limit",
             and not run at the larger sizes. Both engines must return the same number of rows;
  on disk    (in this process) kyoyaku.sparql.store.save_store once (what `kyoyaku build --store` does;
             the store also holds the shipped ontology and concept schemes), then
             kyoyaku.sparql.store.read_store (reopen read-only, no parsing) against parsing the Turtle,
             and the reopened store answering leadership-balance;
  pitfalls   (in this process, Oxigraph only, sizes up to 300) two query shapes written two ways
             with the same rows: "lacking X" as FILTER NOT EXISTS against MINUS, and an OPTIONAL
             placed before against after a required pattern of its group.

With --memory, each case also runs in a child process of its own and its peak resident set size
(VmHWM from /proc/self/status, which — unlike tracemalloc — sees Oxigraph's Rust allocations; not
ru_maxrss, which in a child keeps the high-water mark of the parent it was forked from) is
reported next to a child that only imports the libraries.

    .venv/bin/python benchmarks/stores.py                # sizes 10, 100, 1000; best of 3; ~4 min on 2 CPUs
    .venv/bin/python benchmarks/stores.py --memory       # and peak memory (~1 min more)
    .venv/bin/python benchmarks/stores.py --sizes 100 300 --small --limit 60
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "mito-omitama-2022-02-21.txt"
SEED_AGREEMENT = "https://w3id.org/kyoyaku/agreement/082015-082368/2022-02-21"
SYNTHETIC = "https://example.org/synthetic/agreement/"
PLACEHOLDER = SYNTHETIC + "__COPY__"
KEYWORD = "観光"


# --- synthetic data ------------------------------------------------------------------------------

def seed_turtle() -> tuple[list[str], str, str]:
    """The seed graph as Turtle: its @prefix lines, the shared part (no IRI under the agreement)
    and the per-agreement part with the agreement IRI replaced by a placeholder."""
    from rdflib import URIRef

    from kyoyaku.graph.mapping import new_graph, to_graph
    from kyoyaku.text.parse import parse_file

    seed = to_graph(parse_file(SEED))
    shared, copy = new_graph(), new_graph()

    def rewrite(term):
        if isinstance(term, URIRef) and str(term).startswith(SEED_AGREEMENT):
            return URIRef(PLACEHOLDER + str(term)[len(SEED_AGREEMENT):])
        return term

    for triple in seed:
        moved = tuple(rewrite(t) for t in triple)
        (copy if moved != triple else shared).add(moved)
    prefixes: list[str] = []
    bodies = []
    for graph in (shared, copy):
        lines = graph.serialize(format="turtle").splitlines()
        prefixes += [line for line in lines if line.startswith("@prefix") and line not in prefixes]
        bodies.append("\n".join(line for line in lines if not line.startswith("@prefix")))
    assert SEED_AGREEMENT not in bodies[1], "an agreement IRI escaped the rewrite"
    return prefixes, bodies[0], bodies[1]


def write_synthetic(n: int, path: Path, seed: tuple[list[str], str, str]) -> None:
    prefixes, shared, copy = seed
    with path.open("w", encoding="utf-8") as out:
        out.write("# SYNTHETIC data for benchmarks/stores.py: the seed agreement copied "
                  f"{n} times under {SYNTHETIC}\n")
        out.write("\n".join(prefixes) + "\n\n" + shared + "\n")
        for i in range(1, n + 1):
            out.write(copy.replace(PLACEHOLDER, f"{SYNTHETIC}{i}") + "\n")


# --- measurement -----------------------------------------------------------------------------------

def best(fn, repeat: int, budget: float):
    """(best seconds, runs, last result) of calling fn up to `repeat` times within `budget` s."""
    times, result = [], None
    while len(times) < repeat and (not times or sum(times) < budget):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), len(times), result


def measure(n: int, ttl: Path, work: Path, repeat: int, budget: float) -> dict:
    """Parsing and the on-disk store, in this process."""
    from kyoyaku.sparql.query import find_query, run
    from kyoyaku.sparql.store import load, open_store, read_store, save_store

    leadership = find_query("leadership-balance")
    r: dict = {"n": n, "mb": ttl.stat().st_size / 1e6}
    r["parse_rdflib"], r["parse_rdflib_runs"], graph = best(lambda: load([ttl]), repeat, budget)
    r["triples"] = len(graph)
    del graph
    r["parse_ox"], r["parse_ox_runs"], store = best(lambda: open_store([ttl], with_reference=False),
                                                    repeat, budget)
    assert len(store) == r["triples"], (len(store), r["triples"])
    del store
    gc.collect()

    location = work / f"store-{n}"
    start = time.perf_counter()
    save_store([ttl], location)
    r["save"] = time.perf_counter() - start
    r["disk_mb"] = sum(f.stat().st_size for f in location.rglob("*") if f.is_file()) / 1e6

    r["reopen"], r["reopen_runs"], _ = best(lambda: read_store(location), repeat, budget)
    r["reopen_leadership"], r["reopen_leadership_runs"], table = best(
        lambda: run(read_store(location), leadership), repeat, budget)
    r["reopen_leadership_rows"] = len(table.rows)
    return r


QUERIES = {"leadership": ("leadership-balance", {}), "keyword": ("keyword-search", {"keyword": KEYWORD})}
ENGINES = ("rdflib", "ox")


def query_child(engine: str, key: str, ttl: Path, repeat: int, budget: float) -> None:
    """Load the file, then run one query and print each run's time: `run SECONDS ROWS`."""
    from kyoyaku.sparql.query import bind, find_query, run
    from kyoyaku.sparql.store import load, open_store

    name, values = QUERIES[key]
    query = find_query(name)
    if engine == "rdflib":
        graph, text = load([ttl]), bind(query, values)
        once = lambda: len(list(graph.query(text)))
    else:
        store = open_store([ttl], with_reference=False)
        once = lambda: len(run(store, query, values).rows)
    print("loaded", flush=True)
    times: list[float] = []
    while len(times) < repeat and (not times or sum(times) < budget):
        gc.collect()
        start = time.perf_counter()
        rows = once()
        times.append(time.perf_counter() - start)
        print("run", times[-1], rows, flush=True)


def time_query(engine: str, key: str, ttl: Path, repeat: int, budget: float, limit: float) -> dict:
    """Run query_child in a child process; stop it if its first run takes more than `limit` s.
    {"seconds": best, "runs": k, "rows": r} or {"stopped": limit}."""
    import queue
    import threading

    child = subprocess.Popen([sys.executable, __file__, "--child-query", engine, key, str(ttl),
                              str(repeat), str(budget)], stdout=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in child.stdout] + [lines.put(None)],
                     daemon=True).start()
    assert lines.get() == "loaded\n", "the child could not load the data"
    runs: list[tuple[float, int]] = []
    try:
        while (line := lines.get(timeout=None if runs else limit)) is not None:
            _, seconds, rows = line.split()
            runs.append((float(seconds), int(rows)))
    except queue.Empty:
        child.kill()
        child.wait()
        return {"stopped": limit}
    if child.wait() != 0:
        raise RuntimeError(f"{engine} {key} failed")
    return {"seconds": min(s for s, _ in runs), "runs": len(runs), "rows": runs[-1][1]}


def measure_queries(sizes: list[int], files: dict[int, Path], repeat: int, budget: float,
                    limit: float) -> dict[tuple[int, str, str], dict]:
    """Each query on each engine in a child process; once a case is stopped at a size, it is not
    run at the larger sizes."""
    out: dict[tuple[int, str, str], dict] = {}
    stopped: dict[tuple[str, str], int] = {}
    for n in sizes:
        for key in QUERIES:
            for engine in ENGINES:
                if (engine, key) in stopped:
                    out[n, engine, key] = {"skipped": stopped[engine, key]}
                    continue
                print(f"size {n}: {engine} {QUERIES[key][0]} …", file=sys.stderr, flush=True)
                out[n, engine, key] = result = time_query(engine, key, files[n], repeat, budget, limit)
                if "stopped" in result:
                    stopped[engine, key] = n
            a, b = out[n, "rdflib", key], out[n, "ox", key]
            if "rows" in a and "rows" in b:
                assert a["rows"] == b["rows"], (n, key, a["rows"], b["rows"])
    return out


# --- Oxigraph pitfalls: two ways to write the same query ------------------------------------------

PITFALL_PREFIXES = "PREFIX kyo: <https://w3id.org/kyoyaku/ns#>\nPREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
PITFALL_MAX_SIZE = 300  # the slow forms grow quadratically: not run on larger data sets
LEADS_NOTHING = ("SELECT ?agreement ?party WHERE {{ ?agreement kyo:hasParty ?party . {} {{ ?statement kyo:party ?party ; "
                 "kyo:leads true . ?initiative kyo:roleStatement ?statement ; eli:is_part_of+ ?agreement . }} }}")
ROLE_LINES = ("SELECT ?initiative ?text ?line ?order WHERE {{ ?initiative a kyo:Initiative ; eli:is_part_of+ ?agreement . "
              "?agreement a kyo:Agreement . ?initiative kyo:roleStatement ?role . ?role kyo:text ?text ; "
              "kyo:party ?party . {} }}")
OPTIONAL_LINE = "OPTIONAL { ?role kyo:sourceLine ?line . }"
PITFALLS = {  # shape: (slow form, form to use)
    "parties leading no row: FILTER NOT EXISTS / MINUS": (
        LEADS_NOTHING.format("FILTER NOT EXISTS"), LEADS_NOTHING.format("MINUS")),
    "role texts: OPTIONAL before / after a required pattern": (
        ROLE_LINES.format(OPTIONAL_LINE + " ?party kyo:order ?order ."),
        ROLE_LINES.format("?party kyo:order ?order . " + OPTIONAL_LINE)),
}


def measure_pitfalls(n: int, ttl: Path, repeat: int, budget: float) -> list[dict]:
    """Each pair on an in-memory Oxigraph store; both forms must give the same rows."""
    from kyoyaku.sparql.store import open_store

    store = open_store([ttl], with_reference=False)

    def rows(text: str) -> list:
        return sorted(tuple(str(t) for t in solution) for solution in store.query(PITFALL_PREFIXES + text))

    out = []
    for shape, (slow, good) in PITFALLS.items():
        slow_s, _, slow_rows = best(lambda: rows(slow), repeat, budget)  # noqa: B023 — called at once
        good_s, _, good_rows = best(lambda: rows(good), repeat, budget)  # noqa: B023
        assert slow_rows == good_rows, shape
        out.append({"n": n, "shape": shape, "rows": len(good_rows), "slow": slow_s, "good": good_s})
    return out


# --- peak memory, one child process per case -------------------------------------------------------

CASES = {
    "imports": "import the libraries only",
    "rdflib": "rdflib: parse",
    "oxigraph": "Oxigraph in memory: parse + leadership-balance",
    "reopen": "Oxigraph on disk: reopen + leadership-balance",
}


def memory_child(case: str, ttl: Path, location: Path) -> None:
    import pyoxigraph  # noqa: F401
    import rdflib  # noqa: F401

    from kyoyaku.sparql.query import find_query, run
    from kyoyaku.sparql.store import load, open_store, read_store

    leadership = find_query("leadership-balance")
    if case == "rdflib":
        load([ttl])
    elif case == "oxigraph":
        run(open_store([ttl], with_reference=False), leadership)
    elif case == "reopen":
        run(read_store(location), leadership)
    print(peak_rss_kib())


def peak_rss_kib() -> int:
    """This process's peak resident set size. VmHWM belongs to the process's own address space;
    ru_maxrss also keeps the high-water mark of the parent it was forked from."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS


def peak_memory(ttl: Path, location: Path) -> dict[str, float]:
    out = {}
    for case in CASES:
        done = subprocess.run([sys.executable, __file__, "--child-memory", case, str(ttl), str(location)],
                              check=True, capture_output=True, text=True)
        out[case] = int(done.stdout.split()[-1]) / 1024  # MiB
    return out


# --- report ---------------------------------------------------------------------------------------

def fmt(seconds: float) -> str:
    return f"{seconds:.4f}" if seconds < 0.1 else f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def cell(result: dict) -> str:
    if "seconds" in result:
        return fmt(result["seconds"])
    if "stopped" in result:
        return f"> {result['stopped']:g} (stopped)"
    return f"not run (stopped at {result['skipped']})"


def times(x: float) -> str:
    return f"{x:.1f}×" if x < 10 else f"{x:,.0f}×"


def ratio(a: dict, b: dict) -> str:
    if "seconds" in a and "seconds" in b:
        return times(a["seconds"] / b["seconds"])
    if "stopped" in a and "seconds" in b:
        return f"> {times(a['stopped'] / b['seconds'])}"
    return "—"


def report(results: list[dict], queries: dict, pitfalls: list[dict], memory: dict[int, dict[str, float]],
           args) -> str:
    lines = [
        "Synthetic data: the seed agreement copied N times under https://example.org/synthetic/agreement/N.",
        (f"Machine: {os.cpu_count()} CPUs ({platform.machine()}, {platform.system()}), Python {platform.python_version()}, "
         f"rdflib {version('rdflib')}, pyoxigraph {version('pyoxigraph')}, pySHACL {version('pyshacl')}."),
        (f"Best of up to {args.repeat} runs (not repeated once a case's runs took {args.budget:g} s); "
         f"a query whose first run takes over {args.limit:g} s is stopped. Times in seconds."),
        "",
        "| agreements | triples | Turtle MB | step | rows | rdflib s | Oxigraph s | rdflib / Oxigraph |",
        "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        n = r["n"]
        lines.append(f"| {n} | {r['triples']:,} | {r['mb']:.1f} | parse Turtle | | {fmt(r['parse_rdflib'])} | "
                     f"{fmt(r['parse_ox'])} | {times(r['parse_rdflib'] / r['parse_ox'])} |")
        for key, (name, values) in QUERIES.items():
            a, b = queries[n, "rdflib", key], queries[n, "ox", key]
            rows = a.get("rows", b.get("rows", ""))
            label = f"{name} ({', '.join(f'{k}={v}' for k, v in values.items())})" if values else name
            lines.append(f"| | | | query {label} | {rows} | {cell(a)} | {cell(b)} | {ratio(a, b)} |")
    lines += [
        "",
        "On disk (`kyoyaku build --store`, then `kyoyaku query --store`):",
        "",
        ("| agreements | save_store s | store MB | reopen s | parse (Oxigraph) / reopen | parse (rdflib) / reopen "
         "| reopen + leadership-balance s | parse (rdflib) + leadership-balance s |"),
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        a = queries[r["n"], "rdflib", "leadership"]
        rdflib_total = (fmt(r["parse_rdflib"] + a["seconds"]) if "seconds" in a
                        else f"> {fmt(r['parse_rdflib'] + a['stopped'])}" if "stopped" in a else "—")
        lines.append(
            f"| {r['n']} | {fmt(r['save'])} | {r['disk_mb']:.1f} | {fmt(r['reopen'])} | "
            f"{times(r['parse_ox'] / r['reopen'])} | {times(r['parse_rdflib'] / r['reopen'])} | "
            f"{fmt(r['reopen_leadership'])} | {rdflib_total} |")
    if pitfalls:
        lines += ["", f"Oxigraph only, the same rows written two ways (data sets up to {PITFALL_MAX_SIZE} agreements):",
                  "",
                  "| agreements | query | rows | first form s | second form s | first / second |",
                  "| ---: | --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| {p['n']} | {p['shape']} | {p['rows']} | {fmt(p['slow'])} | {fmt(p['good'])} | "
                  f"{times(p['slow'] / p['good'])} |" for p in pitfalls]
    if memory:
        lines += ["", "Peak resident memory (VmHWM of one child process per case, MiB):", "",
                  "| agreements | " + " | ".join(CASES.values()) + " |",
                  "| ---: |" + " ---: |" * len(CASES)]
        for n, m in memory.items():
            lines.append(f"| {n} | " + " | ".join(f"{m[c]:.0f}" for c in CASES) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="agreements per data set (default 100 1000)")
    parser.add_argument("--small", type=int, nargs="*", default=[10],
                        help="extra small sizes, measured the same way, at which rdflib still finishes the "
                             "queries (default 10; give none to skip)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds after which a case is not repeated (default 20)")
    parser.add_argument("--limit", type=float, default=30.0,
                        help="stop a query whose first run takes longer (seconds, default 30)")
    parser.add_argument("--memory", action="store_true", help="also measure peak memory, one process per case")
    parser.add_argument("--child-memory", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-query", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.child_memory:
        memory_child(args.child_memory[0], Path(args.child_memory[1]), Path(args.child_memory[2]))
        return
    if args.child_query:
        engine, key, ttl, repeat, budget = args.child_query
        query_child(engine, key, Path(ttl), int(repeat), float(budget))
        return

    sizes = sorted(set(args.small + args.sizes))
    seed = seed_turtle()
    results, pitfalls, memory = [], [], {}
    with tempfile.TemporaryDirectory(prefix="kyoyaku-bench-") as tmp:
        work = Path(tmp)
        files = {}
        for n in sizes:
            files[n] = work / f"synthetic-{n}.ttl"
            write_synthetic(n, files[n], seed)
            print(f"size {n}: parse, on disk …", file=sys.stderr, flush=True)
            results.append(measure(n, files[n], work, args.repeat, args.budget))
            if n <= PITFALL_MAX_SIZE:
                pitfalls += measure_pitfalls(n, files[n], args.repeat, args.budget)
            if args.memory:
                print(f"size {n}: memory …", file=sys.stderr, flush=True)
                memory[n] = peak_memory(files[n], work / f"store-{n}")
        queries = measure_queries(sizes, files, args.repeat, args.budget, args.limit)
    for r in results:
        lead = queries[r["n"], "ox", "leadership"]
        assert "rows" not in lead or lead["rows"] == r["reopen_leadership_rows"]
    print(report(results, queries, pitfalls, memory, args))


if __name__ == "__main__":
    main()
