"""events.csv → RDF (kyoyaku.registry.events): joins, amendments, ends and framework changes, and the
disagreements with the member rows that `kyoyaku import-registry` reports. A small fictional
registry (real municipality codes, fictional areas and pages) written per test; the real import's
report is pinned in test_the_real_import_reports_each_disagreement."""

import csv
import subprocess
import sys

import pytest
from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import SKOS

from kyoyaku.errors import InputError
from kyoyaku.graph.iris import DCTERMS, ELI, KYO, ORG
from kyoyaku.registry.load import load_registry

from ..conftest import REGISTRY_SOURCE

B = "https://w3id.org/kyoyaku/"
MITO, OMITAMA, KASAMA, HITACHINAKA, NAKA = "082015", "082368", "082163", "082210", "082261"
AREA = URIRef(B + "area/renkei-chusu/" + MITO)
OLD_AREA = URIRef(B + "area/teiju-jiritsu/" + MITO)
PAGE, EVENT_PAGE = "https://example.org/area", "https://example.org/event"
MEMBER_HEADER = ["area_name", "framework", "core_city", "core_prefecture", "member", "member_prefecture",
                 "member_code", "agreement_date", "date_as_written", "source_url", "note"]
AREA_HEADER = ["area_name", "framework", "core_city", "core_code", "members_listed", "members_stated_total",
               "formed_date", "source_url"]
EVENT_HEADER = ["area_name", "framework", "core_city", "core_code", "member", "member_code", "event", "date",
                "date_as_written", "title", "source_url", "note"]
NAMES = {MITO: "水戸市", OMITAMA: "小美玉市", KASAMA: "笠間市", HITACHINAKA: "ひたちなか市", NAKA: "那珂市"}


def d(value):
    return Literal(value, datatype=XSD.date)


def agreement(member, date):
    return URIRef(f"{B}agreement/{MITO}-{member}/{date}")


def write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def registry(tmp_path, events, members=((OMITAMA, "2016-01-10"), (KASAMA, ""), (HITACHINAKA, "2016-01-10"))):
    """テスト圏 (renkei-chusu, core 水戸市) with the given members, and テスト定住自立圏 (teiju-jiritsu,
    core 水戸市, no other member); `events`: (area, framework, member code, event, date, note) rows."""
    rows = [["テスト圏", "renkei-chusu", "水戸市", "茨城県", "水戸市", "茨城県", MITO, "", "", PAGE, "core"]]
    rows += [["テスト圏", "renkei-chusu", "水戸市", "茨城県", NAMES[code], "茨城県", code, date, "", PAGE, "row"]
             for code, date in members]
    rows += [["テスト定住自立圏", "teiju-jiritsu", "水戸市", "茨城県", "水戸市", "茨城県", MITO, "", "", PAGE, "core"]]
    write(tmp_path / "members.csv", MEMBER_HEADER, rows)
    write(tmp_path / "areas.csv", AREA_HEADER, [
        ["テスト圏", "renkei-chusu", "水戸市", MITO, str(len(members) + 1), "", "", PAGE],
        ["テスト定住自立圏", "teiju-jiritsu", "水戸市", MITO, "1", "", "", PAGE]])
    write(tmp_path / "events.csv", EVENT_HEADER, [
        [area, framework, "水戸市", MITO, NAMES.get(code, code), code, event, date, "", "", EVENT_PAGE, note]
        for area, framework, code, event, date, note in events])
    disagreements = []
    return load_registry(tmp_path, disagreements), [line.split("events.csv:", 1)[1] for line in disagreements]


def test_a_dated_join_dates_its_members_undated_row_keeping_both_sources(tmp_path):
    g, report = registry(tmp_path, [("テスト圏", "renkei-chusu", KASAMA, "join", "2018-04-01", "joined")])
    record = agreement(KASAMA, "2018-04-01")
    assert report == []
    assert (record, RDF.type, KYO.AgreementRecord) in g
    assert (agreement(KASAMA, "undated-renkei-chusu"), RDF.type, KYO.AgreementRecord) not in g
    assert set(g.objects(record, DCTERMS.source)) == {URIRef(PAGE), URIRef(EVENT_PAGE)}
    assert "date from the join event of events.csv line 2" in str(g.value(record, SKOS.editorialNote))
    assert g.value(URIRef(f"{AREA}/member/{KASAMA}"), KYO.memberSince) == d("2018-04-01")


def test_a_join_of_the_same_date_merges_the_sources(tmp_path):
    g, report = registry(tmp_path, [("テスト圏", "renkei-chusu", OMITAMA, "join", "2016-01-10", "")])
    assert report == []
    assert set(g.objects(agreement(OMITAMA, "2016-01-10"), DCTERMS.source)) == {URIRef(PAGE), URIRef(EVENT_PAGE)}


