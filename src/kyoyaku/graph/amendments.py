"""Amending agreements, their changes and the consolidated versions they make, as RDF
(docs/amendments.md; the time model of docs/data-model.md).

An amending agreement is a work of its own (kyo:AmendingAgreement, not a kyo:Agreement: every
count of agreements stays as it was) with the agreement scheme's IRI, `eli:amends` the agreement it
names (by that agreement's IRI: its parties and the date its preamble gives), and `kyo:change` →
one kyo:Change per instruction (`{amending}/change_{n}`). Each version of the amended agreement
(kyo:ConsolidatedVersion, `{amended}/version/{date}`) holds the whole text in force from its date
as parts under its own IRI, typed as the agreement's parts are; each changed or added part
`prov:wasDerivedFrom` the change that made it, and a changed one `dcterms:replaces` the part of the
text in force before it.
"""

from __future__ import annotations

from datetime import date, timedelta

from rdflib import RDF, XSD, Literal, URIRef

from ..text.consolidate import (
    Version,
    appendix_named,
    consolidate,
    match_amended,
    rows_named,
)
from ..text.model import Agreement, Change, Target
from . import iris
from .iris import DCTERMS, ELI, KYO, PROV
from .mapping import (
    Cite,
    add_parts,
    add_query_shortcuts,
    add_source,
    add_work,
    agreement_iri,
    appendix_iri,
    article_iri,
    ja,
    row_iri,
)


def add_amendments(g, agreements: list[Agreement]) -> list[str]:
    """The amending agreements among `agreements`, each matched to the full text it amends, with
    the versions they make of it; one line per problem (a missing amended agreement, a change that
    could not be applied): the amending agreement is published, without a version."""
    full = [a for a in agreements if a.amendment is None]
    by_amended: dict[int, tuple[Agreement, list[Agreement]]] = {}
    warnings: list[str] = []
    for amending in (a for a in agreements if a.amendment is not None):
        amended = match_amended(amending, full)
        if amended is None:
            amendment = amending.amendment
            warnings.append(f"{amending.source.name}:{amendment.line}: warning: the agreement it amends "
                            f"({amendment.amended_date_as_written or 'no date'}, "
                            f"{'・'.join(p.name for p in amending.parties)}) is not among the sources: "
                            "published without a consolidated version")
        else:
            by_amended.setdefault(id(amended), (amended, []))[1].append(amending)
        add_amending(g, amending, amended)
    for amended, amending in by_amended.values():
        versions, problems = consolidate(amended, amending)
        warnings += [f"{p.source}:{p.line or '-'}: warning: {p.message}" for p in problems]
        add_versions(g, amended, versions)
    return warnings


def amended_iri(amending: Agreement, amended: Agreement | None) -> URIRef:
    if amended is not None:
        return agreement_iri(amended)
    codes = [p.code or "unknown" for p in amending.parties]
    return iris.agreement(codes, amending.amendment.amended_date, amending.framework)


def change_iri(amending: Agreement, change: Change) -> URIRef:
    return URIRef(f"{agreement_iri(amending)}/change_{change.number}")


def add_amending(g, amending: Agreement, amended: Agreement | None) -> URIRef:
    """The amending agreement: its title, date, parties, preamble, 附則, closing, signatures, source,
    `eli:amends`, the date it takes effect and its changes."""
    add = g.add
    a = agreement_iri(amending)
    amendment = amending.amendment
    cite = Cite(g, amending.source.line_origins)
    amends = amended_iri(amending, amended)
    add_work(g, a, KYO.AmendingAgreement, amending, cite, (
        (KYO.preamble, "preamble", amending.preamble),
        (KYO.supplementaryProvisions, "supplementary", amendment.supplementary),
        (KYO.closingFormula, "closing", amending.closing),
        (KYO.dateStatement, "date", amending.date_segment)))
    add((a, ELI.amends, amends))
    if amendment.effective:
        add((a, ELI.first_date_entry_in_force, Literal(amendment.effective, datatype=XSD.date)))
    if amended is not None and amended.area_name:
        cores = [p.code for p in amended.parties if p.role == "core-city" and p.code]
        if cores:
            add((a, KYO.area, iris.area(amended.framework, cores)))
    for change in amendment.changes:
        c = change_iri(amending, change)
        add((a, KYO.change, c))
        add((c, RDF.type, KYO.Change))
        add((c, KYO.ordinal, Literal(change.number)))
        add((c, KYO.changeKind, iris.concept("change-kind", change.kind)))
        add((c, KYO.target, target_iri(amends, amended, change.target)))
        add((c, KYO.text, ja(change.text)))
        cite(c, change.line)
        if change.old_text is not None:
            add((c, KYO.oldText, ja(change.old_text)))
        if change.new_text is not None:
            add((c, KYO.newText, ja(change.new_text)))
        elif change.content:
            add((c, KYO.newText, ja("\n".join(s.text for s in change.content))))
    add_source(g, a, amending)
    return a


