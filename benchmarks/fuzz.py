"""Fuzz the parser: for ANY bytes, kyoyaku.text.parse returns an Agreement or raises kyoyaku's own error.

    .venv/bin/python benchmarks/fuzz.py --examples 100000 --jobs 2 --atheris-runs 200000 --seed 20261124
                                                      # the long run of docs/fuzzing.md: ~9 min on 2 CPUs
    .venv/bin/python benchmarks/fuzz.py --examples 2000 --strategies bytes_mutated   # one strategy

The invariant (`check`): `parse_bytes(data)` returns an Agreement whose JSON view (`to_dict`, as
`kyoyaku parse` prints it) can be built and dumped, or raises a `kyoyaku.errors.KyoyakuError`
(an InputError must name the file). Any other exception is a crash. Every `--cli-every`-th input is
also written to a file and run through `kyoyaku parse FILE` in-process (`kyoyaku.cli.main`): exit 0
or 1 when it parses, 2 when it is refused, never a traceback. The layout and date helpers the parser
calls are fuzzed directly too (`check_helpers`): they must not raise at all.

Strategies (hypothesis; all inputs are SYNTHETIC — generated or mutated, never published):

  seed_like       the real seed and the synthetic texts of tests/fixtures (family, corpus), line by
                  line: lines dropped, repeated, swapped, cut, edited, or replaced by generated
                  agreement lines (articles with odd numerals, era dates 令和/平成 with odd values,
                  party definitions, table rows, inline roles, signatures …); then encoded as UTF-8,
                  UTF-8 with BOM or Shift_JIS, with LF, CRLF, CR or mixed line ends
  generated       documents of generated agreement lines, most behind a title and a preamble
  unicode_noise   random Unicode (full-width digits, kanji numerals, line and paragraph
                  separators, combining marks, the parser's own key characters)
  long_lines      the pathological lines of PATHOLOGICAL_LINES (repeated spaces, digits, 第, kanji
                  numerals, unclosed brackets …; benchmarks/patterns.py times them), 1,000 to 150,000
                  characters, alone or inside the seed (over 100,000 the parser refuses the line)
  raw_bytes       random bytes with NUL, BOMs (UTF-8, UTF-16, UTF-32), invalid UTF-8, Shift_JIS
                  lead/trail pairs, and pieces of the sources
  bytes_mutated   byte-level mutation of the sources: bit flips, bytes set, inserted, deleted,
                  duplicated, spliced from another source, truncation
  helpers         the layout and date helpers (clean_lines, close_up, split_run_on, split_table,
                  split_signatures, find_era_date, to_iso) on generated text

The atheris target (`--atheris-runs`, a child process; `pip install atheris` first, it is not a
dependency) mutates the same sources byte by byte, guided by the coverage of kyoyaku, kanjize and
japanera.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "mito-omitama-2022-02-21.txt"
FIXTURES = ROOT / "tests" / "fixtures"
SOURCE_FILES = [SEED, *sorted((FIXTURES / "family").glob("*.txt")), FIXTURES / "family" / "not-text.bin",
                *sorted((FIXTURES / "corpus").glob("*.txt"))]
NAME = "fuzzed.txt"


def _source_bytes() -> list[bytes]:
    return [p.read_bytes() for p in SOURCE_FILES]


def _source_texts() -> list[str]:
    texts = []
    for data in _source_bytes():
        for encoding in ("utf-8-sig", "cp932"):
            with contextlib.suppress(UnicodeDecodeError):
                texts.append(data.decode(encoding))
                break
    return [t for t in texts if t.strip()]


SOURCES = _source_bytes()
TEXTS = _source_texts()

# --- the invariant ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the inputs of one strategy did."""

    inputs: int = 0
    outcomes: Counter = field(default_factory=Counter)  # parsed / InputError / … / crash
    crashes: dict = field(default_factory=dict)  # (exception, file, line) → (smallest input, traceback)
    slowest: tuple[float, bytes] = (0.0, b"")
    slowest_again: float = 0.0  # the slowest input timed again alone (best of 3): GC pauses of the run aside
    cli_runs: int = 0

    def crash(self, data: bytes, error: BaseException) -> None:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        key = (type(error).__name__, Path(frame.filename).name, frame.lineno)
        if key not in self.crashes or len(data) < len(self.crashes[key][0]):
            self.crashes[key] = (data, "".join(traceback.format_exception(error)))
        self.outcomes["crash"] += 1


