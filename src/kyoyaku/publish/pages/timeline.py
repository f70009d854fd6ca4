"""An area's time line (publish.pages.area): what the data says happened to the area and its
agreements, in date order — formed, members joining (their agreements), amending agreements,
agreements and memberships ending, the area ending, and the framework change that links it to its
predecessor or successor — with the facts without a date listed after, as 日付不明.

`area_history` reads the entries (plain values, so that tests can compare them whole);
`timeline_section` writes them as a list, on a Japanese page in Japanese with the English beside it,
on an English page in English with the names in Japanese (language.name). Nothing is
inferred: a member without a joining date is listed undated, never given the area's formation date,
and a framework change is dated only by the predecessor's end or the successor's formation."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from ...graph.iris import DCTERMS, ELI, KYO, ORG
from .html import Page, e, heading, short_source_link, time_html
from .language import both, english, name, t
from .site_graph import Site

# The kinds of entry, in the order they are listed within one date; (Japanese, English).
KINDS = {
    "predecessor": ("前身の圏域から移行", "Succeeded an area of the other framework"),
    "formed": ("圏域の形成", "Area formed"),
    "join": ("協約の締結（加入）", "Agreement concluded (member joined)"),
    "amend": ("変更協約", "Amending agreement"),
    "end": ("協約の終了", "Agreement no longer in force"),
    "leave": ("構成市町村でなくなる", "Membership ended"),
    "area-end": ("圏域の終了", "Area ended"),
    "successor": ("後継の圏域へ移行", "Succeeded by an area of the other framework"),
}
UNDATED = ("日付不明", "Date unknown")


@dataclass(frozen=True)
class Entry:
    """One line of the time line: a date (ISO, None when no source gives one), a kind (KINDS), what it
    concerns — (IRI or None, label) pairs, each a link where the site has a page — a title (an amending
    agreement's), and the source pages."""

    date: str | None
    kind: str
    items: tuple[tuple[URIRef | None, str], ...] = ()
    title: str = ""
    sources: tuple[URIRef, ...] = field(default=())


def area_history(site: Site, area) -> list[Entry]:
    """The area's time line: dated entries in date order (within a date, in the order of KINDS), then
    the undated ones (in the same order of kinds)."""
    entries: list[Entry] = []
    entries += _framework_changes(site, area)
    if created := site.value(area, DCTERMS.created):
        entries.append(Entry(created, "formed", sources=tuple(site.objects(area, DCTERMS.source))))
    entries += _joins(site, area)
    entries += _amendments(site, area)
    entries += _ends(site, area)
    if ended := site.value(area, KYO.endedOn):
        entries.append(Entry(ended, "area-end", sources=tuple(site.objects(area, DCTERMS.source))))
    order = list(KINDS)
    return sorted(entries, key=lambda x: (x.date is None, x.date or "", order.index(x.kind), x.items, x.title))


def _change_date(site: Site, before, after) -> str | None:
    """The date of a framework change: the successor's kyo:frameworkChangedOn (the date a source gives
    the change), else the predecessor's end (kyo:endedOn), else the successor's formation
    (dcterms:created); None when the data gives none of them."""
    return (site.value(after, KYO.frameworkChangedOn) or site.value(before, KYO.endedOn)
            or site.value(after, DCTERMS.created))


def _framework_changes(site: Site, area) -> list[Entry]:
    """The area's predecessors and successors (dcterms:replaces), each dated by _change_date."""
    out = []
    for before in site.objects(area, DCTERMS.replaces):
        out.append(Entry(_change_date(site, before, area), "predecessor", ((before, _area_name(site, before)),),
                         sources=tuple(site.objects(before, DCTERMS.source))))
    for after in site.subjects(DCTERMS.replaces, area):
        out.append(Entry(_change_date(site, area, after), "successor", ((after, _area_name(site, after)),),
                         sources=tuple(site.objects(after, DCTERMS.source))))
    return out


def _area_name(site: Site, area) -> str:
    framework = site.one(area, KYO.framework)
    return f"{site.label(area)}（{site.label(framework)}）" if framework is not None else site.label(area)


def _joins(site: Site, area) -> list[Entry]:
    """Members joining, by the date of their agreement (kyo:memberSince), one entry per date; the members
    without a date (the core city left out: it forms the area, it does not join it) in one undated entry.
    Each member links to its agreement of that date in the area where there is one, else to its page."""
    cores = set(site.objects(area, KYO.coreCity))
    by_date: dict[str | None, list] = {}
    for membership in site.subjects(ORG.organization, area):
        member = site.one(membership, ORG.member)
        if member is None or member in cores:
            continue
        by_date.setdefault(site.value(membership, KYO.memberSince), []).append((member, membership))
    out = []
    for day, joined in by_date.items():
        items, sources = [], set()
        for member, membership in joined:
            agreement = _agreement_of(site, area, member, day)
            items.append((agreement if agreement is not None else member,
                          site.label(member) + _as_written(site, agreement, day)))
            sources.update(site.objects(agreement if agreement is not None else membership, DCTERMS.source))
        out.append(Entry(day, "join", _sorted_items(site, items), sources=tuple(sorted(sources))))
    return out


def _agreement_of(site: Site, area, member, day: str | None):
    """The agreement of the area that `member` is a party of, dated `day` (None: undated), if any."""
    for a in site.agreements_of_area(area):
        if site.value(a, ELI.date_document) == day and any(
                site.one(p, KYO.municipality) == member for p in site.parties(a)):
            return a
    return None


def _as_written(site: Site, node, day: str | None) -> str:
    """For an undated fact, the date as its source writes it (a month: 「（令和2年7月）」), if any."""
    written = site.value(node, KYO.dateAsWritten) if node is not None and day is None else None
    return f"（{written}）" if written else ""


def _sorted_items(site: Site, items: list) -> tuple:
    """Items in the order of their municipality code (their IRIs end in it, or in the agreement's
    date after the codes), then by label."""
    return tuple(sorted(items, key=lambda item: (str(item[0]), item[1])))


def _partner_label(site: Site, agreement) -> str:
    """An agreement told from the others of its area by its partners (the parties but the core cities)."""
    parties = site.parties(agreement)
    partners = [p for p in parties if str(site.one(p, KYO.role) or "").rsplit("/", 1)[-1] != "core-city"]
    return "・".join(site.party_name(p) for p in (partners or parties)) or site.label(agreement)


def amending_agreements_of_area(site: Site, area) -> list:
    """The amending agreements of the area: those naming it (kyo:area) and those amending one of its
    agreements (eli:amends)."""
    found = {a for a in site.subjects(KYO.area, area) if site.has_type(a, KYO.AmendingAgreement)}
    for agreement in site.agreements_of_area(area):
        found.update(site.subjects(ELI.amends, agreement))
    return sorted(found)


def _amendments(site: Site, area) -> list[Entry]:
    """Amending agreements, one entry per date and title: an area's members often amend their
    agreements together, as one amending agreement each. Each item is an amending agreement, named
    by the partner of the agreement it amends."""
    groups: dict[tuple, list] = {}
    for m in amending_agreements_of_area(site, area):
        if not site.has_type(m, KYO.AmendingAgreement):
            continue
        key = (site.value(m, ELI.date_document), site.value(m, ELI.title) or "")
        groups.setdefault(key, []).append(m)
    out = []
    for (day, title), members in groups.items():
        # named by the partner of the agreement it amends; without that agreement, by its own parties
        items = [(m, _partner_label(site, site.one(m, ELI.amends) or m) + _as_written(site, m, day)) for m in members]
        sources = sorted({s for m in members for s in site.objects(m, DCTERMS.source)})
        out.append(Entry(day, "amend", _sorted_items(site, items), title, tuple(sources)))
    return out


def _ends(site: Site, area) -> list[Entry]:
    """Agreements no longer in force (eli:date_no_longer_in_force), one entry per date; memberships
    that ended (kyo:memberUntil) where no agreement of that member ended on the same date and the area
    itself did not end that day (its end, an entry of its own, ends every membership)."""
    area_ended = site.value(area, KYO.endedOn)
    ended: dict[str, list] = {}
    for a in site.agreements_of_area(area):
        if day := site.value(a, ELI.date_no_longer_in_force):
            ended.setdefault(day, []).append(a)
    out = []
    for day, agreements in ended.items():
        items = [(a, _partner_label(site, a)) for a in agreements]
        sources = sorted({s for a in agreements for s in site.objects(a, DCTERMS.source)})
        out.append(Entry(day, "end", _sorted_items(site, items), sources=tuple(sources)))
    left: dict[str, list] = {}
    for membership in site.subjects(ORG.organization, area):
        day, member = site.value(membership, KYO.memberUntil), site.one(membership, ORG.member)
        if day and day != area_ended and member is not None and not any(
                site.one(p, KYO.municipality) == member for a in ended.get(day, []) for p in site.parties(a)):
            left.setdefault(day, []).append((member, membership))
    for day, members in left.items():
        sources = sorted({s for _, ms in members for s in site.objects(ms, DCTERMS.source)})
        out.append(Entry(day, "leave", _sorted_items(site, [(m, site.label(m)) for m, _ in members]),
                         sources=tuple(sources)))
    return out


def timeline_section(page: Page, area) -> str:
    """The time line as a list (legible on a phone as on a desktop): each entry its date, what happened
    (Japanese, English beside), what it concerns and its sources; the undated entries in a second
    list after a heading of their own, 日付不明."""
    entries = area_history(page.site, area)
    if not entries:
        nothing = t('日付のある出来事の記録はありません。<span class="en" lang="en">No dated events in the data.</span>',
                    "No dated events in the data.")
        return f"<section>\n{heading(2, '経緯', 'Time line')}\n<p>{nothing}</p>\n</section>"
    dated = [_entry_item(page, entry) for entry in entries if entry.date is not None]
    undated = [_entry_item(page, entry) for entry in entries if entry.date is None]
    out = [f'<section id="timeline">\n{heading(2, "経緯", "Time line")}']
    if dated:
        out.append('<ol class="timeline">\n' + "\n".join(dated) + "\n</ol>")
    if undated:
        out.append(f"{heading(3, *UNDATED)}\n<ul class=\"timeline undated\">\n" + "\n".join(undated) + "\n</ul>")
    return "\n".join(out) + "\n</section>"


def _entry_item(page: Page, entry: Entry) -> str:
    ja, en = KINDS[entry.kind]
    when = f"{time_html(entry.date)} " if entry.date else ""
    what = f"<strong>{e(en)}</strong>" if english() else f'<strong>{e(ja)}</strong> <span class="en" lang="en">{e(en)}</span>'
    return f"<li>{when}{what}<br>{_entry_html(page, entry)}</li>"


def _entry_html(page: Page, entry: Entry) -> str:
    parts = []
    links = t("、", ", ").join(_item_link(page, entry, iri, label) for iri, label in entry.items)
    if entry.kind == "amend":
        if english():
            title = name(f"「{entry.title}」") if entry.title else "Title not stated"
            count = f"{len(entry.items)} amending agreement{'s' if len(entry.items) > 1 else ''}"
            parts.append(f"{title} — {count}: {links}")
        else:
            parts.append(f"「{e(entry.title or '題名の記載なし')}」（{len(entry.items)} 件: {links}）")
    elif entry.items:
        many = entry.kind in ("join", "end") and len(entry.items) > 1
        noun = "members" if entry.kind == "join" else "agreements"
        count = t(f"{len(entry.items)} 件: ", f"{len(entry.items)} {noun}: ") if many else ""
        parts.append(count + links)
    if entry.sources:
        sources = " ".join(short_source_link(page, s) for s in entry.sources)
        parts.append(f'<small>{"Source" if english() else both("出典", "source")}: {sources}</small>')
    return "<br>".join(parts)


def _item_link(page: Page, entry: Entry, iri, label: str) -> str:
    """What an entry concerns, linked. On an English page an area of the other framework is named with
    that framework in English beside its Japanese name, and an undated fact's date as its source
    writes it (_as_written) is said to be that, outside the name (the entry's label has both in Japanese)."""
    if not english() or iri is None:
        return page.link(iri, label)
    if entry.kind in ("predecessor", "successor"):
        framework = page.site.one(iri, KYO.framework)
        about = f" — {e(page.site.label(framework, 'en'))}" if framework is not None else ""
        return page.link(iri, page.site.label(iri)) + about
    written = _as_written(page.site, iri, entry.date)
    if written and label.endswith(written):
        return f"{page.link(iri, label.removesuffix(written))} (dated {name(written[1:-1])} in the source)"  # （…） off
    return page.link(iri, label)

