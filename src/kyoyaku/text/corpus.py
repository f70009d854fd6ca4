"""The corpus report (`kyoyaku parse --report FOLDER`): every agreement text of a folder read as
`kyoyaku build` reads it, one row per document — what the parser found, what is missing, which
facts came from a fallback rule, or why the text was refused — so that someone holding a hundred
real texts sees at a glance which ones need a look.

A document is `complete` when no diagnostic is an error, `incomplete` when one is (a part an
agreement must have is missing), `refused` when it could not be read as an agreement at all (the
InputError that `kyoyaku parse FILE` would exit 2 with)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from wcwidth import width

from ..errors import InputError
from .model import Agreement
from .parse import parse_file
from .sources import SUFFIXES_SHOWN, check_regular_file, read_folder

STATUSES = ("complete", "incomplete", "refused")
FORMATS = ("text", "markdown", "json")


@dataclass
class Note:
    """A diagnostic, or the reason a text was refused, without its file: what a row says about it."""

    line: int | None
    message: str


@dataclass
class DocumentReport:
    """One row: what the parser made of one file. The counts are None for a refused file (nothing
    was read)."""

    file: str  # the file's name in the folder
    status: str  # one of STATUSES
    title: str | None = None
    date: str | None = None  # ISO 8601
    date_source: str | None = None  # model.DATE_SOURCES
    parties: int | None = None
    parties_coded: int | None = None  # resolved to a municipality code
    articles: int | None = None
    appendices: int | None = None  # 別表
    initiatives: int | None = None
    notice: str | None = None  # 告示第88号
    bill: str | None = None  # the council bill's number: 議案第12号
    warnings: int | None = None
    missing: list[Note] = field(default_factory=list)  # the error diagnostics
    fallbacks: list[Note] = field(default_factory=list)  # the info diagnostics: facts found by a fallback rule
    refused: Note | None = None

    @classmethod
    def of(cls, file: str, agreement: Agreement) -> DocumentReport:
        def notes(level: str) -> list[Note]:
            return [Note(d.line, d.message) for d in agreement.diagnostics if d.level == level]

        missing = notes("error")
        return cls(
            file=file,
            status="incomplete" if missing else "complete",
            title=agreement.title,
            date=agreement.date,
            date_source=agreement.date_source,
            parties=len(agreement.parties),
            parties_coded=sum(1 for party in agreement.parties if party.code),
            articles=len(agreement.articles),
            appendices=len(agreement.appendices),
            initiatives=len(agreement.initiatives),
            notice=agreement.notice,
            bill=agreement.bill.number if agreement.bill else None,
            warnings=len(notes("warning")),
            missing=missing,
            fallbacks=notes("info"),
        )

    @classmethod
    def of_refused(cls, file: str, error: InputError) -> DocumentReport:
        return cls(file=file, status="refused", refused=Note(error.line, error.reason))

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CorpusReport:
    documents: list[DocumentReport]  # sorted by file name
    not_read: list[str]  # the folder's other entries (not *.txt, *.html, *.htm, *.pdf, *.docx), by name

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)

    @property
    def all_complete(self) -> bool:
        return all(d.status == "complete" for d in self.documents)

    def summary(self) -> str:
        """`4 documents: 2 complete, 1 incomplete, 1 refused`, and how many entries were not read."""
        text = _counted_noun(len(self.documents), "document", "documents") + ": " + \
            ", ".join(f"{self.count(s)} {s}" for s in STATUSES)
        if self.not_read:
            text += f"; {_counted_noun(len(self.not_read), 'other entry', 'other entries')} not read (not {SUFFIXES_SHOWN})"
        return text

    def to_dict(self) -> dict:
        return {
            "documents": [d.to_dict() for d in self.documents],
            "summary": {"documents": len(self.documents), **{s: self.count(s) for s in STATUSES},
                        "not_read": self.not_read},
        }


def _counted_noun(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def corpus_report(folder: str | Path, max_bytes: int | None = None) -> CorpusReport:
    """Read every agreement text of `folder` as `kyoyaku build` does (its *.txt, *.html and *.htm files, sorted by name;
    text.sources) and report on each (DocumentReport): what was found, what is missing, which facts
    came from a fallback rule, or why it was refused. A file that cannot be read as an agreement is a
    refused row, never the end of the report. Raises InputError (kyoyaku.errors) only when `folder`
    is not a directory this user can list or holds no agreement text. `max_bytes`: the size limit of
    one text, as for parse_file."""
    found = read_folder(Path(folder))
    documents = []
    for path in found.texts:
        try:
            check_regular_file(path)  # a named pipe called x.txt would block the reader
            documents.append(DocumentReport.of(path.name, parse_file(path, max_bytes=max_bytes)))
        except InputError as error:
            documents.append(DocumentReport.of_refused(path.name, error))
    return CorpusReport(documents, [p.name for p in found.others])


# -- printing ------------------------------------------------------------------------------------

# (heading, right-aligned) of each column but the last, which holds the notes
COLUMNS = [("file", False), ("status", False), ("title", False), ("date", False), ("date from", False),
           ("parties", True), ("coded", True), ("articles", True), ("別表", True), ("initiatives", True),
           ("notice", False), ("bill", False), ("warnings", True)]
NOTES = "notes"


def render(report: CorpusReport, format: str) -> str:
    """The report as `kyoyaku parse --report` prints it: `text` (an aligned table), `markdown` (a
    table) or `json`; each ends with a newline."""
    if format == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if format == "markdown":
        return to_markdown(report)
    if format == "text":
        return to_text(report)
    raise ValueError(f"format {format!r}: expected one of {', '.join(FORMATS)}")


def to_text(report: CorpusReport) -> str:
    """An aligned table for the terminal — a Japanese character counts as two columns — and the
    summary line under it."""
    rows = [[heading for heading, _ in COLUMNS] + [NOTES]] + [cells(d) for d in report.documents]
    widths = [max(width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [_aligned(row, widths) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths + [width(NOTES)]))
    return "\n".join(lines + ["", report.summary()]) + "\n"


def _aligned(row: list[str], widths: list[int]) -> str:
    padded = [(" " * (w - width(cell)) + cell) if right else (cell + " " * (w - width(cell)))
              for cell, w, (_, right) in zip(row, widths, COLUMNS)]
    return "  ".join(padded + [row[-1]]).rstrip()


def to_markdown(report: CorpusReport) -> str:
    """A Markdown table (numbers right-aligned) and the summary line under it."""
    def line(row: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"

    rules = ["---:" if right else "---" for _, right in COLUMNS] + ["---"]
    lines = [line([heading for heading, _ in COLUMNS] + [NOTES]), "|" + "|".join(rules) + "|"]
    lines += [line(cells(d)) for d in report.documents]
    return "\n".join(lines + ["", report.summary()]) + "\n"


def cells(document: DocumentReport) -> list[str]:
    """The row's cells as printed: `-` for a fact not found; a refused file's cells are empty (it was
    not read), its reason in the notes."""
    if document.status == "refused":
        return [document.file, document.status] + [""] * (len(COLUMNS) - 2) + [notes(document)]
    found = [
        "yes" if document.title else "no", document.date, document.date_source, document.parties,
        document.parties_coded, document.articles, document.appendices, document.initiatives,
        document.notice, document.bill, document.warnings,
    ]
    return [document.file, document.status] + ["-" if value is None else str(value) for value in found] \
        + [notes(document)]


def notes(document: DocumentReport) -> str:
    """`missing: …; … | fallback: …` or `refused: …`: the messages without their lines (which
    `kyoyaku parse FILE` gives), a message said several times once with its count."""
    if document.refused:
        return f"refused: {document.refused.message}"
    parts = [f"{label}: " + "; ".join(_counted(n.message for n in found))
             for label, found in (("missing", document.missing), ("fallback", document.fallbacks)) if found]
    return " | ".join(parts)


def _counted(messages) -> list[str]:
    """Each message once, in the order first seen, `(×N)` after one said N times (the same missing
    column on every row of a 別表)."""
    counts = Counter(messages)
    return [message if n == 1 else f"{message} (×{n})" for message, n in counts.items()]
