"""Reading a register workbook: the archive checked before it is unpacked, headers matched, cells cleaned;
the report that lists each problem by row and column."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from casework.errors import CaseworkError, Problem
from casework.i18n.messages import message
from casework.spreadsheets.columns import BY_KEY, COLUMNS, IMPORT_COLUMNS, SHEET


# --- raw sheets (a status export, a region's figures): header and rows -------------------------------------
def csv_rows(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    """A CSV's header and rows: UTF-8 (with or without BOM), its delimiter sniffed (comma, semicolon or tab)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseworkError("import.bad_file", name=name, detail="UTF-8") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to tell by: comma
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:  # e.g. a field over the csv module's limit (128 KB): no sheet of ours
        raise CaseworkError("import.bad_file", name=name, detail=str(exc)) from exc
    return (rows[0] if rows else []), rows[1:]


def xlsx_rows(data: bytes, name: str) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The first sheet's header and rows, the archive checked before it is unpacked."""
    buffer = io.BytesIO(data)
    check_archive(buffer, name)
    try:
        ws = load_workbook(buffer, data_only=True, read_only=True).worksheets[0]
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    except Exception as exc:  # a zip or XML error: not a workbook we can read
        raise CaseworkError("import.bad_file", name=name, detail=str(exc) or type(exc).__name__) from exc
    return (list(rows[0]) if rows else []), rows[1:]


class SheetReport:
    """What an import of a sheet did or would do, row by row — the status export's (casework.exchange) and a
    region's figures' (casework.prevention.figure_sheets). A subclass is a dataclass with `rows` (each with its
    `result`), the file's own `problems`, `dry_run` and `done`; it names its `RESULTS` and the `SUMMARY` prefix of
    its messages ("<prefix>.summary_dry_run", "_done", "_failed", each given every result's count)."""

    RESULTS: tuple[str, ...] = ()
    SUMMARY = ""

    def count(self, result: str) -> int:
        return sum(1 for r in self.rows if r.result == result)

    @property
    def ok(self) -> bool:
        return not self.problems and self.count("invalid") == 0

    def summary(self, lang: str = "id") -> str:
        if self.problems:
            return message("validation.failed", lang, count=len(self.problems))
        code = "dry_run" if self.dry_run else "done" if self.done else "failed"
        return message(f"{self.SUMMARY}.summary_{code}", lang, **{r: self.count(r) for r in self.RESULTS})


# --- import ------------------------------------------------------------------------------------------------------
@dataclass
class RowResult:
    row: int  # the sheet's row number (the header is row 1)
    ref: str
    status: str = "ready"  # ready / imported / existing / invalid
    number: str | None = None  # the case: new (imported) or already there (existing)
    issues: list[tuple[str | None, int | None, Problem]] = field(default_factory=list)  # (column, item, problem)
    people: dict[str, int] = field(default_factory=dict)  # how many reported ASN / witnesses the row names


@dataclass
class ImportReport:
    file_problems: list[Problem] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # key -> 1-based column index in the sheet
    dry_run: bool = False
    done: bool = False  # committed

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.file_problems and self.count("invalid") == 0

    def lines(self, lang: str = "id") -> list[str]:
        out = [f"{message(p.code, lang, **p.params)}" for p in self.file_problems]
        if self.ignored_headers:
            out.append(message("import.unknown_columns", lang, headers=", ".join(self.ignored_headers)))
        for r in self.rows:
            where = message("import.row", lang, row=r.row) + (f" ({r.ref})" if r.ref else "")
            if r.status == "invalid":
                for column, item, problem in sorted(r.issues, key=lambda i: (self.columns.get(i[0], 0), i[1] or 0)):
                    text = message(problem.code, lang, **problem.params)
                    out.append(f"{self._where(r, column, item, lang)}: {text}")
            elif r.status == "existing":
                out.append(f"{where}: {message('import.existing', lang, number=r.number)}")
            elif r.status == "imported":
                out.append(f"{where}: {message('import.imported', lang, number=r.number)}")
            else:
                out.append(f"{where}: {message('import.ready', lang)}")
        return out

    def summary(self, lang: str = "id") -> str:
        if self.file_problems:
            return message("validation.failed", lang, count=len(self.file_problems))
        counts = {"ready": self.count("ready"), "invalid": self.count("invalid"),
                  "existing": self.count("existing"), "imported": self.count("imported")}
        if self.dry_run:
            return message("import.summary_dry_run", lang, **counts)
        return message("import.summary_done" if self.ok else "import.summary_failed", lang, **counts)

    def _where(self, result: RowResult, column: str | None, item: int | None, lang: str) -> str:
        if column is None:
            return message("import.row", lang, row=result.row)
        spec = BY_KEY[column]
        index = self.columns.get(column)
        text = message("import.where", lang, row=result.row, column=get_column_letter(index) if index else "-",
                       header=spec.header)
        if item is not None and result.people.get(spec.group, 0) > 1:  # which person, when the cell names several
            code = "import.witness_item" if spec.group == "witness" else "import.reported_item"
            text += f", {message(code, lang, n=item + 1)}"
        return text


