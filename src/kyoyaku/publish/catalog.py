"""Describe the published dataset: a DCAT 3 catalog with one distribution per dump, and VoID.

`catalog_graph` reads the dumps it describes (their sizes and SHA-256 digests are the real ones)
and the data (triple count, vocabularies, class partitions, example resources: a few SPARQL
queries on the build's pyoxigraph store, `statistics`). Every node
has an IRI — no blank nodes — so the same inputs give an identical graph and byte-identical
`catalog.ttl` / `catalog.jsonld`. The catalog is checked by ontology/catalog-shapes.ttl
(`validate_catalog`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from .. import config
from ..graph.iris import DCTERMS, KYO, data_base
from ..graph.iris import PREFIXES as DATA_PREFIXES
from ..graph.serialize import graph_lines
from ..outputs import write_atomic
from ..resources import ontology_dir
from . import writers as publish
from .wording import KINDS_EN, KINDS_JA

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
IANA = "http://www.iana.org/assignments/media-types/"

ONTOLOGY = URIRef(str(KYO))  # the ontology's IRI is its namespace, https://w3id.org/kyoyaku/ns#
SEED_PATH = "agreement/082015-082368/2022-02-21"  # under the data base


# The catalog's own IRIs, under the build's data base (kyoyaku.config): functions, read when the catalog is made.
def catalog_iri() -> URIRef:
    return URIRef(data_base() + "catalog")


def dataset_iri() -> URIRef:
    return URIRef(data_base() + "dataset")


def rights_iri() -> URIRef:
    return URIRef(data_base() + "dataset#rights")


JAPAN = URIRef("http://sws.geonames.org/1861060/")  # GeoNames: Japan
JAPANESE = URIRef("http://id.loc.gov/vocabulary/iso639-1/ja")
THEME_GOVERNMENT = URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")
GZIP = URIRef(IANA + "application/gzip")

CATALOG_SHAPES_FILE = "catalog-shapes.ttl"

PREFIXES = {
    "dcat": DCAT,
    "dcterms": DCTERMS,
    "void": VOID,
    "spdx": SPDX,
    "foaf": FOAF,
    "kyo": KYO,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

# suffix → (media type, VoID/W3C format IRI, name of the format)
SERIALISATIONS = {
    ".ttl": ("text/turtle", FORMATS.Turtle, "Turtle"),
    ".jsonld": ("application/ld+json", FORMATS["JSON-LD"], "JSON-LD"),
    ".nt": ("application/n-triples", FORMATS["N-Triples"], "N-Triples"),
}

KEYWORDS = [
    ("連携協約", "ja"), ("地方自治法", "ja"), ("連携中枢都市圏", "ja"), ("定住自立圏", "ja"),
    ("地方公共団体", "ja"), ("広域連携", "ja"), ("リンクトオープンデータ", "ja"),
    ("inter-municipal partnership agreement", "en"), ("Local Autonomy Act", "en"),
    ("partnership core city area", "en"), ("independent settlement area", "en"),
    ("local government", "en"), ("Japan", "en"), ("linked open data", "en"),
]

RIGHTS_JA = (
    "このデータセットはクリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）で提供します。"
    "CC BY 4.0 を選んだのは、政府標準利用規約（第2.0版）がこれと互換性を持つよう設計されており、"
    "国・地方公共団体のオープンデータと同じ条件で組み合わせて利用できるためです。"
    "協約の本文は、それを締結した地方公共団体の公文書です。"
)
RIGHTS_EN = (
    "This dataset is published under Creative Commons Attribution 4.0 International (CC BY 4.0), chosen "
    "because the Japanese Government Standard Terms of Use (version 2.0) are designed to be compatible with "
    "it, so the data combine on the same terms with open data of Japanese national and local governments. "
    "The texts of the agreements are public documents of the local governments that concluded them."
)
RIGHTS_STATEMENT = [(RIGHTS_JA, "ja"), (RIGHTS_EN, "en")]


def rights_statement(licence: str) -> list[tuple[str, str]]:
    """Why the data are under `licence`, in Japanese and English: kyoyaku's own words for CC BY 4.0,
    a plain statement of another licence a publisher chose."""
    if licence == config.CC_BY_4:
        return RIGHTS_STATEMENT
    return [(f"このデータセットは {licence} の条件で提供します。", "ja"),
            (f"This dataset is published under the terms of {licence}.", "en")]


def catalog_description(settings: config.Settings) -> list[tuple[str, str]]:
    """The catalog's description, naming its publisher."""
    name = settings.publisher_name
    english = "the kyoyaku project" if name == config.DEFAULTS.publisher_name else name.en
    return [(f"{name.ja}が公開するデータセットの目録。", "ja"), (f"The datasets published by {english}.", "en")]


