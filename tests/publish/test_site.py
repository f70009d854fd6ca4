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
from rdflib import Graph, URIRef

from kyoyaku.graph import iris
from kyoyaku.publish.site import descriptions, resources
from kyoyaku.serve.negotiation import preferred_suffix
from kyoyaku.sparql.store import load

from ..conftest import SEED_IRI, B

SEED_PATH = "agreement/082015-082368/2022-02-21"


@pytest.fixture(scope="module")
def published(national):
    dist, _ = national
    return dist, load([dist / "kyoyaku.ttl"])


def test_every_agreement_municipality_and_area_has_its_documents(published):
    dist, data = published
    found = resources(data)
    assert len(found) == 189 + 29 + len(set(data.subjects(predicate=None, object=URIRef(B + "ns#Municipality"))))
    for resource in found:
        stem = dist / iris.site_path(str(resource))
        for suffix in (".ttl", ".jsonld", ".nt", ".html"):
            assert stem.with_name(stem.name + suffix).is_file(), (resource, suffix)


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
    docs = descriptions(data)
    owned = set().union(*(set(g) for g in docs.values()))
    # all but the nodes that belong to no agreement, municipality or area: the law, the mapping tables
    left = {str(s) for s, _, _ in set(data) - owned}
    assert str(iris.RENKEI_KYOYAKU_BASIS) in left
    assert {s for s in left if not s.startswith(B + "mapping/")} == {str(iris.RENKEI_KYOYAKU_BASIS)}


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
