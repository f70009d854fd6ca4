"""Amending agreements applied to the agreement they amend: the text in force after each.

`match_amended` finds the agreement an amending agreement names (the same parties, the date its
preamble gives); `consolidate` applies the amending agreements in the order they take effect, each
to the text the one before left, and gives a `Version` per amending agreement: the whole text in
force from its date (a copy of the agreement's model with the changes made) and which of its parts
replace which parts of the text before. A change that cannot be applied exactly as written (its
part is not there, its words are not in it, its new text was not read) is a `Problem` naming the
amending text's line; no version is made from that amending agreement nor from any later one —
never a guess (docs/amendments.md).
"""

from __future__ import annotations

import copy
import unicodedata
from dataclasses import dataclass, field

from .model import Agreement, Appendix, Change, Initiative, Target
from .patterns import LEADS


@dataclass
class Problem:
    source: str  # the amending agreement's file name
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line or '-'}: {self.message}"


@dataclass
class Version:
    """The text in force from `effective`: `text` is the agreement with every change up to and
    including `amending` applied; `replaces` pairs each changed or added-in-place part of `text` with
    the part of `previous` (the text in force before) it replaces; `made_by` names the change that
    made each changed or added part (by id of the part)."""

    effective: str
    amending: Agreement
    text: Agreement
    previous: Agreement
    replaces: list[tuple[object, object]] = field(default_factory=list)
    made_by: dict[int, Change] = field(default_factory=dict)


class _Failed(Exception):
    pass


def party_codes(agreement: Agreement) -> list[str]:
    return [p.code or "unknown" for p in agreement.parties]


def match_amended(amending: Agreement, agreements: list[Agreement]) -> Agreement | None:
    """The agreement among `agreements` (full texts, not amending ones) that `amending` amends: the
    same parties (by municipality code, in any order) and the date its preamble names."""
    amendment = amending.amendment
    if amendment is None or amendment.amended_date is None:
        return None
    codes = sorted(party_codes(amending))
    found = [a for a in agreements if a.amendment is None and a.date == amendment.amended_date
             and a.framework == amending.framework and sorted(party_codes(a)) == codes]
    return found[0] if len(found) == 1 else None


def consolidate(amended: Agreement, amending: list[Agreement]) -> tuple[list[Version], list[Problem]]:
    """The versions of `amended` made by `amending` (all of them amending it), in the order they
    take effect, and the problems that stopped a version (none after the first problem)."""
    versions: list[Version] = []
    problems: list[Problem] = []
    ordered = sorted(amending, key=lambda a: (a.amendment.effective or "", a.date or ""))
    current = amended
    for agreement in ordered:
        amendment = agreement.amendment
        name = agreement.source.name
        if not amendment.regular:
            problems.append(Problem(name, amendment.line, "not every instruction was read: no consolidated text "
                                                          "is made from it or from a later amendment"))
            break
        if amendment.effective is None:
            problems.append(Problem(name, amendment.effective_line or amendment.line,
                                    "no date it takes effect (附則): no consolidated text is made"))
            break
        if amendment.effective <= (amended.date or ""):
            problems.append(Problem(name, amendment.effective_line, f"takes effect on {amendment.effective}, "
                                    f"not after the agreement it amends ({amended.date})"))
            break
        if versions and versions[-1].effective == amendment.effective:
            problems.append(Problem(name, amendment.effective_line, f"takes effect on {amendment.effective}, the "
                                    "date of another amendment: the order of the two is not stated"))
            break
        version = Version(amendment.effective, agreement, copy.deepcopy(current), current)
        before = _parallel(version.text, current)
        try:
            for change in amendment.changes:
                _apply(version, change, before)
        except _Failed as failed:
            problems.append(Problem(name, failed.args[0], failed.args[1]))
            break
        _renumber(version.text)
        versions.append(version)
        current = version.text
    return versions, problems


def _parallel(copied: Agreement, original: Agreement) -> dict[int, object]:
    """id(part of the copy) → the same part of the original (deepcopy keeps the structure)."""
    pairs: dict[int, object] = {}
    for new, old in zip(copied.articles, original.articles):
        pairs[id(new)] = old
        for np, op in zip(new.paragraphs, old.paragraphs):
            pairs[id(np)] = op
            for ni, oi in zip(np.items, op.items):
                pairs[id(ni)] = oi
        for nr, orow in zip(new.initiatives, old.initiatives):
            pairs[id(nr)] = orow
    for new, old in zip(copied.appendices, original.appendices):
        pairs[id(new)] = old
        for ns, os_ in zip(new.sections, old.sections):
            pairs[id(ns)] = os_
        for nr, orow in zip(new.initiatives, old.initiatives):
            pairs[id(nr)] = orow
    return pairs