def _ja(text: str) -> Literal:
    return Literal(text, lang="ja")


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def new_catalog_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def catalog_graph(root: Path, data: ox.Store | Graph, distributions: list[Path], modified: date,
                  endpoint: str | None = None, issued: date | None = None) -> Graph:
    """The DCAT 3 catalog and VoID description of `data` (a pyoxigraph store holding the data alone
    in its default graph, as the build's; or an rdflib Graph) as published in `distributions`
    (files under `root`, e.g. root/kyoyaku.ttl and root/kyoyaku.ttl.gz). `issued` defaults to `modified`."""
    g = new_catalog_graph()
    add = g.add
    settings = config.current()
    base, licence, publisher = URIRef(settings.base), URIRef(settings.licence), URIRef(settings.publisher)
    catalog, rights = catalog_iri(), rights_iri()

    add((catalog, RDF.type, DCAT.Catalog))
    add((catalog, DCTERMS.title, _ja("連携協約データカタログ（kyoyaku）")))
    add((catalog, DCTERMS.title, _en("kyoyaku data catalog")))
    for text, lang in catalog_description(settings):
        add((catalog, DCTERMS.description, Literal(text, lang=lang)))
    add((catalog, DCTERMS.publisher, publisher))
    add((catalog, DCTERMS.license, licence))
    add((catalog, DCTERMS.language, JAPANESE))
    add((catalog, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.date)))
    add((catalog, FOAF.homepage, base))
    add((catalog, DCAT.dataset, dataset_iri()))

    add((publisher, RDF.type, FOAF.Agent))
    add((publisher, RDF.type, FOAF.Organization))
    add((publisher, FOAF.name, _ja(settings.publisher_name.ja)))
    add((publisher, FOAF.name, _en(settings.publisher_name.en)))
    add((publisher, FOAF.homepage, base))

    d = dataset_iri()
    add((d, RDF.type, DCAT.Dataset))
    add((d, RDF.type, VOID.Dataset))
    add((d, DCTERMS.title, _ja("連携協約・定住自立圏形成協定のリンクトオープンデータ")))
    add((d, DCTERMS.title, _en("Japanese inter-municipal partnership agreements (連携協約, 定住自立圏形成協定) as linked "
                               "open data")))
    add((d, DCTERMS.description, _ja(
        f"地方公共団体の間で締結された{KINDS_JA}を、"
        "協約の全文（条・項・号・別表、当事者、連携する取組と役割分担、署名）と圏域の登録情報から RDF にしたもの。"
        "SHACL による検証を経て公開している。")))
    add((d, DCTERMS.description, _en(
        f"Agreements between Japanese local governments — {KINDS_EN} — "
        "as RDF: the full texts (articles, paragraphs, items, appendices, parties, initiatives and the "
        "division of roles, signatures) and a registry of the areas. Published after validation with SHACL.")))
    add((d, DCTERMS.publisher, publisher))
    add((d, DCTERMS.license, licence))
    add((d, DCTERMS.rights, rights))
    add((rights, RDF.type, DCTERMS.RightsStatement))
    for text, lang in rights_statement(settings.licence):
        add((rights, RDFS.comment, Literal(text, lang=lang)))
    add((d, DCTERMS.issued, Literal((issued or modified).isoformat(), datatype=XSD.date)))
    add((d, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.date)))
    for text, lang in KEYWORDS:
        add((d, DCAT.keyword, Literal(text, lang=lang)))
    add((d, DCTERMS.spatial, JAPAN))
    add((d, DCAT.theme, THEME_GOVERNMENT))
    add((d, DCTERMS.language, JAPANESE))
    add((d, DCAT.landingPage, base))
    add((d, DCTERMS.conformsTo, ONTOLOGY))

    root = Path(root).resolve()
    for path in sorted(Path(p).resolve() for p in distributions):
        _add_distribution(g, root, path, modified)

    _add_void(g, data, endpoint)
    return g


def _serialisation(path: Path) -> tuple[str, URIRef, str, bool]:
    """(media type, format IRI, format name, gzip-compressed?) of a dump, from its file name."""
    compressed = path.suffix == ".gz"
    inner = Path(path.stem).suffix if compressed else path.suffix
    if inner not in SERIALISATIONS:
        raise ValueError(f"{path.name}: not a dump kyoyaku describes ({', '.join(SERIALISATIONS)}, or one of them .gz)")
    return (*SERIALISATIONS[inner], compressed)


def distribution_iri(relative: str) -> URIRef:
    return URIRef(f"{data_base()}distribution/{relative}")


