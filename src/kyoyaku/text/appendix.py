"""The reader's 別表 (text.parse): numbered sections and subsections, the table rows of initiatives
and each party's role, and the policy fields each row's 区分 maps to (data/*-mapping.csv)."""

from __future__ import annotations

import csv
import re
from functools import cache

from ..resources import mapping_table
from .layout import Line
from .model import Appendix, AppendixSection, Initiative, RoleStatement
from .outline import OutlineInitiative, read_outline_span
from .patterns import APPENDIX, DIGITS, LEADS, NUMBERED, SP

DESCRIPTION_COLUMNS = ("連携する取組", "取組の内容", "取組内容", "具体的な取組", "取組")
PAREN_NUMBERED = re.compile(rf"^[（(](?P<num>[{DIGITS}]+)[）)]{SP}*(?P<text>.+)$")


@cache
def _mapping(scheme: str = "policy-field") -> dict[str, tuple[str, str]]:
    """区分 → (concept notation, "exact" | "synonym") from the scheme's mapping table."""
    with mapping_table(scheme).open(encoding="utf-8", newline="") as f:
        return {row["category"]: (row["policy_field"], row["match"]) for row in csv.DictReader(f)}


class AppendixReader:
    """The 別表: a part of text.parse's reader, whose cursor and diagnostics it uses."""

    def read_appendices(self) -> None:
        while (line := self.peek()) is not None and (m := APPENDIX.match(line.text)):
            self.take()
            appendix = Appendix(
                ordinal=len(self.agreement.appendices) + 1, number=m.group("number"), heading_text=line.text,
                line=line.number,
            )
            self.agreement.appendices.append(appendix)
            self.read_appendix_body(appendix)
        if not self.agreement.appendices and not self.agreement.initiatives:
            self.diagnose("error", self.here(), "no 別表 listing the initiatives and roles")

    def read_appendix_body(self, appendix: Appendix) -> None:
        if self.read_appendix_outline(appendix):
            return
        section: AppendixSection | None = None
        top: AppendixSection | None = None
        columns: list[str] = []
        while (line := self.peek()) is not None and not APPENDIX.match(line.text):
            self.take()
            cells = line.text.split("\t")
            if len(cells) > 1 and cells[0].strip() == "区分":
                columns = self.role_columns_misread([c.strip() for c in cells], line)
                (section or appendix).table_header = line.text
                continue
            if len(cells) > 1:
                self.add_initiative(appendix, section, columns, cells, line)
                continue
            if m := NUMBERED.match(line.text):
                key = str(self.number(m.group("num"), line.number))
                section = top = AppendixSection(key=key, number=m.group("num"), title=m.group("text"), line=line.number)
                appendix.sections.append(section)
                continue
            if (m := PAREN_NUMBERED.match(line.text)) and top:
                section = AppendixSection(key=f"{top.key}-{self.number(m.group('num'), line.number)}",
                                          number=line.text[: line.text.index(m.group("text"))].rstrip(" \u3000"),
                                          title=m.group("text"), line=line.number, parent=top.key)
                appendix.sections.append(section)
                continue
            self.diagnose("warning", line.number, f"line in the 別表 not understood: {line.text[:40]}")

    def read_appendix_outline(self, appendix: Appendix) -> bool:
        """A 別表 written as an outline of fields, each with 取組の内容 and Xの役割 items, not a table."""
        end = next((i for i in range(self.pos, len(self.lines)) if APPENDIX.match(self.lines[i].text)), len(self.lines))
        body = self.lines[self.pos:end]
        if any(l.text.split("\t")[0].strip() == "区分" for l in body):
            return False
        found, reached = read_outline_span(body)
        if not found:
            return False
        keys = set()
        for initiative in found:
            for heading in initiative.headings:
                if heading.key not in keys:
                    keys.add(heading.key)
                    parent = heading.key.rpartition("-")[0] or None
                    appendix.sections.append(AppendixSection(key=heading.key, number=heading.label, title=heading.title,
                                                             line=heading.line, parent=parent))
        appendix.initiatives += self.initiatives_of_outline(found)
        self.pos += reached
        return True

    def initiatives_of_outline(self, found: list[OutlineInitiative]) -> list[Initiative]:
        """The outline's initiatives, each role given to the party it names — to each party of a group
        (連携町村の役割), in party order."""
        initiatives = []
        for item in found:
            roles = []
            for role in item.roles:
                parties = self.parties_by(role.who)
                if not parties:
                    self.diagnose("error", role.line, f"a role of a party, found {role.who}の役割")
                roles += [RoleStatement(party=p.order, designation=p.designation, text=role.text,
                                        leads=LEADS in role.text, line=role.line) for p in parties]
            initiatives.append(Initiative(
                number=self.next_initiative_number(), section=item.section, category=item.category,
                description=item.description, roles=sorted(roles, key=lambda r: r.party), line=item.line,
                **self.policy_fields(item.category, Line(item.line, item.category)),
            ))
        return initiatives

    def role_columns_misread(self, columns: list[str], line: Line) -> list[str]:
        """The header's columns, a role column that names no party (OCR reads 甲の役割 as 申の役割, 乙の
        役割 as との役割, or drops the 乙) given to the party no other column names — only when the
        columns that name no party are exactly as many as the parties left, one character each or
        none; a warning says so."""
        roles = [i for i, c in enumerate(columns) if c.endswith("の役割")]
        unknown = [i for i in roles if not self.parties_by(columns[i][:-3])]
        named = {p.order for i in roles if i not in unknown for p in self.parties_by(columns[i][:-3])}
        left = [p for p in self.agreement.parties if p.order not in named]
        if not unknown or len(unknown) != len(left) or any(len(columns[i]) > 4 for i in unknown):
            return columns
        columns = list(columns)
        for i, party in zip(unknown, left):
            read_as = f"{party.designation or party.name}の役割"
            self.diagnose("warning", line.number, f"別表 column {columns[i]} names no party: read as "
                          f"{read_as}, the party no other column names")
            columns[i] = read_as
        return columns

    def add_initiative(self, appendix: Appendix, section: AppendixSection | None, columns: list[str],
                       cells: list[str], line: Line) -> None:
        # a column may name a group (連携町村の役割): one role per party of the group, in party order
        role_columns = [(i, p) for i, c in enumerate(columns) if c.endswith("の役割")
                        for p in self.parties_by(c[:-3])]
        description = next((c for c in DESCRIPTION_COLUMNS if c in columns), None)
        if not columns or description is None or not role_columns or len(cells) != len(columns):
            self.diagnose("error", line.number, "a table row with columns 区分 / 連携する取組 / 甲の役割 / 乙の役割")
            return
        roles = sorted((RoleStatement(party=p.order, designation=p.designation, text=cells[i].strip(),
                                      leads=LEADS in cells[i], line=line.number) for i, p in role_columns),
                       key=lambda r: r.party)
        category = cells[0].strip()
        appendix.initiatives.append(
            Initiative(
                number=self.next_initiative_number(),
                section=section.key if section else "",
                category=category,
                description=cells[columns.index(description)].strip(),
                roles=roles,
                line=line.number,
                **self.policy_fields(category, line),
            )
        )

    def policy_fields(self, category: str, line: Line) -> dict[str, str | None]:
        """A row's national policy field and, in a 定住自立圏 協定, its 定住自立圏 policy area (each
        with "exact" or "synonym"), from the mapping tables; a 区分 a table lacks is a warning."""
        fields: dict[str, str | None] = {}
        schemes = [("policy_field", "policy-field", "national policy field")]
        if self.agreement.framework == "teiju-jiritsu":
            schemes.append(("teiju_policy_field", "teiju-policy-field", "定住自立圏 policy area"))
        for attribute, scheme, what in schemes:
            field, match = _mapping(scheme).get(category, (None, None))
            if field is None:
                self.diagnose("warning", line.number, f"区分 {category} has no {what} in the mapping table")
            fields[attribute], fields[f"{attribute}_match"] = field, match
        return fields
