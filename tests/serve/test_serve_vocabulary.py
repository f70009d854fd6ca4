"""`kyoyaku serve` answers every vocabulary IRI (issue 22, item 3) as it answers the data's: the
namespace (its terms are fragments of it), each concept scheme and concept, the ontology folder and
its version IRI, and the catalog — 303 See Other to the document in the format the Accept header
asks for, that document 200 with its media type, HEAD as GET without the body, 406 for a format
there is none of, 404 for a vocabulary IRI that names nothing."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kyoyaku.resources import ontology_dir

from .test_serve_front import Served, request

pytestmark = pytest.mark.server

ACCEPTS = {  # Accept → (the suffix of the document it is sent to, that document's Content-Type)
    "text/html": (".html", "text/html; charset=utf-8"),
    "text/turtle": (".ttl", "text/turtle; charset=utf-8"),
    "application/ld+json": (".jsonld", "application/ld+json"),
    "application/n-triples": (".nt", "application/n-triples"),
    "text/turtle;q=0.5, application/ld+json": (".jsonld", "application/ld+json"),
    None: (".html", "text/html; charset=utf-8"),  # no Accept: HTML, as for the data
}
IRIS = {  # the path of a vocabulary IRI → the stem of its documents
    "/ns": "/ns",
    "/concept/policy-field": "/concept/policy-field",
    "/concept/policy-field/tourism": "/concept/policy-field/tourism",
    "/concept/framework/renkei-chusu": "/concept/framework/renkei-chusu",
    "/ontology/": "/ontology/index",
    "/ontology/0.1.0": "/ontology/0.1.0",
    "/catalog": "/catalog",
}


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    """`kyoyaku serve` over the shipped build and its published tree."""
    log = tmp_path_factory.mktemp("serve-vocabulary") / "stderr.txt"
    server = Served(["--data", str(built[0] / "kyoyaku.ttl")], log)
    yield server
    server.stop()


@pytest.mark.parametrize("path", IRIS)
@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_each_vocabulary_iri_is_sent_to_its_document_in_the_format_asked_for(served, built, path, accept, method):
    suffix, content_type = ACCEPTS[accept]
    status, headers, body = request(served.port, method, path, accept=accept)
    assert (status, headers["location"], headers["vary"], body) == (303, IRIS[path] + suffix, "Accept", b"")
    status, headers, body = request(served.port, method, headers["location"], accept=accept)
    expected = (built[0] / (IRIS[path] + suffix).lstrip("/")).read_bytes()
    assert (status, headers["content-type"], int(headers["content-length"])) == (200, content_type, len(expected))
    assert body == (b"" if method == "HEAD" else expected)


def test_a_term_of_the_namespace_lands_on_its_anchor(served):
    """A client never sends the fragment: /ns#Agreement is asked as /ns; the page has the anchor."""
    status, headers, _ = request(served.port, "GET", "/ns", accept="text/html")
    assert (status, headers["location"]) == (303, "/ns.html")
    status, _, body = request(served.port, "GET", "/ns.html")
    assert status == 200 and b'<section id="Agreement">' in body and b'<section id="AgreementTitleShape">' in body


def test_the_namespace_in_turtle_is_the_ontology_and_the_shapes(served):
    status, headers, body = request(served.port, "GET", "/ns.ttl", accept="text/turtle")
    assert (status, headers["content-type"]) == (200, "text/turtle; charset=utf-8")
    expected = Graph()
    for name in ("kyoyaku.ttl", "shapes.ttl", "catalog-shapes.ttl"):
        expected.parse(ontology_dir() / name, format="turtle")
    assert isomorphic(Graph().parse(data=body.decode("utf-8"), format="turtle"), expected)


@pytest.mark.parametrize("path", ["/concept/policy-field/no-such-field", "/concept/no-such-scheme", "/ns/Agreement",
                                  "/ontology/9.9.9", "/concept/"])
def test_a_vocabulary_iri_that_names_nothing_is_404(served, path):
    status, _, body = request(served.port, "GET", path, accept="text/turtle")
    assert (status, body) == (404, b"not found\n")


@pytest.mark.parametrize("path", ["/ns", "/concept/policy-field/tourism", "/catalog"])
def test_a_format_there_is_none_of_is_406_naming_those_there_are(served, path):
    status, headers, body = request(served.port, "GET", path, accept="image/png")
    assert (status, headers["vary"]) == (406, "Accept")
    assert body == b"available: text/html, text/turtle, application/ld+json, application/n-triples\n"


def test_the_ontology_files_are_answered_as_they_are(served):
    status, headers, body = request(served.port, "GET", "/ontology/kyoyaku.ttl")
    assert (status, headers["content-type"]) == (200, "text/turtle; charset=utf-8")
    assert body == (ontology_dir() / "kyoyaku.ttl").read_bytes()