def _add_distribution(g: Graph, root: Path, path: Path, modified: date) -> None:
    relative = path.relative_to(root).as_posix()  # ValueError for a file outside root
    media_type, format_iri, format_name, compressed = _serialisation(path)
    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    url = URIRef(data_base() + relative)
    dist = distribution_iri(relative)
    checksum = URIRef(f"{dist}#sha256")
    add = g.add
    dataset = dataset_iri()
    add((dataset, DCAT.distribution, dist))
    add((dataset, VOID.dataDump, url))
    add((dataset, VOID.feature, format_iri))
    add((dist, RDF.type, DCAT.Distribution))
    full = path.name.startswith(publish.FULL_STEM + ".")  # with the ontology and concept schemes: loads alone
    whole_ja = "データセット全体とオントロジー・概念体系" if full else "データセット全体"
    whole_en = "The whole dataset with the ontology and concept schemes" if full else "The whole dataset"
    if compressed:
        add((dist, DCTERMS.title, _ja(f"{whole_ja}（{format_name}、gzip 圧縮）")))
        add((dist, DCTERMS.title, _en(f"{whole_en} ({format_name}, gzip-compressed)")))
        add((dist, DCAT.compressFormat, GZIP))
    else:
        add((dist, DCTERMS.title, _ja(f"{whole_ja}（{format_name}）")))
        add((dist, DCTERMS.title, _en(f"{whole_en} ({format_name})")))
    add((dist, DCAT.downloadURL, url))
    add((dist, DCAT.accessURL, url))
    add((dist, DCAT.mediaType, URIRef(IANA + media_type)))
    add((dist, DCTERMS.license, URIRef(config.current().licence)))
    add((dist, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.date)))
    add((dist, DCAT.byteSize, Literal(str(path.stat().st_size), datatype=XSD.nonNegativeInteger)))
    add((dist, SPDX.checksum, checksum))
    add((checksum, RDF.type, SPDX.Checksum))
    add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))


def namespace_of(iri: str) -> str:
    """The namespace of a term: its IRI up to and including the last '#', else the last '/'."""
    cut = iri.rfind("#")
    if cut < 0:
        cut = iri.rfind("/")
    return iri[:cut + 1]


@dataclass(frozen=True)
class Statistics:
    """What VoID says of the data: counts of triples and distinct terms, the predicates, and the
    entities of each class (IRIs only)."""

    triples: int
    distinct_subjects: int
    distinct_objects: int
    predicates: list[str]
    class_entities: dict[str, int]


def _store(data: ox.Store | Graph) -> ox.Store:
    """`data` in a pyoxigraph store (an rdflib Graph is copied into a new one)."""
    return data if isinstance(data, ox.Store) else graph_lines(data).store()


def _select(store: ox.Store, query: str) -> list:
    return list(store.query(query))


