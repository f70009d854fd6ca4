"""The seed agreement as RDF: IRIs, terms and values of docs/rdf-mapping.md."""

from decimal import Decimal

from rdflib import RDF, RDFS, XSD, BNode, Literal, URIRef

from kyoyaku.graph.iris import DCTERMS, ELI, KYO, PROV, TIME

from ..conftest import SEED_IRI

A = URIRef(SEED_IRI)
MITO = URIRef("https://w3id.org/kyoyaku/municipality/082015")
OMITAMA = URIRef("https://w3id.org/kyoyaku/municipality/082368")


def q(graph, text):
    return list(graph.query(text, initNs={"kyo": KYO, "eli": ELI, "prov": PROV}))


def test_agreement_iri_title_and_date(seed_graph):
    g = seed_graph
    assert (A, RDF.type, KYO.Agreement) in g
    assert g.value(A, ELI.title) == Literal("いばらき県央地域連携中枢都市圏の形成に関する連携協約書", lang="ja")
    assert g.value(A, ELI.date_document) == Literal("2022-02-21", datatype=XSD.date)
    assert g.value(A, ELI.based_on) == URIRef("https://w3id.org/kyoyaku/law/322AC0000000067/art_252-2__para_1")
    assert g.value(A, KYO.framework) == URIRef("https://w3id.org/kyoyaku/concept/framework/renkei-chusu")


def test_parties_point_to_municipalities(seed_graph):
    g = seed_graph
    kou, otsu = URIRef(f"{A}/party/kou"), URIRef(f"{A}/party/otsu")
    assert set(g.objects(A, KYO.hasParty)) == {kou, otsu}
    assert g.value(kou, KYO.municipality) == MITO and g.value(otsu, KYO.municipality) == OMITAMA
    assert g.value(kou, KYO.designation) == Literal("甲", lang="ja")
    assert g.value(kou, KYO.role) == URIRef("https://w3id.org/kyoyaku/concept/party-role/core-city")
    assert g.value(otsu, KYO.role) == URIRef("https://w3id.org/kyoyaku/concept/party-role/partner")
    for node, code, name, sac in ((MITO, "082015", "水戸市", "C08201"), (OMITAMA, "082368", "小美玉市", "C08236")):
        assert g.value(node, DCTERMS.identifier) == Literal(code)
        assert g.value(node, RDFS.label) == Literal(name, lang="ja")
        assert g.value(node, DCTERMS.spatial) == URIRef(f"http://data.e-stat.go.jp/lod/sac/{sac}")


def test_counts(seed_graph):
    g = seed_graph
    assert len(set(g.subjects(RDF.type, KYO.Article))) == 7
    assert len(set(g.subjects(RDF.type, KYO.Paragraph))) == 9
    assert len(set(g.subjects(RDF.type, KYO.Initiative))) == 16
    assert len(set(g.subjects(RDF.type, KYO.RoleStatement))) == 32


def test_article_and_paragraph_iris(seed_graph):
    g = seed_graph
    art3 = URIRef(f"{A}/art_3")
    assert g.value(art3, ELI.number) == Literal("第3条")
    assert g.value(art3, ELI.title) == Literal("連携する取組並びに甲及び乙の役割分担", lang="ja")
    assert g.value(art3, KYO.clauseKind) == URIRef("https://w3id.org/kyoyaku/concept/clause-kind/initiatives-and-roles")
    para = URIRef(f"{A}/art_3__para_2")
    assert (art3, ELI.has_part, para) in g
    assert g.value(para, KYO.sourceLine) == Literal(24)
    assert str(g.value(para, KYO.text)).startswith("甲及び乙は、前項に規定する取組を推進するため")


