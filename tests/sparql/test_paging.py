"""Paging a listing: `kyoyaku query NAME --limit N --offset M`, `run(…, page=Page(…))` and
`kyoyaku.run_query(…, limit=, offset=)`. The pages of every shipped query concatenate to its rows;
bad values are one line and exit 2; a page of a query without ORDER BY is refused."""

import pytest

from kyoyaku.api import run_query
from kyoyaku.errors import UsageError
from kyoyaku.sparql.local import DEFAULT_PAGE_ROWS
from kyoyaku.sparql.query import Page, list_queries, operation, run

from ..conftest import KENOU, SEED_IRI, TAKASU_2019, B, cli

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
# values for the required parameters of the shipped queries, on the corpus (tests/fixtures/corpus/)
VALUES = {"municipality": B + "municipality/012041", "area": KENOU, "a": SEED_IRI, "b": TAKASU_2019,
          "keyword": "観光", "node": SEED_IRI + "/art_6__para_2", "date": "2022-02-21"}


def values_of(query) -> dict[str, str]:
    return {p.name: VALUES[p.name] for p in query.parameters if not p.optional}


def test_every_shipped_query_has_an_outer_order_by_and_no_limit_of_its_own():
    for query in list_queries():
        parsed = operation(query)
        assert (parsed.form, parsed.ordered, parsed.sliced) == ("SELECT", True, False), query.name


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_the_pages_of_each_shipped_query_concatenate_to_its_rows(corpus, query):
    _, store = corpus
    whole = run(store, query, values_of(query)).rows
    size = 3
    pages = [run(store, query, values_of(query), Page(size, offset)).rows for offset in range(0, len(whole) + size, size)]
    assert [row for page in pages for row in page] == whole
    assert all(len(page) == size for page in pages[:len(whole) // size])
    assert pages[-1] == []  # the page past the end is empty


def test_the_shipped_orders_are_total_every_column_is_a_sort_key():
    """Every projected column is in the ORDER BY, so two rows that tie are the same row: a page
    boundary between them could not repeat or skip anything."""
    import re

    from rdflib.plugins.sparql import parser

    for query in list_queries():
        select = parser.Query.parse_string(query.text, parse_all=True)[1]
        columns = {str(item["evar"] if "evar" in item else item["var"]) for item in select["projection"]}
        order = query.text[query.text.rindex("ORDER BY"):]
        assert columns - set(re.findall(r"\?(\w+)", order)) == set(), query.name


def test_the_api_pages_too(corpus):
    dist, _ = corpus
    whole = run_query("leadership", data=dist / "kyoyaku.ttl")
    assert len(whole) > 20
    page = run_query("leadership", data=dist / "kyoyaku.ttl", limit=5, offset=10)
    assert list(page) == list(whole)[10:15]
    with pytest.raises(UsageError, match=r"^limit: expected a whole number of rows, at least 1"):
        run_query("leadership", data=dist / "kyoyaku.ttl", limit=0)
    with pytest.raises(UsageError, match=r"^offset: expected a whole number of rows, at least 0"):
        run_query("leadership", data=dist / "kyoyaku.ttl", offset=-1)


def test_the_command_prints_the_page_asked_for_and_says_when_more_follow(corpus):
    dist, _ = corpus
    data = ["--data", dist / "kyoyaku.ttl", "--format", "csv"]
    whole = cli("query", "leadership", *data, "--limit", "all")
    assert whole.returncode == 0 and whole.stderr == ""
    lines = whole.stdout.splitlines()
    header, rows = lines[0], lines[1:]
    middle = cli("query", "leadership", *data, "--limit", "4", "--offset", "6")
    assert middle.returncode == 0
    assert middle.stdout.splitlines() == [header, *rows[6:10]]
    assert middle.stderr == ("kyoyaku: leadership: rows 7–10 shown and more follow: --offset 10 for the next page, "
                             "--limit all for every row\n")
    last = cli("query", "leadership", *data, "--limit", "4", "--offset", str(len(rows) - 4))
    assert last.stdout.splitlines() == [header, *rows[-4:]] and last.stderr == ""  # nothing follows: no line


def test_the_default_page_is_the_first_thousand_rows_and_says_so(tmp_path):
    data = tmp_path / "many.nt"
    count = DEFAULT_PAGE_ROWS + 2
    data.write_text("".join(f'<http://example.org/s{i:05d}> <http://example.org/p> "{i}"^^<{XSD_INTEGER}> .\n'
                            for i in range(count)),
                    encoding="utf-8")
    listing = tmp_path / "listing.rq"
    listing.write_text("# title: all / all\nSELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o\n",
                       encoding="utf-8")
    first = cli("query", listing, "--data", data, "--format", "csv")
    assert first.returncode == 0
    assert first.stdout.splitlines()[1:] == [f"http://example.org/s{i:05d},{i}" for i in range(DEFAULT_PAGE_ROWS)]
    assert first.stderr == (f"kyoyaku: listing: rows 1–{DEFAULT_PAGE_ROWS:,} shown and more follow: --offset "
                            f"{DEFAULT_PAGE_ROWS} for the next page, --limit all for every row\n")
    rest = cli("query", listing, "--data", data, "--format", "csv", "--offset", str(DEFAULT_PAGE_ROWS))
    assert rest.stdout.splitlines()[1:] == [f"http://example.org/s{i:05d},{i}" for i in range(DEFAULT_PAGE_ROWS, count)]
    assert rest.stderr == ""
    every = cli("query", listing, "--data", data, "--format", "csv", "--limit", "all")
    assert len(every.stdout.splitlines()) == 1 + count and every.stderr == ""


@pytest.mark.parametrize("option,value,expected", [
    ("--limit", "x", "--limit: expected a whole number of rows, at least 1 (or all), found 'x'"),
    ("--limit", "0", "--limit: expected a whole number of rows, at least 1 (or all), found '0'"),
    ("--limit", "-3", "--limit: expected a whole number of rows, at least 1 (or all), found '-3'"),
    ("--limit", "1.5", "--limit: expected a whole number of rows, at least 1 (or all), found '1.5'"),
    ("--limit", "１０", "--limit: expected a whole number of rows, at least 1 (or all), found '１０'"),
    ("--offset", "-1", "--offset: expected a whole number of rows, at least 0, found '-1'"),
    ("--offset", "all", "--offset: expected a whole number of rows, at least 0, found 'all'"),
])
def test_bad_page_values_are_one_line_and_exit_2(corpus, option, value, expected):
    dist, _ = corpus
    result = cli("query", "leadership", "--data", dist / "kyoyaku.ttl", option, value)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"kyoyaku: {expected}\n"


def test_a_page_of_a_query_without_order_by_or_with_its_own_limit_is_refused(corpus, tmp_path):
    dist, _ = corpus
    unordered = tmp_path / "unordered.rq"
    unordered.write_text("# title: x / x\nSELECT ?s ?p ?o WHERE { ?s ?p ?o }\n", encoding="utf-8")
    result = cli("query", unordered, "--data", dist / "kyoyaku.ttl", "--limit", "2")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"kyoyaku: {unordered}: --limit and --offset page a query by its ORDER BY, and this one "
                             "has none (its pages would not be stable); give --limit all, or add an ORDER BY\n")
    # without --limit it is printed whole (no default page: its rows have no order to page by)
    whole = cli("query", unordered, "--data", dist / "kyoyaku.ttl", "--format", "csv")
    assert whole.returncode == 0 and whole.stderr == "" and len(whole.stdout.splitlines()) > DEFAULT_PAGE_ROWS
    limited = tmp_path / "limited.rq"
    limited.write_text("# title: x / x\nSELECT ?s WHERE { ?s a ?c } ORDER BY ?s LIMIT 3\n", encoding="utf-8")
    result = cli("query", limited, "--data", dist / "kyoyaku.ttl", "--offset", "1")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"kyoyaku: {limited}: the query has its own LIMIT or OFFSET; leave out --limit and "
                             "--offset (or give --limit all)\n")
