"""One page of every kind the site has, for the browser tests that look at each at a phone's and a
desktop's width (test_layout_browser.py) and for docs/screenshots.py: kind → (build, path in dist/).

"shipped" is the build of the shipped data (the seed and data/registry: the `national` fixture),
"amended" the seed with the fictional amending agreements of tests/fixtures/amendments (the `amended`
fixture), the only build with an amending agreement's full text and a consolidated version.

Every page exists in English too, at en/{path} (publish.pages.language): the "en-" kinds are the English
versions of the pages whose English differs most in length and layout from the Japanese (the front page,
the seed's full text, an area, the report, the search page).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

PAGE_KINDS = {
    "front": ("shipped", "index.html"),
    "agreement": ("shipped", "agreement/082015-082368/2022-02-21.html"),  # the seed: full text and 別表
    "record": ("shipped", "agreement/011002-012033/2019-03-29.html"),  # a long source address in its notes
    "amending": ("amended", "agreement/082015-082368/2023-03-20.html"),
    "amending-record": ("shipped", "agreement/012025-013714/2023-12-18.html"),
    "version": ("amended", "agreement/082015-082368/2022-02-21/version/2023-04-01.html"),  # with its 別表
    "municipality": ("shipped", "municipality/082015.html"),
    "area": ("shipped", "area/renkei-chusu/151009.html"),  # a note on every member's row
    "statistic": ("shipped", "statistic/renkei-chusu/2024-04-01.html"),
    "report": ("shipped", "report/index.html"),
    "ontology": ("shipped", "ontology/index.html"),
    "vocabulary": ("shipped", "ns.html"),  # the namespace's IRI (publish.ontodoc.vocabulary)
    "concept-scheme": ("shipped", "concept/policy-field.html"),
    "concept": ("shipped", "concept/policy-field/tourism.html"),
    "catalog": ("shipped", "catalog.html"),  # the catalog's IRI (publish.ontodoc.catalog_page)
    "municipalities": ("shipped", "municipalities.html"),  # the index pages (publish.pages.indexes)
    "areas": ("shipped", "areas.html"),
    "texts": ("shipped", "texts.html"),
    "search": ("shipped", "search.html"),
    "en-front": ("shipped", "en/index.html"),
    "en-agreement": ("shipped", "en/agreement/082015-082368/2022-02-21.html"),
    "en-area": ("shipped", "en/area/renkei-chusu/151009.html"),
    "en-report": ("shipped", "en/report/index.html"),
    "en-search": ("shipped", "en/search.html"),
}

# The search pages are looked at with results: the query given in the address (search.js reads ?q=).
SEARCHED = {"search": "水戸市", "en-search": "水戸市"}


def page_address(kind: str, dist: Path) -> str:
    """The file:// address of the page of `kind` in `dist` (its build), with its query where it has one."""
    address = (dist / PAGE_KINDS[kind][1]).as_uri()
    return f"{address}?q={quote(SEARCHED[kind])}" if kind in SEARCHED else address