def statistics(data: ox.Store | Graph) -> Statistics:
    """The statistics of the data in the default graph of `data`: three queries."""
    store = _store(data)
    counts = _select(store, "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?o) AS ?o_) "
                            "WHERE { ?s ?p ?o }")[0]
    predicates = sorted(row["p"].value for row in _select(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"))
    classes = {row["c"].value: int(row["n"].value) for row in _select(
        store, f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF.type}> ?c FILTER isIRI(?c) }} GROUP BY ?c")}
    return Statistics(int(counts["t"].value), int(counts["s_"].value), int(counts["o_"].value), predicates,
                      dict(sorted(classes.items())))


def vocabularies(data: ox.Store | Graph, found: Statistics | None = None) -> list[str]:
    """The namespaces of the predicates and classes the data use, sorted."""
    found = found or statistics(data)
    return sorted({namespace_of(t) for t in [*found.predicates, *found.class_entities]} - {""})


def _first(rows, var: str) -> URIRef | None:
    iris_ = sorted(row[var].value for row in rows if isinstance(row[var], ox.NamedNode))
    return URIRef(iris_[0]) if iris_ else None


def example_resources(data: ox.Store | Graph) -> list[URIRef]:
    """The seed agreement (else the first agreement by IRI), one of its municipalities and its area
    (else the first of each by IRI)."""
    store = _store(data)

    def instances(cls: URIRef, pattern: str = "") -> URIRef | None:
        return _first(store.query(f"SELECT ?x WHERE {{ {pattern} ?x <{RDF.type}> <{cls}> }}"), "x")

    seed_agreement = URIRef(data_base() + SEED_PATH)
    seed = store.query(f"ASK {{ <{seed_agreement}> <{RDF.type}> <{KYO.Agreement}> }}")
    agreement = seed_agreement if bool(seed) else instances(KYO.Agreement)
    municipality = area = None
    if agreement is not None:
        municipality = instances(KYO.Municipality, f"<{agreement}> <{KYO.hasParty}>/<{KYO.municipality}> ?x .")
        area = instances(KYO.PartnershipArea, f"<{agreement}> <{KYO.area}> ?x .")
    municipality = municipality or instances(KYO.Municipality)
    area = area or instances(KYO.PartnershipArea)
    return [r for r in (agreement, municipality, area) if r is not None]


def class_partition_iri(cls: str) -> URIRef:
    """dataset#class-kyo-Agreement for a class in a namespace we bind, else dataset#class-<hash>."""
    for prefix, namespace in {**PREFIXES, **DATA_PREFIXES}.items():
        local = cls[len(str(namespace)):]
        if cls.startswith(str(namespace)) and local.replace("_", "").replace("-", "").isalnum():
            return URIRef(f"{dataset_iri()}#class-{prefix}-{local}")
    return URIRef(f"{dataset_iri()}#class-{hashlib.sha256(cls.encode('utf-8')).hexdigest()[:16]}")


def _add_void(g: Graph, data: ox.Store | Graph, endpoint: str | None) -> None:
    d = dataset_iri()
    add = g.add
    store = _store(data)
    found = statistics(store)
    add((d, VOID.triples, Literal(found.triples)))
    add((d, VOID.uriSpace, Literal(data_base())))
    for namespace in vocabularies(store, found):
        add((d, VOID.vocabulary, URIRef(namespace)))
    for resource in example_resources(store):
        add((d, VOID.exampleResource, resource))
    if endpoint:
        add((d, VOID.sparqlEndpoint, URIRef(endpoint)))
    add((d, VOID.classes, Literal(len(found.class_entities))))
    add((d, VOID.properties, Literal(len(found.predicates))))
    add((d, VOID.distinctSubjects, Literal(found.distinct_subjects)))
    add((d, VOID.distinctObjects, Literal(found.distinct_objects)))
    for cls, entities in found.class_entities.items():
        partition = class_partition_iri(cls)
        add((d, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(cls)))
        add((partition, VOID.entities, Literal(entities)))


# --- output -------------------------------------------------------------------------------------

CONTEXT = {
    "@version": 1.1,
    **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
    "id": "@id",
    "type": "@type",
}


def jsonld(graph: Graph) -> str:
    """Compact JSON-LD with CONTEXT embedded (nothing to fetch), keys as dcat:…, dcterms:…,
    void:…, spdx:… — sorted as publish.jsonld sorts the dataset."""
    document = json.loads(graph.serialize(format="json-ld", context=CONTEXT, auto_compact=False,
                                          use_native_types=True))
    nodes = document.get("@graph", [document] if "id" in document else [])
    nodes = sorted((publish._sorted(_full_ids({k: v for k, v in n.items() if k != "@context"})) for n in nodes),
                   key=lambda n: n["id"])
    return json.dumps({"@context": CONTEXT, "@graph": nodes}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _full_ids(value):
    """Node references as full IRIs: the compactor would write the vocabulary namespace
    http://purl.org/dc/terms/ as "dcterms:", which is correct but reads as a typo."""
    if isinstance(value, list):
        return [_full_ids(v) for v in value]
    if not isinstance(value, dict):
        return value
    result = {k: _full_ids(v) for k, v in value.items()}
    ref = result.get("id")
    if isinstance(ref, str):
        prefix, colon, local = ref.partition(":")
        namespace = CONTEXT.get(prefix)
        if colon and not local.startswith("//") and isinstance(namespace, str) and not namespace.startswith("@"):
            result["id"] = namespace + local
    return result


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def write_catalog(root: Path, data: ox.Store | Graph, distributions: list[Path], modified: date,
                  endpoint: str | None = None, issued: date | None = None) -> list[Path]:
    """Write root/catalog.ttl and root/catalog.jsonld; returns their paths."""
    return write_catalog_graph(root, catalog_graph(root, data, distributions, modified, endpoint, issued))


def write_catalog_graph(root: Path, graph: Graph) -> list[Path]:
    """Write a catalog graph already made (and checked) as root/catalog.ttl and .jsonld."""
    written = []
    for name, serialise in (("catalog.ttl", turtle), ("catalog.jsonld", jsonld)):
        write_atomic(Path(root) / name, serialise(graph))
        written.append(Path(root) / name)
    return written


# --- validation ---------------------------------------------------------------------------------


@cache
def catalog_shapes_graph() -> Graph:
    g = new_catalog_graph()
    g.parse(ontology_dir() / CATALOG_SHAPES_FILE, format="turtle")
    return g


def validate_catalog(graph: Graph):
    """Check a catalog graph against ontology/catalog-shapes.ttl; a kyoyaku.shacl.report.Report whose
    results are named by the NodeShape (the requirement) they belong to."""
    from pyshacl import validate as pyshacl_validate

    from ..shacl.report import report_of

    shapes = catalog_shapes_graph()
    data = Graph(bind_namespaces="none")  # pySHACL needs a store with named graphs; new_graph()'s has none
    data += graph
    accepted, report_graph, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none",
                                                 allow_warnings=True, allow_infos=True)
    return report_of(accepted, report_graph, shapes)
