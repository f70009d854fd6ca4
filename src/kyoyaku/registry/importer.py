"""`kyoyaku import-registry`: convert a registry compilation into a folder the build reads.

A compilation (e.g. data/sources/registry/, copied from the project's shared registry) has
`areas.csv` (one row per area × member), `areas_summary.csv` (one row per area) and, optionally,
`amendments.csv`: curated corrections, each naming the row, the column, the new value and why;
optionally `events.csv` (the agreements over time: joins, amendments, ends, framework changes) and
`stated_totals.csv` (national totals as their sources state them). The import applies the
amendments (appending the reason to the row's note, so the change stays visible), checks every row
as the build will, and writes `members.csv` + `areas.csv` (+ `events.csv`, `stated_totals.csv`,
unchanged) into the target folder, all or nothing; what the events say that the member rows do not
is reported, a line each (`ImportResult.disagreements`). Re-run it when the compilation is updated.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..outputs import REGISTRY_OUTPUT, check_out_dir, swap_in, write_atomic
from .events import EVENT_COLUMNS
from .load import MEMBER_COLUMNS, STATED_TOTAL_COLUMNS, load_registry, read_csv

# Column order of the folder the build reads (data/registry/README.md).
MEMBER_ORDER = ["area_name", "framework", "core_city", "core_prefecture", "member", "member_prefecture",
                "member_code", "agreement_core_code", "agreement_date", "date_as_written", "source_url", "note"]
AREA_ORDER = ["area_name", "framework", "core_city", "core_code", "members_listed", "members_stated_total",
              "formed_date", "source_url", "formed_fiscal_year", "predecessor", "note"]
SUMMARY_COLUMNS = {"area_name", "framework", "core_city", "core_code", "members_listed", "members_stated_total",
                   "formed_date", "source_url"}
AMENDMENT_COLUMNS = {"area_name", "member", "column", "value", "reason"}
EVENT_ORDER = ["area_name", "framework", "core_city", "core_code", "member", "member_code", "event", "date",
               "date_as_written", "title", "source_url", "note"]
STATED_TOTAL_ORDER = ["framework", "date", "area_count", "core_city_count", "member_count", "publisher", "source_url",
                      "note"]


@dataclass
class ImportResult:
    areas: int
    member_rows: int
    dated_rows: int
    amendments: int
    written: list[Path]
    events: int = 0
    disagreements: list[str] = field(default_factory=list)


def import_registry(source: Path, target: Path) -> ImportResult:
    """Convert the compilation in `source` into `target` (members.csv, areas.csv)."""
    check_out_dir(target, REGISTRY_OUTPUT, protected=[source])
    if not source.is_dir():
        raise InputError(source, None, "a registry compilation folder (areas.csv, areas_summary.csv)",
                         "no such directory")
    members = [dict(row.values) for row in read_csv(source / "areas.csv", MEMBER_COLUMNS - {"agreement_core_code"})]
    summary = read_csv(source / "areas_summary.csv", SUMMARY_COLUMNS)
    amendments = source / "amendments.csv"
    applied = _amend(members, amendments) if amendments.exists() else 0
    _check_listed_counts(summary, members, source / "areas_summary.csv")
    files = {"members.csv": _csv(members, MEMBER_ORDER),
             "areas.csv": _csv([dict(row.values) for row in summary], AREA_ORDER)}
    events = read_csv(source / "events.csv", EVENT_COLUMNS) if (source / "events.csv").exists() else None
    if events is not None:
        files["events.csv"] = _csv([dict(row.values) for row in events], EVENT_ORDER)
    if (source / "stated_totals.csv").exists():
        totals = read_csv(source / "stated_totals.csv", STATED_TOTAL_COLUMNS)
        files["stated_totals.csv"] = _csv([dict(row.values) for row in totals], STATED_TOTAL_ORDER)
    disagreements = _check_loads(files, source)

    def write(stage: Path) -> list[str]:
        for name, text in files.items():
            write_atomic(stage / name, text)
        return list(files)

    written = swap_in(target, REGISTRY_OUTPUT, write)
    return ImportResult(len(summary), len(members), sum(1 for m in members if m["agreement_date"]), applied, written,
                        len(events or []), disagreements)


def _amend(members: list[dict[str, str]], path: Path) -> int:
    rows = read_csv(path, AMENDMENT_COLUMNS)
    for row in rows:
        matches = [m for m in members if m["area_name"] == row["area_name"] and m["member"] == row["member"]]
        if len(matches) != 1:
            raise row.fail(f"one row of areas.csv with area {row['area_name']} and member {row['member']}",
                           f"{len(matches)} rows")
        if row["column"] not in MEMBER_ORDER or row["column"] in {"area_name", "member", "note"}:
            raise row.fail("a column of areas.csv other than area_name, member and note", row["column"])
        if not row["reason"]:
            raise row.fail("the reason for the amendment", "nothing")
        member = matches[0]
        old = member.get(row["column"]) or ""
        member[row["column"]] = row["value"]
        change = f"{row['column']} {old or '(empty)'} → {row['value']}"
        member["note"] = "; ".join(filter(None, [member.get("note"), f"amended on import: {change} ({row['reason']})"]))
    return len(rows)


def _check_listed_counts(summary, members: list[dict[str, str]], path: Path) -> None:
    """The summary's members_listed must be the number of member rows: a mismatch means the two
    files of the compilation disagree, and the import stops rather than guess which is right."""
    listed = Counter((m["area_name"], m["framework"]) for m in members)
    for row in summary:
        if row["members_listed"] and int(row["members_listed"]) != listed[(row["area_name"], row["framework"])]:
            raise InputError(path, row.line, f"members_listed = the {listed[(row['area_name'], row['framework'])]} "
                             f"rows of {row['area_name']} in areas.csv", row["members_listed"])


def _check_loads(files: dict[str, str], source: Path) -> list[str]:
    """Load the converted files as the build will, and return what the events say that the member
    rows do not; an error or a disagreement names the compilation's file and line (rows keep their
    order, so line N of a converted file is line N of its source file)."""
    import tempfile

    origin = {"members.csv": "areas.csv", "areas.csv": "areas_summary.csv", "events.csv": "events.csv",
              "stated_totals.csv": "stated_totals.csv"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "check"
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        disagreements: list[str] = []
        try:
            load_registry(Path(tmp), disagreements)
        except InputError as e:
            raise InputError(source / origin[Path(e.path).name], e.line, e.expected, e.found) from None
    return [line.replace(str(folder / "events.csv"), str(source / "events.csv"), 1) for line in disagreements]


def _csv(rows: list[dict[str, str]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: (row.get(c) or "").strip() for c in columns})
    return out.getvalue()
