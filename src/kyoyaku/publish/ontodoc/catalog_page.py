"""The catalog's IRI as documents, as every IRI of the data: beside catalog.ttl and catalog.jsonld
(publish.catalog), catalog.nt and the page catalog.html (en/catalog.html in English), which shows
the catalog, the dataset and each distribution with every property, as the vocabulary's pages show
a term (publish.ontodoc.vocabulary)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, RDF

from ...graph.serialize import ntriples
from ...outputs import write_atomic
from ..pages.html import Page, document, e, heading
from ..pages.language import ENGLISH, JAPANESE, english_path, writing_in
from .vocabulary import _all_rows, _title, label_html

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
STEM = "catalog"


def catalog_page(page: Page, graph: Graph) -> str:
    catalog = next(iter(sorted(graph.subjects(RDF.type, DCAT.Catalog))))
    datasets = sorted(graph.objects(catalog, DCAT.dataset))
    title = _title(catalog, graph)
    parts = [f"<h1>{label_html(title)}</h1>", f"<p>IRI: <code>{e(catalog)}</code></p>", _all_rows(page, graph, catalog)]
    for dataset in datasets:
        parts.append(f'<section>\n<h2>{label_html(_title(dataset, graph))}</h2>\n<p>IRI: <code>{e(dataset)}</code></p>\n'
                     f"{_all_rows(page, graph, dataset, leave_out={DCAT.distribution, VOID.classPartition})}\n</section>")
        for distribution in sorted(graph.objects(dataset, DCAT.distribution)):
            parts.append(f'<section>\n<h3>{label_html(_title(distribution, graph))}</h3>\n'
                         f"{_all_rows(page, graph, distribution, leave_out={DCTERMS.title})}\n</section>")
    formats = ", ".join(f'<a href="{e(page.href(STEM + suffix))}">{kind}</a>'
                        for suffix, kind in ((".ttl", "Turtle"), (".jsonld", "JSON-LD"), (".nt", "N-Triples")))
    parts.append(f"<section>\n{heading(2, '機械可読データ', 'Machine-readable data')}\n<p>{formats}</p>\n</section>")
    return document(page, title, "\n".join(parts), [label_html(title)], source=(STEM + ".ttl", "カタログ", "the catalog"))


def write_catalog_documents(root: Path, graph: Graph) -> list[Path]:
    """root/catalog.nt, root/catalog.html and root/en/catalog.html for the catalog `graph` (the one
    written as catalog.ttl and catalog.jsonld)."""
    written = [root / f"{STEM}.nt"]
    write_atomic(written[0], ntriples(graph))
    for language, at in ((JAPANESE, f"{STEM}.html"), (ENGLISH, english_path(f"{STEM}.html"))):
        with writing_in(language):
            write_atomic(root / at, catalog_page(Page(None, at), graph))
        written.append(root / at)
    return written

