"""The area registry (data/registry/*/members.csv + areas.csv) as RDF: areas, memberships and
agreement records known from public pages, every fact with its `dcterms:source`.

See data/registry/README.md for the columns. Municipality names come from the national list by
code; a bad row stops the import with its file and line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from ..errors import InputError, describe_bytes
from ..graph import iris
from ..graph.iris import DCTERMS, ELI, KYO, ORG, SKOS
from ..graph.mapping import add_legal_basis, add_municipality, ja, new_graph
from ..text import municipalities
from . import events as registry_events

FRAMEWORKS = {"renkei-chusu", "teiju-jiritsu"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MEMBER_COLUMNS = {"area_name", "framework", "core_city", "member", "member_code", "agreement_date",
                  "date_as_written", "source_url", "note"}
AREA_COLUMNS = {"area_name", "framework", "core_code", "source_url"}
STATED_TOTAL_COLUMNS = {"framework", "date", "area_count", "core_city_count", "member_count", "source_url", "note"}
STATED_COUNTS = {"area_count": KYO.statedAreaCount, "core_city_count": KYO.statedCoreCityCount,
                 "member_count": KYO.statedMemberCount}


@dataclass
class _Row:
    path: Path
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return (self.values.get(key) or "").strip()

    def fail(self, expected: str, found: str) -> InputError:
        return InputError(self.path, self.line, expected, found)


# C0 control characters but tab, LF and CR: never in a name, date or note, and not allowed in the
# HTML and XML pages the values end up in (a NUL is a sign of a damaged or binary file)
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_csv(path: Path, required: set[str]) -> list[_Row]:
    """The rows of a UTF-8 CSV file with the `required` columns; errors name the file and line."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(path, None, "a readable UTF-8 CSV file", e.strerror or str(e)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError.at_byte(path, data, e.start, "a UTF-8 CSV file",
                                 f"{describe_bytes(data[e.start:e.end])} (not UTF-8)") from None
    if control := CONTROL_CHARACTER.search(text):
        raise InputError(path, text.count("\n", 0, control.start()) + 1, "text without control characters",
                         f"U+{ord(control.group()):04X}")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise InputError(path, 1, f"a CSV header with {', '.join(sorted(required))}",
                             f"no column {', '.join(sorted(missing))}")
        return [_Row(path, reader.line_num, row) for row in reader]
    except csv.Error as e:
        raise InputError(path, reader.line_num or None, "a well-formed CSV file", str(e)) from None


def load_registry(directory: Path, disagreements: list[str] | None = None) -> Graph:
    """A compilation folder (members.csv, areas.csv and optionally events.csv), or every one under
    `directory`, as one graph. What the events say that the member rows do not (registry.events) is
    appended to `disagreements`, a line each."""
    g = new_graph()
    for folder in registry_folders(directory):
        areas = read_csv(folder / "areas.csv", AREA_COLUMNS)
        if not areas:
            raise InputError(folder / "areas.csv", None, "at least one area row (data/registry/README.md)", "none")
        members = read_csv(folder / "members.csv", MEMBER_COLUMNS)
        codes: dict[tuple[str, str], list[str]] = {}
        for row in members:
            codes.setdefault((row["area_name"], row["framework"]), []).append(row["member_code"])
        area_iris = {(r["area_name"], r["framework"]): _add_area(g, r, codes.get((r["area_name"], r["framework"]), []))
                     for r in areas}
        names = {name: iri for (name, _), iri in area_iris.items()}
        events = registry_events.Events(read_csv(folder / "events.csv", registry_events.EVENT_COLUMNS)
                                        if (folder / "events.csv").is_file() else [])
        registry_events.check_rows(events.rows)
        member_rows = {((r["area_name"], r["framework"]), r["member_code"]): r for r in members}
        joins = registry_events.joins_by_member(events, set(area_iris), set(member_rows))
        for row in areas:
            if row["predecessor"]:
                if row["predecessor"] not in names:
                    raise row.fail("a predecessor listed in areas.csv", row["predecessor"])
                g.add((area_iris[(row["area_name"], row["framework"])], DCTERMS.replaces, names[row["predecessor"]]))
        for row in members:
            area = area_iris.get((row["area_name"], row["framework"]))
            if area is None:
                raise row.fail("an area (name and framework) listed in areas.csv", row["area_name"])
            _add_member(g, area, row, joins.get(((row["area_name"], row["framework"]), row["member_code"])))
        registry_events.apply_events(
            g, events, area_iris, _sources, lambda row, code, column: _municipality(g, row, code, column),
            lambda area, row, codes, date, sources: _add_record(g, area, row, codes, date, sources), member_rows)
        if disagreements is not None:
            disagreements.extend(f"{folder / line}" for line in events.disagreements)
        if (folder / "stated_totals.csv").is_file():
            for row in read_csv(folder / "stated_totals.csv", STATED_TOTAL_COLUMNS):
                _add_stated_total(g, row)
    return g