TALLY = Tally()


class Crash(AssertionError):
    """An exception that is not kyoyaku's own: the parser crashed."""


def check(data: bytes, tally: Tally | None = None) -> None:
    """The invariant for one input; raises Crash (with the original as cause) when it does not hold."""
    from kyoyaku.errors import InputError, KyoyakuError
    from kyoyaku.text.parse import parse_bytes

    tally = tally or TALLY
    tally.inputs += 1
    start = time.process_time()  # CPU time: a busy machine does not make an input look slow
    try:
        try:
            agreement = parse_bytes(data, name=NAME)
        except InputError as e:
            if NAME not in str(e):
                raise AssertionError(f"the InputError does not name the file: {e}") from None
            tally.outcomes["InputError"] += 1
            return
        except KyoyakuError as e:
            tally.outcomes[type(e).__name__] += 1
            return
        json.dumps(agreement.to_dict(), ensure_ascii=False)
        tally.outcomes["parsed"] += 1
    except Exception as e:
        tally.crash(data, e)
        raise Crash(f"{type(e).__name__}: {e}") from e
    finally:
        elapsed = time.process_time() - start
        if elapsed > tally.slowest[0]:
            tally.slowest = (elapsed, data)


def check_cli(data: bytes, directory: Path, tally: Tally | None = None) -> None:
    """`kyoyaku parse FILE` in-process: exit 0/1 (parsed) or 2 (refused), one line, no traceback."""
    from kyoyaku.cli import main

    tally = tally or TALLY
    tally.cli_runs += 1
    path = directory / NAME
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["parse", str(path), "--format", "text"])
    except Exception as e:
        tally.crash(data, e)
        raise Crash(f"kyoyaku parse: {type(e).__name__}: {e}") from e
    if code not in (0, 1, 2) or "Traceback" in err.getvalue():
        raise Crash(f"kyoyaku parse exited {code}: {err.getvalue()[-500:]}")
    if code == 2 and not err.getvalue().startswith(f"kyoyaku: {path}"):
        raise Crash(f"kyoyaku parse exited 2 without naming the file: {err.getvalue()[:300]}")


def check_helpers(text: str, tokens: list[str], era: tuple[str, str, str, str]) -> None:
    """The layout and date helpers never raise, whatever the text."""
    from kyoyaku.text.dates import find_era_date, to_iso
    from kyoyaku.text.layout import (
        clean_lines,
        close_up,
        split_run_on,
        split_signatures,
        split_table,
    )

    TALLY.inputs += 1
    try:
        clean_lines(text)
        close_up(text)
        split_run_on(text)
        split_table(text)
        split_signatures(tokens)
        find_era_date(text)
        to_iso(*era)
        TALLY.outcomes["helpers ok"] += 1
    except Exception as e:
        TALLY.crash(text.encode("utf-8", "surrogatepass"), e)
        raise Crash(f"{type(e).__name__}: {e}") from e


# --- strategies ------------------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SPACES = st.sampled_from(["", " ", "\u3000", "  ", "\t", " \u3000"])
KANJI_NUMERALS = "〇一二三四五六七八九十百千万"
ODD_NUMERALS = ["", "0", "00", "０", "元", "〇", "十十", "百百", "一〇", "1二", "二1", "①", "²", "٣", "፩", "Ⅻ", "-1", "1.5",
                "99999999999999999999", "九十九", "三十二", "十三", "零", "一億", "二〇二二"]
NUMERALS = st.one_of(
    st.integers(0, 40).map(str),
    st.integers(0, 10**15).map(str),
    st.integers(0, 99).map(lambda n: str(n).translate(FULL_WIDTH)),
    st.text(alphabet=KANJI_NUMERALS, min_size=1, max_size=6),
    st.sampled_from(ODD_NUMERALS),
)
DESIGNATION = st.sampled_from(list("甲乙丙丁戊己") + ["", "庚", "A"])
# Real municipality names (so that lookups run), fictional or broken ones; no facts about any of them.
NAMES = st.sampled_from(["水戸市", "小美玉市", "府中市", "伊達市", "広島県府中市", "山口県岩国市", "玖珂郡和木町", "架空市", "",
                         "市", "県", "北海道", "東京都", "〇〇町", "ア市", "甲", "水戸市長"])