@dataclass
class SheetRow:
    number: int
    values: dict[str, Any]
    issues: list[tuple[str | None, int | None, Problem]] = field(default_factory=list)


def _header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        index[norm_header(column.header)] = column.key
        index[norm_header(column.english)] = column.key
    return index


def norm_header(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


# An XLSX file is a zip archive that openpyxl unpacks in memory: a small file can unpack to gigabytes (a zip bomb).
# The archive's own directory says how big each part is once unpacked (and zipfile never unpacks more than that),
# so it is checked before anything is unpacked.
MAX_IMPORT_UNPACKED = 64 * 1024 * 1024
MAX_IMPORT_PARTS = 1000


def check_archive(source: str | Path | IO[bytes], name: str) -> None:
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CaseworkError("import.bad_file", name=name, detail=str(exc) or type(exc).__name__) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_IMPORT_UNPACKED or len(parts) > MAX_IMPORT_PARTS:
        raise CaseworkError("import.too_big", name=name, size=round(unpacked / 1024 / 1024),
                            max=MAX_IMPORT_UNPACKED // 1024 // 1024)


def read_register(source: str | Path | IO[bytes]) -> tuple[ImportReport, list[SheetRow]]:
    """Read the sheet: map headers to columns (Indonesian or English names), clean each cell, and note what is
    wrong with the sheet itself. Nothing touches the database here."""
    report = ImportReport()
    name = Path(source).name if isinstance(source, str | Path) else getattr(source, "name", "berkas")
    check_archive(source, name)
    try:
        wb = load_workbook(source, data_only=True)
    except Exception as exc:  # a zip or XML error: the file is not a workbook we can read
        raise CaseworkError("import.bad_file", name=name, detail=str(exc) or type(exc).__name__) from exc
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, ())
    known = _header_index()
    seen: dict[str, int] = {}
    for i, text in enumerate(header, 1):
        if text is None or not str(text).strip():
            continue
        key = known.get(norm_header(text))
        if key is None:
            report.ignored_headers.append(str(text).strip())
        elif key in seen:
            report.file_problems.append(Problem("", "import.duplicate_column", {"header": str(text).strip()}))
        else:
            seen[key] = i
    report.columns = seen
    for column in IMPORT_COLUMNS:
        if column.required and column.key not in seen:
            report.file_problems.append(Problem("", "import.missing_column", {"header": column.header}))
    sheet_rows = []
    for number, raw in enumerate(rows, 2):
        if raw is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        values = {key: raw[i - 1] if i - 1 < len(raw) else None
                  for key, i in seen.items() if BY_KEY[key].imported}
        sheet_rows.append(_clean(number, values))
    if not sheet_rows and not report.file_problems:
        report.file_problems.append(Problem("", "import.no_rows", {"sheet": ws.title}))
    return report, sheet_rows


DATE_PATTERNS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _clean(number: int, raw: dict[str, Any]) -> SheetRow:
    row = SheetRow(number, {})
    for key, value in raw.items():
        column = BY_KEY[key]
        if column.kind == "date":
            row.values[key] = cell_day(value)
        elif key == "nip" and isinstance(value, int | float) and not isinstance(value, bool):
            # Excel keeps 15 significant digits: an 18-digit NIP typed as a number is already wrong
            row.issues.append((key, None, Problem(key, "import.nip_as_number", {"value": f"{value:.0f}"})))
            row.values[key] = [""]
        elif column.kind == "list":
            text = cell_text(value)
            row.values[key] = [part.strip() for part in text.split(";")] if text else []
        else:
            row.values[key] = cell_text(value)
    return row


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_day(value: Any) -> date | str:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for pattern in DATE_PATTERNS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return text  # ISO text, or something open_case reports as not a date


REPORTED_KEYS = ("nip", "asn_name", "position", "rank", "asn_kind", "person_kind", "village", "agency", "work_unit")
WITNESS_KEYS = ("witness_name", "witness_address", "witness_phone")
# intake's field names -> template columns
FIELD_COLUMNS = {
    "source": "source", "election": "election", "office": "office", "regency": "regency", "district": "district",
    "place": "place", "occurred_on": "occurred_on", "known_on": "known_on", "received_on": "received_on",
    "summary": "summary", "chronology": "chronology", "violations": "violations", "reporter": "reporter_name",
    "reporter.name": "reporter_name", "reporter.address": "reporter_address", "reporter.phone": "reporter_phone",
    "reporter.email": "reporter_email", "found_by": "found_by", "reported": "nip", "reported.nip": "nip",
    "reported.name": "asn_name", "reported.position": "position", "reported.rank": "rank",
    "reported.asn_kind": "asn_kind", "reported.agency": "agency", "reported.work_unit": "work_unit",
    "reported.person_kind": "person_kind", "reported.village": "village",
    "witness.name": "witness_name", "witness.address": "witness_address", "witness.phone": "witness_phone",
}