def test_leadership(seed_graph):
    rows = q(seed_graph, """
        SELECT ?des (SUM(IF(?leads, 1, 0)) AS ?led) (COUNT(?rs) AS ?n) WHERE {
          ?i a kyo:Initiative ; kyo:roleStatement ?rs . ?rs kyo:leads ?leads ; kyo:party/kyo:designation ?des .
        } GROUP BY ?des ORDER BY ?des""")
    assert [(str(r.des), int(r.led), int(r.n)) for r in rows] == [("乙", 0, 16), ("甲", 16, 16)]


def test_every_row_has_a_policy_field(seed_graph):
    rows = q(seed_graph, "SELECT ?i WHERE { ?i a kyo:Initiative . MINUS { ?i kyo:policyField ?f } }")
    assert rows == []
    item7 = URIRef(f"{A}/annex_1/item_7")
    assert seed_graph.value(item7, KYO.category) == Literal("高度なICT環境の整備", lang="ja")
    assert seed_graph.value(item7, KYO.policyField) == URIRef(
        "https://w3id.org/kyoyaku/concept/policy-field/other-urban-functions")
    assert seed_graph.value(item7, KYO.policyFieldMatch) == Literal("synonym")


def test_every_text_node_has_a_source_line(seed_graph):
    texts = set(seed_graph.subjects(KYO.text, None))
    assert len(texts) > 9 + 32
    assert all(isinstance(seed_graph.value(n, KYO.sourceLine), Literal) for n in texts)
    assert all(o.language == "ja" for o in seed_graph.objects(None, KYO.text))


def test_signatures_are_plain_literals(seed_graph):
    g = seed_graph
    sig = URIRef(f"{A}/signature/kou")
    assert (A, KYO.signature, sig) in g
    assert g.value(sig, KYO.party) == URIRef(f"{A}/party/kou")
    assert g.value(sig, KYO.signatoryName) == Literal("高橋 靖")
    assert g.value(sig, KYO.signatoryTitle) == Literal("水戸市長")
    assert g.value(sig, KYO.address) == Literal("水戸市中央1丁目4番1号")
    sig2 = URIRef(f"{A}/signature/otsu")
    assert g.value(sig2, KYO.signatoryName) == Literal("島田 穰一")
    assert g.value(sig2, KYO.address) == Literal("小美玉市堅倉835番地")


def test_lapse_period_and_council_resolution(seed_graph):
    g = seed_graph
    d = g.value(A, KYO.lapsePeriod)
    assert d == URIRef(f"{A}/lapse-period")
    assert (d, RDF.type, TIME.Duration) in g
    assert g.value(d, TIME.numericDuration).toPython() == Decimal(2)
    assert g.value(d, TIME.unitType) == TIME.unitYear
    assert g.value(d, PROV.wasDerivedFrom) == URIRef(f"{A}/art_6__para_2")
    assert g.value(A, KYO.noticeRequiresCouncilResolution) == Literal(True)


def test_provenance(seed_graph, seed):
    g = seed_graph
    src = g.value(A, PROV.wasDerivedFrom)
    assert (src, RDF.type, KYO.SourceFile) in g
    assert g.value(src, KYO.sha256) == Literal(seed.source.sha256)
    assert g.value(src, KYO.fileName) == Literal("mito-omitama-2022-02-21.txt")


def test_area_named_by_the_preamble(seed_graph):
    area = URIRef("https://w3id.org/kyoyaku/area/renkei-chusu/082015")
    assert seed_graph.value(A, KYO.area) == area
    assert seed_graph.value(area, RDFS.label) == Literal("いばらき県央地域連携中枢都市圏", lang="ja")
    assert seed_graph.value(area, KYO.coreCity) == MITO


def test_no_blank_nodes(seed_graph):
    assert not any(isinstance(t, BNode) for triple in seed_graph for t in triple)


