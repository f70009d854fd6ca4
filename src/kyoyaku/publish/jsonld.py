"""Compact JSON-LD written straight from the triples: byte for byte the document `publish.jsonld`
gets from rdflib's serializer (context embedded, one node per subject in "@graph" sorted by id,
every array and every key sorted, native integers and booleans), several times faster.

Keys and values are chosen with rdflib's own JSON-LD `Context` (term selection, IRI compaction),
so they are the ones rdflib chooses; but the choice is made once per predicate and datatype, not
once per triple, and the JSON text is written directly (json's indenting encoder is pure Python).

Where rdflib loses data, this writer does not: rdflib overwrites a first value that is falsy (0,
false, "") when a second value for the same key follows, and drops the triples of a blank node
that is the value of an "@id"-typed term (and of the blank nodes below it). Blank nodes are
top-level nodes referenced by "_:label", as in rdflib; RDF lists are written as plain rdf:first /
rdf:rest nodes, where rdflib writes "@list". The project's data have no blank nodes and no lists.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from json.encoder import encode_basestring as text_of

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.plugins.shared.jsonld.context import UNDEF, Context
from rdflib.plugins.stores.memory import SimpleMemory

from ..graph.serialize import Lines

# text_of(s): the JSON text of the string s, as json.dumps(s, ensure_ascii=False) writes it
ID, VOCAB = "@id", "@vocab"
NATIVE = {XSD.boolean, XSD.integer, XSD.double, XSD.string}  # rdflib writes these as JSON values

# The IRIs whose JSON texts are kept between nodes: classes, predicates' common objects and the
# resources many nodes link to repeat; a national dump's million parts would hold hundreds of MB
IRI_CACHE_SIZE = 1 << 16

# How a value is written: literals …
LEXICAL, NATIVE_VALUE, VALUE_OBJECT = range(3)
# … and IRIs or blank nodes
COMPACT_IRI, SYMBOL, REFERENCE = range(3, 6)


def compact(graph: Graph | Lines | Iterable, context: dict) -> str:
    """`graph` (an rdflib Graph; the build's Lines, whose N-Triples texts keep every literal's
    lexical form; or an iterable of triples, rdflib's or pyoxigraph's) as compact JSON-LD with
    `context` embedded."""
    return "".join(compact_chunks(graph, context))


def compact_chunks(graph: Graph | Lines | Iterable, context: dict) -> Iterator[str]:
    """The text of `compact(graph, context)` in pieces, made as they are read, a node at a time
    (the nodes are sorted by id: all ids are made first, then each node in turn), so a national
    dump is never whole in memory. The garbage collector is paused meanwhile: millions of small
    objects, no cycles (as graph.mapping.to_graphs)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield from _compact(graph, context)
    finally:
        if enabled:
            gc.enable()


