"""An agreement as nested JSON for developers (kyoyaku.publish.framed): `dist/{agreement}.json`, whose
embedded context makes it expand — read by pyld, a JSON-LD processor that is not kyoyaku's — to exactly
the triples of the agreement's Turtle document; its short keys and its nesting on the seed."""

import functools
import http.server
import json
import random
import re
import shutil
import subprocess
import threading

import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from kyoyaku.graph import iris
from kyoyaku.publish import framed

from ..conftest import ROOT, SEED_IRI, B
from .reference_documents import expanded

SEED_PATH = "agreement/082015-082368/2022-02-21"
A = SEED_IRI
KYO = str(iris.KYO)


def assert_same_triples(document: str, turtle_path) -> None:
    got, want = expanded(document), Graph().parse(turtle_path, format="turtle")
    if not isomorphic(got, want):
        _, missing, extra = graph_diff(want, got)
        raise AssertionError(f"{turtle_path}: missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}")


def agreement_documents(dist) -> list:
    """(IRI, .json path) of every agreement the build published: every `.ttl` typing its resource kyo:Agreement."""
    found = []
    for nt in sorted((dist / "agreement").rglob("*.nt")):
        iri = iris.BASE + str(nt.relative_to(dist).with_suffix(""))
        if framed.is_agreement(iri, nt.read_text(encoding="utf-8").splitlines(keepends=True)):
            found.append((iri, nt.with_suffix(".json")))
    return found


def test_every_agreement_of_the_shipped_build_expands_to_its_turtle_document(national):
    """All 404 agreements (the full text and 403 registry records, some amended by amending
    agreements that point at them), each against its own .ttl."""
    dist, _ = national
    found = agreement_documents(dist)
    assert len(found) == 404
    for _, path in found:
        assert_same_triples(path.read_text(encoding="utf-8"), path.with_suffix(".ttl"))
    # amending agreements, municipalities and areas have none
    assert sorted(p.relative_to(dist) for p in dist.rglob("*.json") if p.parent != dist) == sorted(
        p.relative_to(dist) for _, p in found)


def test_the_agreements_of_an_amended_build_expand_to_their_turtle_documents(amended):
    """With consolidated versions (kyo:version) and amending agreements from full texts."""
    dist, _ = amended
    found = agreement_documents(dist)
    assert len(found) == 2
    for _, path in found:
        assert_same_triples(path.read_text(encoding="utf-8"), path.with_suffix(".ttl"))
    doc = json.loads((dist / f"{SEED_PATH}.json").read_text(encoding="utf-8"))
    assert doc["versions"] == [{"id": f"{A}/version/{date}", "consolidates": A} for date in ("2023-04-01", "2024-03-29")]
    assert doc["amendedBy"] == [{"id": f"{iris.BASE}agreement/082015-082368/{date}"} for date in ("2023-03-20", "2024-03-29")]