WORDS = st.sampled_from(["この連携協約は", "甲及び乙は", "圏域", "連携する取組", "役割分担", "主体的に", "協議", "費用",
                         "変更", "廃止", "失効", "疑義", "目的", "基本方針", "ビジョン", "期間", "議会の議決を経", "。", "、", ",",
                         "以下", "という。", "第252条の2第1項", "地方自治法", "別表", "区分", "の役割", "連携中枢都市宣言を行った",
                         "中心市宣言を行った", "定住自立圏構想推進要綱", "定住自立圏", "起算して2年を経過した日", "証するため",
                         "通を作成", "（", "）", "(", ")", "「", "」", "SDG s", "〇〇町1番地", "山田 太郎"])
NOISE = st.text(alphabet=st.sampled_from(list("甲乙丙（）()「」以下という。、,第条の号項一二十百〇0１9年月日令和平成昭和元別表区分"
                                              "\t \u3000市町村長役割主体的に協約定書ア(イ)ウ①ⅰiab>＞›»-－ー/\\\"'")),
                max_size=60)


@st.composite
def era_date(draw) -> str:
    era = draw(st.sampled_from(["令和", "平成", "昭和", "大正", "明治", "令 和", "R"]))
    parts = [draw(st.one_of(NUMERALS, st.just(""))) for _ in range(3)]
    sp = [draw(SPACES) for _ in range(6)]
    return f"{era}{sp[0]}{parts[0]}{sp[1]}年{sp[2]}{parts[1]}{sp[3]}月{sp[4]}{parts[2]}{sp[5]}日" + draw(
        st.sampled_from(["", "。", "締結", " 告示第1号"]))


@st.composite
def preamble(draw) -> str:
    words = "".join(draw(st.lists(st.one_of(WORDS, NOISE), max_size=6)))
    parts = [f"{draw(NAMES)}（以下「{draw(DESIGNATION)}」という。）{draw(st.sampled_from(['と', '及び', '、', '']))}"
             for _ in range(draw(st.integers(0, 7)))]
    return "".join(parts) + draw(st.sampled_from(["とは、", ""])) + f"{words}（以下「圏域」という。）" + words + draw(
        st.sampled_from(["", "地方自治法（昭和22年法律第67号）第252条の2第1項の規定に基づき、次のとおり連携協約を締結する。"]))


@st.composite
def agreement_line(draw) -> str:
    """One line in the shape of a line of a 連携協約 (or a near miss)."""
    kind = draw(st.integers(0, 15))
    sp, words = draw(SPACES), "".join(draw(st.lists(st.one_of(WORDS, NOISE), max_size=6)))
    n = draw(NUMERALS)
    if kind == 0:
        sub = f"の{draw(NUMERALS)}" if draw(st.booleans()) else ""
        return f"第{n}条{sub}{sp}{words}"
    if kind == 1:
        return draw(era_date())
    if kind == 2:
        return draw(preamble())
    if kind == 3:
        return f"（{words}）"
    if kind == 4:
        return f"{n}{sp}{words}"
    if kind == 5:
        label = draw(st.sampled_from(["(1)", "（2）", "ア", "(ア)", "（イ）", "ウ ", "(10)", "（）", "(", "ア　"]))
        return f"{label}{sp}{words}"
    if kind == 6:
        cells = draw(st.lists(st.one_of(WORDS, NOISE, st.sampled_from(["区分", "連携する取組", "甲の役割", "乙の役割",
                                                                       "取組の内容", "費用", "備考", "地域医療"])), max_size=6))
        return "\t".join(cells)
    if kind == 7:
        return f"別表{draw(st.sampled_from(['', '第']))}{n}{draw(st.sampled_from(['', '（第3条関係）', '（', ' ']))}{words}"
    if kind == 8:
        return draw(st.sampled_from(["(a) 取組内容", "（b）役割分担", "a 取組の内容", "b 甲の役割", f"i {words}の役割",
                                     "ii 乙の役割", "iv の役割", "(a)", "取組内容"]))
    if kind == 9:
        return f"{draw(DESIGNATION)}{sp}{draw(NAMES)}" + draw(st.sampled_from(["", "長", "長 山田 太郎", "長　山田"]))
    if kind == 10:
        return f"この連携協約の締結を証するため、本書{n}通を作成し、{words}"
    if kind == 11:
        return f"{words}起算して{n}{draw(st.sampled_from(['年', '月', '日', '']))}を経過した日{words}"
    if kind == 12:
        return f"地方自治法{draw(st.sampled_from(['', '（昭和22年法律第67号）', '（', '(']))}第{n}条の{n}第{n}項{words}"
    if kind == 13:
        return draw(st.sampled_from(["- 1 -", "1/3", "３", "ホーム > 市政 > 連携", "印刷", "\f", "○" + words + "協約書",
                                     "連 携 協 約 書", "区 分\t連 携"]))
    if kind == 14:
        return f"{words}{draw(st.sampled_from(['連携中枢都市宣言を行った', '中心市宣言を行った']))}{draw(NAMES)}と{words}"
    return words