def test_items_are_nested_parts_of_their_paragraph():
    from kyoyaku.graph.mapping import agreement_iri, to_graph
    from kyoyaku.text.parse import parse_file

    from ..conftest import FIXTURES

    agreement = parse_file(FIXTURES / "family" / "articles-sub-number-items.txt")
    g = to_graph(agreement)
    para = URIRef(f"{agreement_iri(agreement)}/art_3-2__para_1")
    two, ア = URIRef(f"{para}__point_2"), URIRef(f"{para}__point_3")
    assert (two, RDF.type, KYO.Item) in g and (para, ELI.has_part, two) in g
    assert g.value(two, ELI.number) == Literal("(2)")
    assert g.value(ア, ELI.is_part_of) == two and (two, ELI.has_part, ア) in g
    assert g.value(ア, KYO.text) == Literal("取組の概要", lang="ja")
    assert g.value(ア, KYO.sourceLine) == Literal(22)
    assert len(set(g.subjects(RDF.type, KYO.Item))) == 8


def test_teiju_rows_are_mapped_to_national_fields_and_teiju_policy_areas():
    from kyoyaku.graph.mapping import to_graph
    from kyoyaku.text.parse import parse_file

    from ..conftest import CORPUS, TEIJU_2016

    g = to_graph(parse_file(CORPUS / "asahikawa-takasu-teiju-2016-03-25.txt"))
    rows = q(g, """SELECT ?category ?field ?match ?teiju ?teijuMatch WHERE {
        ?i a kyo:Initiative ; kyo:category ?category ; kyo:policyField ?field ; kyo:policyFieldMatch ?match ;
           kyo:teijuPolicyField ?teiju ; kyo:teijuPolicyFieldMatch ?teijuMatch } ORDER BY ?category""")
    concept = "https://w3id.org/kyoyaku/concept/"
    assert [tuple(str(v).replace(concept, "") for v in row) for row in rows] == [
        ("人材の育成", "policy-field/human-resources", "exact", "teiju-policy-field/human-resources", "synonym"),
        ("地域公共交通", "policy-field/public-transport", "exact", "teiju-policy-field/public-transport", "exact"),
        ("地域医療", "policy-field/community-medicine", "exact", "teiju-policy-field/medical", "synonym"),
    ]
    tables = sorted(str(t).rsplit("/", 2)[1] for t in g.objects(URIRef(TEIJU_2016), KYO.policyFieldMapping))
    assert tables == ["policy-field", "teiju-policy-field"]


def test_a_renkei_agreement_has_no_teiju_policy_areas(seed_graph):
    assert not list(seed_graph.triples((None, KYO.teijuPolicyField, None)))
    tables = [str(t) for t in seed_graph.objects(A, KYO.policyFieldMapping)]
    assert len(tables) == 1 and "/mapping/policy-field/" in tables[0]


def test_each_initiative_states_its_agreement_leaders_and_search_text(seed_graph):
    """kyo:partOfAgreement, kyo:ledBy and kyo:searchText (graph.mapping.add_query_shortcuts) say
    exactly what the rest of the graph says: the agreement at the end of eli:is_part_of, the parties
    of the role statements with kyo:leads true, and the row's texts in lower case, one a line."""
    g = seed_graph
    rows = sorted(g.subjects(RDF.type, KYO.Initiative))
    assert len(rows) == 16
    for row in rows:
        ends = [a for a in g.transitive_objects(row, ELI.is_part_of) if (a, RDF.type, KYO.Agreement) in g]
        assert list(g.objects(row, KYO.partOfAgreement)) == ends == [A]
        statements = list(g.objects(row, KYO.roleStatement))
        leading = {g.value(s, KYO.party) for s in statements if g.value(s, KYO.leads) == Literal(True)}
        assert set(g.objects(row, KYO.ledBy)) == leading and leading
        (search,) = g.objects(row, KYO.searchText)
        assert search.datatype is None and search.language is None
        texts = [g.value(row, KYO.category), g.value(row, KYO.description), *(g.value(s, KYO.text) for s in statements)]
        assert sorted(str(search).split("\n")) == sorted(str(t).lower() for t in texts)
    # the seed's core city (甲, 水戸市) leads every row
    assert set(g.objects(None, KYO.ledBy)) == {URIRef(f"{SEED_IRI}/party/kou")}
