"""The published tree mirrors the IRIs, so any static host serves them: for every agreement,
municipality and area `{BASE}{path}` the build writes `dist/{path}.ttl`, `.jsonld`, `.nt` and `.html`
(and for an agreement `.json`: the same triples nested for developers, publish.framed), beside the
whole-dataset dumps (and their gzip) at the top.

A resource's document holds the triples about it and its parts (subjects `{iri}` and `{iri}/…`),
the triples that point at it, and the labels of the resources it links to, so it reads on its own.

The documents are cut out of the dataset's N-Triples lines, sorted (the lines of kyoyaku.nt:
graph.serialize.ntriples), in one pass and one resource at a time: a resource's own lines are
gathered as they come, and the links to it and the labels come from the store of the same data.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS

from ..graph import iris
from ..graph.iris import KYO, PREFIXES
from ..graph.serialize import line_terms, lines_of, turtle
from ..outputs import write_atomic, write_staged
from . import framed
from . import writers as publish

# An amending agreement and a consolidated version are resources of their own: a version's parts
# (`{agreement}/version/{date}/art_1`) belong to the version's document, not the agreement's.
# A stated national total (statistic/{framework}/{date}) is one too: the front page's coverage rests on it.
RESOURCE_TYPES = (KYO.Agreement, KYO.Municipality, KYO.PartnershipArea, KYO.AmendingAgreement, KYO.ConsolidatedVersion,
                  KYO.StatedTotal)
NAMESPACES = tuple((prefix, str(namespace)) for prefix, namespace in PREFIXES.items())  # a document's
LABEL = f"<{RDFS.label}>"


def resources(store: ox.Store) -> list[str]:
    """The IRIs of the resources that get their own documents, sorted."""
    found = set()
    for kind in RESOURCE_TYPES:
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(kind))):
            if isinstance(quad.subject, ox.NamedNode) and iris.site_path(quad.subject.value):
                found.add(quad.subject.value)
    return sorted(found)


def documents(store: ox.Store, lines: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """(IRI, its document's N-Triples lines, sorted) for every resource, one at a time: `lines` are
    the dataset's N-Triples lines, sorted (graph.serialize.ntriples), read once; `store` holds the
    same triples. A resource's own subjects, `<{iri}/…>` and `<{iri}>`, all sort before any subject
    past `<{iri}>` ("/" before ">"), so once such a subject comes, its document is complete."""
    owners = set(resources(store))
    find_owner = iris.owner_finder(owners)
    links = _Links(store, owners)
    pending: dict[str, list[str]] = {}  # owner → its lines so far; in practice one owner at a time
    subject, owner = "\n", ""  # no line starts with "\n"
    for line in lines:
        if not line.startswith(subject) or line[len(subject)] != " ":  # a new subject
            subject = line[:line.index(" ")]
            for done in [o for o in pending if subject > f"<{o}>"]:
                yield done, links.document(done, pending.pop(done))
            owner = find_owner(subject[1:-1]) if subject.startswith("<") else ""
        if owner:
            pending.setdefault(owner, []).append(line)
    for done in sorted(pending):
        yield done, links.document(done, pending.pop(done))


class _Links:
    """What a resource's document takes from the rest of the data, read from the store: the
    triples pointing at it, and the labels of the resources it links to (cached: a municipality
    is linked from many documents)."""

    def __init__(self, store: ox.Store, owners: set[str]):
        self.store, self.owners = store, owners
        self.find_owner = iris.owner_finder(owners)
        self.label = ox.NamedNode(str(RDFS.label))
        self.labels: dict[str, list[str]] = {}

    def document(self, resource: str, own: list[str]) -> list[str]:
        """The document's lines, sorted: `own` (the lines of its subjects), the links to it from
        other resources' subjects, and the labels of the resources it links to."""
        text = f"<{resource}>"
        lines = set(own)
        linked = set()
        for line in own:
            o = line_terms(line)[2]
            if o.startswith("<") and o[1:-1] in self.owners:
                linked.add(o[1:-1])
        for quad in self.store.quads_for_pattern(None, None, ox.NamedNode(resource)):
            s = quad.subject
            if self.find_owner(s.value) != resource:  # not its own: a link to it
                lines.add(f"{s} {quad.predicate} {text} .\n")
                if isinstance(s, ox.NamedNode) and s.value in self.owners:
                    linked.add(s.value)
        linked.discard(resource)
        for node in linked:
            lines.update(self.label_lines(node))
        return sorted(lines)

    def label_lines(self, node: str) -> list[str]:
        found = self.labels.get(node)
        if found is None:
            found = self.labels[node] = [f"<{node}> {LABEL} {quad.object} .\n"
                                         for quad in self.store.quads_for_pattern(ox.NamedNode(node), self.label, None)]
        return found


def write_documents(store: ox.Store, lines: Iterable[str], out: Path,
                    pages: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[Path]:
    """`dist/{path}.ttl`, `.jsonld` and `.nt` for every resource (`documents`: from the dataset's
    sorted N-Triples `lines` and the `store` of the same data), `.json` for every agreement (publish.framed:
    nested, for developers) and their context `dist/context-framed.jsonld`, the HTML `pages` (path → text, or
    such pairs: written as they come), and a gzip of every dump already in `out`; returns the paths
    written. `out` is a stage that outputs.swap_in publishes (the documents and pages are written
    with write_staged: it flushes them all at once)."""
    written, framed_written = [], False
    for resource, doc in documents(store, lines):
        stem = out / iris.site_path(resource)
        triples = lines_of(doc, NAMESPACES)  # read once: Turtle and JSON-LD both take the texts as they are
        for suffix, text in ((".ttl", turtle(triples)), (".jsonld", publish.jsonld(triples)), (".nt", "".join(doc))):
            path = stem.with_name(stem.name + suffix)
            write_staged(path, text)
            written.append(path)
        if framed.is_agreement(resource, doc):  # and an agreement as nested JSON, for developers
            path = stem.with_name(stem.name + framed.SUFFIX)
            write_staged(path, framed.document(resource, doc))
            written.append(path)
            framed_written = True
    if framed_written:  # the framed documents' context, on its own
        write_staged(out / framed.CONTEXT_FILE, framed.context_document())
        written.append(out / framed.CONTEXT_FILE)
    for relative, text in (pages.items() if isinstance(pages, Mapping) else pages):
        write_staged(out / relative, text)
        written.append(out / relative)
    full = [name for name in publish.FULL_DUMPS if (out / name).exists()]  # a build writes them; not every caller
    for name in (*publish.SERIALISERS, *full):
        written.append(write_gzip(out / name))
    return written


# Level 6: level 9 took 1.7–2.5 times as long for 2–4 % fewer bytes (benchmarks/gzip_level.py,
# docs/benchmarks.md "Gzip level")
GZIP_LEVEL = 6


def write_gzip(path: Path) -> Path:
    """`path.gz`, byte-identical between runs (no time stamp, no file name in the header: zlib's own
    gzip wrapper, the bytes of gzip.compress(…, mtime=0)), compressed as it is read: a national
    dump is never whole in memory."""
    target = path.with_name(path.name + ".gz")
    write_atomic(target, _gzip_chunks(path))
    return target


def _gzip_chunks(path: Path) -> Iterator[bytes]:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, GZIP_WBITS)
    with path.open("rb") as source:
        for chunk in iter(functools.partial(source.read, GZIP_CHUNK), b""):
            yield compressor.compress(chunk)
    yield compressor.flush()


GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer around the deflate stream
GZIP_CHUNK = 1 << 20
