"""The query page `kyoyaku serve` gives a browser at its endpoint (a GET of /query that asks for
HTML, without a query): a query box, the shipped queries (kyoyaku.sparql.query.list_queries) as
examples with their parameters, a run button, the results as a table with IRIs as links, and
CSV/JSON downloads. Japanese first, English beside (`<span class="en" lang="en">`), as on the site.

Everything it needs is served by `serve` itself (no CDN, nothing fetched from elsewhere): the page,
its script (QUERY_SCRIPT at /query.js) and, at /query/examples/NAME?PARAM=VALUE, a shipped query
with its parameters bound by the same code as `kyoyaku query --param` (kyoyaku.sparql.query.bind)."""

from __future__ import annotations

import functools
import json
from html import escape
from pathlib import Path

from ..sparql.query import Query, bind, list_queries

SCRIPT_PATH = "/query.js"
EXAMPLES_PATH = "/query/examples/"
QUERY_SCRIPT = Path(__file__).with_name("query_page.js")
FIRST_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"
KIND_WORDS = {"iri": ("IRI", "IRI"), "string": ("文字列", "text"), "date": ("日付", "date, YYYY-MM-DD"),
              "integer": ("整数", "integer")}
STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; line-height: 1.5; }
.en { color: #555; font-size: 0.9em; }
textarea { width: 100%; box-sizing: border-box; font-family: ui-monospace, monospace; font-size: 0.9rem; }
.examples { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 0.5rem;
            list-style: none; padding: 0; }
.examples li { border: 1px solid #ccc; border-radius: 4px; padding: 0.5rem; }
.examples button { text-align: left; font: inherit; font-weight: bold; background: none; border: 0; padding: 0;
                   color: #0645ad; cursor: pointer; text-decoration: underline; }
.examples p { margin: 0.25rem 0 0; font-size: 0.85rem; }
fieldset { min-width: 0; overflow-wrap: anywhere; }  /* a long IRI in a parameter's doc wraps on a phone */
fieldset label { display: block; margin: 0.25rem 0; }
fieldset input { width: 100%; box-sizing: border-box; }
#run { font-size: 1rem; padding: 0.3rem 1.5rem; margin: 0.5rem 0; }
#status.error { color: #b00020; white-space: pre-wrap; }
.results { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
td a { word-break: break-all; }
"""


def both(japanese: str, english: str) -> str:
    """Japanese with its English beside it (both already HTML)."""
    return f'{japanese} <span class="en" lang="en">{english}</span>'


def _title(query: Query) -> str:
    """A shipped query's title, `日本語 / English`, as HTML."""
    japanese, _, english = query.title.partition(" / ")
    return both(escape(japanese), escape(english)) if english else escape(query.title)


def _parameters(query: Query) -> str:
    """The inputs of a query's parameters, shown (and enabled: the browser checks the required
    ones) while it is the query in the box."""
    if not query.parameters:
        return ""
    inputs = []
    for parameter in query.parameters:
        kind_ja, kind_en = KIND_WORDS[parameter.kind]
        optional = both("（省略可）", "(optional)") if parameter.optional else ""
        doc = f' — <span lang="en">{escape(parameter.doc)}</span>' if parameter.doc else ""
        field = f"param-{query.name}-{parameter.name}"
        inputs.append(f'<label for="{field}"><code>{escape(parameter.name)}</code> ({kind_ja} '
                      f'<span class="en" lang="en">{kind_en}</span>) {optional}{doc}'
                      f'<input id="{field}" name="{escape(parameter.name)}" data-kind="{parameter.kind}"'
                      f'{"" if parameter.optional else " required"} autocomplete="off"></label>')
    return (f'<fieldset class="parameters" data-example="{escape(query.name)}" hidden disabled>'
            f'<legend>{both("パラメータ", "Parameters")}: {_title(query)}</legend>{"".join(inputs)}</fieldset>')


@functools.cache
def query_page() -> bytes:
    """The page (the same for every request: the endpoint is named relative to it)."""
    queries = list_queries()
    examples = "".join(
        f'<li><button type="button" class="example" data-example="{escape(q.name)}">{_title(q)}</button>'
        f'<p lang="en">{escape(q.answers)}</p>'
        + (f'<p>{both("パラメータ", "parameters")}: '
           f'{", ".join(f"<code>{escape(p.name)}</code>" for p in q.parameters)}</p>' if q.parameters else "")
        + "</li>" for q in queries)
    texts = json.dumps({q.name: q.text for q in queries}, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPARQL 問い合わせ / SPARQL query — kyoyaku</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{both("SPARQL 問い合わせ", "SPARQL query")}</h1>
<p>{both("連携協約データの読み取り専用 SPARQL 1.1 エンドポイントです。問い合わせを書くか、下の例から選んで実行してください。"
         "プログラムからは同じアドレスに GET または POST で問い合わせられます（CORS 可）。",
         "A read-only SPARQL 1.1 endpoint over the partnership agreement data. Write a query, or pick one of "
         "the examples below, and run it. Programs query this same address by GET or POST (CORS allowed).")}</p>
<form id="query-form">
<p><label for="query-text">{both("問い合わせ", "Query")}</label></p>
<textarea id="query-text" name="query" rows="16" spellcheck="false">{escape(FIRST_QUERY)}</textarea>
{"".join(_parameters(q) for q in queries)}
<button type="submit" id="run">{both("実行", "Run")}</button>
</form>
<p id="status" role="status" aria-live="polite"></p>
<p id="downloads" hidden>{both("ダウンロード", "Download")}:
<a id="download-csv" href="#" download="kyoyaku-results.csv">CSV</a>
<a id="download-json" href="#" download="kyoyaku-results.json">JSON</a></p>
<div id="results" class="results"></div>
<section>
<h2>{both("問い合わせの例", "Example queries")}</h2>
<p>{both("例を選ぶと問い合わせ欄に入ります。パラメータのある例は、値を入れてから実行してください。",
         "Picking an example puts it in the query box; for one with parameters, fill them in before running it.")}</p>
<ul class="examples">{examples}</ul>
</section>
</main>
<script type="application/json" id="example-texts">{texts}</script>
<script src="query.js"></script>
</body>
</html>
""".encode()


def example_text(name: str, values: dict[str, str]) -> str | None:
    """The shipped query `name` with `values` bound to its parameters (None: no such query);
    UsageError for a value that is not of its parameter's kind, or a missing one."""
    shipped = {q.name: q for q in list_queries()}
    return bind(shipped[name], values) if name in shipped else None