def encode(text: str, encoding: str) -> bytes:
    if encoding == "cp932":
        return text.encode("cp932", errors="replace")
    return text.encode(encoding, errors="surrogatepass")


@st.composite
def encoded(draw, lines: list[str]) -> bytes:
    """Lines joined with LF, CRLF, CR or a mix, in UTF-8, UTF-8 with BOM or Shift_JIS."""
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        text = "".join(line + draw(st.sampled_from(["\n", "\r\n", "\r", "\f"])) for line in lines)
    else:
        text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    return encode(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp932"])))


@st.composite
def seed_like(draw) -> bytes:
    lines = draw(st.sampled_from(TEXTS)).replace("\r\n", "\n").split("\n")
    for _ in range(draw(st.integers(1, 12))):
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        op = draw(st.integers(0, 7))
        if not lines or op == 0:
            lines.insert(i, draw(agreement_line()))
        elif op == 1:
            del lines[i]
        elif op == 2:
            lines.insert(i, lines[i])
        elif op == 3:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 4:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == 5:
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.one_of(WORDS, NOISE, NUMERALS, era_date())) + lines[i][at:]
        elif op == 6:
            lines[i] = draw(agreement_line())
        else:
            del lines[i:]  # truncated document
    return draw(encoded(lines))


TITLES = st.sampled_from(["", "架空圏域の形成に関する連携協約書", "○架空定住自立圏形成協定書", "水戸市と小美玉市との連携協約",
                          "連 携 協 約 書", "協約"])


@st.composite
def generated(draw) -> bytes:
    """Generated lines, most often behind a title and a preamble, so that the reader gets past them."""
    head = [draw(TITLES), draw(preamble())] if draw(st.integers(0, 3)) else []
    return draw(encoded(head + draw(st.lists(agreement_line(), max_size=40))))


UNICODE = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Z", "Cc"))
INTERESTING = st.sampled_from(list("０１２３４５６７８９〇一二三四五六七八九十百千万元第条の甲乙丙（）「」。、\t\u3000\u2028\u2029\x85\x0b\x0c\r"))


