"""graph.serialize.Lines, the sink the build maps into: the same triples as the rdflib mapping (each
term's text as pyoxigraph writes it), and the same store, dumps and documents."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, BNode, Literal, URIRef

from kyoyaku.graph.mapping import new_graph, to_graph, to_graphs
from kyoyaku.graph.oxterms import TermConverter, default_graph_quads
from kyoyaku.graph.serialize import Lines, ntriples, sorted_lines, turtle
from kyoyaku.text.parse import parse_file

from ..conftest import FIXTURES, SEED, read_from_a_bill

TEXTS = [SEED, *(path for path in [*sorted((FIXTURES / "family").glob("*.txt")), *sorted((FIXTURES / "forms").glob("*.txt"))]
               if not path.name.startswith("not-agreement-"))]  # the texts the parser refuses
EX = "http://example.org/"


def converter_lines(graph) -> list[str]:
    """The oracle: each triple through pyoxigraph's own terms (graph.oxterms), str() of each, sorted."""
    text = TermConverter().text
    return sorted({f"{text(s)} {text(p)} {text(o)} .\n" for s, p, o in graph})


def graph_store(graph) -> ox.Store:
    """The store validation used to copy the rdflib graph into (shacl.sparql_engine.load_store)."""
    store = ox.Store()
    store.extend(default_graph_quads(graph))
    return store


def store_triples(store: ox.Store) -> set:
    return {quad.triple for quad in store}


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_the_mapping_into_lines_gives_the_triples_of_the_rdflib_mapping(path):
    agreement = parse_file(path)
    graph, lines = to_graph(agreement), to_graph(agreement, Lines())
    assert lines.sorted_lines() == converter_lines(graph)
    assert len(lines) == len(graph)
    assert store_triples(lines.store()) == store_triples(graph_store(graph))
    assert turtle(lines) == turtle(graph)


def test_every_text_at_once_and_a_read_from_a_bill(seed):
    agreements = [parse_file(path) for path in TEXTS] + [read_from_a_bill(seed)]
    graph, lines = to_graphs(agreements), to_graphs(agreements, Lines())
    assert lines.sorted_lines() == converter_lines(graph)
    assert "".join(lines.sorted_lines()) == ntriples(graph)


@pytest.mark.parametrize("term", [
    Literal('a "quoted" \\ back\nslash\ttab\r\x00\x08\x0c\x1f\x7f end'),
    Literal("改行\nあり", lang="ja"),
    Literal("upper-case tag", lang="EN-gb"),
    Literal("x", datatype=XSD.string),
    Literal("2.0", datatype=XSD.decimal),
    Literal("\u2028 line separator"),
    Literal(7),
    Literal(True),
    URIRef(EX + "a/ü?q=1#f"),
    BNode("b1"),
], ids=repr)
def test_each_term_is_written_as_pyoxigraph_writes_it(term):
    lines = Lines()
    lines.add((URIRef(EX + "s"), URIRef(EX + "p"), term))
    assert lines.sorted_lines() == [f"<{EX}s> <{EX}p> {TermConverter().text(term)} .\n"]


def test_a_plain_string_and_an_xsd_string_are_one_triple():
    lines = Lines()
    lines.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("x")))
    lines.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("x", datatype=XSD.string)))
    assert lines.sorted_lines() == [f'<{EX}s> <{EX}p> "x" .\n'] and len(lines) == 1


def test_the_lines_keep_a_decimal_as_mapped_where_the_store_canonicalises_it(seed_graph, seed):
    """The seed's lapse period is "2.0"^^xsd:decimal (graph.mapping: the form Turtle's shorthand
    writes). The dumps come from the lines, which keep it; Oxigraph's store keeps the value only
    and gives it back as "2" — so nothing is written from the store."""
    lines = to_graph(seed, Lines())
    decimal = f'"2.0"^^<{XSD.decimal}>'
    assert any(line.endswith(f" {decimal} .\n") for line in sorted_lines(lines))
    assert "time:numericDuration 2.0 ;" in turtle(lines)
    stored = [q.object for q in lines.store() if q.predicate == ox.NamedNode("http://www.w3.org/2006/time#numericDuration")]
    assert [str(o) for o in stored] == [f'"2"^^<{XSD.decimal}>']


def test_an_empty_sink():
    lines = Lines()
    assert lines.sorted_lines() == [] and len(lines.store()) == 0 and turtle(lines) == ""


def test_the_rdflib_graph_made_from_the_lines_is_the_mapped_graph(seed_graph, seed):
    made = to_graph(seed, Lines()).graph()
    assert set(made) == set(seed_graph)
    assert dict(made.namespaces()) == dict(new_graph().namespaces())


def test_the_sorted_lines_are_made_again_after_an_addition():
    lines = Lines()
    lines.add((URIRef(EX + "b"), URIRef(EX + "p"), Literal("x")))
    first = lines.sorted_lines()
    assert lines.sorted_lines() is first
    lines.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal("y")))
    assert lines.sorted_lines() == [f'<{EX}a> <{EX}p> "y" .\n', f'<{EX}b> <{EX}p> "x" .\n']


# Streaming: the build never holds a whole dump's text (issue 19's memory target); what is written
# as it is made is byte for byte what the whole-string writers give.