def test_the_seed_agreement_reads_without_rdf(national):
    """The keys a developer reads, on the one full text: exact names, values and nesting."""
    dist, _ = national
    doc = json.loads((dist / f"{SEED_PATH}.json").read_text(encoding="utf-8"))
    assert list(doc) == [
        "@context", "id", "type", "title", "date", "dateAsWritten", "framework", "area", "parties", "articles",
        "appendices", "cover", "preamble", "closingFormula", "dateStatement", "dateLocation", "dateSource",
        "signatures", "basedOn", "lapsePeriod", "noticeRequiresCouncilResolution", "sourceFile", "source",
        "policyFieldMapping", "sourceLine"]
    assert (doc["id"], doc["type"], doc["date"], doc["dateAsWritten"], doc["framework"]) == (
        A, ["Agreement"], "2022-02-21", "令和4年2月21日", "renkei-chusu")
    assert doc["title"] == {"ja": "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"}
    assert doc["area"] == {"id": iris.BASE + "area/renkei-chusu/082015", "name": {"ja": "いばらき県央地域連携中枢都市圏"},
                           "source": [A]}
    assert doc["parties"] == [
        {"id": f"{A}/party/kou", "type": ["Party"], "designation": {"ja": "甲"}, "nameAsWritten": {"ja": "水戸市"},
         "role": "core-city", "municipality": {"id": iris.BASE + "municipality/082015", "code": "082015",
                                               "name": {"ja": "水戸市"}},
         "order": 1, "sourceLine": 10},
        {"id": f"{A}/party/otsu", "type": ["Party"], "designation": {"ja": "乙"}, "nameAsWritten": {"ja": "小美玉市"},
         "role": "partner", "municipality": {"id": iris.BASE + "municipality/082368", "code": "082368",
                                             "name": {"ja": "小美玉市"}},
         "order": 2, "sourceLine": 10}]
    # the articles in their order, each with its paragraphs
    articles = doc["articles"]
    assert [a["number"] for a in articles] == [f"第{n}条" for n in range(1, 8)]
    assert [len(a["paragraphs"]) for a in articles] == [1, 1, 2, 1, 1, 2, 1]
    first = articles[0]
    assert list(first) == ["id", "type", "title", "number", "clauseKind", "paragraphs", "partOf", "ordinal", "sourceLine"]
    assert (first["title"], first["clauseKind"], first["partOf"]) == ({"ja": "目的"}, "purpose", A)
    assert first["paragraphs"][0]["text"]["ja"].startswith("この連携協約は、連携中枢都市宣言を行った甲と")
    assert articles[5]["paragraphs"][1]["number"] == "2"
    # the 別表: its sections (the third in three) and its rows, in the text's order
    annex = doc["appendices"]
    assert len(annex) == 1 and annex[0]["text"] == {"ja": "別表（第3条関係）"}

    def outline(section) -> tuple:
        return (section["number"], [r["number"] for r in section.get("rows", [])],
                [outline(s) for s in section.get("sections", [])])

    assert [outline(s) for s in annex[0]["sections"]] == [
        ("1", ["1", "2", "3"], []), ("2", ["4", "5", "6", "7"], []),
        ("3", [], [("(1)", ["8", "9", "10", "11", "12", "13"], []), ("(2)", ["14", "15"], []), ("(3)", ["16"], [])])]
    row = annex[0]["sections"][0]["rows"][0]
    assert (row["category"], row["policyField"], row["policyFieldMatch"], row["ledBy"]) == (
        {"ja": "企業や産業の育成・支援"}, "industry-cluster", "synonym", f"{A}/party/kou")
    assert [(r["party"], r["leads"], r["text"]["ja"]) for r in row["roles"]] == [
        (f"{A}/party/kou", True, "乙と連携して企業や産業の育成・支援に主体的に取り組む。"),
        (f"{A}/party/otsu", False, "甲と連携して企業や産業の育成・支援に取り組む。")]
    assert [s["signatoryName"] for s in doc["signatures"]] == ["高橋 靖", "島田 穰一"]
    assert doc["lapsePeriod"] == {"id": f"{A}/lapse-period", "type": ["Duration"], "numericDuration": "2.0",
                                  "unit": "unitYear", "derivedFrom": f"{A}/art_6__para_2"}
    assert (doc["sourceFile"]["fileName"], doc["sourceFile"]["byteSize"], doc["sourceFile"]["format"]) == (
        "mito-omitama-2022-02-21.txt", 8545, "text/plain")
    assert doc["dateSource"] == "closing" and doc["noticeRequiresCouncilResolution"] is True


def test_a_registry_record_and_its_amending_agreement(national):
    """A record: the parties with names and codes, and the amending agreement that points at it
    (eli:amends, nested as `amendedBy`)."""
    dist, _ = national
    doc = json.loads((dist / "agreement/072036-075213/2019-01-23.json").read_text(encoding="utf-8"))
    assert doc["type"] == ["Agreement", "AgreementRecord"]
    assert [(p["role"], p["municipality"]["code"], p["municipality"]["name"]["ja"]) for p in doc["parties"]] == [
        ("core-city", "072036", "郡山市"), ("partner", "075213", "三春町")]
    assert doc["amendedBy"] == [{"id": iris.BASE + "agreement/072036-075213/2020-07-08"}]
    assert doc["note"]["en"].startswith("須賀川市 page (更新 2019-02-05)")