def _add_stated_total(g: Graph, row: _Row) -> None:
    """A national total as its source states it (kyo:StatedTotal): only the counts the source gives."""
    framework = _framework(row)
    date = _date(row, "date")
    node = URIRef(f"{iris.data_base()}statistic/{framework}/{date}")
    g.add((node, RDF.type, KYO.StatedTotal))
    g.add((node, KYO.framework, iris.concept("framework", framework)))
    g.add((node, DCTERMS.date, date))
    for column, prop in STATED_COUNTS.items():
        if row[column]:
            if not row[column].isdigit():
                raise row.fail(f"{column}: a whole number or nothing", row[column])
            g.add((node, prop, Literal(int(row[column]))))
    for source in _sources(row):
        g.add((node, DCTERMS.source, source))
    if row["publisher"]:  # who states the total, as its page names itself (optional column)
        g.add((node, DCTERMS.publisher, Literal(row["publisher"], lang="ja")))
    if row["note"]:
        g.add((node, SKOS.editorialNote, Literal(row["note"], lang="en")))


REGISTRY_FOLDER = "a registry folder (members.csv + areas.csv, data/registry/README.md) or a folder of them"


def registry_folders(directory: Path) -> list[Path]:
    """The compilation folders of `directory`: itself when it holds members.csv, else each of its
    sub-folders (dot-folders are not compilations: e.g. `.national.new-*` of an interrupted
    import-registry). A registry that would publish nothing, or the raw compilation that
    `kyoyaku import-registry` converts, is an InputError — never an empty registry."""
    if (directory / "members.csv").is_file():
        return [directory]
    _refuse_raw_compilation(directory)
    try:
        folders = sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as e:
        raise InputError(directory, None, REGISTRY_FOLDER, e.strerror or str(e)) from None
    for folder in folders:
        _refuse_raw_compilation(folder)
        if not (folder / "members.csv").is_file():
            raise InputError(folder, None, "a registry folder: members.csv + areas.csv (data/registry/README.md)",
                             "no members.csv")
    if not folders:
        raise InputError(directory, None, REGISTRY_FOLDER, "no members.csv and no sub-folder")
    return folders


def _refuse_raw_compilation(folder: Path) -> None:
    """The compilation `kyoyaku import-registry` reads (areas.csv of area × member rows, plus
    areas_summary.csv) has other columns than the folder the build reads."""
    if (folder / "areas_summary.csv").is_file() and not (folder / "members.csv").is_file():
        raise InputError(folder, None, "a registry folder (members.csv + areas.csv)",
                         "a registry compilation (areas.csv + areas_summary.csv): convert it first with "
                         f"`kyoyaku import-registry {folder} --into FOLDER` and give FOLDER")


def _sources(row: _Row) -> list[URIRef]:
    urls = row["source_url"].split()
    if not urls or not all(u.startswith(("https://", "http://")) for u in urls):
        raise row.fail("source_url: one or more http(s) URLs", row["source_url"] or "nothing")
    return [URIRef(u) for u in urls]


def _municipality(g: Graph, row: _Row, code: str, column: str, prefecture: str = "") -> URIRef:
    m = municipalities.by_code(code)
    if m is None:
        raise row.fail(f"{column}: a 6-digit code in the national list", code or "nothing")
    if prefecture and prefecture != m.prefecture:
        raise row.fail(f"{column} {code} ({m.prefecture}{m.name}) in the row's prefecture", prefecture)
    return add_municipality(g, m)


def _framework(row: _Row) -> str:
    if row["framework"] not in FRAMEWORKS:
        raise row.fail("framework renkei-chusu or teiju-jiritsu", row["framework"])
    return row["framework"]


def _add_area(g: Graph, row: _Row, member_codes: list[str]) -> URIRef:
    framework = _framework(row)
    cores = [c for c in row["core_code"].split(";") if c]
    if cores:
        area = iris.area(framework, cores)
    elif member_codes and all(member_codes):
        area = iris.area_without_core(framework, member_codes)
    else:
        raise row.fail("core_code, or member rows with codes to name the area by", "neither")
    g.add((area, RDF.type, KYO.PartnershipArea))
    g.add((area, RDFS.label, ja(row["area_name"])))
    g.add((area, KYO.framework, iris.concept("framework", framework)))
    for code in cores:
        g.add((area, KYO.coreCity, _municipality(g, row, code, "core_code")))
    for source in _sources(row):
        g.add((area, DCTERMS.source, source))
    if row["members_stated_total"]:
        g.add((area, KYO.statedMemberCount, Literal(int(row["members_stated_total"]))))
    if row["formed_date"]:
        g.add((area, DCTERMS.created, _date(row, "formed_date")))
    if row["formed_fiscal_year"]:
        g.add((area, KYO.formedInFiscalYear, Literal(int(row["formed_fiscal_year"]))))
    if row["note"]:
        g.add((area, SKOS.editorialNote, Literal(row["note"], lang="en")))
    return area