def whole_turtle(lines: Lines) -> str:
    """The Turtle of `lines` made as the build made it before it streamed: pyoxigraph's whole
    output, its prefix lines replaced by ours, a blank line after each subject's block."""
    from kyoyaku.graph.serialize import _used_prefixes

    prefixes = _used_prefixes(lines.prefixes, lines.iris() - {str(RDF.type)})
    data = "".join(lines.turtle_lines()).encode("utf-8")
    body = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    start = 0
    while body.startswith(b"@prefix ", start):
        start = body.index(b"\n", start) + 1
    body = body[start:].replace(b" .\n", b" .\n\n")[:-1].decode("utf-8")
    header = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in prefixes.items())
    return f"{header}\n{body}" if header and body else body


class Pieces:
    """A binary writer that passes on what it gets `size` bytes at a time, so the pieces pyoxigraph
    writes reach TurtleBlocks cut anywhere: in a prefix line, in " .\\n", in a UTF-8 character."""

    def __init__(self, target, size: int):
        self.target, self.size = target, size

    def write(self, data) -> int:
        data = bytes(data)
        for i in range(0, len(data), self.size):
            self.target.write(data[i:i + self.size])
        return len(data)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("size", [1, 2, 3, 5, 64, 1 << 20])
def test_turtle_reshaped_chunk_by_chunk_is_the_whole_string_reshaped(seed_graph, size):
    import io

    from kyoyaku.graph.serialize import TurtleBlocks, _used_prefixes

    lines = Lines()
    lines.update(seed_graph)
    prefixes = _used_prefixes(lines.prefixes, lines.iris() - {str(RDF.type)})
    header = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in prefixes.items()).encode("utf-8")
    out = io.BytesIO()
    blocks = TurtleBlocks(out, header)
    triples = ox.parse("".join(lines.turtle_lines()).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, output=Pieces(blocks, size), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    blocks.close()
    expected = whole_turtle(lines)
    assert out.getvalue().decode("utf-8") == expected == turtle(lines)
    assert expected.count("\n\n") == len(lines.subjects)  # one blank line after the prefixes and between blocks
    assert "小美玉市" in expected  # Japanese as characters, some cut across pieces of 1–5 bytes


def test_turtle_with_no_prefix_or_no_triple_reshaped_as_a_whole_string():
    import io

    from kyoyaku.graph.serialize import write_turtle

    unprefixed = Lines({})
    unprefixed.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal("x")))
    unprefixed.add((URIRef(EX + "b"), URIRef(EX + "p"), Literal("y")))
    for lines in (unprefixed, Lines()):
        out = io.BytesIO()
        write_turtle(lines, out)
        assert out.getvalue().decode("utf-8") == whole_turtle(lines) == turtle(lines)
    assert turtle(unprefixed) == f'<{EX}a> <{EX}p> "x" .\n\n<{EX}b> <{EX}p> "y" .\n'
    assert turtle(Lines()) == ""


@pytest.mark.parametrize("lines_per_chunk", [1, 3, 4096])
def test_the_line_reader_gives_pyoxigraph_the_joined_lines(seed_graph, lines_per_chunk):
    from kyoyaku.graph.serialize import LineReader, encoded_chunks

    lines = Lines()
    lines.update(seed_graph)
    whole = "".join(lines.sorted_lines()).encode("utf-8")
    assert b"".join(encoded_chunks(lines.lines(), lines_per_chunk)) == whole
    reader = LineReader(lines.lines(), lines_per_chunk)
    read = b""
    while piece := reader.read(7):  # reads smaller than a chunk, and cut in a character
        read += piece
    assert read == whole
    parsed = ox.parse(LineReader(lines.lines(), lines_per_chunk), format=ox.RdfFormat.N_TRIPLES)
    assert [q.triple for q in parsed] == [q.triple for q in ox.parse(whole, format=ox.RdfFormat.N_TRIPLES)]
    store = ox.Store()
    store.bulk_load(LineReader(lines.lines(), lines_per_chunk), format=ox.RdfFormat.N_TRIPLES)
    assert store_triples(store) == store_triples(graph_store(seed_graph))


def test_the_lazy_lines_are_the_sorted_lines_before_and_after_they_are_kept(seed_graph):
    lines = Lines()
    lines.update(seed_graph)
    made = list(lines.lines())
    assert made == converter_lines(seed_graph)
    assert lines.sorted_lines() == made and list(lines.lines()) == made


def test_each_distinct_term_text_is_kept_once(seed_graph):
    """Interned: the build's Lines hold one str per distinct term text, not one per use."""
    lines = Lines()
    lines.update(seed_graph)
    lines.add_line(f"<{EX}s> <{RDF.type}> <{EX}C> .\n")
    texts = [s for s in lines.subjects] + [t for pairs in lines.subjects.values() for pair in pairs for t in pair]
    assert len({id(t) for t in texts}) == len(set(texts)) < len(texts) / 2
    pairs = [pair for pairs in lines.subjects.values() for pair in pairs]  # and each (predicate, object) pair
    assert len({id(pair) for pair in pairs}) == len(set(pairs)) < len(pairs)