def test_the_context_is_published_beside_the_dumps_and_embedded_in_each_document(national):
    dist, _ = national
    published = json.loads((dist / "context-framed.jsonld").read_text(encoding="utf-8"))
    seed = json.loads((dist / f"{SEED_PATH}.json").read_text(encoding="utf-8"))
    assert published == {"@context": seed["@context"]} == {"@context": framed.context()}
    context = published["@context"]
    assert context["code"] == "@index" and context["name"] == {"@id": "http://www.w3.org/2000/01/rdf-schema#label",
                                                               "@container": "@language"}
    assert context["role"] == {"@id": KYO + "role", "@type": "@vocab",
                               "@context": {"@vocab": str(iris.concept_scheme("party-role")) + "/"}}
    # the seed's document compacted against the published context by pyld keeps its triples
    compacted = jsonld.compact(jsonld.expand(seed), published["@context"])
    assert isomorphic(expanded(json.dumps(compacted)), expanded(json.dumps(seed)))


def test_the_agreement_pages_link_their_json(national):
    dist, _ = national
    for page, href in ((f"{SEED_PATH}.html", "2022-02-21.json"),
                       (f"en/{SEED_PATH}.html", "../../../agreement/082015-082368/2022-02-21.json"),
                       ("agreement/072036-075213/2019-01-23.html", "2019-01-23.json")):
        html = (dist / page).read_text(encoding="utf-8")
        assert f'<link rel="alternate" type="application/json" href="{href}">' in html, page
        assert f'(nested, short keys)</span>: <a href="{href}">JSON</a></li>' in html or (
            f'<li>JSON for developers (nested, short keys): <a href="{href}">JSON</a></li>' in html), page
    assert "開発者向けの JSON（入れ子、短いキー）" in (dist / f"{SEED_PATH}.html").read_text(encoding="utf-8")
    # not on an area's page: it has no .json
    assert ".json\"" not in (dist / "area/renkei-chusu/082015.html").read_text(encoding="utf-8")