def target_iri(amends: URIRef, amended: Agreement | None, target: Target) -> URIRef:
    """The IRI of the part a change applies to, in the amended agreement: its article, paragraph,
    別表 or row. A row is named by its number, known from the amended text; without that text (not
    among the sources), a row's or a section's target is its 別表, a 別表's by its number (別表 is
    annex_1, 別表第2 annex_2)."""
    if target.kind in ("article", "paragraph"):
        art = URIRef(f"{amends}/{iris.article_slug(target.article)}")
        return URIRef(f"{art}__para_{target.paragraph}") if target.kind == "paragraph" else art
    if amended is not None and (appendix := appendix_named(amended, target.appendix)) is not None:
        ap = appendix_iri(amends, appendix)
        if target.kind == "section":
            return URIRef(f"{ap}/sec_{target.section}")
        if target.kind == "row" and len(rows := rows_named(appendix, target)) == 1:
            return row_iri(ap, rows[0])
        return ap
    number = target.appendix.removeprefix("別表第") if target.appendix != "別表" else "1"
    return URIRef(f"{amends}/annex_{number}")


def version_iri(amended: URIRef, effective: str) -> URIRef:
    return URIRef(f"{amended}/version/{effective}")


def add_versions(g, amended: Agreement, versions: list[Version]) -> None:
    """Each version: its dates, what it consolidates, its parts, what each changed part replaces."""
    add = g.add
    a = agreement_iri(amended)
    slugs = {p.order: iris.designation_slug(p.designation, p.order) for p in amended.parties}
    party_iris = {order: URIRef(f"{a}/party/{slug}") for order, slug in slugs.items()}
    previous_root = a
    applied: list[URIRef] = []
    for k, version in enumerate(versions):
        v = version_iri(a, version.effective)
        applied.append(agreement_iri(version.amending))
        add((a, KYO.version, v))
        add((v, RDF.type, KYO.ConsolidatedVersion))
        add((v, ELI.consolidates, a))
        for amending in applied:
            add((v, ELI.consolidates, amending))
        if amended.title:
            add((v, ELI.title, ja(amended.title)))
        add((v, ELI.first_date_entry_in_force, Literal(version.effective, datatype=XSD.date)))
        if k + 1 < len(versions):  # ELI: the last date it is in force, the day before the next one's
            last = date.fromisoformat(versions[k + 1].effective) - timedelta(days=1)
            add((v, ELI.date_no_longer_in_force, Literal(last.isoformat(), datatype=XSD.date)))
        add_parts(g, v, version.text, party_iris, slugs, Cite(g, None))
        add_query_shortcuts(add, v, version.text, party_iris, version=True)
        new_iris = part_iris(v, version.text)
        old_iris = part_iris(previous_root, version.previous)
        for new, old in version.replaces:
            add((new_iris[id(new)], DCTERMS.replaces, old_iris[id(old)]))
        for part_id, change in version.made_by.items():
            if part_id in new_iris:
                add((new_iris[part_id], PROV.wasDerivedFrom, change_iri(version.amending, change)))
        previous_root = v


def part_iris(root: URIRef, text: Agreement) -> dict[int, URIRef]:
    """id(part) → its IRI under `root`, as graph.mapping names them."""
    found: dict[int, URIRef] = {}
    for article in text.articles:
        art = article_iri(root, article)
        found[id(article)] = art
        for paragraph in article.paragraphs:
            para = URIRef(f"{art}__para_{paragraph.ordinal}")
            found[id(paragraph)] = para
            for item in paragraph.items:
                found[id(item)] = URIRef(f"{para}__point_{item.ordinal}")
        for row in article.initiatives:
            found[id(row)] = row_iri(art, row)
    for appendix in text.appendices:
        ap = appendix_iri(root, appendix)
        found[id(appendix)] = ap
        for section in appendix.sections:
            found[id(section)] = URIRef(f"{ap}/sec_{section.key}")
        for row in appendix.initiatives:
            found[id(row)] = row_iri(ap, row)
    return found


