"""Benchmark: no regular expression of the parser is super-linear — 1 MB pathological lines.

    .venv/bin/python benchmarks/patterns.py            # every pattern × every shape, then the parser; ~5 min
    .venv/bin/python benchmarks/patterns.py --quick    # 1/16 of the sizes, a first look in seconds

Each pathological line (benchmarks/fuzz.py PATHOLOGICAL_LINES: repeated spaces, digits, 第, kanji
numerals, unclosed brackets …, all SYNTHETIC) is fed at 0.25, 0.5 and 1 M characters (≥ 1 MB in
UTF-8) to every pattern the parser applies to a line, the way the parser applies it (search, match,
split, sub …); then to the parser as a whole (`parse_bytes` with the line limit raised, since at the
default 100,000 characters it refuses such a line at once): the line alone, inside the seed's
preamble sentence, and inside a synthetic document extracted as one line (tests/fixtures/family/
layout-one-line.txt), which takes the run-on path of kyoyaku.text.layout. Last, documents of many short
lines: the seed with one kind of line repeated (rows, items, articles, wrapped lines …).

Times are CPU times of this process (time.process_time), best of 3 (2 for the parser), so other
work on the machine does not count; a case that looks super-linear is measured again, best of 7.
Reported per case: the log-log slope of time against size
(1 = linear, 2 = quadratic), the time per M characters, and that time as a ratio to the time to
parse the seed once, measured in the same run. Before the big sizes every case is probed at 16 and
32 k characters; one that would take longer than --budget seconds at 1 M is reported from the probe
(slope and extrapolation) instead. Exit 1 when a slope is above --max-slope for a case that takes
more than 1 ms per M characters.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fuzz import FIXTURES, PATHOLOGICAL_LINES, SEED, machine, pathological_line

from kyoyaku.text import (
    appendix,
    articles,
    closing,
    dates,
    front,
    header,
    layout,
    municipalities,
    outline,
    parse,
    patterns,
)

# (name, pattern, how the parser applies it)
PATTERNS: list[tuple[str, re.Pattern, str]] = [
    ("dates.ERA_DATE", dates.ERA_DATE, "search"),
    ("dates.ERA_DATE", dates.ERA_DATE, "sub"),  # layout.split_run_on closes a date up
    *[(f"layout.{name}", getattr(layout, name), how) for name, how in [
        ("PAGE_NUMBER", "match"), ("BREADCRUMB", "findall"), ("SPACED_OUT", "sub"), ("SPACED_CELL", "fullmatch"),
        ("RUN_ON_ARTICLE", "findall"), ("RUN_ON_APPENDIX", "split"), ("TABLE_COLUMN", "match"),
        ("SENTENCE_END", "split"), ("A_SPACE", "sub"), ("A_SPACE_RUN", "split"), ("MAYOR", "search"),
        ("NEXT_SENTENCE", "search"), ("TRAILING_PAGE_NUMBER", "sub"), ("INLINE_PAGE_NUMBER", "sub"),
        ("BREADCRUMB_RUN", "sub"), ("SPACE_IN_BRACKETS", "sub"), ("HEADING_THEN_ARTICLE", "sub"),
        ("APPENDIX_START", "search"), ("APPENDIX_FIRST", "match"), ("HEADING_OF_APPENDIX", "match"),
        ("RUNNING_HEAD", "match"), ("RUNNING_HEAD_FIRST", "sub"), ("STARTS_ITEM", "match"),
        ("TITLE_ENDING", "search"), ("WHOLE_HEADING", "match"), ("HEADING_HEAD", "match"),
        ("HEADING_TAIL", "match"), ("HEADING_MIDDLE", "match"), ("GLUED_TO_NEXT", "match"),
        ("ARTICLE_CLOSED_UP", "sub"), ("OUTLINE_BREAK", "split"), ("SECTION_NUMBER", "match"),
    ]],
    *[(f"{module.__name__.rsplit('.', 1)[-1]}.{name}", getattr(module, name), how) for module, name, how in [
        (header, "PARTY_DEFINITION", "finditer"), (header, "AREA_DEFINITION", "search"),
        (header, "AREA_LEAD_IN", "sub"), (municipalities, "NAME_CONNECTIVE", "sub"), (header, "LEGAL_BASIS", "search"),
        (header, "TEIJU_BASIS", "search"), (header, "TITLE_PARTIES", "match"), (header, "SUBJECT", "match"),
        (front, "BILL_NUMBER", "match"), (front, "TITLE", "match"), (front, "NOTICE", "search"),
        (front, "HEADER_MARK", "search"), (front, "TITLE_DATE_ALONE", "match"), (front, "BILL_TITLE", "match"),
        (patterns, "NAME_SPLIT", "split"), (patterns, "ARTICLE", "match"), (patterns, "HEADING", "match"),
        (patterns, "HEADING_HALF", "match"), (patterns, "NUMBERED", "match"), (appendix, "PAREN_NUMBERED", "match"),
        (patterns, "APPENDIX", "match"), (closing, "SIGNATORY_PARTY", "match"), (patterns, "CLOSING", "search"),
        (closing, "CORE_CITY_DECLARATION", "search"), (articles, "LAPSE", "search"),
        (closing, "COUNCIL_RESOLUTION", "search"), (closing, "CLOSING_END", "search"), (closing, "COLUMN_GAP", "split"),
        (articles, "ITEM_LABEL", "match"), (articles, "ITEM_MARK", "sub"),
        (outline, "LABEL", "match"), (outline, "CONTENT", "match"), (outline, "ROLE", "match"),
        (outline, "ROLES_GROUP", "fullmatch"), (outline, "VIEWPOINT", "fullmatch"), (outline, "SPACE_RUN", "finditer"),
    ]],
]
APPLY = {
    "search": lambda p, s: p.search(s),
    "match": lambda p, s: p.match(s),
    "fullmatch": lambda p, s: p.fullmatch(s),
    "findall": lambda p, s: p.findall(s),
    "finditer": lambda p, s: list(p.finditer(s)),
    "split": lambda p, s: p.split(s),
    "sub": lambda p, s: p.sub("\n", s),
}
SEED_TEXT = SEED.read_text(encoding="utf-8")
ONE_LINE = (FIXTURES / "family" / "layout-one-line.txt").read_text(encoding="utf-8")
PREAMBLE_AT = SEED_TEXT.index("とは、") + len("とは、")
ONE_LINE_AT = ONE_LINE.index("第1条 ") + len("第1条 ")
DOCUMENTS = {
    "alone": lambda line: line,
    "in the preamble": lambda line: SEED_TEXT[:PREAMBLE_AT] + line + SEED_TEXT[PREAMBLE_AT:],
    "in a one-line document": lambda line: ONE_LINE[:ONE_LINE_AT] + line + ONE_LINE[ONE_LINE_AT:],
}
NO_LIMIT = 10**9
SEED_LINES = SEED_TEXT.split("\n")
ARTICLE_1 = next(i for i, l in enumerate(SEED_LINES) if l.startswith("第1条"))
PREAMBLE = next(i for i, l in enumerate(SEED_LINES) if "（以下「甲」" in l)
SIGNATURES = next(i for i, l in enumerate(SEED_LINES) if l == "令和4年2月21日") + 1
INLINE_ROLES = (FIXTURES / "family" / "roles-inline-a-b-i-ii.txt").read_text(encoding="utf-8").split("\n")
INLINE_FIELD = INLINE_ROLES.index("ア 産業振興")


def repeated(lines: list[str], at: int, unit: list[str], n: int) -> str:
    """`lines` with `unit` repeated at line `at` until the text has about `n` characters."""
    base = sum(len(l) + 1 for l in lines)
    count = max(1, (n - base) // sum(len(l) + 1 for l in unit))
    return "\n".join(lines[:at] + unit * count + lines[at:])


# Documents of many short lines: the seed (or a synthetic family text) with one kind of line repeated.
MANY_LINES = {
    "table rows": lambda n: repeated(SEED_LINES, len(SEED_LINES), [l for l in SEED_LINES if l.count("\t") == 3][1:3], n),
    "items (1) / ア / (ア)": lambda n: repeated(SEED_LINES, ARTICLE_1 + 1, ["(1) 項目", "ア 細目", "(ア) 小項目"], n),
    "items of one kind": lambda n: repeated(SEED_LINES, ARTICLE_1 + 1, ["ア 細目"], n),
    "paragraphs": lambda n: repeated(SEED_LINES, ARTICLE_1 + 1, ["2 甲及び乙は、協議する。"], n),
    "articles": lambda n: repeated(SEED_LINES, ARTICLE_1, ["（目的）", "第1条 この連携協約は、目的とする。"], n),
    "wrapped lines": lambda n: repeated(SEED_LINES, ARTICLE_1 + 1, ["文が続き"], n),
    "party definitions": lambda n: repeated(SEED_LINES, PREAMBLE, ["小美玉市（以下「乙」という。）と"], n),
    "signature lines": lambda n: repeated(SEED_LINES, SIGNATURES, ["甲 水戸市", "水戸市長 山田 太郎"], n),
    "party definitions and signature lines": lambda n: repeated(
        repeated(SEED_LINES, SIGNATURES, ["山田 太郎"], n // 2).split("\n"), PREAMBLE, ["架空市（以下「丙」という。）と"], n),
    "page numbers and heads": lambda n: repeated(SEED_LINES, ARTICLE_1 + 1, ["- 1 -", "連携協約書", "本文"], n),
    "unknown lines": lambda n: repeated(SEED_LINES, len(SEED_LINES), ["ここは読めない行"], n),
    "inline roles": lambda n: repeated(INLINE_ROLES, INLINE_FIELD, INLINE_ROLES[INLINE_FIELD:INLINE_FIELD + 9], n),
    "wrapped inline role": lambda n: repeated(INLINE_ROLES, INLINE_ROLES.index("i 甲の役割") + 1, ["文が続き"], n),
}


def best_time(function, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.process_time()  # CPU time: other processes on the machine do not count
        function()
        best = min(best, time.process_time() - start)
    return best


def slope(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) against log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(t, 1e-9)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def parse_document(text: str) -> None:
    from kyoyaku.errors import InputError

    try:
        parse.parse_bytes(text.encode("utf-8"), name="pathological.txt", max_bytes=NO_LIMIT, max_line_chars=NO_LIMIT)
    except InputError:
        pass  # refusing the document is fine: the time to do so is what counts


def measure(make_input, run, sizes: list[int], probe: list[int], budget: float, repeat: int) -> dict:
    """Times of `run(make_input(n))` (the input made beforehand) at the probe sizes, then at `sizes`
    unless extrapolated over `budget`."""

    def timed(n: int) -> float:
        made = make_input(n)
        return best_time(lambda: run(made), repeat)

    probe_times = [timed(n) for n in probe]
    probe_slope = max(1.0, slope(probe, probe_times))
    predicted = probe_times[-1] * (sizes[-1] / probe[-1]) ** probe_slope
    if predicted > budget:
        return {"sizes": probe, "times": probe_times, "slope": slope(probe, probe_times), "skipped": predicted}
    times = [timed(n) for n in sizes]
    return {"sizes": sizes, "times": times, "slope": slope(sizes, times), "skipped": None}


def per_mb(result: dict) -> float:
    """Seconds per million characters at the largest size measured."""
    return result["times"][-1] / (result["sizes"][-1] / 1e6)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="sizes 1/16 of the full run")
    p.add_argument("--budget", type=float, default=20.0, help="skip a case predicted to take longer at the "
                                                              "largest size (seconds, default 20)")
    p.add_argument("--max-slope", type=float, default=1.25, help="highest slope accepted as linear (default 1.25)")
    p.add_argument("--patterns-only", action="store_true", help="leave out the parser as a whole")
    args = p.parse_args()
    scale = 16 if args.quick else 1
    sizes = [250_000 // scale, 500_000 // scale, 1_000_000 // scale]
    probe = [16_000 // scale, 32_000 // scale]

    seed_bytes = SEED.read_bytes()
    seed_parse = best_time(lambda: parse.parse_bytes(seed_bytes, name=SEED.name), 20)
    print(f"# Regular expressions on pathological lines\n\nMachine: {machine()}.\nBaseline: parsing the seed "
          f"({len(seed_bytes):,} bytes) takes {seed_parse * 1000:.2f} ms. Sizes: {', '.join(f'{s:,}' for s in sizes)} "
          f"characters.\n")
    failures = []

    def suspect(result: dict) -> bool:
        return result["slope"] > args.max_slope and per_mb(result) * 1000 >= 1

    def measured(make_input, run, repeat: int) -> dict:
        """A super-linear-looking case is measured again, best of 7: a busy moment is not a slope."""
        result = measure(make_input, run, sizes, probe, args.budget, repeat)
        return measure(make_input, run, sizes, probe, args.budget, 7) if suspect(result) else result

    def row(label: str, shape: str, result: dict) -> str:
        ms = per_mb(result) * 1000
        verdict = "SUPER-LINEAR" if suspect(result) else "linear"
        if verdict != "linear":
            failures.append((label, shape))
        note = f" (from {result['sizes'][-1]:,}; ≈{result['skipped']:.0f} s at 1 M)" if result["skipped"] else ""
        return (f"| {label} | {shape} | {result['slope']:.2f} | {ms:,.1f}{note} | {per_mb(result) / seed_parse:,.1f} "
                f"| {verdict} |")

    header = ("| {what} | shape | slope | ms per M characters | × seed parse | verdict |\n"
              "| --- | --- | ---: | ---: | ---: | --- |")
    print("## Each pattern\n\nEvery pattern on every shape; the table lists, per pattern, its slowest shape "
          "(the highest time per M characters) and any shape with a super-linear slope.\n")
    print(header.format(what="pattern"))
    for name, pattern, how in PATTERNS:
        results = {}
        for shape in PATHOLOGICAL_LINES:
            results[shape] = measured(partial(pathological_line, shape), partial(APPLY[how], pattern), 3)
        worst = max(results, key=lambda s: per_mb(results[s]))
        shown = {worst} | {s for s, r in results.items() if suspect(r)}
        for shape in sorted(shown, key=list(PATHOLOGICAL_LINES).index):
            print(row(f"{name} ({how})", shape, results[shape]), flush=True)
    if not args.patterns_only:
        print("\n## The parser as a whole\n\n`parse_bytes` with the limits raised, per shape and place of the "
              "line.\n")
        print(header.format(what="document"))
        for where, document in DOCUMENTS.items():
            for shape in PATHOLOGICAL_LINES:
                result = measured(lambda n, shape=shape, document=document: document(pathological_line(shape, n)),
                                  parse_document, 2)
                print(row(f"parse_bytes, {where}", shape, result), flush=True)
        print("\n## Many lines\n\n`parse_bytes` on the seed (or, for the inline roles, the synthetic "
              "tests/fixtures/family/roles-inline-a-b-i-ii.txt) with one kind of line repeated.\n")
        print(header.format(what="document"))
        for shape, document in MANY_LINES.items():
            result = measured(document, parse_document, 2)
            print(row("parse_bytes, many lines", shape, result), flush=True)
    print(f"\n{len(failures)} super-linear case(s)" + (": " + "; ".join(f"{a} on {b}" for a, b in failures)
                                                        if failures else "."))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
