"""The published tree mirrors the IRIs (kyoyaku.publish.site): a document per agreement, municipality and
area in Turtle, JSON-LD, N-Triples and HTML; gzip dumps; content negotiation in `kyoyaku serve`."""

import gzip
import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic

from kyoyaku.graph import iris
from kyoyaku.graph.iris import KYO
from kyoyaku.graph.mapping import new_graph, to_graph
from kyoyaku.graph.serialize import line_terms, ntriples, turtle
from kyoyaku.publish import framed, writers
from kyoyaku.publish.site import documents, resources, write_documents
from kyoyaku.serve.negotiation import preferred_suffix
from kyoyaku.sparql.store import load
from kyoyaku.text.parse import parse_file

from ..conftest import FIXTURES, SEED_IRI, B
from .reference_documents import expanded, lines_of, reference_descriptions, store_of

SEED_PATH = "agreement/082015-082368/2022-02-21"


@pytest.fixture(scope="module")
def published(national):
    dist, _ = national
    return dist, load([dist / "kyoyaku.ttl"])


def test_every_agreement_municipality_and_area_has_its_documents(published):
    dist, data = published
    found = resources(store_of(data))
    # and the works of their own: amending agreements (the registry's amend events), consolidated
    # versions (none: the shipped full text is not amended) and 総務省's stated total
    own = {kind: len(set(data.subjects(predicate=None, object=URIRef(B + f"ns#{kind}"))))
           for kind in ("Municipality", "AmendingAgreement", "ConsolidatedVersion", "StatedTotal")}
    assert (own["ConsolidatedVersion"], own["StatedTotal"]) == (0, 1)
    # 404 agreements (the full text and 403 records) and 75 areas, with events.csv applied (its joins
    # add records, its predecessors areas)
    assert len(found) == 404 + 75 + sum(own.values()) and own["AmendingAgreement"] == 85
    agreements = set(map(str, data.subjects(RDF.type, KYO.Agreement)))
    for resource in found:
        stem = dist / iris.site_path(resource)
        for suffix in (".ttl", ".jsonld", ".nt", ".html"):
            assert stem.with_name(stem.name + suffix).is_file(), (resource, suffix)
        # and an agreement as nested JSON (publish.framed, tests/publish/test_framed.py)
        assert stem.with_name(stem.name + ".json").is_file() == (resource in agreements), resource