def test_a_join_of_another_date_is_published_as_stated_and_reported(tmp_path):
    g, report = registry(tmp_path, [("テスト圏", "renkei-chusu", OMITAMA, "join", "2017-05-01", "")])
    assert report == [("2: join of 小美玉市 dated 2017-05-01, but areas.csv line 3 dates its agreement 2016-01-10: "
                      "both published")]
    assert {agreement(OMITAMA, "2016-01-10"), agreement(OMITAMA, "2017-05-01")} <= set(
        g.subjects(RDF.type, KYO.AgreementRecord))
    assert g.value(URIRef(f"{AREA}/member/{OMITAMA}"), KYO.memberSince) == d("2016-01-10")  # the row's, unchanged


def test_a_join_of_a_member_not_listed_adds_it_and_is_reported(tmp_path):
    g, report = registry(tmp_path, [("テスト圏", "renkei-chusu", NAKA, "join", "2019-02-01", "")])
    assert report == ["2: join of 那珂市 (082261), who is not a member of テスト圏 in areas.csv: published as stated"]
    assert (AREA, ORG.hasMember, URIRef(B + "municipality/" + NAKA)) in g
    assert g.value(URIRef(f"{AREA}/member/{NAKA}"), KYO.memberSince) == d("2019-02-01")
    assert g.value(agreement(NAKA, "2019-02-01"), ELI.date_document) == d("2019-02-01")


def test_an_amend_of_every_member_amends_each_dated_agreement_in_force_and_notes_the_undated(tmp_path):
    g, report = registry(tmp_path, [("テスト圏", "renkei-chusu", "", "amend", "2020-03-01", "all")])
    assert report == []
    amending = sorted(g.subjects(RDF.type, KYO.AmendingAgreement))
    assert amending == [agreement(HITACHINAKA, "2020-03-01"), agreement(OMITAMA, "2020-03-01")]
    for node, amended in zip(amending, [agreement(HITACHINAKA, "2016-01-10"), agreement(OMITAMA, "2016-01-10")]):
        assert g.value(node, ELI.amends) == amended
        assert g.value(node, ELI.date_document) == d("2020-03-01")
        assert (node, RDF.type, KYO.Agreement) not in g  # not an agreement: counts of agreements stay
        assert "1 agreement(s) of the area have no date, so none is published for them" in str(
            g.value(node, SKOS.editorialNote))


def test_an_amend_dated_before_an_agreement_does_not_amend_it(tmp_path):
    g, _ = registry(tmp_path, [("テスト圏", "renkei-chusu", "", "amend", "2015-03-01", "")])
    assert list(g.subjects(RDF.type, KYO.AmendingAgreement)) == []
    assert "none of the area's 3 agreement(s) is known to be in force then" in " ".join(
        g.objects(AREA, SKOS.editorialNote))


def test_an_end_of_every_member_ends_the_agreements_memberships_and_area(tmp_path):
    g, report = registry(tmp_path, [("テスト圏", "renkei-chusu", "", "end", "2024-03-31", "abolished"),
                                    ("テスト圏", "renkei-chusu", "", "amend", "2025-01-01", "after the end")])
    assert report == []
    assert g.value(AREA, KYO.endedOn) == d("2024-03-31")
    for member in (OMITAMA, HITACHINAKA):
        assert g.value(agreement(member, "2016-01-10"), ELI.date_no_longer_in_force) == d("2024-03-31")
        assert g.value(URIRef(f"{AREA}/member/{member}"), KYO.memberUntil) == d("2024-03-31")
    assert g.value(agreement(KASAMA, "undated-renkei-chusu"), ELI.date_no_longer_in_force) == d("2024-03-31")
    assert list(g.subjects(RDF.type, KYO.AmendingAgreement)) == []  # nothing in force to amend after the end


def test_an_end_of_one_member_ends_its_agreement_and_membership_only(tmp_path):
    g, _ = registry(tmp_path, [("テスト圏", "renkei-chusu", OMITAMA, "end", "2021-06-30", "withdrew")])
    assert g.value(agreement(OMITAMA, "2016-01-10"), ELI.date_no_longer_in_force) == d("2021-06-30")
    assert g.value(URIRef(f"{AREA}/member/{OMITAMA}"), KYO.memberUntil) == d("2021-06-30")
    assert g.value(agreement(HITACHINAKA, "2016-01-10"), ELI.date_no_longer_in_force) is None
    assert g.value(AREA, KYO.endedOn) is None


def test_a_framework_change_links_the_area_of_the_other_framework_with_the_same_core_city(tmp_path):
    g, report = registry(tmp_path, [("テスト圏", "renkei-chusu", "", "framework-change", "2016-01-10", "moved")])
    assert report == []
    assert (AREA, DCTERMS.replaces, OLD_AREA) in g
    assert g.value(AREA, KYO.frameworkChangedOn) == d("2016-01-10")


