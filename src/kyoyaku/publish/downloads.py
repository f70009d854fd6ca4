"""The site's downloads a spreadsheet opens (sparql.spreadsheet: UTF-8 with BOM, CRLF, Japanese
headers, the 団体コード beside each municipality): the CSV of every table of the pages, beside the
page (publish.pages.csv_links says where) — the list of areas, each area's members and agreements,
each municipality's agreements, each full text's 別表 rows — and of every shipped query that runs
without a parameter (`queries/NAME.csv`, as `kyoyaku query NAME --format csv --excel --limit all`
prints it on the same data).

The rows are those of the pages' tables, read with the same helpers (publish.pages), in the same
order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from ..graph.iris import DCTERMS, ELI, KYO, ORG
from ..graph.render import parts as parts_below
from ..outputs import write_staged
from ..sparql.query import Table, run
from ..sparql.spreadsheet import CODE, excel_csv, excel_table
from .pages.area import members_of
from .pages.csv_links import (
    AREAS_CSV,
    downloadable_queries,
    has_beppyo,
    query_csv_path,
    table_csv_path,
)
from .pages.municipality import agreements_of
from .pages.site_graph import AGREEMENT_KIND, Site, is_record


def _code(site: Site, m) -> str:
    return site.value(m, DCTERMS.identifier) or ""


def _formed(site: Site, area) -> str:
    """When the area was formed, as its page says it: the date, else the fiscal year (「2019年度」)."""
    fiscal = site.value(area, KYO.formedInFiscalYear)
    return site.value(area, DCTERMS.created) or (f"{fiscal}年度" if fiscal else "")


def areas_table(site: Site) -> Table:
    """The list of areas (the front page's): one row per area, by framework and IRI."""
    rows = []
    for area in sorted(site.of_type(KYO.PartnershipArea), key=lambda a: (site.framework(a) or "", str(a))):
        cores = site.objects(area, KYO.coreCity)
        fw = site.one(area, KYO.framework)
        rows.append([site.label(area), site.label(fw) if fw is not None else "",
                     "・".join(site.municipality_name(c) for c in cores), "・".join(_code(site, c) for c in cores),
                     len(members_of(site, area)), len(site.agreements_of_area(area)),
                     _formed(site, area),
                     site.value(area, KYO.endedOn) or "", str(area)])
    return Table(["圏域", "枠組み", "中心市", f"中心市の{CODE}", "構成市町村数", "協約数", "形成", "終了", "IRI"], rows)


def members_table(site: Site, area) -> Table:
    """An area's members, as its page lists them (by 団体コード)."""
    memberships = {site.one(ms, ORG.member): ms for ms in site.subjects(ORG.organization, area)}
    rows = []
    for m in members_of(site, area):
        ms = memberships.get(m)
        rows.append([site.municipality_name(m), _code(site, m), site.value(m, KYO.prefectureName) or "",
                     "中心市" if site.has(area, KYO.coreCity, m) else "構成市町村",
                     site.value(ms, KYO.memberSince) or "", site.value(ms, KYO.memberUntil) or ""])
    return Table(["市町村", CODE, "都道府県", "役割", "参加日", "終了日"], rows)


def agreements_rows(site: Site, agreements) -> Table:
    """Agreements as the pages' agreements tables list them (by date): the parties by role, each
    with its 団体コード."""
    ordered = sorted(agreements, key=lambda a: (site.value(a, ELI.date_document) or "9999", str(a)))
    rows = []
    for a in ordered:
        by_role: dict[str, list] = {"core-city": [], "partner": []}
        for p in site.parties(a):
            role = str(site.one(p, KYO.role) or "").rsplit("/", 1)[-1]
            by_role.setdefault(role, []).append(p)
        names = {role: "・".join(site.party_name(p) for p in parties) for role, parties in by_role.items()}
        codes = {role: "・".join(_code(site, site.one(p, KYO.municipality)) for p in parties)
                 for role, parties in by_role.items()}
        rows.append([site.value(a, ELI.date_document) or "", site.value(a, ELI.date_no_longer_in_force) or "",
                     names["core-city"], codes["core-city"], names["partner"], codes["partner"],
                     AGREEMENT_KIND.get(site.framework(a) or "", "協約"),
                     "登録簿のみ" if is_record(site, a) else "本文あり", str(a)])
    return Table(["締結日", "効力の最終日", "中心市", f"中心市の{CODE}", "連携市町村", f"連携市町村の{CODE}",
                  "種類", "本文", "IRI"], rows)


def beppyo_table(site: Site, a) -> Table:
    """The 別表 rows of full text `a`, in the order of its text: category, initiative, each party's role
    (◎ where it leads), the national policy field and the 定住自立圏 one."""
    parties = site.parties(a)
    rows = []
    for row in sorted((n for n in parts_below(site, a) if site.has_type(n, KYO.Initiative)), key=site.line):
        by_party = {site.one(r, KYO.party): r for r in site.objects(row, KYO.roleStatement)}
        roles = []
        for p in parties:
            statement = by_party.get(p)
            leads = statement is not None and str(site.one(statement, KYO.leads)).lower() == "true"
            roles.append(("◎" if leads else "") + (site.value(statement, KYO.text) or "" if statement is not None else ""))
        fields = [site.one(row, prop) for prop in (KYO.policyField, KYO.teijuPolicyField)]
        rows.append([site.value(row, ELI.number) or "", site.value(row, KYO.category) or "",
                     site.value(row, KYO.description) or "", *roles,
                     *(site.label(f) if f is not None else "" for f in fields)])
    heads = [f"{site.value(p, KYO.designation) or site.party_name(p)}（{site.party_name(p)}）の役割" for p in parties]
    return Table(["番号", "区分", "連携する取組", *heads, "国の政策分野", "定住自立圏の政策分野"], rows)


def table_files(data: ox.Store) -> Iterator[tuple[str, bytes]]:
    """(site path, CSV bytes) of every table of the pages (the data alone, as the pages read it)."""
    site = Site(data)
    yield AREAS_CSV, excel_csv(areas_table(site))
    for area in site.of_type(KYO.PartnershipArea):
        if area in site.paths:
            yield table_csv_path(site.paths[area], "members"), excel_csv(members_table(site, area))
            yield table_csv_path(site.paths[area], "agreements"), excel_csv(agreements_rows(site, site.agreements_of_area(area)))
    for m in site.of_type(KYO.Municipality):
        if m in site.paths:
            yield table_csv_path(site.paths[m], "agreements"), excel_csv(agreements_rows(site, agreements_of(site, m)))
    for a in site.of_type(KYO.Agreement):
        if a in site.paths and has_beppyo(site, a):
            yield table_csv_path(site.paths[a], "beppyo"), excel_csv(beppyo_table(site, a))


def query_files(store: ox.Store) -> Iterator[tuple[str, bytes]]:
    """(site path, CSV bytes) of every shipped query that runs without a parameter, on `store` (the data
    with the ontology and concept schemes, as `kyoyaku query` reads dist/kyoyaku.ttl)."""
    for query in downloadable_queries():
        yield query_csv_path(query), excel_csv(excel_table(run(store, query)))


def write_files(stage: Path, *files: Iterable[tuple[str, str | bytes]]) -> None:
    """Write (site path, content) pairs into the build's stage (outputs.write_staged)."""
    for batch in files:
        for relative, content in batch:
            write_staged(stage / relative, content)
