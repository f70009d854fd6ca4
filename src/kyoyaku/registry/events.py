"""A registry folder's `events.csv` as RDF: the agreements of its areas over time.

One row per dated event (data/registry/README.md, "events.csv"): `join` (a member concluding its
agreement after the area was formed), `amend` (an amending agreement), `end` (an agreement or a
whole area ended) and `framework-change` (an area replaced by one of the other framework). What an
event implies for the member rows is applied only where the rows agree or say nothing (an undated
row takes its join's date); where they disagree, or an event names what the rows do not list, the
event is published as stated and a line says so (`Events.disagreements`, printed by `kyoyaku
import-registry`) — never a guess. The time model: docs/data-model.md#agreements-over-time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from ..graph import iris
from ..graph.iris import DCTERMS, ELI, KYO, ORG, SKOS
from ..graph.mapping import ja

EVENT_COLUMNS = {"area_name", "framework", "core_city", "core_code", "member", "member_code", "event", "date",
                 "date_as_written", "title", "source_url", "note"}
EVENT_KINDS = ("join", "amend", "end", "framework-change")
MONTH = re.compile(r"^\d{4}-\d{2}$")
OTHER_FRAMEWORK = {"renkei-chusu": "teiju-jiritsu", "teiju-jiritsu": "renkei-chusu"}


@dataclass
class Join:
    """A join event of one member row: the date and source it adds to the row's agreement."""

    line: int
    date: str
    sources: list[URIRef]
    note: str


@dataclass
class Events:
    """The events of one registry folder, read, and what loading them found."""

    rows: list  # load._Row of events.csv
    disagreements: list[str] = field(default_factory=list)
    municipality_of: object = None  # (row, code, column) → the municipality's IRI, its triples added

    def report(self, row, text: str) -> None:
        self.disagreements.append(f"{row.path.name}:{row.line}: {text}")


def event_date(row) -> tuple[str, str]:
    """(ISO date or "", month "YYYY-MM" or ""): a month-only date is kept as the month, never a day."""
    value = row["date"]
    if not value or MONTH.match(value):
        return "", value
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        raise row.fail("date: an ISO date YYYY-MM-DD, a month YYYY-MM or nothing", value)
    return value, ""


def check_rows(rows) -> None:
    for row in rows:
        if row["event"] not in EVENT_KINDS:
            raise row.fail(f"event: one of {', '.join(EVENT_KINDS)}", row["event"] or "nothing")
        event_date(row)
        if row["member_code"] and not re.match(r"^\d{6}$", row["member_code"]):
            raise row.fail("member_code: 6 digits or nothing", row["member_code"])


def joins_by_member(events: Events, area_keys: set, member_keys: set) -> dict[tuple, Join]:
    """The dated join of each (area key, member code) that areas.csv lists: its date and source go to
    the row's agreement (see `load._add_member`)."""
    found: dict[tuple, Join] = {}
    for row in events.rows:
        key = ((row["area_name"], row["framework"]), row["member_code"])
        if row["event"] == "join" and key in member_keys:
            date, _ = event_date(row)
            found[key] = Join(row.line, date, [URIRef(u) for u in row["source_url"].split()], row["note"])
    return found


def stated_date(g: Graph, node: URIRef) -> str:
    value = g.value(node, ELI.date_document)
    return str(value) if value is not None else ""


def apply_events(g: Graph, events: Events, area_iris: dict, sources_of, municipality_of, add_record,
                 member_rows: dict) -> None:
    """Add the events' triples to `g` (which holds the folder's areas, memberships and records).
    `area_iris`: (name, framework) → area IRI of areas.csv (areas known only from events are added to
    it); `member_rows`: (area key, member code) → its members.csv row, dated or not."""
    events.municipality_of = municipality_of
    for row in events.rows:
        key = (row["area_name"], row["framework"])
        if key not in area_iris:
            area_iris[key] = _event_area(g, row, sources_of, municipality_of)
            events.report(row, f"area {row['area_name']} ({row['framework']}) is not in areas.csv: published with "
                               "its name, framework, core city and source, without other members")
    order = {kind: n for n, kind in enumerate(("join", "end", "framework-change", "amend"))}
    # joins first (their records may be amended), ends before amends (an ended agreement is not amended)
    for row in sorted(events.rows, key=lambda r: order[r["event"]]):
        key = (row["area_name"], row["framework"])
        area = area_iris[key]
        if row["member"] and not row["member_code"]:
            events.report(row, f"{row['event']} of {row['member']}, who has no code in the national list: not published")
            continue
        kind = row["event"]
        if kind == "join":
            _join(g, events, row, area, key, sources_of, municipality_of, add_record, member_rows)
        elif kind == "amend":
            _amend(g, events, row, area, sources_of)
        elif kind == "end":
            _end(g, events, row, area, sources_of)
        else:
            _framework_change(g, events, row, area, area_iris, sources_of)