def test_the_seed_document_holds_the_agreement_and_its_parts(published):
    dist, data = published
    doc = Graph().parse(dist / f"{SEED_PATH}.ttl")
    ours = {t for t in data if str(t[0]) == SEED_IRI or str(t[0]).startswith(SEED_IRI + "/")}
    assert ours <= set(doc)
    # and the names of what it links to, so it reads on its own
    assert (URIRef(B + "municipality/082368"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None) in doc
    assert set(Graph().parse(dist / f"{SEED_PATH}.nt", format="nt")) == set(doc)
    document = json.loads((dist / f"{SEED_PATH}.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)  # embedded, never fetched
    assert set(Graph().parse(data=json.dumps(document), format="json-ld")) == set(doc)


def test_a_municipality_document_has_its_links_from_agreements_and_areas(published):
    dist, _ = published
    doc = Graph().parse(dist / "municipality/082368.ttl")
    m = URIRef(B + "municipality/082368")
    linking = {str(s) for s, _, _ in doc.triples((None, None, m))}
    assert f"{B}area/renkei-chusu/082015" in linking and f"{SEED_IRI}/party/otsu" in linking


def test_every_triple_is_in_the_document_of_its_subjects_resource(published):
    _, data = published
    lines = lines_of(data)
    owned = set().union(*(doc for _, doc in documents(store_of(data), lines)))
    # all but the nodes that belong to no agreement, municipality or area: the law, the mapping tables
    left = {line_terms(line)[0][1:-1] for line in set(lines) - owned}
    assert str(iris.RENKEI_KYOYAKU_BASIS) in left
    assert {s for s in left if not s.startswith(B + "mapping/")} == {str(iris.RENKEI_KYOYAKU_BASIS)}


FAMILY = sorted(p for p in (FIXTURES / "family").glob("*.txt") if not p.name.startswith("not-agreement"))


def same_as_reference(graph: Graph, out) -> int:
    """Every resource's .nt, .ttl and .jsonld written by write_documents from the store and the sorted
    lines are the bytes of those serialised from its rdflib reference document; returns how many."""
    expected = reference_descriptions(graph)
    written = write_documents(store_of(graph), lines_of(graph), out, {})
    # an agreement has its nested JSON too (publish.framed), and the build their context
    agreements = {r for r, doc in expected.items() if (r, RDF.type, KYO.Agreement) in doc}
    assert {p for p in written if p.suffix != ".gz"} == {
        out / f"{iris.site_path(str(r))}{suffix}" for r in expected for suffix in (".ttl", ".jsonld", ".nt")} | {
        out / f"{iris.site_path(str(r))}.json" for r in agreements} | ({out / framed.CONTEXT_FILE} if agreements else set())
    for resource, doc in expected.items():
        stem = out / iris.site_path(str(resource))
        assert (stem.parent / f"{stem.name}.nt").read_text(encoding="utf-8") == ntriples(doc), resource
        assert (stem.parent / f"{stem.name}.ttl").read_text(encoding="utf-8") == turtle(doc), resource
        assert (stem.parent / f"{stem.name}.jsonld").read_text(encoding="utf-8") == writers.jsonld(doc), resource
        if resource in agreements:  # the same triples, as pyld reads them
            text = (stem.parent / f"{stem.name}.json").read_text(encoding="utf-8")
            assert isomorphic(expanded(text), doc), resource
    return len(expected)


def with_dumps(out):
    out.mkdir(parents=True, exist_ok=True)
    for name in writers.SERIALISERS:  # write_documents gzips the dumps already in `out`
        (out / name).write_text("", encoding="utf-8")
    return out


def test_the_documents_are_those_of_the_rdflib_reference(tmp_path, seed_graph, corpus_graph, national_graph):
    for i, graph in enumerate((seed_graph, corpus_graph, national_graph)):
        assert same_as_reference(graph, with_dumps(tmp_path / str(i))) > 3


@pytest.mark.parametrize("path", FAMILY, ids=lambda p: p.stem)
def test_the_documents_of_every_form_of_agreement_are_those_of_the_reference(tmp_path, path):
    assert same_as_reference(to_graph(parse_file(path)), with_dumps(tmp_path)) >= 2  # an agreement, a party


def test_nested_and_interleaved_resources_get_the_reference_documents(tmp_path):
    """A resource below another (its parts are its own, not the outer one's), and IRIs that sort
    between a resource's parts and itself (…/2022-02-21/… < …/2022-02-210 < …/2022-02-21)."""
    from rdflib import RDF, RDFS, Literal

    from kyoyaku.graph.iris import KYO

    a = URIRef(B + "agreement/000001-000002/2022-02-21")
    inner = URIRef(f"{a}/area")  # an area IRI below the agreement's
    between = URIRef(f"{a}0")
    m = URIRef(B + "municipality/000001")
    graph = new_graph()
    for node, kind, name in ((a, KYO.Agreement, "協約"), (inner, KYO.PartnershipArea, "圏域"),
                             (between, KYO.Agreement, "別の協約"), (m, KYO.Municipality, "市")):
        graph.add((node, RDF.type, kind))
        graph.add((node, RDFS.label, Literal(name, lang="ja")))
    graph.add((a, KYO.hasParty, URIRef(f"{a}/party/kou")))
    graph.add((URIRef(f"{a}/party/kou"), KYO.municipality, m))
    graph.add((URIRef(f"{inner}/membership/1"), KYO.municipality, m))
    graph.add((URIRef(f"{between}/party/kou"), KYO.municipality, m))
    graph.add((a, KYO.area, inner))
    graph.add((between, KYO.replaces, a))
    assert same_as_reference(graph, with_dumps(tmp_path)) == 4


def test_documents_come_one_at_a_time_as_the_lines_are_read(national_graph):
    """A document is given as soon as the lines past its resource are read, not after all of them:
    the documents of 10,000 agreements are never held at once."""
    lines = lines_of(national_graph)
    read = 0

    def reading():
        nonlocal read
        for line in lines:
            read += 1
            yield line

    given = documents(store_of(national_graph), reading())
    resource, doc = next(given)
    assert read < len(lines) / 10
    assert doc == sorted(doc) and f"<{resource}> " in "".join(doc)
    assert len([resource, *(r for r, _ in given)]) == len(resources(store_of(national_graph)))


def test_gzip_dumps_are_the_dumps(published):
    dist, _ = published
    for name in ("kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt"):
        packed = (dist / f"{name}.gz").read_bytes()
        assert gzip.decompress(packed) == (dist / name).read_bytes()
        assert packed[4:8] == b"\0\0\0\0"  # no time stamp: byte-identical between builds
        # at level 6, the level measured to pay (docs/benchmarks.md "Gzip level"): not 9
        assert packed == gzip.compress((dist / name).read_bytes(), compresslevel=6, mtime=0)
        assert packed != gzip.compress((dist / name).read_bytes(), compresslevel=9, mtime=0)


@pytest.mark.parametrize("accept, suffix", [
    (None, ".html"), ("*/*", ".html"), ("text/html", ".html"), ("text/turtle", ".ttl"),
    ("application/ld+json", ".jsonld"), ("application/n-triples", ".nt"),
    ("text/turtle;q=0.5, application/ld+json", ".jsonld"), ("application/ld+json;q=0, text/turtle;q=0.1", ".ttl"),
    ("image/png", None),
])
def test_preferred_suffix(accept, suffix):
    assert preferred_suffix(accept) == suffix


@pytest.mark.server
def test_serve_negotiates_documents_over_http(published):
    """Real HTTP requests to `kyoyaku serve` over the national build."""
    from ..conftest import free_port

    dist, _ = published
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kyoyaku.cli", "serve", "--data", str(dist / "kyoyaku.ttl"),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def get(path, accept=None):
        request = urllib.request.Request(base + path, headers={"Accept": accept} if accept else {})
        try:
            with opener.open(request) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    try:
        assert process.stdout.readline().startswith("SPARQL endpoint:")
        assert process.stdout.readline().startswith(f"documents: {base}/")
        for accept, suffix in [("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"),
                               ("application/n-triples", ".nt"), ("text/html", ".html")]:
            status, headers, _ = get(f"/{SEED_PATH}", accept)
            assert (status, headers["Location"]) == (303, f"/{SEED_PATH}{suffix}"), accept
            assert headers["Vary"] == "Accept"
        status, headers, body = get(f"/{SEED_PATH}.ttl")
        assert status == 200 and headers["Content-Type"].startswith("text/turtle")
        assert body == (dist / f"{SEED_PATH}.ttl").read_bytes()
        status, headers, _ = get(f"/{SEED_PATH}/art_3__para_1", "text/html")
        assert (status, headers["Location"]) == (303, f"/{SEED_PATH}.html#art_3__para_1")
        status, headers, _ = get("/municipality/082368", "application/ld+json")
        assert (status, headers["Location"]) == (303, "/municipality/082368.jsonld")
        status, _, body = get("/", None)
        assert status == 200 and body == (dist / "index.html").read_bytes()
        assert get(f"/{SEED_PATH}", "image/png")[0] == 406
        assert get("/agreement/000000-000000/2000-01-01", "text/turtle")[0] == 404
        assert get("/../../etc/passwd")[0] == 404
        status, _, body = get("/query?query=" + urllib.request.quote("ASK { ?s ?p ?o }"), "application/sparql-results+json")
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    assert process.returncode == 0


@pytest.mark.server
def test_serve_without_a_site_serves_no_files(tmp_path, published):
    """Data from outside a build output: SPARQL only; the server's temporary files stay unreachable."""
    import shutil

    from ..conftest import free_port

    dist, _ = published
    shutil.copy(dist / "kyoyaku.ttl", tmp_path / "data.ttl")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kyoyaku.cli", "serve", "--data", str(tmp_path / "data.ttl"),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().startswith("SPARQL endpoint:")
        for path in ("/server.log", "/oxigraph", "/no-site", "/", "/municipality/082368"):
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}")
            assert info.value.code == 404, path
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=20)
    assert process.returncode == 0 and out == "stopped\n"