def _compact(graph: Graph | Lines | Iterable, context: dict) -> Iterator[str]:
    setup = _setup(json.dumps(context, sort_keys=True))
    ctx, literal_plans, node_plans, symbol_texts = setup.ctx, setup.literal_plans, setup.node_plans, setup.symbols
    id_member, value_member = f"{text_of(ctx.id_key)}: ", f"{text_of(ctx.value_key)}: "
    # A value is kept as its JSON text (a str), or, for value objects and references, as the
    # tuple of their members' texts ('"@value": "…"'), in key order. Caches are keyed by plain
    # str: equal rdflib terms are often distinct objects, and their __eq__, called on every such
    # dictionary hit, is Python code.
    iri_texts: dict[str, str] = {}
    references: dict[str, tuple] = {}
    predicates: dict = {}  # pyoxigraph's or N-Triples texts → rdflib's
    index = graph.subjects if isinstance(graph, Lines) else _index(graph)  # Lines: grouped node by node
    ids = {s: _subject_id(ctx, s) for s in index}
    written = 0
    for s in sorted(ids, key=ids.__getitem__):
        by_predicate = _by_predicate(index[s]) if isinstance(graph, Lines) else index[s]
        node = {}
        for p, objects in by_predicate.items():
            if type(p) is not URIRef:
                found = predicates.get(p)
                if found is None:
                    found = predicates[p] = URIRef(p.value if type(p) is ox.NamedNode else p[1:-1])
                p = found
            predicate = str(p)
            for o in objects:
                kind = type(o)
                if kind is str:
                    o, kind = literal_from_text(o)
                elif kind is ox.Literal or kind is ox.NamedNode or kind is ox.BlankNode:
                    o, kind = _from_oxigraph(o, kind)
                # not isinstance: on rdflib terms it goes through ABCMeta, slowly
                if kind is not Literal and kind is not URIRef and kind is not BNode:  # a subclass
                    kind = next((k for k in (Literal, BNode) if isinstance(o, k)), URIRef)
                if kind is Literal:
                    datatype, language = o.datatype, o.language  # a str, not a URIRef, if read from pyoxigraph
                    plan_key = (predicate, datatype and str(datatype), language)
                    plan = literal_plans.get(plan_key)
                    if plan is None:
                        plan = literal_plans[plan_key] = setup.plan(
                            _literal_plan(ctx, p, datatype and URIRef(datatype), language))
                    key, mode, before, after = plan
                    if mode == LEXICAL:
                        value = text_of(o)
                    elif mode == NATIVE_VALUE:
                        value = _scalar(o.toPython() if type(o) is Literal else _python_value(o))
                    else:  # "@value" and the members of the plan ("@language", "@type") around it
                        value = (*before, value_member + text_of(o), *after)
                else:
                    plan = node_plans.get(predicate)
                    if plan is None:
                        plan = node_plans[predicate] = setup.plan(_node_plan(ctx, p))
                    key, mode = plan
                    if kind is BNode:
                        value = text_of(o.n3()) if mode == COMPACT_IRI else (id_member + text_of(o.n3()),)
                    elif mode == SYMBOL:
                        value = symbol_texts.get(str(o))
                        if value is None:
                            value = symbol_texts[str(o)] = text_of(ctx.to_symbol(o))
                    else:
                        value = iri_texts.get(str(o))
                        if value is None:
                            value = iri_texts[str(o)] = text_of(ctx.shrink_iri(str(o)))
                            references[value] = (id_member + value,)
                        if mode == REFERENCE:
                            value = references[value]
                # one value as is, several in a list: a list for every key would be many more
                # objects for the garbage collector to scan
                values = node.get(key)
                if values is None:
                    node[key] = value
                elif type(values) is list:
                    values.append(value)
                else:
                    node[key] = [values, value]
        if node:  # rdflib's memory store keeps the emptied entries of removed triples
            yield setup.node_text(node, ids[s], first=not written)
            written += 1
        if len(iri_texts) > IRI_CACHE_SIZE:  # most IRIs are a part's, written once: keep the cache small
            iri_texts.clear()
            references.clear()
    yield setup.document_end(written)


class _OxLiteral(str):
    """A pyoxigraph literal as compact() reads an rdflib Literal: the lexical form (the str),
    .language and .datatype (None for a plain or language-tagged string, as in rdflib)."""

    __slots__ = ("datatype", "language")


class _OxNode(str):
    """A pyoxigraph blank node as compact() reads an rdflib BNode (its n3() is "_:label")."""

    def n3(self) -> str:
        return "_:" + self


def _from_oxigraph(o, kind) -> tuple:
    """(the term as compact() reads it, its rdflib kind): an IRI is its text, as str() of a URIRef."""
    if kind is ox.NamedNode:
        return o.value, URIRef
    if kind is ox.BlankNode:
        return _OxNode(o.value), BNode
    literal = _OxLiteral(o.value)
    literal.language = o.language
    datatype = o.datatype.value
    literal.datatype = None if literal.language or datatype == XSD_STRING else datatype
    return literal, Literal


