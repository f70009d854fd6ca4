"""The ontology and concept schemes: bilingual, complete for what the mapping writes."""

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from kyoyaku.graph import iris
from kyoyaku.graph.iris import KYO
from kyoyaku.resources import ontology_dir
from kyoyaku.shacl.shapes import reference_graph
from kyoyaku.text.appendix import _mapping


def langs(graph, node, prop):
    return {o.language for o in graph.objects(node, prop)}


def test_every_kyo_term_used_in_the_data_is_defined_bilingually(seed_graph):
    onto = Graph().parse(ontology_dir() / "kyoyaku.ttl")
    used = {t for triple in seed_graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(KYO))}
    used |= {p for p in seed_graph.predicates() if str(p).startswith(str(KYO))}
    assert used
    for term in used:
        assert (term, RDF.type, None) in onto, term
        assert {"ja", "en"} <= langs(onto, term, RDFS.label), term
        assert {"ja", "en"} <= langs(onto, term, RDFS.comment), term


def test_classes_are_aligned_to_standards():
    onto = Graph().parse(ontology_dir() / "kyoyaku.ttl")
    eli = "http://data.europa.eu/eli/ontology#"
    assert (KYO.Agreement, RDFS.subClassOf, URIRef(eli + "LegalResource")) in onto
    assert (KYO.Article, RDFS.subClassOf, URIRef(eli + "LegalResourceSubdivision")) in onto
    assert (KYO.Municipality, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#FormalOrganization")) in onto
    assert (KYO.Party, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Attribution")) in onto
    assert (None, RDF.type, OWL.Ontology) in onto


def test_every_concept_the_data_uses_is_in_a_scheme(seed_graph):
    ref = reference_graph()
    concepts = {o for p in (KYO.policyField, KYO.clauseKind, KYO.role, KYO.framework)
                for o in seed_graph.objects(None, p)}
    assert len(concepts) > 20
    for c in concepts:
        assert (c, RDF.type, SKOS.Concept) in ref, c
        assert {"ja", "en"} <= langs(ref, c, SKOS.prefLabel), c


@pytest.mark.parametrize("scheme, leaf_class", [("policy-field", KYO.PolicyField),
                                               ("teiju-policy-field", KYO.TeijuPolicyField)])
def test_mapping_table_points_to_policy_fields_and_exact_rows_match_labels(scheme, leaf_class):
    ref = reference_graph()
    for category, (field, match) in _mapping(scheme).items():
        concept = iris.concept(scheme, field)
        assert (concept, RDF.type, leaf_class) in ref, field
        assert (concept, SKOS.inScheme, iris.concept_scheme(scheme)) in ref, field
        labels = {str(o) for o in ref.objects(concept, SKOS.prefLabel) if o.language == "ja"}
        assert (category in labels) == (match == "exact"), (category, field, match)


def test_every_national_policy_field_has_its_exact_label_in_the_mapping_table():
    ref = reference_graph()
    exact = {field for field, match in _mapping().values() if match == "exact"}
    leaves = {str(c).rsplit("/", 1)[1] for c in ref.subjects(RDF.type, KYO.PolicyField)}
    assert leaves == exact and len(leaves) == 24


def test_national_policy_fields_hierarchy():
    ref = reference_graph()
    scheme = URIRef("https://w3id.org/kyoyaku/concept/policy-field")
    tops = set(ref.objects(scheme, SKOS.hasTopConcept))
    assert {str(t).rsplit("/", 1)[1] for t in tops} == {"economic-growth", "urban-functions", "living-services"}
    assert len(set(ref.subjects(RDF.type, KYO.PolicyField))) == 24


def test_teiju_policy_areas_hierarchy_and_close_matches():
    ref = reference_graph()
    scheme = iris.concept_scheme("teiju-policy-field")
    notation = {c: str(c).rsplit("/", 1)[1] for c in ref.subjects(SKOS.inScheme, scheme)}
    tops = {notation[t] for t in ref.objects(scheme, SKOS.hasTopConcept)}
    assert tops == {"living-functions", "networks", "area-management"}
    leaves = set(ref.subjects(RDF.type, KYO.TeijuPolicyField))
    assert len(leaves) == 16
    per_view = {t: sorted(notation[c] for c in leaves if notation[ref.value(c, SKOS.broader)] == t) for t in tops}
    assert per_view["area-management"] == ["external-personnel", "human-resources", "other-area-management",
                                           "staff-exchange"]
    assert len(per_view["living-functions"]) == len(per_view["networks"]) == 6
    # every policy area but 産業振興 and the three その他 is close to one national field (or group)
    national = iris.concept_scheme("policy-field")
    for concept in [*leaves, *ref.objects(scheme, SKOS.hasTopConcept)]:
        matches = list(ref.objects(concept, SKOS.closeMatch))
        if notation[concept] == "industry" or notation[concept].startswith("other-"):
            assert matches == [], concept
            continue
        assert len(matches) == 1 and (matches[0], SKOS.inScheme, national) in ref, concept
        assert {"ja", "en"} <= langs(ref, concept, SKOS.prefLabel), concept


def test_every_teiju_policy_area_but_other_has_its_exact_label_in_its_mapping_table():
    ref = reference_graph()
    exact = {field for field, match in _mapping("teiju-policy-field").values() if match == "exact"}
    leaves = {str(c).rsplit("/", 1)[1] for c in ref.subjects(RDF.type, KYO.TeijuPolicyField)}
    # その他 is the same word under each viewpoint: a 区分 その他 cannot be mapped by its label alone
    assert exact == {leaf for leaf in leaves if not leaf.startswith("other-")} and len(exact) == 13