def _date(row: _Row, column: str) -> Literal:
    if not ISO_DATE.match(row[column]):
        raise row.fail(f"{column}: an ISO date YYYY-MM-DD", row[column])
    return Literal(row[column], datatype=XSD.date)


def _add_member(g: Graph, area: URIRef, row: _Row, join: registry_events.Join | None = None) -> None:
    """The member row's membership and agreement record; its join event (events.csv), if any, fills
    an unstated date and adds its source pages when the dates agree (a different date: a second
    record, registry.events)."""
    member = _municipality(g, row, row["member_code"], "member_code", row["member_prefecture"])
    code = row["member_code"]
    sources = _sources(row)
    notes = [row["note"]]
    stated = row["agreement_date"]
    if join is not None and (not join.date or not stated or join.date == stated):
        sources += [s for s in join.sources if s not in sources]
        if join.date and not stated:
            stated = join.date
            notes.append(f"date from the join event of events.csv line {join.line} (the member row states none)")
    note = "; ".join(filter(None, notes))
    membership = URIRef(f"{area}/member/{code}")
    g.add((area, ORG.hasMember, member))
    g.add((membership, RDF.type, ORG.Membership))
    g.add((membership, ORG.organization, area))
    g.add((membership, ORG.member, member))
    for source in sources:
        g.add((membership, DCTERMS.source, source))
    if note:
        g.add((membership, SKOS.editorialNote, Literal(note, lang="en")))
    cores = sorted(str(c).rsplit("/", 1)[1] for c in g.objects(area, KYO.coreCity))
    date = _date(row, "agreement_date") if row["agreement_date"] else None
    if date is None and stated:
        date = Literal(stated, datatype=XSD.date)
    if date is not None:
        g.add((membership, KYO.memberSince, date))
    if row["agreement_core_code"]:
        if row["agreement_core_code"] not in cores:
            raise row.fail(f"agreement_core_code: one of the area's core cities {', '.join(cores)}",
                           row["agreement_core_code"])
        cores = [row["agreement_core_code"]]  # the row's agreement is with this core city alone
    if code in cores:
        return  # the core city's own row: a member, no agreement with itself
    if len(cores) != 1:
        # no core city stated, or several and the row does not say with which: the page names the
        # member, not who it concluded its agreement with
        return
    _add_record(g, area, row, cores + [code], date, sources, note)


def _add_record(g: Graph, area: URIRef, row: _Row, codes: list[str], date: Literal | None,
                sources: list[URIRef], note: str | None = None) -> URIRef:
    framework = _framework(row)
    a = iris.agreement(codes, str(date) if date is not None else None, framework)
    g.add((a, RDF.type, KYO.Agreement))
    g.add((a, RDF.type, KYO.AgreementRecord))
    g.add((a, KYO.framework, iris.concept("framework", framework)))
    g.add((a, KYO.area, area))
    if framework == "renkei-chusu":
        g.add((a, ELI.based_on, iris.RENKEI_KYOYAKU_BASIS))
        add_legal_basis(g)
    if date is not None:
        g.add((a, ELI.date_document, date))
    if row["date_as_written"]:
        g.add((a, KYO.dateAsWritten, Literal(row["date_as_written"])))
    for source in sources:
        g.add((a, DCTERMS.source, source))
    note = row["note"] if note is None else note
    if note:
        g.add((a, SKOS.editorialNote, Literal(note, lang="en")))
    for order, code in enumerate(codes, start=1):
        party = URIRef(f"{a}/party/p{order}")
        g.add((a, KYO.hasParty, party))
        g.add((party, RDF.type, KYO.Party))
        g.add((party, KYO.order, Literal(order)))
        g.add((party, KYO.municipality, iris.municipality(code)))
        role = "partner" if order == len(codes) else "core-city"
        g.add((party, KYO.role, iris.concept("party-role", role)))
    return a


def drop_records(registry: Graph, full_texts: set[URIRef]) -> Graph:
    """The registry without the records that a full text of the same agreement replaces; a replaced
    record's source pages (`dcterms:source` of the agreement itself) are kept: the full text has the
    same IRI, so they become its sources beside those of the sources manifest."""
    kept = new_graph()
    replaced = iris.owner_finder({str(a) for a in full_texts})
    for s, p, o in registry:
        if not replaced(s) or (p == DCTERMS.source and s in full_texts):
            kept.add((s, p, o))
    return kept
