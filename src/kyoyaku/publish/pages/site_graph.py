"""Reading the published data for the pages (publish.pages): the `Site` — the data in a pyoxigraph
store, the concept labels of the shipped ontology, and the path of each page — and how an agreement
is named."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property, lru_cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Literal, URIRef

from ...graph.iris import ELI, KYO, SKOS, site_path
from ...graph.oxterms import TermConverter, rdflib_term
from ...shacl.shapes import reference_graph
from ...sparql.query import find_query, run
from .language import english, name

# An amending agreement and a consolidated version are works of their own (eli:LegalResource), not
# kyo:Agreement: they get pages of their own (publish.pages.amending, publish.pages.version).
PAGE_TYPES = (KYO.Agreement, KYO.Municipality, KYO.PartnershipArea, KYO.AmendingAgreement, KYO.ConsolidatedVersion,
              KYO.StatedTotal)
# What an agreement is called in each framework (the notation of its kyo:framework concept).
AGREEMENT_KIND = {"renkei-chusu": "連携協約", "teiju-jiritsu": "定住自立圏形成協定"}
# The same in English, as the kind of an agreement in a table (the agreements_table's column).
AGREEMENT_KIND_EN = {"renkei-chusu": "Partnership agreement (Local Autonomy Act, Art. 252-2)",
                     "teiju-jiritsu": "Independent Settlement Area agreement"}
# The same in English, as a title begins (the frameworks' names are the ontology's English labels).
AGREEMENT_TITLE_EN = {"renkei-chusu": "Partnership agreement",
                      "teiju-jiritsu": "Independent Settlement Area agreement"}


class Site:
    """The data (a pyoxigraph store, read as rdflib terms), the concept labels and where each page goes."""

    def __init__(self, data: ox.Store):
        self.store = data
        self.ref = reference_graph()
        # A node's triples are read from the store once and kept while its page (and the next
        # few) are written: a page reads each node's properties many times. Bounded, so the site
        # of 10,000 agreements does not end up as a second copy of the data in Python objects.
        self._term = lru_cache(maxsize=1 << 16)(rdflib_term)
        self._properties = lru_cache(maxsize=1 << 15)(self._read_properties)
        self._subjects = lru_cache(maxsize=1 << 12)(self._read_subjects)
        self.paths = {iri: f"{site_path(str(iri))}.html" for kind in PAGE_TYPES
                      for iri in self.of_type(kind) if site_path(str(iri))}

    def _read_properties(self, node: URIRef | BNode) -> dict:
        """predicate IRI → the values of `node`, as pyoxigraph terms: each (node, predicate) is
        made rdflib terms and sorted when first asked for (`objects`). Keyed by plain strings:
        rdflib terms compare in Python, slowly."""
        found: dict = {}
        if type(node) is Literal:  # no subject: it has no properties
            return found
        for quad in self.store.quads_for_pattern(_ox_node(node), None, None):
            values = found.get(quad.predicate.value)
            if values is None:
                found[quad.predicate.value] = [quad.object]
            else:
                values.append(quad.object)
        return found

    def _read_subjects(self, prop: URIRef, node) -> list:
        term = self._term
        return sorted({term(q.subject) for q in self.store.quads_for_pattern(None, ox.NamedNode(prop), _ox_node(node))})

    def of_type(self, kind: URIRef) -> list[URIRef]:
        return [s for s in self.subjects(RDF.type, kind) if isinstance(s, URIRef)]

    def has_type(self, node, kind: URIRef) -> bool:
        return self.has(node, RDF.type, kind)

    def has(self, node, prop, value) -> bool:
        """Whether the triple (node, prop, value) is in the data."""
        return value in self.objects(node, prop)

    def one(self, node, prop):
        """The first value of `prop` (None for a missing node or value)."""
        values = self.objects(node, prop)
        return values[0] if values else None

    def objects(self, node, prop) -> list:
        if node is None:
            return []
        by_predicate = self._properties(node)
        prop = str(prop)
        values = by_predicate.get(prop)
        if values is None:
            return []
        if type(values) is list:  # as read from the store: made rdflib terms and sorted, once
            term = self._term
            values = by_predicate[prop] = ((term(values[0]),) if len(values) == 1
                                           else tuple(sorted({term(v) for v in values})))
        return list(values)  # a copy: callers may extend it

    def subjects(self, prop, node) -> list:
        return [] if node is None else list(self._subjects(prop, node))

    def value(self, node, prop) -> str | None:
        """One value of `prop` as a string, Japanese preferred; None if absent."""
        literal = pick(self.objects(node, prop))
        return None if literal is None else str(literal)

    def label(self, node, lang: str = "ja") -> str:
        """A municipality's or area's rdfs:label, a concept's skos:prefLabel (from the ontology),
        else the last segment of the IRI."""
        if node is None:
            return "不明"
        for objects in (self.objects, lambda n, prop: sorted(self.ref.objects(n, prop))):
            for prop in (RDFS.label, SKOS.prefLabel):
                found = pick(objects(node, prop), lang)
                if found is not None:
                    return str(found)
        return str(node).rstrip("/").rsplit("/", 1)[-1]

    def municipality_name(self, m) -> str:
        return self.label(m)

    def party_name(self, party) -> str:
        """The party's municipality, else its name as written (a name that matched no municipality)."""
        m = self.one(party, KYO.municipality)
        return self.label(m) if m is not None else (self.value(party, KYO.nameAsWritten) or "不明")

    def line(self, node) -> tuple[int, str]:
        """Document order of a part of an agreement (its line in the source), then its IRI."""
        value = self.one(node, KYO.sourceLine)
        return (int(value) if value is not None else 0, str(node))

    def parties(self, agreement) -> list:
        return sorted(self.objects(agreement, KYO.hasParty), key=lambda p: (int(self.one(p, KYO.order) or 0), str(p)))

    def framework(self, node) -> str | None:
        fw = self.one(node, KYO.framework)
        return None if fw is None else str(fw).rsplit("/", 1)[-1]

    def agreements_of_area(self, area) -> list:
        """The agreements (kyo:Agreement) of the area by date: not its amending agreements, which name
        the area too but are works of their own."""
        return sorted((a for a in self.subjects(KYO.area, area) if self.has_type(a, KYO.Agreement)),
                      key=lambda a: (self.value(a, ELI.date_document) or "9999", str(a)))

    @cached_property
    def coverage(self) -> list[list]:
        """The rows of the shipped `coverage` query on the data: per framework, what is listed against
        the stated national total (the front page and the totals' pages say what the query says)."""
        return run(self.store, find_query("coverage")).rows

    @cached_property
    def parties_by_municipality(self) -> dict:
        index = defaultdict(list)
        term = self._term
        for quad in self.store.quads_for_pattern(None, ox.NamedNode(KYO.municipality), None):
            index[term(quad.object)].append(term(quad.subject))
        return index