@st.composite
def unicode_noise(draw) -> bytes:
    text = draw(st.text(alphabet=st.one_of(UNICODE, INTERESTING), max_size=400))
    if draw(st.booleans()):  # behind a plausible preamble, so the reader goes past its first check
        text = "表題協約書\n甲市（以下「甲」という。）と乙市（以下「乙」という。）は、\n" + text
    return encode(text, draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932"])))


# Pathological lines, also fed to every pattern by benchmarks/patterns.py: prefix, repeated unit, suffix.
PATHOLOGICAL_LINES: dict[str, tuple[str, str, str]] = {
    "spaces": ("第1条", " ", "x"),
    "ideographic spaces": ("令和", "\u3000", "x"),
    "spaces after a date": ("令和4年", " ", "x"),
    "spaces after a month": ("令和4年2月", " ", "x"),
    "spaced letters": ("", "連 ", "x"),
    "digits": ("第", "1", "x"),
    "full-width digits": ("", "１", " x"),
    "第 run": ("", "第", ""),
    "article marks": ("", " 第1条", " "),
    "kanji numerals": ("第", "一二", "x"),
    "unclosed brackets": ("", "（", ""),
    "unclosed appendix brackets": ("", " 別表（", ""),
    "unclosed legal basis": ("", "地方自治法（", ""),
    "は run": ("", "は", ""),
    "core city declarations": ("", "中心市宣言を行った", ""),
    "role line": ("i", " ", "x"),
    "numbered paragraph": ("1", " ", ""),
    "sentence ends": ("", "。 ", "x"),
    "title words": ("", "協約", "x"),
    "tabs": ("", "\t ", "x"),
    "designations": ("", "甲 ", ""),
    "mayor titles": ("", "市長 ", "x"),
}


def pathological_line(shape: str, length: int) -> str:
    prefix, unit, suffix = PATHOLOGICAL_LINES[shape]
    return prefix + unit * max(1, (length - len(prefix) - len(suffix)) // len(unit)) + suffix


@st.composite
def long_lines(draw) -> bytes:
    shape = draw(st.sampled_from(sorted(PATHOLOGICAL_LINES)))
    length = draw(st.sampled_from([1_000, 10_000, 30_000, 99_999, 100_000, 100_001, 150_000]))
    line = pathological_line(shape, length)
    if draw(st.booleans()):
        return line.encode()
    lines = TEXTS[0].split("\n")
    lines.insert(draw(st.integers(0, len(lines))), line)
    return "\n".join(lines).encode()


BYTE_PIECES = st.sampled_from([
    b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff",  # NUL and BOMs
    b"\x80", b"\xbf", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe3\x81", b"\xf0\x9f",  # bad UTF-8
    b"\x82\xa0", b"\x88\x9f", b"\x81\x40", b"\x81", b"\xfc\xfc", b"\xa0", b"\xfd", b"\x85",  # Shift_JIS
    b"\r", b"\n", b"\r\n", b"\t", b"\x0c", b"\x1a",
])


@st.composite
def raw_bytes(draw) -> bytes:
    chunks = draw(st.lists(st.one_of(st.binary(max_size=20), BYTE_PIECES, st.sampled_from(SOURCES).flatmap(
        lambda s: st.integers(0, len(s)).map(lambda i: s[i:i + 200]))), max_size=30))
    return b"".join(chunks)


@st.composite
def bytes_mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 10))):
        i = draw(st.integers(0, len(data)))
        op = draw(st.integers(0, 6))
        if op == 0 and i < len(data):
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == 1 and i < len(data):
            data[i] = draw(st.integers(0, 255))
        elif op == 2:
            data[i:i] = draw(st.one_of(st.binary(min_size=1, max_size=8), BYTE_PIECES))
        elif op == 3:
            del data[i:i + draw(st.integers(1, 300))]
        elif op == 4:
            j = draw(st.integers(0, len(data)))
            data[i:i] = data[j:j + draw(st.integers(1, 500))]
        elif op == 5:
            other = draw(st.sampled_from(SOURCES))
            j = draw(st.integers(0, len(other)))
            data[i:] = other[j:]
        else:
            del data[i:]
    return bytes(data)


@st.composite
def helper_inputs(draw) -> tuple[str, list[str], tuple[str, str, str, str]]:
    text = draw(st.one_of(NOISE, st.lists(agreement_line(), max_size=10).map(" ".join),
                          st.sampled_from(TEXTS).map(lambda t: t.replace("\n", " "))))
    tokens = text.split() + draw(st.lists(st.one_of(NAMES, DESIGNATION, WORDS), max_size=6))
    era = (draw(st.sampled_from(["令和", "平成", "昭和", "大正", ""])), draw(NUMERALS), draw(NUMERALS), draw(NUMERALS))
    return text, tokens, era