def literal_from_text(text: str) -> tuple:
    """An N-Triples term (as graph.serialize.Lines keeps it) as compact() reads an rdflib term."""
    first = text[0]
    if first == "<":
        return text[1:-1], URIRef
    if first == "_":
        return _OxNode(text[2:]), BNode
    end = text.rindex('"')
    lexical = text[1:end]
    if "\\" in lexical:  # the escapes pyoxigraph writes (\n, \", \uXXXX …) are JSON's too
        lexical = json.loads(text[:end + 1])
    literal = _OxLiteral(lexical)
    suffix = text[end + 1:]
    if not suffix:
        literal.language = literal.datatype = None
    elif suffix[0] == "@":
        literal.language, literal.datatype = suffix[1:], None
    else:  # ^^<datatype>
        literal.language, literal.datatype = None, suffix[3:-1]
    return literal, Literal


def _python_value(literal: _OxLiteral):
    """What rdflib's Literal.toPython() gives for a pyoxigraph literal: int() of an xsd:integer
    (what rdflib calls), else rdflib's own conversion."""
    if literal.datatype == XSD_INTEGER:
        try:
            return int(literal)
        except ValueError:
            return str(literal)  # rdflib keeps an ill-typed literal as it is
    return Literal(str(literal), datatype=URIRef(literal.datatype)).toPython()


XSD_STRING, XSD_INTEGER = str(XSD.string), str(XSD.integer)


class _Setup:
    """What depends on the context alone, kept between calls: the site writes one document per
    resource, and building rdflib's Context costs more than writing a small document."""

    def __init__(self, context: dict):
        self.ctx = Context(context)
        if any(term.container for term in self.ctx.terms.values()):
            raise ValueError("JSON-LD contexts with @container are not supported")
        text = json.dumps(context, ensure_ascii=False, indent=2, sort_keys=True)
        self.context_text = text.replace("\n", "\n  ")  # one level in, inside the document
        self.literal_plans: dict[tuple, tuple] = {}
        self.node_plans: dict[str, tuple] = {}
        self.symbols: dict[str, str] = {}  # classes: few
        self.line_starts: dict[str, str] = {}  # key → '      "key": '
        self.plan((self.ctx.id_key,))

    def plan(self, plan: tuple) -> tuple:
        self.line_starts[plan[0]] = f"      {text_of(plan[0])}: "
        return plan

    # What json.dumps(…, ensure_ascii=False, indent=2, sort_keys=True) writes for the document
    # publish.jsonld makes (nodes sorted by id, arrays by their items' JSON text), a node at a time.

    def node_text(self, node: dict, node_id: str, first: bool) -> str:
        """A node of "@graph" (after the document's start if `first`, else after ",\n")."""
        node[self.ctx.id_key] = text_of(node_id)
        line_starts = self.line_starts
        lines = [line_starts[k] + (v if type(v) is str else _compound(v)) for k, v in sorted(node.items())]
        text = "    {\n" + ",\n".join(lines) + "\n    }"
        return f'{{\n  "@context": {self.context_text},\n  "@graph": [\n' + text if first else ",\n" + text

    def document_end(self, nodes: int) -> str:
        """The end of the document after `nodes` nodes (the whole of it when there are none)."""
        if not nodes:
            return f'{{\n  "@context": {self.context_text},\n  "@graph": []\n}}\n'
        return "\n  ]\n}\n"


def _subject_id(ctx: Context, s) -> str:
    """The "@id" of a subject: an rdflib term, a pyoxigraph one or an N-Triples text."""
    if isinstance(s, URIRef):
        return ctx.shrink_iri(str(s))
    if isinstance(s, BNode):
        return s.n3()
    if isinstance(s, ox.NamedNode):
        return ctx.shrink_iri(s.value)
    if isinstance(s, ox.BlankNode):
        return str(s)
    return ctx.shrink_iri(s[1:-1]) if s.startswith("<") else s  # an N-Triples text


@lru_cache(maxsize=4)
def _setup(context_json: str) -> _Setup:
    return _Setup(json.loads(context_json))


