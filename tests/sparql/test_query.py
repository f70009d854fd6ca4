"""The query runner: headers, parameters bound as RDF terms, output formats, the CLI."""

import json

import pytest

from kyoyaku.errors import InputError, UsageError
from kyoyaku.sparql.query import (
    Parameter,
    Query,
    bind,
    find_query,
    list_queries,
    read_query,
    run,
    to_csv,
    to_json,
    to_text,
)

from ..conftest import KENOU, ROOT, cli


def probe(parameters: list[Parameter], text: str) -> Query:
    return Query("probe", ROOT / "probe.rq", "probe", "", text, parameters)


def test_every_shipped_query_has_a_title_and_answers_a_question():
    queries = list_queries()
    assert len([q for q in queries if not q.is_check]) >= 12
    assert len([q for q in queries if q.is_check]) >= 3
    for q in queries:
        assert " / " in q.title, q.name  # Japanese / English
        assert q.answers, q.name


def test_every_query_is_listed_in_the_queries_readme():
    readme = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    for q in list_queries():
        assert f"`{q.name}`" in readme, q.name


def test_every_query_has_expected_results_under_test():
    tests = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    for q in list_queries():
        assert f'"{q.name}"' in tests, f"no test runs {q.name}"


@pytest.mark.parametrize("value", ['観光" } ; DELETE WHERE { ?s ?p ?o } #', "a}b", "x # y", "line\nbreak", "<http://x>"])
def test_string_values_stay_literals(corpus, value):
    _, store = corpus
    query = probe([Parameter("keyword", "string", False, "")],
                  'SELECT ?echo WHERE { BIND (?keyword AS ?echo) }')
    assert run(store, query, {"keyword": value}).rows == [[value]]


def test_values_block_goes_into_the_outer_group_after_prefixes_and_comments():
    query = probe([Parameter("area", "iri", False, "")],
                  '# a { in a comment\nPREFIX x: <http://x/#a>\nSELECT ?s WHERE { ?s ?p "{" }')
    bound = bind(query, {"area": KENOU})
    assert bound.endswith(f'WHERE {{ VALUES (?area) {{ (<{KENOU}>) }}  ?s ?p "{{" }}')


@pytest.mark.parametrize("kind,value", [("iri", "not an iri"), ("iri", "http://x/>"), ("date", "2022-13-01"),
                                        ("integer", "1.5")])
def test_bad_parameter_values_are_usage_errors(kind, value):
    with pytest.raises(UsageError, match="expected"):
        bind(probe([Parameter("p", kind, False, "")], "SELECT * WHERE { }"), {"p": value})


def test_prefixed_iri_parameter_and_missing_or_unknown_parameters():
    query = probe([Parameter("m", "iri", False, "")], "SELECT * WHERE { }")
    assert "<https://w3id.org/kyoyaku/ns#Agreement>" in bind(query, {"m": "kyo:Agreement"})
    with pytest.raises(UsageError, match="needs --param m="):
        bind(query, {})
    with pytest.raises(UsageError, match="has no parameter x"):
        bind(query, {"m": "kyo:Agreement", "x": "1"})


def test_header_errors_name_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: t / t\n# param: area url\nSELECT * WHERE { }\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.rq:2"):
        read_query(bad)
    untitled = tmp_path / "untitled.rq"
    untitled.write_text("SELECT * WHERE { }\n", encoding="utf-8")
    with pytest.raises(InputError, match="untitled.rq:1: expected a header comment starting with '# title: …'"):
        read_query(untitled, title_required=True)  # as the library's queries are read
    assert read_query(untitled).title == "untitled"  # any other .rq: the header is optional (issue 22)
    with pytest.raises(UsageError, match="no query named"):
        find_query("no-such-query")


def test_csv_reads_into_pandas_as_is(corpus):
    import io

    import pandas

    _, store = corpus
    table = run(store, find_query("coverage-matrix"), {"area": KENOU})
    frame = pandas.read_csv(io.StringIO(to_csv(table)), dtype={"partner": str})
    assert list(frame.columns) == table.columns
    assert frame["initiatives"].dtype.kind == "i" and int(frame["initiatives"].sum()) == 16
    assert set(frame["partner_name"]) == {"小美玉市"}
    assert json.loads(to_json(table))[0].keys() == set(table.columns)
    assert to_text(table).endswith(f"({len(table.rows)} rows)\n")