STRATEGIES = {
    "seed_like": seed_like(),
    "generated": generated(),
    "unicode_noise": unicode_noise(),
    "long_lines": long_lines(),
    "raw_bytes": raw_bytes(),
    "bytes_mutated": bytes_mutated(),
    "helpers": helper_inputs(),
}
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
          HealthCheck.filter_too_much]


def fuzz_test(strategy: str, cli_every: int = 0, directory: Path | None = None):
    """A hypothesis test function (without settings) checking the invariant on `strategy`."""
    if strategy == "helpers":
        return given(STRATEGIES[strategy])(lambda args: check_helpers(*args))

    def test(data: bytes) -> None:
        check(data)
        if cli_every and TALLY.inputs % cli_every == 0:
            check_cli(data, directory)

    return given(STRATEGIES[strategy])(test)


# --- the long run ------------------------------------------------------------------------------------


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    from importlib.metadata import version

    return (f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, hypothesis {version('hypothesis')}, "
            f"{platform.system()} {platform.release()}")


def run_strategy(name: str, examples: int, cli_every: int, seed: int | None) -> tuple[str, Tally, float]:
    """`examples` inputs of one strategy; hypothesis stops early (after shrinking) on a crash."""
    global TALLY
    check(SOURCES[0], Tally())  # the first parse imports the date and municipality tables: not an input's cost
    TALLY = Tally()
    profile = settings(max_examples=examples, deadline=None, database=None, suppress_health_check=HEALTH,
                       phases=[Phase.generate, Phase.shrink])
    with tempfile.TemporaryDirectory(prefix="kyoyaku-fuzz-") as tmp:
        test = settings(profile)(fuzz_test(name, cli_every, Path(tmp)))
        if seed is not None:
            from hypothesis import seed as with_seed

            test = with_seed(seed)(test)
        start = time.perf_counter()
        try:
            test()
        except BaseException as e:  # hypothesis re-raises the (shrunk) crash
            if not TALLY.crashes:
                raise
            print(f"{name}: stopped on a crash ({type(e).__name__})", file=sys.stderr)
        elapsed = time.perf_counter() - start
    if TALLY.slowest[1]:
        TALLY.slowest_again = min(_cpu_time(TALLY.slowest[1]) for _ in range(3))
    print(f"{name}: {TALLY.inputs} inputs in {elapsed:.1f} s, {dict(TALLY.outcomes)}", file=sys.stderr, flush=True)
    return name, TALLY, elapsed


def _cpu_time(data: bytes) -> float:
    start = time.process_time()
    with contextlib.suppress(Exception):
        check(data, Tally())
    return time.process_time() - start


def run_hypothesis(names: list[str], examples: int, cli_every: int, seed: int | None,
                   jobs: int = 1) -> list[tuple[str, Tally, float]]:
    per_strategy = -(-examples // len(names))  # rounded up: at least `examples` in all
    if jobs <= 1:
        return [run_strategy(name, per_strategy, cli_every, seed) for name in names]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(run_strategy, names, [per_strategy] * len(names), [cli_every] * len(names),
                             [seed] * len(names)))


