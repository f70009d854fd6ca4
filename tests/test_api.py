"""The public Python API (kyoyaku.parse_file, build, open_store, run_query): the example session of
docs/api.md runs as written, `import kyoyaku` loads nothing else, and run_query gives what
`kyoyaku query` gives."""

from __future__ import annotations

import doctest
import json
import re
import shutil
import subprocess
import sys

import pytest

import kyoyaku
from kyoyaku.cli import main
from kyoyaku.errors import InputError, UsageError

from .conftest import ROOT, SEED, TAKASU_2019

API = ["build", "corpus_report", "open_store", "parse_file", "run_query"]


def test_the_example_session_of_docs_api_md_runs_as_written(tmp_path, monkeypatch):
    """Every ```python block of docs/api.md, in order, as one doctest, in a directory holding the
    shipped data/sources and data/registry: each output shown is checked."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    for folder in ("sources", "registry"):
        shutil.copytree(ROOT / "data" / folder, tmp_path / "data" / folder)
    monkeypatch.chdir(tmp_path)
    session = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "docs/api.md", "docs/api.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(session, out=lambda report: pytest.fail(report, pytrace=False))
    assert runner.summarize(verbose=False).attempted >= 20
    assert (tmp_path / "dist" / "kyoyaku.ttl").is_file()


def test_import_kyoyaku_loads_nothing_else():
    script = ("import sys, kyoyaku; print(sorted(m for m in sys.modules "
              "if m.startswith(('kyoyaku.', 'rdflib', 'pyoxigraph', 'pyshacl', 'matplotlib'))))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_the_api_is_listed_documented_and_nothing_else_is_made_up():
    assert kyoyaku.__all__ == API
    assert set(API) <= set(dir(kyoyaku))
    for name in API:
        function = getattr(kyoyaku, name)
        assert callable(function) and len(function.__doc__.split()) >= 30, name
    with pytest.raises(AttributeError, match="module 'kyoyaku' has no attribute 'parse'"):
        kyoyaku.parse  # noqa: B018 — the attribute lookup is the test


def test_run_query_gives_the_rows_of_kyoyaku_query(corpus, capsys):
    dist, _ = corpus
    data = dist / "kyoyaku.ttl"
    assert main(["query", "area-agreements", "--data", str(data), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    rows = kyoyaku.run_query("area-agreements", data=data)
    assert rows == expected and rows.columns == list(expected[0])
    assert kyoyaku.run_query("area-agreements", store=kyoyaku.open_store(data)) == expected
    assert kyoyaku.run_query(ROOT / "queries" / "area-agreements.rq", data=[data]) == expected


def test_run_query_takes_the_query_text_as_kyoyaku_query_does(corpus, capsys):
    dist, _ = corpus
    data = dist / "kyoyaku.ttl"
    text = ("# param: a iri\nPREFIX kyo: <https://w3id.org/kyoyaku/ns#>\n"
            "SELECT ?a (COUNT(?p) AS ?parties) WHERE { ?a kyo:hasParty ?p } GROUP BY ?a ORDER BY ?a")
    assert main(["query", "--query", text, "--param", f"a={TAKASU_2019}", "--data", str(data), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    rows = kyoyaku.run_query(text=text, params={"a": TAKASU_2019}, data=data)
    assert rows == expected == [{"a": TAKASU_2019, "parties": 2}] and rows.columns == ["a", "parties"]
    assert kyoyaku.run_query(text=text, params={"a": TAKASU_2019}, store=kyoyaku.open_store(data)) == expected
    with pytest.raises(UsageError, match="^give a query: a name or a .rq file, or text= the query itself — one of them$"):
        kyoyaku.run_query("area-agreements", text=text, data=data)
    with pytest.raises(UsageError, match="^give a query: a name or a .rq file, or text= the query itself — one of them$"):
        kyoyaku.run_query(data=data)
    with pytest.raises(InputError, match="^<text>: expected a SELECT query"):
        kyoyaku.run_query(text="ASK { ?s ?p ?o }", data=data)


def test_run_query_binds_params_and_reads_an_on_disk_store(corpus, tmp_path):
    from kyoyaku.sparql.store import save_store

    dist, _ = corpus
    save_store([dist / "kyoyaku.ttl"], tmp_path / "store")
    rows = kyoyaku.run_query("provenance", store=tmp_path / "store", params={"node": TAKASU_2019})
    assert rows == kyoyaku.run_query("provenance", data=dist / "kyoyaku.ttl", params={"node": TAKASU_2019})
    assert [row["agreement"] for row in rows] == [TAKASU_2019]


def test_run_query_without_rows_keeps_the_columns(corpus):
    dist, _ = corpus
    rows = kyoyaku.run_query("check-role-per-party", data=dist / "kyoyaku.ttl")
    assert rows == [] and rows.columns == ["initiative", "agreement", "party", "line"]


def test_run_query_refuses_what_kyoyaku_query_refuses(corpus, tmp_path):
    dist, _ = corpus
    store = kyoyaku.open_store(dist / "kyoyaku.ttl")
    update = tmp_path / "drop.rq"
    update.write_text("# title: drop\nDROP ALL\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"drop\.rq: expected a SELECT query \(its rows make the table\), "
                                         r"found 'UPDATE'"):
        kyoyaku.run_query(update, store=store)
    service = tmp_path / "service.rq"
    service.write_text("# title: remote\nSELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n",
                       encoding="utf-8")
    with pytest.raises(UsageError, match="SERVICE <http://127.0.0.1:9/sparql> would fetch over the network"):
        kyoyaku.run_query(service, store=store)
    with pytest.raises(UsageError, match="give --store or --data, not both"):
        kyoyaku.open_store(dist / "kyoyaku.ttl", store=tmp_path)


def test_parse_file_and_build_take_plain_strings(tmp_path):
    agreement = kyoyaku.parse_file(str(SEED))
    assert agreement.title == "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SEED, sources / SEED.name)
    result = kyoyaku.build(str(sources), str(tmp_path / "dist"))
    assert result.report.conforms and [a.title for a in result.agreements] == [agreement.title]
    assert (tmp_path / "dist" / "kyoyaku.ttl").is_file()
