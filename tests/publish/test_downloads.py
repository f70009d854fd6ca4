"""Downloads a spreadsheet opens (publish.downloads, sparql.spreadsheet): the CSV of each table of the
pages and of each query that runs without a parameter, in the build of the shipped data — UTF-8 with
BOM, CRLF, Japanese headers, the 団体コード beside each municipality — and the links to them."""

from __future__ import annotations

import csv
import io

import pandas as pd

from kyoyaku.publish.pages.csv_links import downloadable_queries

BOM = b"\xef\xbb\xbf"
KENOU = "area/renkei-chusu/082015"
SEED = "agreement/082015-082368/2022-02-21"


def rows(path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(BOM)
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends in CRLF, no bare LF
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline="")))


def test_area_members_csv_bytes_start_with_the_bom_and_a_japanese_header(national):
    dist, _ = national
    data = (dist / f"{KENOU}.members.csv").read_bytes()
    assert data.startswith("\ufeff市町村,団体コード,都道府県,役割,参加日,終了日\r\n水戸市,082015,茨城県,中心市,,\r\n"
                           "笠間市,082163,茨城県,構成市町村,2022-02-21,\r\n".encode())
    assert len(rows(dist / f"{KENOU}.members.csv")) == 1 + 9  # 9 members, as the page lists them


def test_pandas_reads_the_beppyo_csv_back_with_codes_as_text(national):
    dist, _ = national
    table = pd.read_csv(dist / f"{SEED}.beppyo.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["番号", "区分", "連携する取組", "甲（水戸市）の役割", "乙（小美玉市）の役割",
                                   "国の政策分野", "定住自立圏の政策分野"]
    assert len(table) == 16
    transport = table[table["区分"] == "地域公共交通"].iloc[0]
    assert transport["番号"] == "14"
    assert transport["甲（水戸市）の役割"].startswith("◎")  # the leading party, as the page's ◎主体


def test_agreements_csv_gives_each_party_its_code(national):
    dist, _ = national
    municipality = rows(dist / "municipality/082368.agreements.csv")
    assert municipality[0] == ["締結日", "効力の最終日", "中心市", "中心市の団体コード", "連携市町村", "連携市町村の団体コード",
                               "種類", "本文", "IRI"]
    assert municipality[1] == ["2022-02-21", "", "水戸市", "082015", "小美玉市", "082368", "連携協約", "本文あり",
                               "https://w3id.org/kyoyaku/agreement/082015-082368/2022-02-21"]
    area = rows(dist / f"{KENOU}.agreements.csv")
    assert len(area) == 1 + 8 and {r[3] for r in area[1:]} == {"082015"}


def test_areas_csv_lists_every_area(national):
    dist, _ = national
    areas = rows(dist / "areas.csv")
    assert areas[0] == ["圏域", "枠組み", "中心市", "中心市の団体コード", "構成市町村数", "協約数", "形成", "終了", "IRI"]
    kenou = [r for r in areas if r[-1] == f"https://w3id.org/kyoyaku/{KENOU}"]
    assert kenou == [["いばらき県央地域連携中枢都市圏", "連携中枢都市圏", "水戸市", "082015", "9", "8", "2022-02-21", "",
                      f"https://w3id.org/kyoyaku/{KENOU}"]]
    assert len(areas) == 1 + 75


def test_every_query_without_a_parameter_has_its_csv(national):
    dist, _ = national
    names = sorted(p.stem for p in (dist / "queries").glob("*.csv"))
    assert names == sorted(q.name for q in downloadable_queries())
    assert "coverage-matrix" in names and "members-on" not in names  # members-on needs a date
    matrix = rows(dist / "queries/coverage-matrix.csv")
    assert matrix[0] == ["連携市町村", "連携市町村の団体コード", "連携市町村名", "政策分野", "政策分野名", "取組数"]
    assert matrix[1][:3] == ["https://w3id.org/kyoyaku/municipality/082368", "082368", "小美玉市"]


def test_each_table_links_its_csv(national):
    dist, _ = national
    link = '<a href="{}" download>CSV</a>'
    area = (dist / f"{KENOU}.html").read_text(encoding="utf-8")
    assert link.format("082015.members.csv") in area and link.format("082015.agreements.csv") in area
    assert link.format("082368.agreements.csv") in (dist / "municipality/082368.html").read_text(encoding="utf-8")
    assert link.format("2022-02-21.beppyo.csv") in (dist / f"{SEED}.html").read_text(encoding="utf-8")
    front = (dist / "index.html").read_text(encoding="utf-8")
    assert link.format("areas.csv") in front
    assert '<a href="queries/coverage-matrix.csv">coverage-matrix.csv</a>' in front
    # every CSV a page links is there
    import re

    for page in [dist / f"{KENOU}.html", dist / "municipality/082368.html", dist / f"{SEED}.html", dist / "index.html"]:
        for target in re.findall(r'<a href="([^"]+\.csv)"', page.read_text(encoding="utf-8")):
            assert (page.parent / target).is_file(), (page, target)


def test_search_and_downloads_are_byte_identical_across_builds_and_hash_seeds(national, tmp_path):
    """A second build of the shipped data, in another process with another hash seed, writes the same
    bytes for the search files and every CSV."""
    from ..conftest import ROOT, SEED, cli

    dist, _ = national
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / SEED.name).write_bytes(SEED.read_bytes())
    again = tmp_path / "dist"
    done = cli("build", "--sources", sources, "--registry", ROOT / "data" / "registry", "--out", again, "--quiet",
               cwd=tmp_path, PYTHONHASHSEED="12345")
    assert done.returncode == 0, done.stderr
    names = ["search.html", "search.js", "search-index.json", "search-index.js",
             *(str(p.relative_to(dist)) for p in sorted(dist.rglob("*.csv")))]
    assert len(names) > 600
    assert [n for n in names if (again / n).read_bytes() != (dist / n).read_bytes()] == []