def report(results: list[tuple[str, Tally, float]], wall: float, jobs: int) -> str:
    rows = [("| strategy | inputs | seconds | inputs/s | parsed (helpers: ran) | refused (InputError) | crashes | "
             "slowest input (CPU) |"), "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    total_inputs = sum(t.inputs for _, t, _ in results)
    for name, t, seconds in results:
        parsed = t.outcomes["parsed"] + t.outcomes["helpers ok"]
        slowest = (f"{len(t.slowest[1]):,} bytes: {t.slowest[0] * 1000:.0f} ms, alone {t.slowest_again * 1000:.1f} ms"
                   if t.slowest[1] else "–")
        rows.append(f"| {name} | {t.inputs:,} | {seconds:.0f} | {t.inputs / seconds:,.0f} | {parsed:,} | "
                    f"{t.outcomes['InputError']:,} | {t.outcomes['crash']} | {slowest} |")
    rows.append(f"| **total** ({jobs} process(es), wall time) | **{total_inputs:,}** | **{wall:.0f}** | "
                f"**{total_inputs / wall:,.0f}** | | | **{sum(t.outcomes['crash'] for _, t, _ in results)}** | |")
    cli = sum(t.cli_runs for _, t, _ in results)
    lines = ["\n".join(rows), f"\n`kyoyaku parse FILE` run in-process on {cli:,} of them.", f"\nMachine: {machine()}."]
    for name, t, _ in results:
        if t.slowest_again > 0.25:
            lines.append(f"\nSlow input of {name} ({t.slowest_again * 1000:.0f} ms alone): {t.slowest[1][:300]!r}")
        for (error, file, line), (data, trace) in t.crashes.items():
            lines.append(f"\nCRASH in {name}: {error} at {file}:{line}, smallest input ({len(data)} bytes):\n"
                         f"{data[:600]!r}\n{trace}")
    return "\n".join(lines)


# --- atheris -------------------------------------------------------------------------------------------


def run_atheris(runs: int, corpus: Path | None) -> None:
    """libFuzzer's byte mutation, guided by the coverage of kyoyaku and the libraries it calls for
    numbers and dates. Runs in its own process: atheris.Fuzz() never returns."""
    import atheris

    with atheris.instrument_imports(include=["kyoyaku", "kanjize", "japanera"]):
        import kyoyaku.text.parse  # noqa: F401

    with tempfile.TemporaryDirectory(prefix="kyoyaku-atheris-") as tmp:
        corpus = corpus or Path(tmp) / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for path in SOURCE_FILES:
            (corpus / path.name).write_bytes(path.read_bytes())

        def one_input(data: bytes) -> None:
            try:
                check(data)
            except Crash:
                print(f"crashing input ({len(data)} bytes): {data[:2000]!r}", file=sys.stderr)
                raise

        args = [sys.argv[0], f"-runs={runs}", "-max_len=20000", "-timeout=20", "-rss_limit_mb=4096",
                f"-artifact_prefix={tmp}/", "-print_final_stats=1", str(corpus)]
        atheris.Setup(args, one_input)
        atheris.Fuzz()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--examples", type=int, default=100_000, help="hypothesis inputs in all, split evenly between "
                                                                   "the strategies (default: 100,000)")
    p.add_argument("--strategies", nargs="+", choices=sorted(STRATEGIES), default=list(STRATEGIES))
    p.add_argument("--cli-every", type=int, default=100, help="run `kyoyaku parse` on every Nth input (default: 100)")
    p.add_argument("--seed", type=int, help="hypothesis seed, to repeat a run")
    p.add_argument("--jobs", type=int, default=1, help="strategies run in parallel processes (default: 1)")
    p.add_argument("--atheris-runs", type=int, default=0, help="then this many atheris runs (default: none)")
    p.add_argument("--atheris-only", type=int, metavar="RUNS", help=argparse.SUPPRESS)  # the child process
    p.add_argument("--corpus", type=Path, help="atheris: keep the grown corpus in this directory")
    args = p.parse_args()
    if args.atheris_only is not None:
        run_atheris(args.atheris_only, args.corpus)
        return 0
    start = time.perf_counter()
    results = run_hypothesis(args.strategies, args.examples, args.cli_every, args.seed, args.jobs) if args.examples else []
    crashed = any(t.crashes for _, t, _ in results)
    if results:
        print(report(results, time.perf_counter() - start, args.jobs))
    if args.atheris_runs and importlib.util.find_spec("atheris") is None:
        print("atheris is not installed (not a dependency of kyoyaku): .venv/bin/pip install atheris", file=sys.stderr)
        return 2
    if args.atheris_runs:
        start = time.perf_counter()
        command = [sys.executable, __file__, "--atheris-only", str(args.atheris_runs)]
        if args.corpus:
            command += ["--corpus", str(args.corpus)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        stats = [l for l in done.stderr.splitlines() if l.startswith(("stat::", "Done", "#"))][-12:]
        print(f"\natheris: {args.atheris_runs:,} runs in {seconds:.0f} s ({args.atheris_runs / seconds:,.0f}/s), "
              f"exit {done.returncode}\n" + "\n".join(stats))
        if done.returncode != 0:
            print(done.stderr[-5000:])
            crashed = True
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
