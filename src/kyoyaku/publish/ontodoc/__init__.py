"""The published ontology folder: the Turtle files and JSON-LD context as shipped, and one HTML page
documenting every class, property, concept scheme, concept and SHACL shape.

`ontology_files()` returns what goes under `ontology/` on the published site. The page is written
here rather than by pyLODE: pyLODE 3.4.1 (the last release for Python 3.11) fails on import,
3.3.4 orders union domains differently from run to run, gives the first class an empty id, links
outside the page, and documents neither SKOS schemes (OntPub) nor SHACL shapes.

The page is Japanese first (`<html lang="ja">`, English texts marked `lang="en"`), self-contained
(inline style, no scripts, no external links: IRIs outside the page are shown as CURIEs or text),
and deterministic (everything sorted, no dates). Every term has an `id` anchor: its local name for
terms of the kyo: namespace (`Agreement`, `hasParty`, `AgreementTitleShape`), the path under
`https://w3id.org/kyoyaku/concept/` for concepts (`policy-field/tourism`), and `scheme/` and that
path for concept schemes (`scheme/policy-field`: `framework` is the id of kyo:framework).

The page is one class assembled from its parts: page.py (the frame: contents, overview,
namespaces), terms.py (classes and properties), concepts.py (concept schemes), shapes.py (SHACL
shapes), on base.py (the documented terms, their anchors, and how a term is written).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ...resources import ontology_dir
from .concepts import ConceptSections
from .page import PageFrame
from .shapes import ShapeSections
from .terms import TermSections

# files of the ontology folder that are copied as they are
CONTEXT = "context.jsonld"
INDEX = "index.html"


def ontology_files() -> dict[str, bytes]:
    """Relative path under ontology/ → content: every Turtle file of the shipped ontology folder
    (kyoyaku.ttl, concepts-*.ttl, *shapes*.ttl) and context.jsonld byte for byte, and index.html."""
    folder = ontology_dir()
    files = {path.name: path.read_bytes() for path in sorted(folder.glob("*.ttl"))}
    files[CONTEXT] = (folder / CONTEXT).read_bytes()
    files[INDEX] = index_html(folder).encode("utf-8")
    return dict(sorted(files.items()))


def write_ontology_files(out: Path) -> list[Path]:
    """Write `ontology_files()` into `out` (e.g. dist/ontology), each file atomically."""
    from ...outputs import write_atomic

    written = []
    for name, content in ontology_files().items():
        write_atomic(out / name, content)
        written.append(out / name)
    return written


def write_vocabulary(out: Path) -> list[Path]:
    """The whole vocabulary into the published tree `out`: the ontology folder (`ontology_files`,
    into out/ontology) and the documents and pages of the vocabulary's IRIs (vocabulary.py: ns.*,
    concept/…, ontology/index.* and the version's documents), so that every vocabulary IRI
    dereferences as the data's do."""
    from ...outputs import write_atomic
    from .vocabulary import vocabulary_files

    files = {f"ontology/{name}": content for name, content in ontology_files().items()}
    files.update((path, text.encode("utf-8")) for path, text in vocabulary_files(files["ontology/" + INDEX].decode()).items())
    written = []
    for relative, content in sorted(files.items()):
        write_atomic(out / relative, content)
        written.append(out / relative)
    return written


def index_html(folder: Path | None = None) -> str:
    """The documentation page of the ontology in `folder` (default: the shipped one)."""
    folder = folder or ontology_dir()
    vocabulary = Graph(bind_namespaces="none")
    shapes = Graph(bind_namespaces="none")
    turtle = sorted(folder.glob("*.ttl"))
    for path in turtle:
        (shapes if "shapes" in path.name else vocabulary).parse(path, format="turtle")
    downloads = sorted((path.name for path in turtle), key=_file_order)
    downloads += [CONTEXT] if (folder / CONTEXT).exists() else []
    return _Page(vocabulary, shapes, downloads).render()


def _file_order(name: str) -> tuple[int, str]:
    """The ontology first, then the concept schemes, then the shapes."""
    rank = 0 if name == "kyoyaku.ttl" else 2 if "shapes" in name else 1 if name.startswith("concepts-") else 3
    return rank, name


class _Page(TermSections, ConceptSections, ShapeSections, PageFrame):
    """The whole page: the frame (page.py) with the sections of terms, concept schemes and shapes."""
