"""Several full texts of one area (issue 15, item 10): the normal case once a user adds an area's
agreements — partners concluding on different dates, one partner twice, one text naming the area
otherwise than the registry and the other texts. The build (and its report figures) must work
whatever the order the texts are read in, with and without the registry, and give one row per
area in the area queries.

The texts are SYNTHETIC variants of the real seed (data/sources/mito-omitama-2022-02-21.txt),
written into a temporary folder: the partner, the date, the signatories and (in one) the area name
are changed. They are not real agreements; only the seed itself is."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import kyoyaku.pipeline as build_module
from kyoyaku.pipeline import build
from kyoyaku.sparql.query import find_query, run
from kyoyaku.sparql.store import open_store

from .conftest import EPOCH, KENOU, ROOT, SEED
from .test_build_safety import snapshot

SEED_AREA = "いばらき県央地域連携中枢都市圏"
OTHER_NAME = "茨城県央地域連携中枢都市圏"  # how one synthetic text writes the area's name
# (partner, date as written, area name as written) of each synthetic text; the seed is the first
VARIANTS = {
    "synthetic-kasama-2022-02-21.txt": ("笠間市", "令和4年2月21日", SEED_AREA),
    "synthetic-naka-2023-04-01.txt": ("那珂市", "令和5年4月1日", OTHER_NAME),
    "synthetic-omitama-2024-03-29.txt": ("小美玉市", "令和6年3月29日", SEED_AREA),  # the seed's partner again
    "synthetic-tokai-2021-10-01.txt": ("東海村", "令和3年10月1日", SEED_AREA),  # before all the others
}
ORDERS = ["as listed", "reversed", "shuffled"]


def synthetic_variant(partner: str, date: str, area: str) -> str:
    text = SEED.read_text(encoding="utf-8")
    for real, synthetic in (("小美玉市堅倉835番地", f"{partner}〇〇1番地"), ("水戸市中央1丁目4番1号", "水戸市〇〇1丁目1番1号"),
                            ("高橋 靖", "架空 太郎"), ("島田 穰一", "架空 花子"), ("小美玉市", partner),
                            ("令和4年2月21日", date), (SEED_AREA, area)):
        assert real in text, real
        text = text.replace(real, synthetic)
    return text


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many-texts") / "sources"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    for name, variant in VARIANTS.items():
        (folder / name).write_text(synthetic_variant(*variant), encoding="utf-8")
    return folder


def ordered(files: list[Path], order: str) -> list[Path]:
    if order == "reversed":
        return files[::-1]
    if order == "shuffled":
        files = list(files)
        random.Random(10).shuffle(files)
    return files


def build_in_order(sources: Path, out: Path, order: str, registry: Path | None, monkeypatch):
    """`kyoyaku build` reading the texts in `order` (the build sorts them by name otherwise)."""
    listed = build_module.source_files
    monkeypatch.setattr(build_module, "source_files", lambda folder: ordered(listed(folder), order))
    try:
        return build(sources, out, registry=registry)
    finally:
        monkeypatch.setattr(build_module, "source_files", listed)


def rows(store, name: str, **params: str) -> list[dict]:
    table = run(store, find_query(name), params)
    return [dict(zip(table.columns, row)) for row in table.rows]


MITO = "https://w3id.org/kyoyaku/municipality/082015"
# the queries that name areas and can list いばらき県央 here, with their parameters (nearest-areas
# cannot: every municipality of these data that is outside it shares no member with it)
AREA_QUERIES = {"area-growth": {}, "area-sizes": {}, "area-summary": {}, "area-agreements": {},
                "multi-area-municipalities": {}, "agreements-of-municipality": {"municipality": MITO}}


@pytest.mark.parametrize("registry", ["data/registry", None])
def test_every_order_builds_the_same_tree_with_one_row_per_area(sources, tmp_path, monkeypatch, registry):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    trees = {}
    for order in ORDERS:
        out = tmp_path / order.replace(" ", "-")
        result = build_in_order(sources, out, order, ROOT / registry if registry else None, monkeypatch)
        assert len(result.agreements) == 5 and result.report.accepted
        trees[order] = snapshot(out)
    assert trees["reversed"] == trees["shuffled"] == trees["as listed"]

    store = open_store([tmp_path / "as-listed" / "kyoyaku.ttl"])
    for name, params in AREA_QUERIES.items():
        found = rows(store, name, **params)
        assert len({tuple(r.values()) for r in found}) == len(found), f"{name}: duplicate rows"
        # one name per area, the smallest of its names (without the registry いばらき県央 has no
        # joining dates and is the only area, so area-growth and multi-area-municipalities are empty)
        names = {r["area_label"] for r in found if r.get("area", KENOU) == KENOU  # agreements-of-municipality:
                 and not r.get("agreement", "").endswith("undated-teiju-jiritsu")}  # no area, but 茨城県央's records
        assert names == ({SEED_AREA} if registry or name in ("area-sizes", "area-summary", "area-agreements",
                                                             "agreements-of-municipality") else set()), name
        assert OTHER_NAME not in {r["area_label"] for r in found}, name
    for name in ("area-sizes", "area-summary"):
        areas = [r["area"] for r in rows(store, name)]
        assert len(areas) == len(set(areas)), f"{name}: an area in two rows"
    growth = [(r["date"], r["joined"], r["members"], r["undated"]) for r in rows(store, "area-growth")
              if r["area"] == KENOU]
    [summary] = [r for r in rows(store, "area-summary") if r["area"] == KENOU]
    kenou = [r for r in rows(store, "area-agreements") if r["area"] == KENOU]
    if registry:  # 8 dated members (all 2022-02-21) and the undated core city; 2 texts replace records
        assert growth == [("2022-02-21", 8, 8, 1)]
        assert (summary["members"], summary["agreements"], summary["full_texts"]) == (9, 11, 5)
    else:  # no memberships: no joining dates; the members are the texts' parties
        assert growth == []
        assert (summary["members"], summary["agreements"], summary["full_texts"]) == (5, 5, 5)
    assert len(kenou) == summary["agreements"]
    assert sorted((r["partner_name"], r["date"]) for r in kenou if r["full_text"]) == [
        ("小美玉市", "2022-02-21"), ("小美玉市", "2024-03-29"), ("東海村", "2021-10-01"), ("笠間市", "2022-02-21"),
        ("那珂市", "2023-04-01")]
    page = (tmp_path / "as-listed" / "report" / "index.html").read_text(encoding="utf-8")
    # the area table: one row, the area (its row's header: a card's title on a phone) linked to its page by name
    assert page.count('<tr><th scope="row"><a href="../area/renkei-chusu/082015.html">') == 1