def _apply(version: Version, change: Change, before: dict[int, object]) -> None:
    text, target = version.text, change.target

    def fail(message: str):
        raise _Failed(change.line, f"{change.kind} {target.as_written}: {message}; no consolidated text is made")

    def replaced(new: object, old: object) -> None:
        if id(old) in before:
            version.replaces.append((new, before[id(old)]))
        version.made_by[id(new)] = change

    def added(new: object) -> None:
        version.made_by[id(new)] = change

    if target.kind in ("article", "paragraph"):
        article = next((a for a in text.articles if a.number == target.article), None)
        if article is None:
            fail(f"第{target.article}条 is not in the text it amends")
        paragraph = None
        if target.kind == "paragraph":
            paragraph = next((p for p in article.paragraphs if p.ordinal == target.paragraph), None)
            if paragraph is None:
                fail(f"第{target.article}条 has no paragraph {target.paragraph}")
        if change.kind == "replace-text":
            changed = 0
            for p in [paragraph] if paragraph else article.paragraphs:
                for part in (p, *p.items):
                    if change.old_text in part.text:
                        part.text = part.text.replace(change.old_text, change.new_text)
                        replaced(part, part)
                        changed += 1
            if not changed:
                fail(f"「{change.old_text}」 is not in its text")
        elif change.kind == "replace" and target.kind == "article":
            if len(change.articles) != 1 or change.articles[0].number != target.article:
                fail(f"the new text is not one article numbered 第{target.article}条")
            new = change.articles[0]
            text.articles[text.articles.index(article)] = new
            replaced(new, article)
        elif change.kind == "insert" and target.kind == "article":
            numbers = {a.number for a in text.articles}
            if not change.articles or any(a.number in numbers for a in change.articles):
                fail("the new articles are none, or numbered as articles already there")
            at = text.articles.index(article) + 1
            text.articles[at:at] = change.articles
            for new in change.articles:
                added(new)
        elif change.kind == "delete" and target.kind == "article":
            text.articles.remove(article)
        elif change.kind == "delete" and paragraph is article.paragraphs[-1] and paragraph.ordinal > 1:
            article.paragraphs.remove(paragraph)  # the last paragraph: no paragraph after it to renumber
        else:
            fail("not a change kyoyaku applies to this part")
        return

    appendix = appendix_named(text, target.appendix)
    if appendix is None:
        fail(f"{target.appendix} is not in the text it amends")
    if target.kind == "appendix":
        if change.kind != "replace" or len(change.appendices) != 1:
            fail("not a change kyoyaku applies to a whole 別表")
        new = change.appendices[0]
        if not new.number:  # the new 別表 written without its heading: the heading stays
            new.number, new.heading_text = appendix.number, appendix.heading_text
        new.ordinal = appendix.ordinal
        text.appendices[text.appendices.index(appendix)] = new
        replaced(new, appendix)
        return
    if target.kind == "section":
        fail("a change of a whole section of a 別表 is not applied")
    rows = rows_named(appendix, target)
    if len(rows) != 1:
        where = f"section {target.section} of {appendix.number}" if target.section else appendix.number
        fail(f"{'no' if not rows else len(rows)} row(s) with the 区分 {target.row} in {where}")
    row = rows[0]
    at = appendix.initiatives.index(row)
    if change.kind == "replace-text":
        count = row.description.count(change.old_text) + sum(r.text.count(change.old_text) for r in row.roles)
        if not count:
            fail(f"「{change.old_text}」 is not in the row's 連携する取組 or roles")
        row.description = row.description.replace(change.old_text, change.new_text)
        for role in row.roles:
            role.text = role.text.replace(change.old_text, change.new_text)
            role.leads = LEADS in role.text
        replaced(row, row)
    elif change.kind == "replace":
        for new in change.initiatives:
            new.section = row.section
            replaced(new, row)
        appendix.initiatives[at:at + 1] = change.initiatives
    elif change.kind == "insert":
        for new in change.initiatives:
            new.section = row.section
            added(new)
        appendix.initiatives[at + 1:at + 1] = change.initiatives
    elif change.kind == "delete":
        del appendix.initiatives[at]


def rows_named(appendix: Appendix, target: Target) -> list[Initiative]:
    """The rows of `appendix` whose 区分 the target names (in its section, when it names one); the
    widths of letters and digits aside (高度なＩＣＴ環境の整備の項 names 高度なICT環境の整備)."""
    row = unicodedata.normalize("NFKC", target.row or "")
    return [r for r in appendix.initiatives if unicodedata.normalize("NFKC", r.category) == row
            and (target.section is None or r.section == target.section)]


def appendix_named(text: Agreement, number: str | None) -> Appendix | None:
    """The 別表 an instruction names; 別表 alone names the only one."""
    found = [a for a in text.appendices if a.number == number]
    if not found and number == "別表" and len(text.appendices) == 1:
        found = text.appendices
    return found[0] if len(found) == 1 else None


def _renumber(text: Agreement) -> None:
    """Rows numbered through the text again (an initiative's number runs through its appendix)."""
    rows = [r for a in text.articles for r in a.initiatives] + [r for a in text.appendices for r in a.initiatives]
    for number, row in enumerate(rows, 1):
        row.number = number

