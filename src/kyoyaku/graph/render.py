"""Rebuild an agreement's text from the graph alone.

Every node of the agreement with a `kyo:sourceLine` yields a block of lines at that line;
blocks are emitted in line order (see docs/rdf-mapping.md, "Rendering back").
"""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef

from ..errors import InputError
from .iris import ELI, KYO


def render(graph: Graph, agreement: URIRef, source: str = "the data", at: str | None = None) -> str:
    """The agreement's text as the graph holds it; `at` (an ISO date): the text in force on that
    date — the agreement's own before its first amendment takes effect, else the consolidated
    version in force (kyo:version, by eli:first_date_entry_in_force)."""
    if (agreement, RDF.type, KYO.Agreement) not in graph:
        raise InputError(source, None, f"an agreement <{agreement}> in the graph", "no such agreement")
    if (agreement, RDF.type, KYO.AgreementRecord) in graph:  # known from a registry page: no text to rebuild
        raise InputError(source, None, f"an agreement with a full text: <{agreement}>",
                         "a registry record (kyo:AgreementRecord), which has no text")
    version = version_in_force(graph, agreement, at, source) if at is not None else None
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
    if version is not None:
        return _render_version(graph, agreement, version, blocks, parties)
    return "\n".join(text for _, lines in blocks for text in lines) + "\n"


def version_in_force(graph: Graph, agreement: URIRef, at: str, source: str) -> URIRef | None:
    """The consolidated version of `agreement` in force on `at`, or None when its own text is (no
    version has taken effect by then). A date before the agreement was made, or after it ended, is
    an InputError: no text of it is in force then."""
    from datetime import date

    try:
        day = date.fromisoformat(at)
    except ValueError:
        raise InputError(source, None, "--at DATE as YYYY-MM-DD", at) from None
    made = graph.value(agreement, ELI.date_document)
    if made is not None and day < date.fromisoformat(str(made)):
        raise InputError(source, None, f"a date on or after the agreement's date ({made})", at)
    ended = graph.value(agreement, ELI.date_no_longer_in_force)
    if ended is not None and day > date.fromisoformat(str(ended)):
        raise InputError(source, None, f"a date on which the agreement is in force (its last day: {ended})", at)
    started = [(date.fromisoformat(str(graph.value(v, ELI.first_date_entry_in_force))), v)
               for v in graph.objects(agreement, KYO.version)
               if graph.value(v, ELI.first_date_entry_in_force) is not None]
    in_force = [(start, v) for start, v in started if start <= day]
    return max(in_force)[1] if in_force else None


def _render_version(graph: Graph, agreement: URIRef, version: URIRef, blocks: list[tuple[int, list[str]]],
                    parties: list) -> str:
    """A consolidated version's text: the agreement's title, preamble, closing and signatures (an
    amendment changes articles and 別表), around the version's articles and 別表 in their order
    (a version's parts come from several texts, so their lines give no order: graph.amendments)."""
    own = parts(graph, agreement)
    part_lines = {int(graph.value(p, KYO.sourceLine)) for p in own if graph.value(p, KYO.sourceLine) is not None}
    articles = [p for p in own if (p, RDF.type, KYO.Article) in graph]
    first_article = min((int(graph.value(a, KYO.sourceLine)) for a in articles), default=0)
    frame = [(line, lines) for line, lines in blocks if line not in part_lines]
    before = [text for line, lines in frame if line < first_article for text in lines]
    after = [text for line, lines in frame if line >= first_article for text in lines]
    body: list[str] = []
    children = list(graph.objects(version, ELI.has_part))
    for article in sorted((c for c in children if (c, RDF.type, KYO.Article) in graph),
                          key=lambda a: (int(graph.value(a, KYO.ordinal)), str(graph.value(a, ELI.number)))):
        body += _article_lines(graph, article, parties)
    annexes: list[str] = []
    for appendix in sorted((c for c in children if (c, RDF.type, KYO.Appendix) in graph),
                           key=lambda a: int(graph.value(a, KYO.ordinal))):
        annexes += _container_lines(graph, appendix, parties)
    return "\n".join(before + body + after + annexes) + "\n"


def _article_lines(graph: Graph, article: URIRef, parties: list) -> list[str]:
    lines = [f"（{graph.value(article, ELI.title)}）"] if graph.value(article, ELI.title) else []
    number = str(graph.value(article, ELI.number))
    children = list(graph.objects(article, ELI.has_part))
    for paragraph in _by_ordinal(graph, [c for c in children if (c, RDF.type, KYO.Paragraph) in graph]):
        lines.append(f"{graph.value(paragraph, ELI.number) or number} {graph.value(paragraph, KYO.text)}")
        lines += _item_lines(graph, paragraph)
    for row in _rows(graph, children):
        lines.append(_row_line(graph, row, parties))
    return lines


def _item_lines(graph: Graph, parent: URIRef) -> list[str]:
    lines = []
    for item in _by_ordinal(graph, [c for c in graph.objects(parent, ELI.has_part) if (c, RDF.type, KYO.Item) in graph]):
        lines.append(f"{graph.value(item, ELI.number)} {graph.value(item, KYO.text)}")
        lines += _item_lines(graph, item)
    return lines


def _container_lines(graph: Graph, node: URIRef, parties: list) -> list[str]:
    """A 別表 or a section of it: its heading, its table's header, its rows, then its sections."""
    if (node, RDF.type, KYO.Appendix) in graph:
        lines = [str(graph.value(node, KYO.text))]
    else:
        lines = [f"{graph.value(node, ELI.number)} {graph.value(node, ELI.title)}"]
    if graph.value(node, KYO.tableHeader) is not None:
        lines.append(str(graph.value(node, KYO.tableHeader)))
    children = list(graph.objects(node, ELI.has_part))
    lines += [_row_line(graph, row, parties) for row in _rows(graph, children)]
    sections = [c for c in children if (c, RDF.type, KYO.AppendixSection) in graph]
    for section in sorted(sections, key=lambda s: tuple(int(k) for k in str(s).rsplit("/sec_", 1)[1].split("-"))):
        lines += _container_lines(graph, section, parties)
    return lines


def _rows(graph: Graph, children: list[URIRef]) -> list[URIRef]:
    return sorted((c for c in children if (c, RDF.type, KYO.Initiative) in graph),
                  key=lambda r: int(graph.value(r, ELI.number)))


def _row_line(graph: Graph, row: URIRef, parties: list) -> str:
    by_party = {graph.value(r, KYO.party): str(graph.value(r, KYO.text)) for r in graph.objects(row, KYO.roleStatement)}
    cells = [str(graph.value(row, KYO.category)), str(graph.value(row, KYO.description))]
    return "\t".join(cells + [by_party[p] for p in parties if p in by_party])


def _by_ordinal(graph: Graph, nodes: list[URIRef]) -> list[URIRef]:
    return sorted(nodes, key=lambda n: int(graph.value(n, KYO.ordinal)))


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
