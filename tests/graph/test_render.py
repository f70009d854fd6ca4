import pytest
from rdflib import URIRef

from kyoyaku.errors import InputError
from kyoyaku.graph.render import render
from kyoyaku.sparql.store import load

from ..conftest import SEED, SEED_IRI


def content_lines(text: str) -> list[str]:
    """The comparison the issue asks for: ignore blank lines and trailing spaces."""
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def test_seed_renders_back_to_its_source(seed_graph):
    rendered = render(seed_graph, URIRef(SEED_IRI))
    assert content_lines(rendered) == content_lines(SEED.read_text(encoding="utf-8"))


def test_render_from_the_published_turtle_alone(built):
    dist, _ = built
    rendered = render(load([dist / "kyoyaku.ttl"]), URIRef(SEED_IRI))
    assert content_lines(rendered) == content_lines(SEED.read_text(encoding="utf-8"))


def test_render_from_json_ld_too(built):
    dist, _ = built
    rendered = render(load([dist / "kyoyaku.jsonld"]), URIRef(SEED_IRI))
    assert content_lines(rendered) == content_lines(SEED.read_text(encoding="utf-8"))


def test_unknown_agreement(seed_graph):
    with pytest.raises(InputError, match="no such agreement"):
        render(seed_graph, URIRef("https://w3id.org/kyoyaku/agreement/000000-000000/undated"))


def test_articles_with_items_render_back_to_their_source():
    from kyoyaku.graph.mapping import agreement_iri, to_graph
    from kyoyaku.text.parse import parse_file

    from ..conftest import FIXTURES

    path = FIXTURES / "family" / "articles-sub-number-items.txt"
    agreement = parse_file(path)
    rendered = render(to_graph(agreement), agreement_iri(agreement))
    assert content_lines(rendered) == content_lines(path.read_text(encoding="utf-8"))


def test_a_registry_record_has_no_text_to_render():
    """`render` of a record's IRI printed one newline, exit 0."""
    from kyoyaku.registry.load import load_registry

    from ..conftest import ROOT

    graph = load_registry(ROOT / "data" / "registry" / "ibaraki-kenou")
    record = URIRef("https://w3id.org/kyoyaku/agreement/082015-082163/2022-02-21")
    with pytest.raises(InputError) as info:
        render(graph, record, source="registry.ttl")
    assert str(info.value) == (f"registry.ttl: expected an agreement with a full text: <{record}>, "
                               "found 'a registry record (kyo:AgreementRecord), which has no text'")


def test_an_agreement_without_text_nodes_is_refused(seed_graph):
    from kyoyaku.graph.iris import KYO
    from kyoyaku.graph.mapping import new_graph

    graph = new_graph()
    for triple in seed_graph:
        if triple[1] != KYO.sourceLine:
            graph.add(triple)
    with pytest.raises(InputError, match=r"expected kyo:sourceLine \(a line number\) on every text node"):
        render(graph, URIRef(SEED_IRI))
