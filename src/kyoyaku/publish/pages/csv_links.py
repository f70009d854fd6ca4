"""Where the site's CSV downloads are and the links to them (the CSVs are written by
publish.downloads): a table of a page is beside the page, `{page stem}.{table}.csv`
(area/renkei-chusu/082015.members.csv); the list of areas is `areas.csv`; each shipped query that
runs without a parameter is `queries/{name}.csv`."""

from __future__ import annotations

import posixpath

from ...graph.iris import KYO
from ...graph.render import parts as parts_below
from ...sparql.query import Query, list_queries
from .html import Page, e
from .language import english, japanese_path, name
from .site_graph import Site, is_record

AREAS_CSV = "areas.csv"
QUERIES_DIR = "queries"
# The tables of the pages, by name: what each CSV beside a page holds.
TABLES = {"members": "構成市町村", "agreements": "協約", "beppyo": "別表"}


def table_csv_path(page_path: str, table: str) -> str:
    """The CSV of table `table` (TABLES) of the page at `page_path`."""
    return f"{page_path.removesuffix('.html')}.{table}.csv"


def csv_link(page: Page, target: str) -> str:
    """A paragraph with the link to a table's CSV (site path `target`), to put after the table."""
    note = (" (UTF-8 with a byte order mark: opens in Excel)" if english()
            else '（Excel 対応、UTF-8） <span class="en" lang="en">CSV for spreadsheets</span>')
    return f'<p class="download"><a href="{e(page.href(target))}" download>CSV</a>{note}</p>'


def table_link(page: Page, table: str) -> str:
    """The link to the CSV of `table` (TABLES) of this page: beside the Japanese page, for both versions."""
    return csv_link(page, table_csv_path(japanese_path(page.path), table))


def downloadable_queries() -> list[Query]:
    """The shipped queries that run without a parameter (all optional or none), by name."""
    return [q for q in list_queries() if all(p.optional for p in q.parameters)]


def query_csv_path(query: Query) -> str:
    return posixpath.join(QUERIES_DIR, f"{query.name}.csv")


def query_links(page: Page) -> str:
    """The list of the queries' CSVs, each with its title (for the front page's downloads)."""
    items = "\n".join(f'<li><a href="{e(page.href(query_csv_path(q)))}">{e(q.name)}.csv</a>: {query_title(q)}</li>'
                      for q in downloadable_queries())
    return f"<ul>\n{items}\n</ul>"


def query_title(query: Query) -> str:
    """A query's title as HTML: its header says it as 「Japanese / English」; an English page shows the
    English half (the whole, marked by name(), where it has no English)."""
    _, _, in_english = query.title.partition(" / ")
    if english():
        return e(in_english) if in_english else name(query.title)
    return e(query.title)


def has_beppyo(site: Site, a) -> bool:
    """Whether full text `a` has 別表 rows (its page then links their CSV)."""
    return not is_record(site, a) and any(site.has_type(n, KYO.Initiative) for n in parts_below(site, a))
