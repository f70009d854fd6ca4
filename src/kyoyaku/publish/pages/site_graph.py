"""Reading the published graph for the pages (publish.pages): the `Site` — the graph, the concept
labels of the shipped ontology, and the path of each page — and how an agreement is named."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ...graph.iris import ELI, KYO, SKOS, site_path
from ...shacl.shapes import reference_graph

PAGE_TYPES = (KYO.Agreement, KYO.Municipality, KYO.PartnershipArea)
# What an agreement is called in each framework (the notation of its kyo:framework concept).
AGREEMENT_KIND = {"renkei-chusu": "連携協約", "teiju-jiritsu": "定住自立圏形成協定"}


class Site:
    """The graph, the concept labels and where each page goes."""

    def __init__(self, data: Graph):
        self.g = data
        self.ref = reference_graph()
        self.paths = {iri: f"{site_path(str(iri))}.html" for kind in PAGE_TYPES
                      for iri in self.of_type(kind) if site_path(str(iri))}

    def of_type(self, kind: URIRef) -> list[URIRef]:
        return sorted({s for s in self.g.subjects(RDF.type, kind) if isinstance(s, URIRef)})

    def has_type(self, node, kind: URIRef) -> bool:
        return (node, RDF.type, kind) in self.g

    def one(self, node, prop):
        """The value of `prop` (None for a missing node: rdflib would read None as a wildcard)."""
        return None if node is None else self.g.value(node, prop)

    def objects(self, node, prop) -> list:
        return [] if node is None else sorted(self.g.objects(node, prop))

    def subjects(self, prop, node) -> list:
        return [] if node is None else sorted(self.g.subjects(prop, node))

    def value(self, node, prop) -> str | None:
        """One value of `prop` as a string, Japanese preferred; None if absent."""
        literal = pick(self.objects(node, prop))
        return None if literal is None else str(literal)

    def label(self, node, lang: str = "ja") -> str:
        """A municipality's or area's rdfs:label, a concept's skos:prefLabel (from the ontology),
        else the last segment of the IRI."""
        if node is None:
            return "不明"
        for graph in (self.g, self.ref):
            for prop in (RDFS.label, SKOS.prefLabel):
                found = pick(sorted(graph.objects(node, prop)), lang)
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
        return sorted(self.g.objects(agreement, KYO.hasParty), key=lambda p: (int(self.one(p, KYO.order) or 0), str(p)))

    def framework(self, node) -> str | None:
        fw = self.one(node, KYO.framework)
        return None if fw is None else str(fw).rsplit("/", 1)[-1]

    def agreements_of_area(self, area) -> list:
        return sorted(self.subjects(KYO.area, area), key=lambda a: (self.value(a, ELI.date_document) or "9999", str(a)))

    @cached_property
    def parties_by_municipality(self) -> dict:
        index = defaultdict(list)
        for party, m in self.g.subject_objects(KYO.municipality):
            index[m].append(party)
        return index


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


def agreement_title(site: Site, a) -> str:
    """The title as written, or for a record: 「水戸市と笠間市の連携協約」."""
    title = site.value(a, ELI.title)
    if title:
        return title
    names = [site.party_name(p) for p in site.parties(a)]
    return f"{'と'.join(names)}の{AGREEMENT_KIND.get(site.framework(a) or '', '協約')}"


def agreement_label(site: Site, a) -> str:
    """Parties and date: how one agreement is told from the others of the same area."""
    names = "・".join(site.party_name(p) for p in site.parties(a))
    date = site.value(a, ELI.date_document)
    return f"{names}、{japanese_date(date) if date else '日付不明'}"