def test_an_area_named_only_in_events_is_published_with_its_core_city_and_reported(tmp_path):
    g, report = registry(tmp_path, [("前身圏", "teiju-jiritsu", "", "end", "2015-03-31", "ended")])
    assert report == [("2: area 前身圏 (teiju-jiritsu) is not in areas.csv: published with its name, framework, "
                      "core city and source, without other members")]
    # the same core city and framework as テスト定住自立圏: one IRI, so one area with both names
    assert g.value(OLD_AREA, KYO.endedOn) == d("2015-03-31")


def test_a_month_only_amend_has_no_date_document_and_the_month_in_its_iri(tmp_path):
    g, report = registry(tmp_path, [("テスト圏", "renkei-chusu", OMITAMA, "amend", "2019-03", "month only")])
    node = agreement(OMITAMA, "2019-03")
    assert report == []
    assert g.value(node, ELI.amends) == agreement(OMITAMA, "2016-01-10")
    assert g.value(node, ELI.date_document) is None


def test_a_malformed_event_names_file_line_and_what_was_expected(tmp_path):
    with pytest.raises(InputError) as info:
        registry(tmp_path, [("テスト圏", "renkei-chusu", OMITAMA, "merge", "2019-03-01", "")])
    assert str(info.value) == (f"{tmp_path / 'events.csv'}:2: expected event: one of join, amend, end, "
                               "framework-change, found 'merge'")
    with pytest.raises(InputError, match=r"events.csv:2: expected date: an ISO date YYYY-MM-DD, a month YYYY-MM "
                                         r"or nothing, found '2019/03/01'"):
        registry(tmp_path, [("テスト圏", "renkei-chusu", OMITAMA, "amend", "2019/03/01", "")])


def test_the_real_import_reports_each_disagreement(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kyoyaku.cli", "import-registry", str(REGISTRY_SOURCE),
                           "--into", str(tmp_path / "national")], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert lines[0] == "imported 65 area(s) and 473 member row(s) (251 dated), 7 amendment(s) applied, 120 event(s)"
    reported = [line.removeprefix(f"  events disagree: {REGISTRY_SOURCE / 'events.csv'}:") for line in lines
                if line.startswith("  events disagree: ")]
    # 8 areas named only in events, 3 joins of members not listed, 東出雲町 (no code), 久留米 (no
    # predecessor known), 19 amends of a member whose agreement is not known in force then
    assert len(reported) == 32
    assert sum("amend of" in line for line in reported) == 19
    assert "60: framework change of 久留米広域連携中枢都市圏: 0 area(s) of the other framework with core city 久留米市 " \
           "known: no dcterms:replaces" in reported
    assert "105: end of 東出雲町, who has no code in the national list: not published" in reported
    assert "87: join of 嬬恋村 (104256), who is not a member of 上田地域定住自立圏 in areas.csv: published as stated" \
        in reported
    not_listed = sorted(line.split(":")[0] for line in reported if "is not in areas.csv" in line)
    assert not_listed == ["118", "42", "45", "50", "58", "64", "98", "99"]  # the 8 areas named only in events


def test_import_registry_refuses_a_malformed_event_naming_the_compilations_file_and_line(tmp_path, capsys):
    import shutil

    from kyoyaku.cli import main

    source = tmp_path / "compilation"
    shutil.copytree(REGISTRY_SOURCE, source)
    lines = (source / "events.csv").read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace(",amend,", ",amended,", 1)
    (source / "events.csv").write_text("\n".join(lines), encoding="utf-8")
    assert main(["import-registry", str(source), "--into", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (f"kyoyaku: {source / 'events.csv'}:4: expected event: one of join, amend, end, "
                                       "framework-change, found 'amended'\n")
    assert not (tmp_path / "out").exists()


def test_an_end_date_is_the_last_day_in_force_and_of_membership(tmp_path):
    """eli:date_no_longer_in_force (ELI: the last date in force), kyo:memberUntil and kyo:endedOn are
    last days: on the end date the agreement is in force and the member a member, the next day not."""
    from kyoyaku.sparql.query import find_query, run
    from kyoyaku.sparql.store import open_store

    g, _ = registry(tmp_path, [("テスト圏", "renkei-chusu", OMITAMA, "end", "2021-06-30", "withdrew")])
    g.serialize(tmp_path / "data.ttl", format="turtle")
    store = open_store([tmp_path / "data.ttl"])

    def in_force(day):
        return [r[0] for r in run(store, find_query("agreements-in-force"), {"date": day}).rows]

    def members(day):
        return [r[0] for r in run(store, find_query("members-on"), {"area": str(AREA), "date": day}).rows]

    assert in_force("2021-06-30") == [str(agreement(HITACHINAKA, "2016-01-10")), str(agreement(OMITAMA, "2016-01-10"))]
    assert in_force("2021-07-01") == [str(agreement(HITACHINAKA, "2016-01-10"))]
    assert members("2021-06-30") == [B + "municipality/" + HITACHINAKA, B + "municipality/" + OMITAMA]
    assert members("2021-07-01") == [B + "municipality/" + HITACHINAKA]