def _event_area(g: Graph, row, sources_of, municipality_of) -> URIRef:
    cores = [c for c in row["core_code"].split(";") if c]
    if not cores:
        raise row.fail("core_code of an area not in areas.csv (to name it by)", "nothing")
    area = iris.area(row["framework"], cores)
    g.add((area, RDF.type, KYO.PartnershipArea))
    g.add((area, RDFS.label, ja(row["area_name"])))
    g.add((area, KYO.framework, iris.concept("framework", row["framework"])))
    for code in cores:
        core = municipality_of(row, code, "core_code")
        g.add((area, KYO.coreCity, core))
        # the core city is a member of its area, as its own row is in members.csv: the one member stated
        membership = URIRef(f"{area}/member/{code}")
        g.add((area, ORG.hasMember, core))
        g.add((membership, RDF.type, ORG.Membership))
        g.add((membership, ORG.organization, area))
        g.add((membership, ORG.member, core))
        for source in sources_of(row):
            g.add((membership, DCTERMS.source, source))
    for source in sources_of(row):
        g.add((area, DCTERMS.source, source))
    g.add((area, SKOS.editorialNote, Literal(
        "known only from the registry's events (events.csv), not from its list of areas: its core city is its "
        "one member listed", lang="en")))
    return area


def _agreements_of(g: Graph, area: URIRef, member: str | None = None) -> list[URIRef]:
    """The area's agreement records (of one member when given), in IRI order."""
    found = []
    for a in g.subjects(KYO.area, area):
        if (a, RDF.type, KYO.AgreementRecord) not in g:
            continue
        if member is None or any(str(g.value(p, KYO.municipality)).endswith("/" + member)
                                 and g.value(p, KYO.role) == iris.concept("party-role", "partner")
                                 for p in g.objects(a, KYO.hasParty)):
            found.append(a)
    return sorted(found)


def _party_codes(g: Graph, agreement: URIRef) -> list[str]:
    parties = sorted(g.objects(agreement, KYO.hasParty), key=lambda p: int(g.value(p, KYO.order)))
    return [str(g.value(p, KYO.municipality)).rsplit("/", 1)[1] for p in parties]


def _in_force_on(g: Graph, agreement: URIRef, date: str, month: str) -> bool:
    """Dated on or before the day (before the month, for a month-only date) and not ended before it."""
    signed = stated_date(g, agreement)
    ended = g.value(agreement, ELI.date_no_longer_in_force)
    when = date or month
    if not signed or not (signed <= date if date else signed < month):
        return False
    return ended is None or str(ended) >= when


def _add_note_and_sources(g: Graph, node: URIRef, row, sources_of, note: str | None = None) -> None:
    for source in sources_of(row):
        g.add((node, DCTERMS.source, source))
    text = "; ".join(filter(None, [note, row["note"]]))
    if text:
        g.add((node, SKOS.editorialNote, Literal(text, lang="en")))


def _join(g, events, row, area, key, sources_of, municipality_of, add_record, member_rows) -> None:
    code = row["member_code"]
    date, month = event_date(row)
    listed = member_rows.get((key, code))
    if listed is not None:
        stated = listed["agreement_date"]
        if not stated or not date or stated == date:
            return  # applied with the member's row (load._add_member): its date filled or its sources merged
        events.report(row, f"join of {row['member']} dated {date}, but areas.csv line {listed.line} dates its "
                           f"agreement {stated}: both published")
    else:
        events.report(row, f"join of {row['member']} ({code}), who is not a member of {row['area_name']} in "
                           "areas.csv: published as stated")
        member = municipality_of(row, code, "member_code")
        membership = URIRef(f"{area}/member/{code}")
        g.add((area, ORG.hasMember, member))
        g.add((membership, RDF.type, ORG.Membership))
        g.add((membership, ORG.organization, area))
        g.add((membership, ORG.member, member))
        if date:
            g.add((membership, KYO.memberSince, Literal(date, datatype=XSD.date)))
        _add_note_and_sources(g, membership, row, sources_of, f"from a join event (events.csv line {row.line})")
    cores = sorted(str(c).rsplit("/", 1)[1] for c in g.objects(area, KYO.coreCity))
    if len(cores) != 1 or code in cores:
        return  # no one core city to conclude it with (as for member rows)
    record = add_record(area, row, cores + [code], Literal(date, datatype=XSD.date) if date else None,
                        sources_of(row))
    if month:
        g.add((record, KYO.dateAsWritten, Literal(row["date_as_written"] or month)))


def _amending_iri(codes: list[str], date: str, month: str) -> URIRef:
    """The agreement IRI scheme: parties in designation order, then the date; a month-only date is
    the month (YYYY-MM), no date `undated`."""
    return URIRef(f"{iris.data_base()}agreement/{'-'.join(codes)}/{date or month or 'undated'}")


