"""Map the parsed model to RDF, following docs/rdf-mapping.md (IRIs from `kyoyaku.graph.iris`)."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from ..resources import mapping_table
from ..text.model import Agreement, Initiative, Municipality, Party
from . import iris
from .iris import DCTERMS, ELI, KYO, PROV, TIME

UNIT_TYPES = {"year": TIME.unitYear, "month": TIME.unitMonth, "day": TIME.unitDay}


def new_graph() -> Graph:
    """An empty graph with only our prefixes bound (no rdflib defaults). Its store keeps no named
    graphs (rdflib's SimpleMemory): nothing here uses them, and adding is ~30% faster."""
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in iris.PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def ja(text: str) -> Literal:
    return Literal(text, lang="ja")


def agreement_iri(agreement: Agreement) -> URIRef:
    return iris.agreement([p.code or "unknown" for p in agreement.parties], agreement.date, agreement.framework)


def to_graphs(agreements: Iterable[Agreement], graph: Graph | None = None) -> Graph:
    """Every agreement in one graph. The garbage collector is paused meanwhile: the mapping makes
    millions of small objects and no cycles, so its passes cost a third of the time for nothing."""
    g = graph if graph is not None else new_graph()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for agreement in agreements:
            to_graph(agreement, g)
    finally:
        if enabled:
            gc.enable()
    return g


class Cite:
    """Adds where a node was read: its line (kyo:sourceLine) and, when the reader knew it, the
    line's place in the original file (kyo:sourceOrigin: a PDF page and box, an HTML element path)."""

    def __init__(self, g: Graph, origins: list[str] | None):
        self.g, self.origins = g, origins or []

    def __call__(self, node: URIRef, line: int) -> None:
        self.g.add((node, KYO.sourceLine, Literal(line)))
        if 0 < line <= len(self.origins) and self.origins[line - 1]:
            self.g.add((node, KYO.sourceOrigin, Literal(self.origins[line - 1])))


def text_node(g: Graph, cite: Cite, node: URIRef, rdf_type: URIRef, text: str, line: int, parent: URIRef) -> URIRef:
    """A node of the text (a segment, paragraph, item, 別表) with its words and line, part of `parent`."""
    g.add((node, RDF.type, rdf_type))
    g.add((node, KYO.text, ja(text)))
    cite(node, line)
    g.add((node, ELI.is_part_of, parent))
    return node


def add_work(g: Graph, a: URIRef, rdf_type: URIRef, document: Agreement, cite: Cite,
             segments: tuple) -> tuple[dict[int, URIRef], dict[int, str]]:
    """What an agreement and an amending agreement (graph.amendments) share: the type, framework,
    title, date, the text segments outside the articles ((property, slug, segment) each), the parties
    and the signatures. Returns the parties' IRIs and slugs by their order."""
    add = g.add
    add((a, RDF.type, rdf_type))
    add((a, KYO.framework, iris.concept("framework", document.framework)))
    if document.title:
        add((a, ELI.title, ja(document.title)))
    if document.title_line:
        cite(a, document.title_line)
    if document.date:
        add((a, ELI.date_document, Literal(document.date, datatype=XSD.date)))
    if document.date_as_written:
        add((a, KYO.dateAsWritten, Literal(document.date_as_written)))
    for prop, slug, segment in segments:
        if segment:
            add((a, prop, text_node(g, cite, URIRef(f"{a}/{slug}"), KYO.TextSegment, segment.text, segment.line, a)))
    slugs = {p.order: iris.designation_slug(p.designation, p.order) for p in document.parties}
    party_iris = {order: URIRef(f"{a}/party/{slug}") for order, slug in slugs.items()}
    for party in document.parties:
        add_party(g, a, party_iris[party.order], party, cite)
    for signature in document.signatures:
        s = URIRef(f"{a}/signature/{slugs[signature.party]}")
        add((a, KYO.signature, s))
        add_party_statement(g, s, KYO.Signature, signature.text, signature.line, party_iris[signature.party], cite)
        for prop, value in ((KYO.address, signature.address), (KYO.signatoryTitle, signature.title),
                            (KYO.signatoryName, signature.name)):
            if value:
                add((s, prop, Literal(value)))
    return party_iris, slugs


def to_graph(agreement: Agreement, graph: Graph | None = None) -> Graph:
    """The agreement, its parties' municipalities, its area and legal basis as one graph."""
    g = graph if graph is not None else new_graph()
    a = agreement_iri(agreement)
    add = g.add
    cite = Cite(g, agreement.source.line_origins)
    party_iris, slugs = add_work(g, a, KYO.Agreement, agreement, cite, (
        (KYO.cover, "cover", agreement.cover),
        (KYO.preamble, "preamble", agreement.preamble),
        (KYO.closingFormula, "closing", agreement.closing),
        (KYO.dateStatement, "date", agreement.date_segment),
    ))
    add_fact_sources(g, a, agreement, cite)
    if agreement.legal_basis and agreement.framework == "renkei-chusu":  # a 定住自立圏 協定 rests on the 要綱
        add((a, ELI.based_on, iris.RENKEI_KYOYAKU_BASIS))
        add_legal_basis(g)

    add_parts(g, a, agreement, party_iris, slugs, cite)

    if agreement.lapse_period:
        lapse = agreement.lapse_period
        d = URIRef(f"{a}/lapse-period")
        add((a, KYO.lapsePeriod, d))
        add((d, RDF.type, TIME.Duration))
        # Lexical form "2.0": the form Turtle's decimal shorthand writes, so every format agrees.
        add((d, TIME.numericDuration, Literal(f"{Decimal(lapse.amount):.1f}", datatype=XSD.decimal)))
        add((d, TIME.unitType, UNIT_TYPES[lapse.unit]))
        add((d, PROV.wasDerivedFrom, URIRef(f"{a}/{iris.article_slug(lapse.article)}__para_{lapse.paragraph}")))
    if agreement.notice_requires_council_resolution:
        add((a, KYO.noticeRequiresCouncilResolution, Literal(True)))
    errors = [d for d in agreement.diagnostics if d.level == "error"]
    if errors:  # only published with --allow-incomplete: say what is missing
        add((a, KYO.incomplete, Literal(True)))
        for d in errors:
            add((a, KYO.parseDiagnostic, Literal(f"line {d.line}: {d.message}" if d.line else d.message)))

    for scheme, attribute in (("policy-field", "policy_field"), ("teiju-policy-field", "teiju_policy_field")):
        if any(getattr(row, attribute) for row in agreement.initiatives):
            add((a, KYO.policyFieldMapping, add_mapping_table(g, scheme)))
    add_area(g, a, agreement)
    add_source(g, a, agreement)
    add_query_shortcuts(add, a, agreement, party_iris)
    return g


def add_parts(g: Graph, a: URIRef, agreement: Agreement, party_iris: dict[int, URIRef], slugs: dict[int, str],
              cite: Cite) -> None:
    """The text's parts under `a` (an agreement, or a consolidated version of one: graph.amendments):
    articles with their paragraphs and items, inline initiatives, 別表 with sections and rows."""
    add = g.add

    def part(node: URIRef, rdf_type: URIRef, text: str, line: int, parent: URIRef) -> URIRef:
        return text_node(g, cite, node, rdf_type, text, line, parent)

    for article in agreement.articles:
        art = article_iri(a, article)
        add((a, ELI.has_part, art))
        add((art, RDF.type, KYO.Article))
        add((art, ELI.is_part_of, a))
        add((art, ELI.number, Literal(article.number_as_written)))
        add((art, KYO.ordinal, Literal(article.ordinal)))
        add((art, KYO.clauseKind, iris.concept("clause-kind", article.clause_kind)))
        cite(art, article.heading_line or article.line)
        if article.heading:
            add((art, ELI.title, ja(article.heading)))
        for paragraph in article.paragraphs:
            para = part(URIRef(f"{art}__para_{paragraph.ordinal}"), KYO.Paragraph, paragraph.text,
                             paragraph.line, art)
            add((art, ELI.has_part, para))
            add((para, KYO.ordinal, Literal(paragraph.ordinal)))
            if paragraph.number:
                add((para, ELI.number, Literal(paragraph.number)))
            points = {i.ordinal: URIRef(f"{para}__point_{i.ordinal}") for i in paragraph.items}
            for item in paragraph.items:  # nested: (ア) is part of the (2) above it
                parent = points[item.parent] if item.parent else para
                add((parent, ELI.has_part, part(points[item.ordinal], KYO.Item, item.text, item.line, parent)))
                add((points[item.ordinal], ELI.number, Literal(item.label)))
                add((points[item.ordinal], KYO.ordinal, Literal(item.ordinal)))
        for row in article.initiatives:  # roles written inline in the article
            add_initiative(g, art, row_iri(art, row), row, party_iris, slugs, cite)

    for appendix in agreement.appendices:
        ap = appendix_iri(a, appendix)
        add((a, ELI.has_part, ap))
        part(ap, KYO.Appendix, appendix.heading_text, appendix.line, a)
        add((ap, ELI.number, Literal(appendix.number)))
        add((ap, KYO.ordinal, Literal(appendix.ordinal)))
        if appendix.table_header:
            add((ap, KYO.tableHeader, Literal(appendix.table_header)))
        sections: dict[str, URIRef] = {}
        for section in appendix.sections:
            sec = URIRef(f"{ap}/sec_{section.key}")
            sections[section.key] = sec
            parent = sections[section.parent] if section.parent else ap
            add((parent, ELI.has_part, sec))
            add((sec, RDF.type, KYO.AppendixSection))
            add((sec, ELI.is_part_of, parent))
            add((sec, ELI.number, Literal(section.number)))
            add((sec, ELI.title, ja(section.title)))
            cite(sec, section.line)
            if section.table_header:
                add((sec, KYO.tableHeader, Literal(section.table_header)))
        for row in appendix.initiatives:
            add_initiative(g, sections.get(row.section, ap), row_iri(ap, row), row, party_iris, slugs, cite)


def article_iri(a: URIRef, article) -> URIRef:
    return URIRef(f"{a}/{iris.article_slug(article.number)}")


def appendix_iri(a: URIRef, appendix) -> URIRef:
    return URIRef(f"{a}/annex_{appendix.ordinal}")


def row_iri(container: URIRef, row: Initiative) -> URIRef:
    """An initiative's IRI: numbered within its article, or through its appendix (its sections too)."""
    return URIRef(f"{container}/item_{row.number}")


def add_query_shortcuts(add, a: URIRef, agreement: Agreement, party_iris: dict[int, URIRef],
                        version: bool = False) -> None:
    """What the shipped queries would otherwise recompute for every row they read (issue 19): each
    initiative's agreement (kyo:partOfAgreement, the end of its eli:is_part_of chain), its leading
    parties (kyo:ledBy: the parties of its role statements with kyo:leads true) and its texts in
    lower case in one literal (kyo:searchText: 区分, 連携する取組 and the role texts, for keyword search).
    `version`: the rows of a consolidated version (graph.amendments), which have kyo:partOfVersion
    instead, and no kyo:ledBy: the shipped queries, which count rows by these, see each row once."""
    rows = [(row_iri(article_iri(a, article), row), row) for article in agreement.articles
            for row in article.initiatives]
    rows += [(row_iri(appendix_iri(a, appendix), row), row) for appendix in agreement.appendices
             for row in appendix.initiatives]
    for item, row in rows:
        if version:  # a consolidated version's rows: the queries count an agreement's own rows once
            add((item, KYO.partOfVersion, a))
        else:
            add((item, KYO.partOfAgreement, a))
            for role in row.roles:
                if role.leads:
                    add((item, KYO.ledBy, party_iris[role.party]))
        texts = [row.category, row.description, *(role.text for role in row.roles)]
        add((item, KYO.searchText, Literal("\n".join(texts).lower())))


def add_initiative(g: Graph, parent: URIRef, item: URIRef, row: Initiative, party_iris: dict[int, URIRef],
                   slugs: dict[int, str], cite: Cite) -> None:
    add = g.add
    add((parent, ELI.has_part, item))
    add((item, RDF.type, KYO.Initiative))
    add((item, ELI.is_part_of, parent))
    add((item, ELI.number, Literal(str(row.number))))
    add((item, KYO.category, ja(row.category)))
    add((item, KYO.description, ja(row.description)))
    cite(item, row.line)
    if row.policy_field:
        add((item, KYO.policyField, iris.concept("policy-field", row.policy_field)))
        add((item, KYO.policyFieldMatch, Literal(row.policy_field_match)))
    if row.teiju_policy_field:
        add((item, KYO.teijuPolicyField, iris.concept("teiju-policy-field", row.teiju_policy_field)))
        add((item, KYO.teijuPolicyFieldMatch, Literal(row.teiju_policy_field_match)))
    for role in row.roles:
        r = URIRef(f"{item}/role/{slugs[role.party]}")
        add((item, KYO.roleStatement, r))
        add_party_statement(g, r, KYO.RoleStatement, role.text, role.line, party_iris[role.party], cite)
        add((r, KYO.leads, Literal(role.leads)))


def add_party_statement(g: Graph, node: URIRef, rdf_type: URIRef, text: str, line: int, party: URIRef,
                        cite: Cite) -> None:
    """A text one party states: a role statement or a signature block."""
    g.add((node, RDF.type, rdf_type))
    g.add((node, KYO.text, ja(text)))
    cite(node, line)
    g.add((node, KYO.party, party))


def add_party(g: Graph, a: URIRef, p: URIRef, party: Party, cite: Cite) -> None:
    g.add((a, KYO.hasParty, p))
    g.add((p, RDF.type, KYO.Party))
    if party.designation:
        g.add((p, KYO.designation, ja(party.designation)))
    g.add((p, KYO.nameAsWritten, ja(party.name)))
    g.add((p, KYO.order, Literal(party.order)))
    g.add((p, KYO.role, iris.concept("party-role", party.role)))
    if party.line:
        cite(p, party.line)
    if party.municipality:
        g.add((p, KYO.municipality, add_municipality(g, party.municipality)))


def add_fact_sources(g: Graph, a: URIRef, agreement: Agreement, cite: Cite) -> None:
    """Where the date, the notice and the council bill were read: each a node with its line
    (kyo:sourceLine, as every text node has), the date also with the kind of place it came from."""
    if agreement.date_source:
        g.add((a, KYO.dateSource, iris.concept("date-source", agreement.date_source)))
    if agreement.date_line:
        location = URIRef(f"{a}/date-location")
        g.add((a, KYO.dateLocation, location))
        g.add((location, RDF.type, KYO.SourceLocation))
        cite(location, agreement.date_line)
    if agreement.notice:
        notice = URIRef(f"{a}/notice")
        g.add((a, KYO.publicNotice, notice))
        g.add((notice, RDF.type, KYO.PublicNotice))
        g.add((notice, ELI.number, Literal(agreement.notice)))
        if agreement.notice_line:
            cite(notice, agreement.notice_line)
    if agreement.bill:
        bill = URIRef(f"{a}/bill")
        g.add((a, KYO.councilBill, bill))
        g.add((bill, RDF.type, KYO.CouncilBill))
        g.add((bill, DCTERMS.identifier, Literal(agreement.bill.number)))
        g.add((bill, DCTERMS.title, ja(agreement.bill.title)))
        if agreement.bill.date:
            g.add((bill, DCTERMS.dateSubmitted, Literal(agreement.bill.date, datatype=XSD.date)))
        cite(bill, agreement.bill.line)


def add_municipality(g: Graph, m: Municipality) -> URIRef:
    node = iris.municipality(m.code)
    g.add((node, RDF.type, KYO.Municipality))
    g.add((node, DCTERMS.identifier, Literal(m.code)))
    g.add((node, RDFS.label, ja(m.name)))
    g.add((node, KYO.prefectureName, ja(m.prefecture)))
    g.add((node, DCTERMS.spatial, iris.estat_area(m.code)))
    return node


def add_area(g: Graph, a: URIRef, agreement: Agreement) -> None:
    """The 圏域 the preamble names, keyed by its core city; the agreement itself is the source."""
    cores = [p.code for p in agreement.parties if p.role == "core-city" and p.code]
    if not agreement.area_name or not cores:
        return
    area = iris.area(agreement.framework, cores)
    g.add((a, KYO.area, area))
    g.add((area, RDF.type, KYO.PartnershipArea))
    g.add((area, RDFS.label, ja(agreement.area_name)))
    g.add((area, KYO.framework, iris.concept("framework", agreement.framework)))
    for code in cores:
        g.add((area, KYO.coreCity, iris.municipality(code)))
    g.add((area, DCTERMS.source, a))


def add_mapping_table(g: Graph, scheme: str) -> URIRef:
    """A mapping table as an entity: its IRI carries the table's content hash, so every change to
    the table is a new version and each agreement says which version mapped its rows."""
    path, digest = _mapping_digest(scheme)
    node = URIRef(f"{iris.data_base()}mapping/{scheme}/{digest[:12]}")
    g.add((node, RDF.type, KYO.PolicyFieldMapping))
    g.add((node, OWL.versionInfo, Literal(digest[:12])))
    g.add((node, KYO.fileName, Literal(path.name)))
    g.add((node, KYO.sha256, Literal(digest)))
    return node


@cache
def _mapping_digest(scheme: str) -> tuple[Path, str]:
    path = mapping_table(scheme)
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def add_source(g: Graph, a: URIRef, agreement: Agreement) -> None:
    src = agreement.source
    node = URIRef(f"{a}/source")
    g.add((a, PROV.wasDerivedFrom, node))
    g.add((node, RDF.type, KYO.SourceFile))
    g.add((node, KYO.fileName, Literal(src.name)))
    g.add((node, KYO.sha256, Literal(src.sha256)))
    g.add((node, KYO.byteSize, Literal(src.byte_size)))
    g.add((node, KYO.encoding, Literal(src.encoding)))
    g.add((node, DCTERMS["format"], Literal(src.media_type)))


def add_legal_basis(g: Graph) -> None:
    law = iris.RENKEI_KYOYAKU_BASIS
    g.add((law, RDF.type, ELI.LegalResourceSubdivision))
    g.add((law, RDFS.label, ja("地方自治法第252条の2第1項")))
    g.add((law, RDFS.label, Literal("Local Autonomy Act, Article 252-2, paragraph 1", lang="en")))
    g.add((law, RDFS.seeAlso, iris.LOCAL_AUTONOMY_ACT_EGOV))