def _by_predicate(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """A subject's (predicate, object) texts in a Lines, as predicate → objects (read as terms by
    _compact)."""
    by_predicate: dict = {}
    for p, o in pairs:
        objects = by_predicate.get(p)
        if objects is None:
            by_predicate[p] = [o]
        else:
            objects.append(o)
    return by_predicate


def _index(graph: Graph | Iterable) -> dict:
    """subject → predicate → objects. rdflib's in-memory store keeps this index; reading it is
    several times faster than rdflib's public iteration (generators in generators per triple),
    which alone would take longer than the rest of this writer."""
    if isinstance(graph, Graph) and type(graph.store) is SimpleMemory:
        spo = getattr(graph.store, "_SimpleMemory__spo", None)
        if spo is not None:
            return spo
    index: dict = {}
    for triple in graph:
        if type(triple) is ox.Quad:  # what ox.parse yields, even for N-Triples
            triple = triple.triple
        s, p, o = triple
        index.setdefault(s, {}).setdefault(p, {})[o] = None  # a dict: an iterable may repeat a triple
    return index


def _literal_plan(ctx: Context, p: URIRef, datatype: URIRef | None, language: str | None) -> tuple:
    """(key, how to write the value, members of a value object before and after "@value") for
    a literal, as rdflib's Converter.add_to_node and to_raw_value choose them."""
    dt = str(datatype) if datatype else None
    term = ctx.find_term(str(p), dt, language=language)
    if term:
        key = term.name
        if term.type and term.type == dt:  # the term coerces to this datatype: bare lexical form
            return key, LEXICAL, (), ()
        if not term.type and term.language and term.language == language:
            return key, LEXICAL, (), ()
    else:
        key = ctx.type_key if p == RDF.type else _untermed_key(ctx, p)
    if datatype and datatype in NATIVE:
        return key, NATIVE_VALUE, (), ()
    if datatype:
        other = (ctx.type_key, ctx.to_symbol(datatype))
    elif language and language != ctx.language:
        other = (ctx.lang_key, language)
    elif ctx.language and not language:
        return key, VALUE_OBJECT, (), ()
    else:
        return key, LEXICAL, (), ()
    member = (f"{text_of(other[0])}: {text_of(other[1])}",)
    return (key, VALUE_OBJECT, member, ()) if other[0] < ctx.value_key else (key, VALUE_OBJECT, (), member)


def _node_plan(ctx: Context, p: URIRef) -> tuple:
    """(key, how to write the value) for an IRI or blank node, as rdflib chooses them."""
    for coercion in (ID, VOCAB, UNDEF):
        term = ctx.find_term(str(p), coercion, None)
        if term:
            return term.name, {ID: COMPACT_IRI, VOCAB: SYMBOL}.get(term.type, REFERENCE)
    if p == RDF.type:
        return ctx.type_key, SYMBOL
    return _untermed_key(ctx, p), REFERENCE


def _untermed_key(ctx: Context, p: URIRef) -> str:
    key = ctx.to_symbol(p)
    key_term = ctx.terms.get(key)
    return str(p) if key_term and (key_term.type or key_term.container) else key


def _scalar(value) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is int:
        return int.__repr__(value)
    if isinstance(value, str):  # xsd:string, or a literal rdflib could not convert
        return text_of(value)
    return json.dumps(value)  # floats


def _compound(value: tuple | list) -> str:
    """A value object, a reference or an array of values, as the value of a node's key."""
    if type(value) is tuple:
        return "{\n        " + ",\n        ".join(value) + "\n      }"
    value.sort(key=_sort_key)
    items = [v if type(v) is str else "{\n          " + ",\n          ".join(v) + "\n        }" for v in value]
    return "[\n        " + ",\n        ".join(items) + "\n      ]"


def _sort_key(value: str | tuple) -> str:
    """json.dumps(value, ensure_ascii=False, sort_keys=True) of the value."""
    return value if type(value) is str else "{" + ", ".join(value) + "}"
