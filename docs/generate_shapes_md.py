"""Regenerate docs/shapes.md from ontology/shapes.ttl and ontology/catalog-shapes.ttl:
`python docs/generate_shapes_md.py`."""

from pathlib import Path

from rdflib import RDF
from rdflib.namespace import SH

from kyoyaku.publish.catalog import catalog_shapes_graph
from kyoyaku.shacl.shapes import shapes_graph

HEAD = """# Shapes — the requirements `kyoyaku validate` checks

`ontology/shapes.ttl` holds one SHACL NodeShape per requirement, run with pySHACL by
`kyoyaku.shacl.validate`. Each has a fixture in `tests/fixtures/shapes/invalid/` whose test asserts this
shape, path and severity. A *Warning* is reported but does not stop `kyoyaku build`; a *Violation*
does. Generated from the shapes file by `python docs/generate_shapes_md.py` (English messages).

| shape | severity | requirement |
| --- | --- | --- |
"""


CATALOG_HEAD = """
## The catalog

`ontology/catalog-shapes.ttl` holds the requirements on the DCAT 3 / VoID description of the dataset
(`dist/catalog.ttl`), checked by `kyoyaku.publish.catalog.validate_catalog` when the build writes it; each
has a fixture in `tests/fixtures/catalog/invalid/`.

| shape | severity | requirement |
| --- | --- | --- |
"""


def table(g) -> str:
    rows = []
    for shape in sorted(g.subjects(RDF.type, SH.NodeShape)):
        message = next(str(m) for m in g.objects(shape, SH.message) if m.language == "en")
        severity = str(g.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        rows.append(f"| `kyo:{str(shape).rsplit('#', 1)[1]}` | {severity} | {message} |\n")
    return "".join(rows)


def shapes_md() -> str:
    return HEAD + table(shapes_graph()) + CATALOG_HEAD + table(catalog_shapes_graph())


if __name__ == "__main__":
    Path(__file__).with_name("shapes.md").write_text(shapes_md(), encoding="utf-8")