def _amending_agreement(g, events, row, area, codes, amended, sources_of, note=None) -> None:
    date, month = event_date(row)
    node = _amending_iri(codes, date, month)
    if (node, RDF.type, KYO.AmendingAgreement) in g or (node, RDF.type, KYO.Agreement) in g:
        events.report(row, f"amend of {'-'.join(codes)} on {date or month or 'no date'}: the same parties and date "
                           "as an agreement already published: not published")
        return
    g.add((node, RDF.type, KYO.AmendingAgreement))
    g.add((node, KYO.area, area))
    g.add((node, KYO.framework, iris.concept("framework", row["framework"])))
    if amended is not None:
        g.add((node, ELI.amends, amended))
    if date:
        g.add((node, ELI.date_document, Literal(date, datatype=XSD.date)))
    if row["date_as_written"]:
        g.add((node, KYO.dateAsWritten, Literal(row["date_as_written"])))
    if row["title"]:
        g.add((node, ELI.title, ja(row["title"])))
    for order, code in enumerate(codes, start=1):
        party = URIRef(f"{node}/party/p{order}")
        g.add((node, KYO.hasParty, party))
        g.add((party, RDF.type, KYO.Party))
        g.add((party, KYO.order, Literal(order)))
        g.add((party, KYO.municipality, events.municipality_of(row, code, "member_code")))
        g.add((party, KYO.role, iris.concept("party-role", "partner" if order == len(codes) else "core-city")))
    _add_note_and_sources(g, node, row, sources_of, note)


def _amend(g, events, row, area, sources_of) -> None:
    date, month = event_date(row)
    if row["member_code"]:
        agreements = _agreements_of(g, area, row["member_code"])
        current = [a for a in agreements if not (date or month) or _in_force_on(g, a, date, month)
                   or not stated_date(g, a)]
        if len(current) == 1:
            _amending_agreement(g, events, row, area, _party_codes(g, current[0]), current[0], sources_of)
            return
        cores = sorted(str(c).rsplit("/", 1)[1] for c in g.objects(area, KYO.coreCity))
        events.report(row, f"amend of {row['member']}'s agreement, but of the {len(agreements)} agreement record(s) "
                           f"of {row['member']} in {row['area_name']}, {len(current)} is known in force then: "
                           "published without the agreement it amends")
        if len(cores) == 1:
            _amending_agreement(g, events, row, area, cores + [row["member_code"]], None, sources_of)
        return
    agreements = _agreements_of(g, area)
    current = [a for a in agreements if (date or month) and _in_force_on(g, a, date, month)]
    undated = [a for a in agreements if not stated_date(g, a)]
    note = (f"one of the amending agreements of an amend event of every member (events.csv line {row.line}); "
            f"{len(undated)} agreement(s) of the area have no date, so none is published for them") if undated else None
    for agreement in current:
        _amending_agreement(g, events, row, area, _party_codes(g, agreement), agreement, sources_of, note)
    if not current:
        g.add((area, SKOS.editorialNote, Literal(
            f"an amend event of every member on {date or month or 'an unstated date'} (events.csv line {row.line}): "
            f"none of the area's {len(agreements)} agreement(s) is known to be in force then, so no amending "
            f"agreement is published; {row['note']}", lang="en")))
        for source in sources_of(row):
            g.add((area, DCTERMS.source, source))


def _end(g, events, row, area, sources_of) -> None:
    date, month = event_date(row)
    if not date:
        events.report(row, f"end without a day ({month or 'no date'}): not published")
        return
    when = Literal(date, datatype=XSD.date)
    members = [row["member_code"]] if row["member_code"] else None
    for agreement in _agreements_of(g, area, members[0] if members else None):
        if stated_date(g, agreement) <= date:  # undated ones too: the event ends every agreement it names
            g.add((agreement, ELI.date_no_longer_in_force, when))
    for membership in g.subjects(ORG.organization, area):
        member = str(g.value(membership, ORG.member)).rsplit("/", 1)[1]
        if members is None or member in members:
            g.add((membership, KYO.memberUntil, when))
    if members is None:
        g.add((area, KYO.endedOn, when))
    _add_note_and_sources(g, area, row, sources_of, f"ended on {date} (events.csv line {row.line})")


def _framework_change(g, events, row, area, area_iris, sources_of) -> None:
    date, _ = event_date(row)
    cores = sorted(c for c in row["core_code"].split(";") if c)
    framework = OTHER_FRAMEWORK[row["framework"]]
    # the replaced area: the one area of the other framework with the same core city (or cities),
    # from areas.csv or events.csv; the row itself names the new area only
    candidates = sorted({iri for (name, fw), iri in area_iris.items() if fw == framework
                         and sorted(str(c).rsplit("/", 1)[1] for c in g.objects(iri, KYO.coreCity)) == cores})
    if len(candidates) != 1:
        events.report(row, f"framework change of {row['area_name']}: {len(candidates)} area(s) of the other framework "
                           f"with core city {row['core_city']} known: no dcterms:replaces")
    else:
        old = candidates[0]
        stated = set(g.objects(area, DCTERMS.replaces))
        if stated and old not in stated:
            events.report(row, f"framework change of {row['area_name']} replaces {old}, but areas.csv names another "
                               "predecessor: both published")
        g.add((area, DCTERMS.replaces, old))
    if date:
        g.add((area, KYO.frameworkChangedOn, Literal(date, datatype=XSD.date)))
    _add_note_and_sources(g, area, row, sources_of, f"framework change on {date or row['date_as_written']} "
                                                     f"(events.csv line {row.line})")
