"""`kyoyaku push` names its own graphs — the reference graph, the staging graphs, the lock — under
the data's base (kyoyaku.config), as the build names the agreements' graphs."""

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kyoyaku.config import Settings, using
from kyoyaku.graph.iris import KYO, agreement, municipality
from kyoyaku.sparql.push import graphs_of, reference_graph_iri, staging_prefix
from kyoyaku.sparql.push_lock import _PushLock, lock_graph

OTHER = "https://data.example.lg.jp/renkei/"


def test_the_push_graphs_follow_the_base():
    with using(Settings(base=OTHER)):
        seed, mito = agreement(["082015", "082368"], "2022-02-21"), municipality("082015")
        data = Graph()
        data.add((seed, RDF.type, KYO.Agreement))
        data.add((URIRef(f"{seed}/art_1"), RDF.type, KYO.Article))
        data.add((mito, RDFS.label, Literal("水戸市", lang="ja")))
        assert sorted(map(str, graphs_of(data))) == [f"{OTHER}agreement/082015-082368/2022-02-21",
                                                     f"{OTHER}graph/reference"]
        assert (str(reference_graph_iri()), staging_prefix(), str(lock_graph())) == (
            f"{OTHER}graph/reference", f"{OTHER}graph/staging/", f"{OTHER}graph/lock")
        lock = _PushLock(server=None, lock_timeout=0, stale_after=600, log=print)
    # the lock keeps the graph it was made with: its refreshing thread does not see the push's settings
    assert (str(lock.graph), str(lock.claim)) == (f"{OTHER}graph/lock", f"{OTHER}graph/lock#{lock.run}")
    assert str(reference_graph_iri()) == "https://w3id.org/kyoyaku/graph/reference"