def test_coverage_matrix_of_the_seed_area_covers_all_sixteen_rows(corpus):
    _, store = corpus
    table = run(store, find_query("coverage-matrix"), {"area": KENOU})
    assert len(table.rows) == 16 and all(row[1] == "小美玉市" and row[4] == 1 for row in table.rows)


def test_coverage_matrix_over_the_corpus(corpus):
    """Every partner's rows (seed 16; 鷹栖町 6 + 3 teiju; 東神楽町 6) fall in national fields."""
    _, store = corpus
    table = run(store, find_query("coverage-matrix"))
    totals = {}
    for partner, name, field, label, count in table.rows:
        totals[name] = totals.get(name, 0) + count
    assert totals == {"小美玉市": 16, "鷹栖町": 9, "東神楽町": 6}


def test_cli_queries_and_query(corpus):
    dist, _ = corpus
    listed = cli("queries", cwd=dist.parent)
    assert listed.returncode == 0 and "coverage-matrix" in listed.stdout and "area=iri?" in listed.stdout
    done = cli("query", "coverage-matrix", "--param", f"area={KENOU}", "--format", "csv", "--data",
               dist / "kyoyaku.ttl", cwd=dist.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "partner,partner_name,field,field_label,initiatives"
    assert len(done.stdout.splitlines()) == 17
    bad = cli("query", "coverage-matrix", "--param", 'area=x"y', "--data", dist / "kyoyaku.ttl", cwd=dist.parent)
    assert bad.returncode == 2 and "expected an absolute IRI" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_query_csv_for_excel(corpus):
    """--format csv --excel: the bytes Excel in Japan reads — BOM, CRLF, Japanese column names, the
    団体コード beside the municipality — the same bytes as the build's queries/NAME.csv; --excel
    without --format csv is refused (exit 2, one line)."""
    import subprocess

    from ..conftest import KYOYAKU

    dist, _ = corpus
    done = subprocess.run([*KYOYAKU, "query", "coverage-matrix", "--param", f"area={KENOU}", "--format", "csv",
                           "--excel", "--data", str(dist / "kyoyaku.ttl")], capture_output=True, cwd=dist.parent,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split(b"\r\n")
    assert lines[0] == "\ufeff連携市町村,連携市町村の団体コード,連携市町村名,政策分野,政策分野名,取組数".encode()
    assert lines[1].startswith(b"https://w3id.org/kyoyaku/municipality/082368,082368,")
    assert len(lines) == 1 + 16 + 1 and lines[-1] == b""  # 16 rows, the last ending in CRLF too
    whole = subprocess.run([*KYOYAKU, "query", "coverage-matrix", "--format", "csv", "--excel", "--limit", "all",
                            "--data", str(dist / "kyoyaku.ttl")], capture_output=True, cwd=dist.parent, timeout=300,
                           check=False)
    assert whole.stdout == (dist / "queries" / "coverage-matrix.csv").read_bytes()
    refused = cli("query", "coverage-matrix", "--excel", "--data", dist / "kyoyaku.ttl", cwd=dist.parent)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == ("kyoyaku: --excel writes CSV for a spreadsheet: give --format csv with it "
                              "(not --format table)\n")
    workbook = dist.parent / "coverage-matrix.xlsx"
    made = cli("query", "coverage-matrix", "--format", "xlsx", "--out", workbook, "--data", dist / "kyoyaku.ttl",
               cwd=dist.parent)
    assert made.returncode == 0 and made.stdout == "", made.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(workbook).active
    assert [c.value for c in sheet[1]] == ["連携市町村", "連携市町村の団体コード", "連携市町村名", "政策分野", "政策分野名", "取組数"]
    import csv
    import io

    written = list(csv.reader(io.StringIO((dist / "queries" / "coverage-matrix.csv").read_text(encoding="utf-8-sig"),
                                          newline="")))  # the same rows as the build's CSV, numbers as numbers
    assert [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()] == written
    assert sheet["B2"].value == "014524" and sheet["B2"].data_type == "s"  # 鷹栖町: the code as text
    no_out = cli("query", "coverage-matrix", "--format", "xlsx", "--data", dist / "kyoyaku.ttl", cwd=dist.parent)
    assert no_out.returncode == 2 and no_out.stderr == (
        "kyoyaku: --format xlsx writes a workbook to --out FILE: give both, or neither\n")


def test_validate_runs_the_checks(corpus):
    dist, _ = corpus
    done = cli("validate", dist / "kyoyaku.ttl", cwd=dist.parent)
    assert done.returncode == 0, done.stdout
    assert "check failed" not in done.stdout


def test_area_agreements_lists_every_edge_with_full_text_or_record(corpus):
    _, store = corpus
    table = run(store, find_query("area-agreements"))
    rows = [dict(zip(table.columns, r)) for r in table.rows]
    assert len(rows) == 19  # 4 full texts + 15 records (the seed's record replaced by its text)
    full = sorted((r["area_label"], r["partner_name"], r["date"]) for r in rows if r["full_text"])
    assert full == [("いばらき県央地域連携中枢都市圏", "小美玉市", "2022-02-21"),
                    ("上川中央定住自立圏", "鷹栖町", "2016-03-25"),
                    ("上川中央連携中枢都市圏", "東神楽町", "2021-10-01"),
                    ("上川中央連携中枢都市圏", "鷹栖町", "2019-04-01")]
    teiju = [r for r in rows if r["area_label"] == "茨城県央地域定住自立圏"]
    assert len(teiju) == 8 and all(r["date"] is None and r["core_name"] == "水戸市" for r in teiju)


KNOWN_PREFIXES = "(kyo:, eli:, org:, prov:, time:, dcterms:, skos:, rdf:, rdfs:, owl:, xsd:, sh:)"


@pytest.mark.parametrize("value, message", [
    ("kyo:municipality/082368", ("--param m: 'kyo:municipality/082368' is not a prefixed name (kyo: is "
                                 "<https://w3id.org/kyoyaku/ns#>, and a local name has no '/'); the resource is "
                                 "https://w3id.org/kyoyaku/municipality/082368")),
    ("municipality:082368", (f"--param m: expected a full IRI (https://…) or a prefixed name with a known prefix "
                             f"{KNOWN_PREFIXES}, found 'municipality:082368'; the resource is "
                             "https://w3id.org/kyoyaku/municipality/082368")),
    ("ex:thing", (f"--param m: expected a full IRI (https://…) or a prefixed name with a known prefix "
                  f"{KNOWN_PREFIXES}, found 'ex:thing'")),
])
def test_an_iri_parameter_that_would_match_nothing_is_refused(value, message):
    """`kyo:municipality/082368` expanded into the ontology's ns# namespace, and a bare
    `municipality:082368` passed as an IRI of scheme `municipality`: 0 rows, exit 0."""
    query = probe([Parameter("m", "iri", False, "")], "SELECT * WHERE { }")
    with pytest.raises(UsageError) as info:
        bind(query, {"m": value})
    assert str(info.value) == message


@pytest.mark.parametrize("value", ["https://w3id.org/kyoyaku/municipality/082368", "kyo:Agreement", "urn:isbn:1",
                                   "mailto:a@example.org", "tag:example.org,2024:x"])
def test_full_iris_and_prefixed_names_are_bound(value):
    query = probe([Parameter("m", "iri", False, "")], "SELECT * WHERE { }")
    assert "VALUES (?m)" in bind(query, {"m": value})


def test_json_output_stays_json_for_nan_and_infinity():
    """JSON has no NaN or Infinity: json.dumps would write them as bare NaN / Infinity, which no
    JSON reader accepts; the SPARQL text of the double is written instead."""
    from kyoyaku.sparql.query import Table

    table = Table(["x", "y"], [[float("nan"), 1.5], [float("inf"), float("-inf")]])
    assert json.loads(to_json(table)) == [{"x": "NaN", "y": 1.5}, {"x": "INF", "y": "-INF"}]
