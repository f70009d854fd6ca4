"""Rebuild an agreement's text from the graph alone.

Every node of the agreement with a `kyo:sourceLine` yields a block of lines at that line;
blocks are emitted in line order (see docs/rdf-mapping.md, "Rendering back").
"""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef

from ..errors import InputError
from .iris import ELI, KYO


def render(graph: Graph, agreement: URIRef, source: str = "the data") -> str:
    if (agreement, RDF.type, KYO.Agreement) not in graph:
        raise InputError(source, None, f"an agreement <{agreement}> in the graph", "no such agreement")
    if (agreement, RDF.type, KYO.AgreementRecord) in graph:  # known from a registry page: no text to rebuild
        raise InputError(source, None, f"an agreement with a full text: <{agreement}>",
                         "a registry record (kyo:AgreementRecord), which has no text")
    blocks: list[tuple[int, list[str]]] = []
    parties = sorted(graph.objects(agreement, KYO.hasParty), key=lambda p: int(graph.value(p, KYO.order)))

    def value(node, prop) -> str | None:
        v = graph.value(node, prop)
        return None if v is None else str(v)

    def line(node) -> int:
        number = graph.value(node, KYO.sourceLine)
        if number is None or not str(number).isdigit():
            raise InputError(source, None, f"kyo:sourceLine (a line number) on every text node of <{agreement}>",
                             f"<{node}> without one")
        return int(number)

    def block(node, lines: list[str]) -> None:
        blocks.append((line(node), lines))

    if value(agreement, ELI.title):
        block(agreement, [value(agreement, ELI.title)])
    for prop in (KYO.cover, KYO.preamble, KYO.closingFormula, KYO.dateStatement):
        for seg in graph.objects(agreement, prop):
            block(seg, value(seg, KYO.text).split("\n"))
    for sig in graph.objects(agreement, KYO.signature):
        block(sig, value(sig, KYO.text).split("\n"))

    for node in parts(graph, agreement):
        kinds = set(graph.objects(node, RDF.type))
        if KYO.Article in kinds:
            if value(node, ELI.title):
                block(node, [f"（{value(node, ELI.title)}）"])
        elif KYO.Paragraph in kinds:
            number = value(node, ELI.number) or value(graph.value(node, ELI.is_part_of), ELI.number)
            blocks.append((line(node), [f"{number} {value(node, KYO.text)}"]))
        elif KYO.Item in kinds:
            block(node, [f"{value(node, ELI.number)} {value(node, KYO.text)}"])
        elif KYO.Appendix in kinds or KYO.AppendixSection in kinds:
            lines = [value(node, KYO.text) if KYO.Appendix in kinds else f"{value(node, ELI.number)} {value(node, ELI.title)}"]
            if value(node, KYO.tableHeader):
                lines.append(value(node, KYO.tableHeader))
            block(node, lines)
        elif KYO.Initiative in kinds:
            by_party = {graph.value(r, KYO.party): value(r, KYO.text) for r in graph.objects(node, KYO.roleStatement)}
            cells = [value(node, KYO.category), value(node, KYO.description)]
            cells += [by_party[p] for p in parties if p in by_party]
            block(node, ["\t".join(cells)])
    if not blocks:
        raise InputError(source, None, f"an agreement with a full text: <{agreement}>",
                         "no text in the graph (no node with kyo:sourceLine)")
    blocks.sort(key=lambda b: b[0])
    return "\n".join(text for _, lines in blocks for text in lines) + "\n"


def parts(graph: Graph, root: URIRef) -> list[URIRef]:
    """Every node below `root` along eli:has_part (`graph`: anything with rdflib's
    `objects(node, predicate)`, such as the pages' Site)."""
    seen: dict[URIRef, None] = {}  # in the order found; a dict, as a list's `in` is a scan
    stack = list(graph.objects(root, ELI.has_part))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen[node] = None
            stack.extend(graph.objects(node, ELI.has_part))
    return list(seen)
