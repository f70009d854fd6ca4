"""The human-readable site: one HTML page per agreement (full text or registry record),
municipality and partnership area, plus index.html — all built from the published data alone (a
pyoxigraph store).

Pages are Japanese first (English secondary), static HTML5 with inline CSS and no script but
the embedded JSON-LD, and every link is relative, so the tree works on any static host and from
file://. Output is deterministic: every list is sorted. `site_pages` returns relative path →
HTML; the build writes them beside the .ttl/.jsonld of the same resource.

One module per page kind — agreement (a full text), record (a registry record), amending (an
amending agreement), version (a consolidated version), municipality, area (with its time line:
timeline), statistic (a stated national total), index (the front page) — with what they share in html (the frame, CSS, links, the escaping
helper and common blocks) and site_graph (reading the graph: the Site, how agreements are named).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from ...graph.iris import KYO
from .agreement import agreement_page
from .amending import amending_page
from .area import area_page
from .html import Page
from .index import index_page
from .indexes import INDEX_PAGES
from .language import ENGLISH, JAPANESE, english_path, writing_in
from .municipality import municipality_page
from .record import record_page
from .site_graph import Site, is_record
from .statistic import statistic_page
from .version import version_page


def site_pages(data: ox.Store) -> dict[str, str]:
    """Relative path → HTML for every agreement, municipality and area of `data`, the index pages and
    index.html, each in Japanese at its path and in English at en/{path} (language.py)."""
    return dict(page_texts(data))


def page_texts(data: ox.Store) -> Iterator[tuple[str, str]]:
    """(relative path, HTML) of every page `site_pages` makes, by path, one at a time: the build
    writes each as it comes, so the pages of 10,000 agreements are never all held at once."""
    site = Site(data)
    # In this order: a node typed both (an amending agreement also typed a record) gets the later page.
    writers = {KYO.Agreement: _agreement_or_record, KYO.Municipality: municipality_page, KYO.PartnershipArea: area_page,
               KYO.AmendingAgreement: amending_page, KYO.ConsolidatedVersion: version_page,
               KYO.StatedTotal: statistic_page}
    todo = {}
    for kind, writer in writers.items():
        for iri in site.of_type(kind):
            if iri in site.paths:
                todo[site.paths[iri]] = lambda at, writer=writer, iri=iri: writer(Page(site, at), iri)
    todo["index.html"] = lambda at: index_page(Page(site, at))
    for path, writer in INDEX_PAGES.items():
        todo[path] = lambda at, writer=writer: writer(Page(site, at))
    pages = [(language_path, language, path) for path in todo
             for language, language_path in ((JAPANESE, path), (ENGLISH, english_path(path)))]
    for language_path, language, path in sorted(pages):
        with writing_in(language):
            yield language_path, todo[path](language_path)


def _agreement_or_record(page: Page, a) -> str:
    """A full text's page (agreement.py), or a registry record's (record.py)."""
    return record_page(page, a) if is_record(page.site, a) else agreement_page(page, a)
