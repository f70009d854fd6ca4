"""`kyoyaku report`: the coverage heatmap, the area figure, the three registry figures and the page."""

import csv
import errno
import gc
import multiprocessing
import os
import re
import struct
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from kyoyaku.errors import InputError, UsageError
from kyoyaku.outputs import name_unnamed
from kyoyaku.publish import registry_figures
from kyoyaku.publish.pages.html import CSS
from kyoyaku.publish.report import (
    draw_figures,
    growth_figure,
    per_year_figure,
    report,
    sizes_figure,
    write_report,
)
from kyoyaku.sparql.query import find_query, run
from kyoyaku.sparql.store import open_store

from ..conftest import ROOT, load_benchmark

FIGURES = ["agreements-per-year", "area-growth", "area-sizes", "areas", "coverage"]
FILES = sorted([f"{stem}{suffix}" for stem in FIGURES for suffix in (".png", ".svg")] + ["index.html", "index.summary.csv"])


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def written(corpus, tmp_path_factory):
    dist, _ = corpus
    out = tmp_path_factory.mktemp("report") / "report"
    return out, report([dist / "kyoyaku.ttl"], out)


def test_report_writes_figures_and_page(written):
    out, paths = written
    assert sorted(p.name for p in paths) == FILES
    for stem in FIGURES:
        width, height = png_size(out / f"{stem}.png")
        assert width > 600 and height > 300
        svg = (out / f"{stem}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and "<text" not in svg  # glyphs as paths: views without the font
        assert ET.fromstring(svg.encode("utf-8")).tag == "{http://www.w3.org/2000/svg}svg"


def test_summary_page_counts_full_texts_records_and_areas(written):
    out, _ = written
    page = (out / "index.html").read_text(encoding="utf-8")
    # seed + 3 synthetic full texts; 16 registry records minus the seed's, replaced by its full text
    assert "全文 4 件、登録情報のみ 15 件の協約、4 圏域。" in page
    assert "いばらき県央地域連携中枢都市圏" in page and "上川中央定住自立圏" in page
    assert '<img src="coverage.svg"' in page and '<img src="areas.svg"' in page
    for stem in ("agreements-per-year", "area-sizes", "area-growth"):  # each with alt text and a caption
        assert re.search(rf'<figure>\n<img src="{stem}.svg" alt="[^"]{{20,}}">\n<figcaption>[^<]{{20,}}</figcaption>', page)
    # The corpus: 8 undated records of the 茨城県央 定住自立圏; 上川中央 has no registry rows, so no joining dates.
    assert "日付不明 8 件（定住自立圏 8）" in page
    assert "総数の記載なし: 上川中央連携中枢都市圏、上川中央定住自立圏。" in page
    assert "日付のある加入のない 3 圏域は図にない: 上川中央連携中枢都市圏、上川中央定住自立圏、茨城県央地域定住自立圏。" in page


def test_report_is_deterministic_and_replaces_its_own_output(corpus, written, tmp_path):
    out, _ = written
    dist, _ = corpus
    again = tmp_path / "again"
    report([dist / "kyoyaku.ttl"], again)
    for name in FILES:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    report([dist / "kyoyaku.ttl"], again)  # rerun over its own output
    assert (again / "index.html").is_file()


def test_report_refuses_a_foreign_directory(corpus, tmp_path):
    dist, _ = corpus
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="not written by kyoyaku report"):
        report([dist / "kyoyaku.ttl"], tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


# The national registry: what the figures plot, against data/registry/*/*.csv read here directly.

def registry_rows():
    """(member rows, area rows by area name) of every compilation under data/registry, as its
    events.csv makes them (tests/sparql/test_queries_national.py: with_events)."""
    from ..sparql.test_queries_national import with_events

    members, areas = [], {}
    for folder in sorted(p for p in (ROOT / "data" / "registry").iterdir() if p.is_dir()):
        tables = []
        for name in ("areas.csv", "members.csv", "events.csv"):
            path = folder / name
            if not path.exists():  # events.csv is optional
                tables.append([])
                continue
            with open(path, encoding="utf-8", newline="") as f:
                tables.append(list(csv.DictReader(f)))
        folder_areas, folder_members = with_events(*tables)
        members += folder_members
        areas.update((r["area_name"], r) for r in folder_areas)
    return members, areas


def registry_agreements_per_year():
    """One agreement per member row with a single core city it is not (see data/registry/README.md)."""
    members, areas = registry_rows()
    agreements = set()
    for row in members:
        cores = [c for c in areas[row["area_name"]]["core_code"].split(";") if c]
        cores = [row["agreement_core_code"]] if row.get("agreement_core_code") else cores
        if len(cores) == 1 and row["member_code"] not in cores:
            agreements.add((cores[0], row["member_code"], row["agreement_date"], row["framework"]))
    return Counter((int(d[:4]) if d else None, framework) for _, _, d, framework in agreements)


@pytest.fixture(scope="module")
def national_report(national, tmp_path_factory):
    """The report of the whole registry, with what write_report passed to the three figure functions
    (drawn in this process: a worker's call would not reach the spies' dict)."""
    dist, _ = national
    out = tmp_path_factory.mktemp("national-report") / "report"
    passed = {}

    def spy(name):
        draw = getattr(registry_figures, name)

        def spied(data, stem, title):
            passed[name] = data
            return draw(data, stem, title)
        return spied

    with pytest.MonkeyPatch.context() as mp:
        for name in ("agreements_per_year", "area_sizes", "area_growth"):
            mp.setattr(registry_figures, name, spy(name))
        write_report(open_store([dist / "kyoyaku.ttl"]), out, workers=1)
    return out, passed


def test_agreements_per_year_match_the_registry(national_report):
    out, passed = national_report
    expected = registry_agreements_per_year()
    assert passed["agreements_per_year"] == expected  # the seed's full text replaces its record: same count
    undated = {framework: n for (year, framework), n in expected.items() if year is None}
    assert undated.keys() == {"renkei-chusu", "teiju-jiritsu"}  # undated agreements are counted, not dropped
    texts = re.findall(r"<!-- (.*?) -->", (out / "agreements-per-year.svg").read_text(encoding="utf-8"))
    years = sorted({y for y, _ in expected if y is not None})
    assert texts[:years[-1] - years[0] + 2] == [*map(str, range(years[0], years[-1] + 1)), "日付不明"]
    totals = [sum(n for (y, _), n in expected.items() if y == year) for year in [*years, None]]
    assert texts[texts.index("協約数（件）") + 1:texts.index("年別の協約数（枠組別）")] == [str(n) for n in totals]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert (f"日付のある協約 {sum(totals[:-1])} 件、日付不明 {totals[-1]} 件（連携中枢都市圏 {undated['renkei-chusu']}、"
            f"定住自立圏 {undated['teiju-jiritsu']}）") in page


def test_area_sizes_match_the_registry(national_report):
    out, passed = national_report
    members, areas = registry_rows()
    listed = defaultdict(set)
    for row in members:
        listed[row["area_name"]].add(row["member_code"])
    plotted = {a.name: a for a in passed["area_sizes"]}
    assert len(plotted) == len(passed["area_sizes"]) == len(areas) == 67 + 8  # and the 8 named only in events
    for name, row in areas.items():
        stated = int(row["members_stated_total"]) if row["members_stated_total"] else None
        assert (plotted[name].framework, plotted[name].listed, plotted[name].stated) == (
            row["framework"], len(listed[name]), stated), name
    assert any(a.stated is None for a in plotted.values()) and any(a.stated not in (None, a.listed) for a in plotted.values())
    svg = (out / "area-sizes.svg").read_text(encoding="utf-8")
    shown, rest = registry_figures.size_bars(passed["area_sizes"])
    assert len(shown) == registry_figures.SIZES_BARS - 1 and len(rest) == 75 - len(shown)  # capped, the rest in one bar
    for area in shown:
        assert f"<!-- {area.name} -->" in svg
        if area.stated not in (None, area.listed):
            assert f"<!-- {area.listed}（記載の総数 {area.stated}） -->" in svg
    for area in rest:
        assert f"<!-- {area.name} -->" not in svg


def test_area_growth_matches_the_registry(national_report):
    out, passed = national_report
    from ..sparql.test_queries_national import expected_growth

    _, areas = registry_rows()
    # a step at each date a member joined or stopped (events.csv's ends), to the members after it
    steps, undated = defaultdict(list), {}
    for _, name, _, day, _, _, members_after, undated_count in expected_growth():
        if day is not None:
            steps[name].append((day, members_after))
            undated[name] = undated_count
    expected = {name: (dated, undated[name]) for name, dated in steps.items()}
    plotted = {a.name: (a.steps, a.undated) for a in passed["area_growth"]}
    assert plotted == expected
    assert 0 < len(plotted) < len(areas)  # some areas have no dated member: left out, and named on the page
    svg = (out / "area-growth.svg").read_text(encoding="utf-8")
    page = (out / "index.html").read_text(encoding="utf-8")
    left_out = re.search(r"日付のある加入のない (\d+) 圏域は図にない: ([^。]*)。", page)
    assert left_out and int(left_out[1]) == len(areas) - len(plotted)
    assert sorted(left_out[2].split("、")) == sorted(set(areas) - set(plotted))
    drawn, summed = registry_figures.growth_panels(passed["area_growth"])
    assert len(summed) == len(plotted) - len(drawn) > 0  # more areas than panels: the rest in the last one
    for name in areas:
        assert (f"<!-- {name} -->" in svg) == (name in {a.name for a in drawn}), name


def test_national_figures_are_deterministic(national, national_report, tmp_path):
    out, _ = national_report
    _, store = national
    for draw, query in [(per_year_figure, "agreements-per-year"), (sizes_figure, "area-sizes"),
                        (growth_figure, "area-growth")]:  # the three alone: the area figure takes long on 67 areas
        for path in draw(run(store, find_query(query)), tmp_path / query):
            assert path.read_bytes() == (out / path.name).read_bytes(), path.name


# Figures of fixed size: the report of 10 and of 1,000 synthetic agreements (benchmarks/synthetic.py:
# fictional municipalities, ten agreements per area), drawn from the same triples the build would publish.



@pytest.fixture(scope="module")
def synthetic_reports(tmp_path_factory):
    """{n: report folder} for 10 and 1,000 synthetic agreements: their N-Triples straight from the
    benchmark's templates (the mapping's triples, without the build), into a store, then the report."""
    synthetic = load_benchmark("synthetic")
    folders = {}
    for n in (10, 1000):
        work = tmp_path_factory.mktemp(f"synthetic-{n}")
        synthetic.write_ntriples(n, work / "data.nt")
        write_report(open_store([work / "data.nt"]), work / "report")
        folders[n] = work / "report"
    return folders


def svg_box(path):
    root = ET.parse(path).getroot()
    return root.get("width"), root.get("height"), root.get("viewBox")


def test_figures_have_the_same_size_at_10_and_at_1000_agreements(synthetic_reports):
    few, many = synthetic_reports[10], synthetic_reports[1000]
    for stem in FIGURES:
        assert png_size(few / f"{stem}.png") == png_size(many / f"{stem}.png"), stem
        assert svg_box(few / f"{stem}.svg") == svg_box(many / f"{stem}.svg"), stem


def test_capped_figures_say_how_many_they_summarise(synthetic_reports):
    few, many = synthetic_reports[10], synthetic_reports[1000]
    # 1,000 partners (one per agreement), 100 areas of ten agreements each, all full texts.
    coverage = (many / "coverage.svg").read_text(encoding="utf-8")
    assert "<!-- その他 981 市町村（合計） / 981 other partners, summed -->" in coverage
    assert "<!-- 産業クラスターの形成、イノベーション実… -->" in coverage  # a long field name, cut short
    areas = (many / "areas.svg").read_text(encoding="utf-8")
    assert "<!-- その他 71 圏域（合計） / 71 other areas, summed -->" in areas
    assert "<!-- 全文 710・登録 0 -->" in areas
    assert "<!-- その他 71 圏域（最小〜最大） / 71 other areas, smallest to largest -->" in (
        many / "area-sizes.svg").read_text(encoding="utf-8")
    page = (many / "index.html").read_text(encoding="utf-8")
    assert ("全文の協約の連携市町村 1000 の取組を、全国の政策分野 16 ごとに数えた。取組の多い 19 市町村を示し、その他 981 "
            "市町村は最下行に分野ごとの合計（灰色、濃淡は別の尺度）。長い分野名は末尾を「…」で省略。") in page
    assert "the 19 with the most initiatives are shown, the other 981 summed per field in the last row" in page
    assert "全文の多い順、次に協約の多い順に 29 圏域を示し、その他 71 圏域は最下段に合計の数のみ。" in page
    assert "図には記載の総数が一覧と異なる圏域、次に大きい圏域の 29 を示し、その他 71 圏域は最下段に最小〜最大の幅で。" in page
    # Below the caps nothing is summarised, and the captions do not say so.
    for path in [few / "index.html", *(few / f"{stem}.svg" for stem in FIGURES)]:
        assert not re.search(r"その他 \d+ |\d+ other ", path.read_text(encoding="utf-8")), path.name


# The figures on worker processes (draw_figures): the bytes drawn in this process, errors raised here
# as they were raised there, and no worker left once it returns or raises.

def child_pids():
    """This process's living child processes, read from /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


@pytest.fixture
def drawing_pids(tmp_path, monkeypatch):
    """{file stem: pid of the process that saved it}, through a spy on figures.save (a forked worker
    inherits it and writes to the same folder)."""
    from kyoyaku.publish import figures

    log = tmp_path / "pids"
    log.mkdir()
    save = figures.save

    def spied(fig, out_stem, **kwargs):
        (log / Path(out_stem).name).write_text(str(os.getpid()))
        return save(fig, out_stem, **kwargs)

    monkeypatch.setattr(figures, "save", spied)
    monkeypatch.setattr(registry_figures, "save", spied)
    return lambda: {p.name: int(p.read_text()) for p in log.iterdir()}


def test_figures_drawn_on_workers_are_the_bytes_drawn_here(corpus, tmp_path, drawing_pids):
    _, store = corpus
    here, there = tmp_path / "here", tmp_path / "workers"
    assert write_report(store, here, workers=1) == write_report(store, there, workers=2)
    pids = drawing_pids()
    assert sorted(pids) == FIGURES
    assert os.getpid() not in pids.values() and 1 <= len(set(pids.values())) <= 2
    assert sorted(p.name for p in there.iterdir()) == FILES
    for name in FILES:
        assert (there / name).read_bytes() == (here / name).read_bytes(), name
    assert child_pids() == []


def test_figures_are_drawn_here_without_fork_or_with_one_worker(corpus, tmp_path, drawing_pids, monkeypatch):
    _, store = corpus
    write_report(store, tmp_path / "one", workers=1)
    assert set(drawing_pids().values()) == {os.getpid()}
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    write_report(store, tmp_path / "no-fork", workers=2)
    assert set(drawing_pids().values()) == {os.getpid()}


class NotPicklable(Exception):
    def __init__(self, what, why):
        super().__init__(f"{what}: {why}")


def draw_note(table, stem):
    return registry_figures.note_figure("t", "note", stem)


def refuse_input(table, stem):
    raise InputError(stem.name + ".csv", 3, "a count", "x")


def disk_full(table, stem):
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    name_unnamed(error, stem.with_suffix(".png"))
    raise error


def raise_unpicklable(table, stem):
    raise NotPicklable("a", "b")


@pytest.mark.parametrize("failing, expected", [
    (refuse_input, (InputError, r"second\.csv:3: expected a count, found 'x'")),
    (disk_full, (OSError, r"\[Errno 28\] No space left on device: '\S+/second\.png'")),
    (raise_unpicklable, (RuntimeError, r"second: NotPicklable: a: b")),
], ids=["InputError", "OSError", "not picklable"])
def test_a_workers_error_is_raised_here_and_no_worker_is_left(tmp_path, failing, expected):
    kind, message = expected
    tasks = [(draw_note, None, tmp_path / "first"), (failing, None, tmp_path / "second"),
             (draw_note, None, tmp_path / "third")]
    with pytest.raises(kind) as raised:
        draw_figures(tasks, workers=2)
    assert type(raised.value) is kind and re.fullmatch(message, str(raised.value)), str(raised.value)
    if kind is InputError:  # its fields came back, not only its message
        assert (raised.value.line, raised.value.expected, raised.value.found) == (3, "a count", "x")
    if kind is OSError:
        assert raised.value.errno == errno.ENOSPC and raised.value.filename == str(tmp_path / "second.png")
    assert child_pids() == []
    assert (tmp_path / "first.png").is_file()  # drawn before the error
    assert not list(tmp_path.glob(".*"))  # no half-written file


def private_memory_after_collecting(table, stem):
    """In a worker: a full garbage collection, then the worker's own (private, written) memory in kB."""
    gc.collect()
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Private_Dirty:"):
            return [int(line.split()[1])]
    raise AssertionError("no Private_Dirty in smaps_rollup")


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").is_file(), reason="reads Linux's /proc/self/smaps_rollup")
def test_workers_do_not_copy_the_callers_objects_when_they_collect(tmp_path):
    """A build holds its graph (millions of objects) while the figures are drawn: a worker's garbage
    collection wrote into each of them, copying every page of them into the worker."""
    heap = [(i, str(i), [i]) for i in range(500_000)]  # about 80 MB of small objects
    task = (private_memory_after_collecting, None, tmp_path / "x")
    private = draw_figures([task, task], workers=2)
    assert len(heap) == 500_000 and len(private) == 2
    assert max(private) < 20_000, private  # kB: the worker's own allocations, not a copy of the heap


def test_the_report_page_is_a_page_of_the_site(written):
    """Issue 21: the site's style sheet and viewport, its header with the links to the indexes, Japanese
    column names, and each area a link to its page by its name instead of its IRI."""
    out, _ = written
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    # the site's frame (html.document), the summary table's scrolling box styled before it
    assert (f"<style>.table-wrap{{overflow-x:auto}}@media (max-width:48rem){{figure{{margin:1rem 0}}}}</style>\n"
            f"<style>\n{CSS}\n</style>") in page
    assert ('<header>\n<a href="../index.html">連携協約データ</a>' in page
            and '<li><a href="../municipalities.html">市町村 <span class="en" lang="en">Municipalities</span></a></li>'
            in page and '<li><a href="index.html">報告書 <span class="en" lang="en">Report</span></a></li>' in page)
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", page)[1]
    assert re.findall(r'<th scope="col">([^<]+)</th>', header) == [
        "圏域", "枠組み", "中心市", "構成市町村数", "資料に記載の数", "協約数", "本文あり", "前身"]
    first_cells = re.findall(r'<tr><th scope="row">(.*?)</th>', page)  # a card per area on a phone: its heading
    assert '<a href="../area/renkei-chusu/082015.html">いばらき県央地域連携中枢都市圏</a>' in first_cells
    assert not any("https://w3id.org/" in cell for cell in first_cells)
