"""The IRI scheme — the public contract. Two bases, set here and nowhere else:

- VOCABULARY_BASE, fixed: the ontology namespace (KYO, `ns#`), the concept schemes and concepts
  (`concept/…`), the law provisions (`law/…`: the shapes name one), the ontology's and the shapes'
  documents. Whoever publishes, the vocabulary is kyoyaku's own, so that the data of two publishers
  can be queried together.
- data_base(), the build's setting (kyoyaku.config; default https://w3id.org/kyoyaku/): every IRI of
  the data — agreements, municipalities, areas, registry records, mappings, statistics, the dataset
  and its catalog — is minted under it, when it is minted.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

from .. import config

VOCABULARY_BASE = "https://w3id.org/kyoyaku/"
# The default data base, for tests and examples only: code that mints a data IRI calls data_base().
BASE = config.DEFAULT_BASE


def data_base() -> str:
    """The base IRI of the data of the build under way (kyoyaku.config.current()), ending with '/'."""
    return config.current().base



class _Namespace(Namespace):
    """An rdflib Namespace that makes each of its terms once: the mapping reads KYO.text and the
    like for every triple, and rdflib builds a new URIRef at every attribute access."""

    def __getattr__(self, name: str):
        term = super().__getattr__(name)
        if not name.startswith("__"):
            self.__dict__[name] = term  # found as a plain attribute from now on
        return term


KYO = _Namespace(VOCABULARY_BASE + "ns#")
ELI = _Namespace("http://data.europa.eu/eli/ontology#")
ORG = _Namespace("http://www.w3.org/ns/org#")
PROV = _Namespace("http://www.w3.org/ns/prov#")
TIME = _Namespace("http://www.w3.org/2006/time#")
DCTERMS = _Namespace("http://purl.org/dc/terms/")
SKOS = _Namespace("http://www.w3.org/2004/02/skos/core#")
ESTAT_SAC = _Namespace("http://data.e-stat.go.jp/lod/sac/")

# Prefixes bound in every graph we write (and nothing else: see TOOLCHAIN pitfall 5).
PREFIXES = {
    "kyo": KYO,
    "eli": ELI,
    "org": ORG,
    "prov": PROV,
    "time": TIME,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "rdf": Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
    "sh": Namespace("http://www.w3.org/ns/shacl#"),
}

# 地方自治法 (law number 322AC0000000067 on e-Gov), 第252条の2 第1項: the basis of every 連携協約.
LOCAL_AUTONOMY_ACT = "322AC0000000067"
LOCAL_AUTONOMY_ACT_EGOV = URIRef("https://laws.e-gov.go.jp/law/322AC0000000067")
# A provision of the national law is the same for every publisher: a vocabulary IRI (shapes.ttl names it).
RENKEI_KYOYAKU_BASIS = URIRef(f"{VOCABULARY_BASE}law/{LOCAL_AUTONOMY_ACT}/art_252-2__para_1")

# 十干 in their usual readings; parties past the sixth are named by position instead.
DESIGNATION_SLUGS = {"甲": "kou", "乙": "otsu", "丙": "hei", "丁": "tei", "戊": "bo", "己": "ki"}


def agreement(party_codes: list[str], date_iso: str | None, framework: str = "renkei-chusu") -> URIRef:
    """Undated agreements (registry records) carry their framework, so that the same two parties'
    undated 連携協約 and 定住自立圏 協定 stay two agreements."""
    return URIRef(f"{data_base()}agreement/{'-'.join(party_codes)}/{date_iso or f'undated-{framework}'}")


def municipality(code: str) -> URIRef:
    return URIRef(f"{data_base()}municipality/{code}")


def area(framework: str, core_codes: list[str]) -> URIRef:
    return URIRef(f"{data_base()}area/{framework}/{'-'.join(core_codes)}")


def area_without_core(framework: str, member_codes: list[str]) -> URIRef:
    """An area whose source states no core city is named by its smallest member code."""
    return URIRef(f"{data_base()}area/{framework}/unstated-core-{min(member_codes)}")


def concept(scheme: str, notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY_BASE}concept/{scheme}/{notation}")


def concept_scheme(scheme: str) -> URIRef:
    return URIRef(f"{VOCABULARY_BASE}concept/{scheme}")


def article_slug(number: str) -> str:
    """'3' → 'art_3'; '3の2' → 'art_3-2'."""
    return "art_" + number.replace("の", "-")


def designation_slug(designation: str, position: int) -> str:
    """甲 → kou; a party with no 甲/乙 designation is named by its position (p1, p2 …)."""
    return DESIGNATION_SLUGS.get(designation, f"p{position}")


def estat_area(code: str) -> URIRef:
    """e-Stat's statistical area code drops the check digit: 082015 → C08201."""
    return ESTAT_SAC[f"C{code[:5]}"]


def site_path(iri: str) -> str | None:
    """Where the published site keeps the documents of an IRI under the data base, without the suffix
    the format adds (.html, .ttl, .jsonld): …/agreement/082015-082368/2022-02-21 → agreement/082015-082368/
    2022-02-21. None for an IRI outside the data base or one with a fragment."""
    base = data_base()
    if not iri.startswith(base) or "#" in iri or iri == base:
        return None
    return iri[len(base):]


def owner_finder(owners: set[str]):
    """A function: node → the IRI among `owners` that is the node's own or the nearest path prefix of
    it (…/2022-02-21/art_3__para_2 → …/2022-02-21), or "" when none is. One rule for what belongs to
    an agreement (or a municipality, an area): its documents, named graphs and validation units."""

    def owner(node) -> str:
        path = str(node)
        while True:
            if path in owners:
                return path
            if "/" not in path:
                return ""
            path = path.rsplit("/", 1)[0]

    return owner


def split_by_agreement(data) -> dict[str, list[tuple]]:
    """Agreement IRI → the triples whose subject it owns (see owner_finder); "" → all the others. An
    amending agreement (kyo:AmendingAgreement) owns its nodes as an agreement does."""
    from rdflib import RDF

    owners = {str(a) for kind in (KYO.Agreement, KYO.AmendingAgreement) for a in data.subjects(RDF.type, kind)}
    owner = owner_finder(owners)
    split: dict[str, list[tuple]] = {"": []}
    for triple in data:
        split.setdefault(owner(triple[0]), []).append(triple)
    return split