def test_the_document_does_not_depend_on_the_order_of_its_lines(national):
    dist, _ = national
    lines = (dist / f"{SEED_PATH}.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    shuffled = lines[:]
    random.Random(4).shuffle(shuffled)
    assert framed.document(A, shuffled) == framed.document(A, lines) == (dist / f"{SEED_PATH}.json").read_text(
        encoding="utf-8")


# What the shipped data never has, and a document must still carry: a property without a key, a datatype
# its key does not take, an untagged text where the key holds a language map, a concept named as a key,
# a concept outside its scheme, a part that only points up at its whole, a node nothing reaches.
X = iris.BASE + "agreement/000001-000002/2030-01-01"
ODD = f"""\
<{X}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KYO}Agreement> .
<{X}> <{KYO}hasParty> <{X}/party/p1> .
<{X}> <{KYO}futureProperty> "新しい"@ja .
<{X}> <{KYO}futureLink> <{X}/extra> .
<{X}> <http://data.europa.eu/eli/ontology#date_document> "2030-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .
<{X}> <http://data.europa.eu/eli/ontology#title> "untagged" .
<{X}> <http://data.europa.eu/eli/ontology#title> "題"@ja .
<{X}> <http://data.europa.eu/eli/ontology#title> "Title"@en .
<{X}> <{KYO}framework> <{iris.concept("framework", "text")}> .
<{X}> <{KYO}dateAsWritten> "二〇三〇年一月"@ja .
<{X}> <{KYO}sourceLine> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .
<{X}> <{KYO}incomplete> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<{X}/party/p1> <{KYO}role> <https://example.org/role/other> .
<{X}/party/p1> <{KYO}order> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<{X}/extra> <http://www.w3.org/2000/01/rdf-schema#label> "x"@ja .
<{X}/annex_1> <http://data.europa.eu/eli/ontology#is_part_of> <{X}> .
<{X}/annex_1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KYO}Appendix> .
<{X}/annex_1/sec_1> <http://data.europa.eu/eli/ontology#is_part_of> <{X}/annex_1> .
<{X}/annex_1/sec_1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KYO}Change> .
<{X}/loose> <http://www.w3.org/2000/01/rdf-schema#label> "孤立"@ja .
<{X}/loose> <{KYO}double> "1.5E0"^^<http://www.w3.org/2001/XMLSchema#double> .
"""


def test_what_has_no_key_is_still_written_and_expands_to_the_same_triples(tmp_path):
    lines = ODD.splitlines(keepends=True)
    document = framed.document(X, lines)
    (tmp_path / "odd.nt").write_text(ODD, encoding="utf-8")
    assert isomorphic(expanded(document), Graph().parse(tmp_path / "odd.nt", format="nt"))
    doc = json.loads(document)
    assert doc["kyo:futureProperty"] == {"@value": "新しい", "@language": "ja"}
    assert doc["kyo:futureLink"] == {"id": f"{X}/extra", "name": {"ja": "x"}}
    assert doc["eli:date_document"] == {"@value": "2030-01", "@type": "xsd:gYearMonth"}
    assert doc["title"] == {"@none": "untagged", "en": "Title", "ja": "題"}
    assert doc["framework"] == str(iris.concept("framework", "text"))  # "text" would be read as the key
    assert doc["dateAsWritten"] == {"@value": "二〇三〇年一月", "@language": "ja"}
    assert doc["sourceLine"] == {"@value": "007", "@type": "xsd:integer"}  # 7 would be read back as "7"
    assert doc["incomplete"] == {"@value": "1", "@type": "xsd:boolean"}
    assert doc["parties"][0]["role"] == "https://example.org/role/other"
    # the 別表 points up at the agreement, which does not list it: a reverse link, its section in it
    annex = doc["@reverse"]["partOf"]
    assert [(a["id"], a["type"]) for a in annex] == [(f"{X}/annex_1", ["Appendix"])]
    assert annex[0]["@reverse"]["partOf"][0]["type"] == ["kyo:Change"]
    assert doc["included"] == [{"id": f"{X}/loose", "name": {"ja": "孤立"},
                                "kyo:double": {"@value": "1.5E0", "@type": "xsd:double"}}]


DOCS = ROOT / "docs" / "json-for-developers.md"


def code_block(language: str) -> str:
    """The one fenced block of `language` in docs/json-for-developers.md."""
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, language
    return blocks[0]


def within(example, real, where="$") -> None:
    """`example` is `real` trimmed: an object's keys are some of the real one's, in the same order,
    with values within theirs; an array's items are some of the real one's, in the same order."""
    if isinstance(example, dict):
        assert isinstance(real, dict) and list(example) == [k for k in real if k in example], where
        for key, value in example.items():
            within(value, real[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(real, list), where
        position = 0
        for item in example:
            matches = [i for i in range(position, len(real)) if _is_within(item, real[i])]
            assert matches, f"{where}: {str(item)[:80]} is not among the real items (in order)"
            position = matches[0] + 1
    else:
        assert example == real, where


def _is_within(example, real) -> bool:
    try:
        within(example, real)
    except AssertionError:
        return False
    return True


def test_the_documented_example_is_the_seed_agreement_trimmed(built):
    """Of the shipped sources' build (with their sources.csv: the source file's page)."""
    dist, _ = built
    example = json.loads(code_block("json"))
    real = json.loads((dist / f"{SEED_PATH}.json").read_text(encoding="utf-8"))
    within(example, real)
    assert len(example["parties"]) == 2 and example["appendices"][0]["sections"][0]["rows"]


@pytest.mark.server
@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_documented_javascript_prints_what_the_docs_say(national, tmp_path):
    """The docs' JavaScript, run by Node.js against the built tree served on 127.0.0.1 (a plain
    static server: the file is JSON whatever serves it)."""
    dist, _ = national
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(dist))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            script = code_block("js").replace(B, f"http://127.0.0.1:{server.server_port}/")  # the docs name the default base
            (tmp_path / "read.mjs").write_text(script, encoding="utf-8")
            run = subprocess.run(["node", str(tmp_path / "read.mjs")], capture_output=True, text=True, timeout=60,
                                 check=False)
        finally:
            server.shutdown()
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:6] == ["いばらき県央地域連携中枢都市圏の形成に関する連携協約書", "2022-02-21", "水戸市",
                         "core-city 082015 水戸市", "partner 082368 小美玉市", "1 企業や産業の育成・支援 industry-cluster 水戸市"]
    assert len(lines) == 5 + 16 and lines[-1].startswith("16 ")