def _ox_node(node: URIRef | BNode | Literal):
    return ox.NamedNode(node) if type(node) is URIRef else TermConverter()(node)


def pick(values: list, lang: str = "ja"):
    """The literal in `lang`, else one without a language, else the first (values come sorted)."""
    if not values:
        return None
    for wanted in (lang, None):
        for v in values:
            if isinstance(v, Literal) and v.language == wanted:
                return v
    return values[0]


def is_record(site: Site, agreement) -> bool:
    return site.has_type(agreement, KYO.AgreementRecord)


def japanese_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def english_list(items: list[str]) -> str:
    """「A」, 「A and B」, 「A, B and C」."""
    return " and ".join(items) if len(items) < 3 else f"{', '.join(items[:-1])} and {items[-1]}"


# agreement_title and agreement_label name an agreement in the page's language (language.py): as
# text (a <title>, the search index) or, `…_html`, as HTML whose names are escaped and, on an
# English page, marked Japanese (language.name). `mark` is what becomes of each name.


def agreement_title(site: Site, a, mark=str) -> str:
    """The title as written, or for a record: 「水戸市と笠間市の連携協約」, "Partnership agreement between
    水戸市 and 笠間市"."""
    title = site.value(a, ELI.title)
    if title:
        return mark(title)
    names = [mark(site.party_name(p)) for p in site.parties(a)]
    framework = site.framework(a) or ""
    if english():
        kind = AGREEMENT_TITLE_EN.get(framework, "Agreement")
        return f"{kind} {'between' if len(names) > 1 else 'of'} {english_list(names)}"
    return f"{'と'.join(names)}の{AGREEMENT_KIND.get(framework, '協約')}"


def agreement_title_html(site: Site, a) -> str:
    return agreement_title(site, a, mark=name)


def party_names(site: Site, a, mark=str) -> str:
    """The parties of `a` as one group of names, in Japanese on either page: 「水戸市・小美玉市」."""
    return mark("・".join(site.party_name(p) for p in site.parties(a)))


def agreement_label(site: Site, a, mark=str) -> str:
    """Parties and date: how one agreement is told from the others of the same area —
    「水戸市・小美玉市、2022年2月21日」, "水戸市・小美玉市, 2022-02-21"."""
    date = site.value(a, ELI.date_document)
    if english():
        return f"{party_names(site, a, mark)}, {date or 'date unknown'}"
    return f"{party_names(site, a, mark)}、{japanese_date(date) if date else '日付不明'}"


def agreement_label_html(site: Site, a) -> str:
    return agreement_label(site, a, mark=name)


def version_name(site: Site, v) -> str:
    """A consolidated version by the date it took effect: 「2023年4月1日から有効な版」, "Version in force
    from 2023-04-01"."""
    since = site.value(v, ELI.first_date_entry_in_force)
    if english():
        return f"Version in force from {since}" if since else "Version with no date of entry into force"
    return f"{japanese_date(since)}から有効な版" if since else "施行日不明の版"


def versions_of(site: Site, a) -> list:
    """The consolidated versions of agreement `a` (kyo:version), in the order they took effect (those
    without a date last)."""
    return sorted(site.objects(a, KYO.version),
                  key=lambda v: (site.value(v, ELI.first_date_entry_in_force) or "9999", str(v)))


def version_in_force(site: Site, a):
    """The version of `a` in force as far as the data knows (「現在有効な版」): the one with the latest
    eli:first_date_entry_in_force, unless it or `a` itself is no longer in force; None without one.
    "As far as the data knows", not as of the day the pages are built: the same data must give the
    same pages, and a version the data has took effect on a date its sources already state."""
    if site.value(a, ELI.date_no_longer_in_force):
        return None
    dated = [v for v in versions_of(site, a) if site.value(v, ELI.first_date_entry_in_force)]
    if not dated or site.value(dated[-1], ELI.date_no_longer_in_force):
        return None
    return dated[-1]
