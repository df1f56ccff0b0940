"""Spreadsheets in and out: the case register as XLSX or CSV, and the import of an existing register from XLSX.

Layout (docs/import-template.md): one row per case, as in Bawaslu's register of reports and findings (one row
per laporan/temuan, the unit Bawaslu counts). Several reported ASN share a cell, separated by "; ", in the same
order in every "... terlapor" column (the n-th NIP belongs to the n-th name); witnesses likewise. Headers are
Indonesian (one header row, so the sheet filters and sorts as is); the English names are in the "Keterangan"
sheet of every XLSX, in COLUMNS and in the docs. An exported file can be imported again: import reads the
columns it needs and ignores the export-only ones.

Who sees what is casework.scoping's decision, as on the desk's case page: the cases of `case_scope`, the reported
ASN of `visible_people`, the reporter only where `may_see_reporter` (witnesses follow the reporter's rule: the
handling office invites and protects them). Users who can never see a reporter get no reporter or witness
columns at all; a handler gets them, with "[dirahasiakan]" on other offices' cases.
"""
from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import func, select, true
from sqlalchemy.orm import Session, joinedload, selectinload, sessionmaker

from casework import audit
from casework.db import transaction
from casework.errors import CaseworkError, Problem, ValidationError
from casework.intake import IntakeInput, ReportedInput, ReporterInput, WitnessInput, open_case
from casework.messages import message
from casework.models import Case, Deadline, Office, ReportedASN, User
from casework.rules import load, violation_catalogue
from casework.textcheck import has_control_chars
from casework.scoping import case_scope, may_see_reporter, may_see_reporters, visible_people
from casework.stages import label

FORMATS = ("xlsx", "csv")
MIME_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "csv": "text/csv; charset=utf-8"}
SHEET = "Kasus"
LEGEND_SHEET = "Keterangan"
WITHHELD = "[dirahasiakan]"
SEPARATOR = "; "
DATE_FORMAT = "DD/MM/YYYY"
CHUNK = 500


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Indonesian: the header row
    english: str
    note: str = ""  # what goes in it (Indonesian; the legend sheet and docs)
    group: str = "case"  # case / reporter / reported / witness: personal groups are reporter and witness
    kind: str = "text"  # text / date / list (values separated by "; ")
    imported: bool = True  # read by import (False: export only, ignored on import)
    required: bool = False  # an import file must have this column


def _c(*args, **kwargs) -> Column:
    return Column(*args, **kwargs)


COLUMNS: tuple[Column, ...] = (
    _c("number", "Nomor kasus", "Case number", "nomor dari Netra (diberikan saat impor)", imported=False),
    _c("ref", "Nomor referensi", "Register reference",
       "nomor laporan/temuan pada register asal; unik; impor ulang melewati nomor yang sudah ada", required=True),
    _c("register_number", "Nomor register", "Register number", "nomor register Bawaslu", imported=False),
    _c("source", "Sumber", "Source", "laporan / temuan", required=True),
    _c("election", "Kode pemilihan", "Election code", "mis. pemilu-2024, pilkada-2024-6402", required=True),
    _c("election_name", "Pemilihan", "Election", imported=False),
    _c("office", "Kode kantor", "Office code", "kantor Bawaslu penangan, mis. bawaslu-6402", required=True),
    _c("office_name", "Kantor penanganan", "Handling office", imported=False),
    _c("regency", "Kode kabupaten/kota", "Regency/city code", "kode Kemendagri 4 digit, mis. 6402", required=True),
    _c("regency_name", "Kabupaten/kota", "Regency/city", imported=False),
    _c("district", "Kode kecamatan", "District code", "kode Kemendagri 6 digit, mis. 640201 (boleh kosong)"),
    _c("district_name", "Kecamatan", "District", imported=False),
    _c("place", "Tempat kejadian", "Place", required=True),
    _c("occurred_on", "Tanggal kejadian", "Date occurred", "tanggal (DD/MM/YYYY atau YYYY-MM-DD)", kind="date",
       required=True),
    _c("known_on", "Tanggal diketahui", "Date known", "tanggal", kind="date", required=True),
    _c("received_on", "Tanggal diterima", "Date received", "tanggal", kind="date", required=True),
    _c("summary", "Pokok perkara", "Summary", "maksimal 300 karakter", required=True),
    _c("chronology", "Kronologi", "Chronology", required=True),
    _c("violations", "Kode jenis pelanggaran", "Violation codes",
       "kode katalog SKB (casework/rules/violations.toml), dipisah ';'", kind="list", required=True),
    _c("violation_names", "Jenis pelanggaran", "Violation types", kind="list", imported=False),
    _c("stage", "Tahap", "Stage", imported=False),
    _c("next_due", "Tenggat terdekat", "Next deadline", "tenggat terbuka terdekat", kind="date", imported=False),
    _c("reporter_name", "Nama pelapor", "Reporter's name", "wajib untuk laporan", group="reporter"),
    _c("reporter_address", "Alamat pelapor", "Reporter's address", "wajib untuk laporan", group="reporter"),
    _c("reporter_phone", "Telepon pelapor", "Reporter's phone", group="reporter"),
    _c("reporter_email", "Email pelapor", "Reporter's email", group="reporter"),
    _c("found_by", "Penemu (pengawas)", "Found by (supervisor)", "wajib untuk temuan"),
    _c("nip", "NIP terlapor", "Reported NIP", "18 digit, sel berformat Teks; beberapa terlapor dipisah ';'",
       group="reported", kind="list", required=True),
    _c("asn_name", "Nama terlapor", "Reported name", "urutan sama dengan NIP", group="reported", kind="list",
       required=True),
    _c("position", "Jabatan terlapor", "Reported position", group="reported", kind="list", required=True),
    _c("rank", "Pangkat/golongan terlapor", "Reported rank", "mis. Penata Muda (III/a)", group="reported",
       kind="list"),
    _c("asn_kind", "Jenis ASN terlapor", "Reported ASN kind", "PNS / PPPK (kosong: PNS)", group="reported",
       kind="list"),
    _c("agency", "Kode instansi terlapor", "Reported agency code", "mis. pemkab-6402", group="reported",
       kind="list", required=True),
    _c("agency_name", "Instansi terlapor", "Reported agency", group="reported", kind="list", imported=False),
    _c("work_unit", "Unit kerja terlapor", "Reported work unit", group="reported", kind="list"),
    _c("track_stage", "Tahap terlapor", "Reported track stage", group="reported", kind="list", imported=False),
    _c("sanction", "Sanksi terlapor", "Reported sanction", group="reported", kind="list", imported=False),
    _c("witness_name", "Nama saksi", "Witness name", "beberapa saksi dipisah ';'", group="witness", kind="list"),
    _c("witness_address", "Alamat saksi", "Witness address", "urutan sama dengan nama saksi", group="witness",
       kind="list"),
    _c("witness_phone", "Telepon saksi", "Witness phone", group="witness", kind="list"),
)
BY_KEY = {c.key: c for c in COLUMNS}
PERSONAL_GROUPS = ("reporter", "witness")
IMPORT_COLUMNS = tuple(c for c in COLUMNS if c.imported)

# A fictitious example row for the template (real codes from the demo organisations, invented people).
EXAMPLE = {
    "ref": "CONTOH-001", "source": "laporan", "election": "pemilu-2024", "office": "bawaslu-6402",
    "regency": "6402", "district": "640201", "place": "Halaman kantor desa, Tenggarong",
    "occurred_on": date(2024, 1, 20), "known_on": date(2024, 1, 21), "received_on": date(2024, 1, 22),
    "summary": "ASN mengunggah ajakan memilih calon di media sosial",
    "chronology": "Terlapor mengunggah ajakan memilih salah satu calon di akun media sosialnya (contoh fiktif).",
    "violations": "etik.sosialisasi_medsos", "reporter_name": "Budi Contoh (fiktif)",
    "reporter_address": "Jl. Contoh No. 1, Tenggarong", "reporter_phone": "081200000000", "reporter_email": "",
    "found_by": "", "nip": "198503122010011003", "asn_name": "Siti Contoh (fiktif)", "position": "Guru",
    "rank": "Penata Muda (III/a)", "asn_kind": "PNS", "agency": "pemkab-6402",
    "work_unit": "SD Negeri 001 Tenggarong", "witness_name": "Andi Contoh (fiktif)", "witness_address": "Tenggarong",
    "witness_phone": "",
}


# --- who the spreadsheet is for ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Audience:
    """Whose spreadsheet: a desk user (scoped as on the desk) or, with no user, the operator at the command line,
    who sees every case and every column."""

    user: User | None = None

    def scope(self):
        return true() if self.user is None else case_scope(self.user)

    @property
    def personal(self) -> bool:
        return self.user is None or may_see_reporters(self.user)

    def sees_reporter(self, case: Case) -> bool:
        return self.user is None or may_see_reporter(self.user, case)

    def people(self, case: Case) -> list[ReportedASN]:
        return list(case.reported) if self.user is None else visible_people(self.user, case)


OPERATOR = Audience()


def columns_for(audience: Audience) -> list[Column]:
    return [c for c in COLUMNS if audience.personal or c.group not in PERSONAL_GROUPS]


# --- export -----------------------------------------------------------------------------------------------------
def export_cases(session: Session, out: IO[bytes], fmt: str, audience: Audience,
                 case_ids: Sequence[int] | None = None) -> int:
    """Write the cases (all the audience may see, or `case_ids` in that order, still limited to the audience's
    scope) to `out` as XLSX or CSV. Returns the number of cases written."""
    if fmt not in FORMATS:
        raise CaseworkError("export.unknown_format", fmt=fmt, choices=", ".join(FORMATS))
    columns = columns_for(audience)
    rows = _case_rows(session, audience, columns, case_ids)
    counted = _Counter(rows)
    if fmt == "xlsx":
        _write_xlsx(out, columns, counted)
    else:
        _write_csv(out, columns, counted)
    return counted.count


def record_export(session: Session, *, actor: str, audience: Audience, fmt: str, count: int,
                  criteria: dict[str, Any] | None = None) -> None:
    """An export takes case data (maybe personal data) out of Netra: the audit trail keeps who, what and how many."""
    audit.record(session, actor=actor, action="cases.exported", entity="export", entity_id=fmt,
                 after={"format": fmt, "cases": count, "personal_columns": audience.personal,
                        "criteria": criteria or {}})


class _Counter:
    def __init__(self, rows: Iterable[list[Any]]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[list[Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def _case_rows(session: Session, audience: Audience, columns: list[Column],
               case_ids: Sequence[int] | None) -> Iterator[list[Any]]:
    if case_ids is None:
        case_ids = session.scalars(select(Case.id).where(audience.scope())
                                   .order_by(Case.received_on.desc(), Case.number)).all()
    ids = list(dict.fromkeys(case_ids))  # a search joined over several ASN may list a case twice
    catalogue = violation_catalogue()
    sanctions = {k["code"]: k["label_id"] for k in load("sanctions")["kinds"]}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        # the audience's scope again: whoever chose the ids, nothing outside it is written
        cases = {c.id: c for c in session.scalars(
            select(Case).where(Case.id.in_(chunk), audience.scope())
            .options(joinedload(Case.election), joinedload(Case.office), joinedload(Case.regency),
                     joinedload(Case.district), joinedload(Case.reporter), selectinload(Case.witnesses),
                     selectinload(Case.violations),
                     selectinload(Case.reported).selectinload(ReportedASN.agency)))}
        due = dict(session.execute(select(Deadline.case_id, func.min(Deadline.due_date))
                                   .where(Deadline.case_id.in_(chunk), Deadline.status == "open")
                                   .group_by(Deadline.case_id)).all())
        for case_id in chunk:
            if case_id in cases:
                values = _case_values(cases[case_id], audience, due.get(case_id), catalogue, sanctions)
                yield [values.get(c.key) for c in columns]


def _joined(items: Iterable[Any]) -> str:
    # a ";" inside one value would shift every later item of the list: it becomes ","
    items = [str(i or "").replace(";", ",").strip() for i in items]
    return SEPARATOR.join(items) if any(items) else ""


def _case_values(case: Case, audience: Audience, next_due: date | None, catalogue: dict,
                 sanctions: dict[str, str]) -> dict[str, Any]:
    people = audience.people(case)
    values: dict[str, Any] = {
        "number": case.number, "ref": case.external_ref or "", "register_number": case.register_number or "",
        "source": case.source, "election": case.election.code, "election_name": case.election.name,
        "office": case.office.code, "office_name": case.office.name, "regency": case.regency_code,
        "regency_name": case.regency.name, "district": case.district_code or "",
        "district_name": case.district.name if case.district else "", "place": case.place,
        "occurred_on": case.occurred_on, "known_on": case.known_on, "received_on": case.received_on,
        "summary": case.summary, "chronology": case.chronology,
        "violations": _joined(v.code for v in case.violations),
        "violation_names": _joined(catalogue.get(v.code, {}).get("label_id", v.code) for v in case.violations),
        "stage": label(case.stage), "next_due": next_due, "found_by": case.found_by,
        "nip": _joined(p.nip for p in people), "asn_name": _joined(p.name for p in people),
        "position": _joined(p.position for p in people), "rank": _joined(p.rank for p in people),
        "asn_kind": _joined(p.asn_kind for p in people), "agency": _joined(p.agency.code for p in people),
        "agency_name": _joined(p.agency.name for p in people), "work_unit": _joined(p.work_unit for p in people),
        "track_stage": _joined(label(p.track_stage) if p.track_stage else "-" for p in people),
        "sanction": _joined(sanctions.get(p.sanction, p.sanction) if p.sanction else "-" for p in people),
    }
    if audience.personal:
        if audience.sees_reporter(case):
            reporter = case.reporter
            values.update({"reporter_name": reporter.name if reporter else "",
                           "reporter_address": reporter.address if reporter else "",
                           "reporter_phone": reporter.phone if reporter else "",
                           "reporter_email": reporter.email if reporter else "",
                           "witness_name": _joined(w.name for w in case.witnesses),
                           "witness_address": _joined(w.address for w in case.witnesses),
                           "witness_phone": _joined(w.phone for w in case.witnesses)})
        else:
            for key in ("reporter_name", "reporter_address", "reporter_phone", "reporter_email",
                        "witness_name", "witness_address", "witness_phone"):
                withheld = (key.startswith("reporter") and case.reporter is not None) or \
                           (key.startswith("witness") and case.witnesses)
                values[key] = WITHHELD if withheld else ""
    return values


WIDTHS = {"text": 22, "date": 13, "list": 28}
WIDE = {"summary": 40, "chronology": 60, "place": 30, "office_name": 34, "violation_names": 40}


def _write_xlsx(out: IO[bytes], columns: list[Column], rows: Iterable[list[Any]], *, example: bool = False) -> None:
    """Streamed (write-only workbook): memory stays flat however many cases there are."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, 1):
        dimension = ws.column_dimensions[get_column_letter(i)]
        dimension.width = WIDE.get(column.key, WIDTHS[column.kind])
        if column.kind != "date":
            # Text format for what is typed in later: Excel would otherwise round an 18-digit NIP, drop a phone
            # number's leading 0 and turn "1/2" into a date
            dimension.number_format = "@"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    n = 0
    for row in rows:
        n += 1
        ws.append([_xlsx_cell(ws, value) for value in row])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    if example:  # the template: pick lists for the closed choices
        for key, choices in (("source", "laporan,temuan"), ("asn_kind", "PNS,PPPK")):
            if key in (c.key for c in columns):
                letter = get_column_letter([c.key for c in columns].index(key) + 1)
                validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
                validation.add(f"{letter}2:{letter}1000")
                ws.data_validations.append(validation)
    _write_legend(wb, columns)
    wb.save(out)


def _xlsx_cell(ws, value: Any) -> Any:
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str) and value.startswith("="):
        # text from a reporter is never a formula (openpyxl would store "=..." as one)
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _write_legend(wb: Workbook, columns: list[Column]) -> None:
    ws = wb.create_sheet(LEGEND_SHEET)
    for letter, width in zip("ABCDE", (28, 26, 14, 12, 70), strict=True):
        ws.column_dimensions[letter].width = width
    bold = Font(bold=True)
    header = []
    for text in ("Kolom", "Column (English)", "Impor (import)", "Isi (content)", "Keterangan (note)"):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for column in columns:
        use = ("wajib" if column.required else "boleh kosong") if column.imported else "diabaikan"
        kind = {"text": "teks", "date": "tanggal", "list": "daftar ';'"}[column.kind]
        ws.append([column.header, column.english, use, kind, column.note])
    ws.append([])
    for line in LEGEND_NOTES:
        ws.append([line])


LEGEND_NOTES = (
    "Satu baris = satu kasus (laporan atau temuan). (One row per case.)",
    "Beberapa ASN terlapor: nilai dipisah ';' dengan urutan yang sama di setiap kolom terlapor; saksi juga. "
    "(Several reported ASN: values separated by ';' in the same order in every reported-ASN column; "
    "witnesses likewise.)",
    "Tanggal: sel tanggal Excel, atau teks DD/MM/YYYY atau YYYY-MM-DD. (Dates: Excel dates or text.)",
    f"{WITHHELD}: identitas pelapor/saksi dirahasiakan untuk Anda. (Withheld from you: reporter/witness identity.)",
    "Impor: kolom yang 'diabaikan' hanya untuk ekspor; berkas ekspor dapat diimpor kembali. "
    "(Import ignores export-only columns; an exported file can be imported again.)",
)


def _write_csv(out: IO[bytes], columns: list[Column], rows: Iterable[list[Any]]) -> None:
    """UTF-8 with a BOM (Excel then reads the accents right), comma-separated, dates as YYYY-MM-DD."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow([c.header for c in columns])
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])
    finally:
        text.detach()  # leave `out` open for the caller


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    value = str(value)
    # CSV injection: a spreadsheet would run a cell starting with these as a formula
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") and value != "-" else value


# --- the import template ------------------------------------------------------------------------------------------
def write_template(out: IO[bytes]) -> None:
    """The import columns with one fictitious example row (its reference CONTOH-... is refused on import)."""
    _write_xlsx(out, list(IMPORT_COLUMNS), [[EXAMPLE.get(c.key, "") for c in IMPORT_COLUMNS]], example=True)


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
class _SheetRow:
    number: int
    values: dict[str, Any]
    issues: list[tuple[str | None, int | None, Problem]] = field(default_factory=list)


def _header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        index[_norm(column.header)] = column.key
        index[_norm(column.english)] = column.key
    return index


def _norm(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


# An XLSX file is a zip archive that openpyxl unpacks in memory: a small file can unpack to gigabytes (a zip bomb).
# The archive's own directory says how big each part is once unpacked (and zipfile never unpacks more than that),
# so it is checked before anything is unpacked.
MAX_IMPORT_UNPACKED = 64 * 1024 * 1024
MAX_IMPORT_PARTS = 1000


def _check_archive(source: str | Path | IO[bytes], name: str) -> None:
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


def read_register(source: str | Path | IO[bytes]) -> tuple[ImportReport, list[_SheetRow]]:
    """Read the sheet: map headers to columns (Indonesian or English names), clean each cell, and note what is
    wrong with the sheet itself. Nothing touches the database here."""
    report = ImportReport()
    name = Path(source).name if isinstance(source, str | Path) else getattr(source, "name", "berkas")
    _check_archive(source, name)
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
        key = known.get(_norm(text))
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


def _clean(number: int, raw: dict[str, Any]) -> _SheetRow:
    row = _SheetRow(number, {})
    for key, value in raw.items():
        column = BY_KEY[key]
        if column.kind == "date":
            row.values[key] = _day(value)
        elif key == "nip" and isinstance(value, int | float) and not isinstance(value, bool):
            # Excel keeps 15 significant digits: an 18-digit NIP typed as a number is already wrong
            row.issues.append((key, None, Problem(key, "import.nip_as_number", {"value": f"{value:.0f}"})))
            row.values[key] = [""]
        elif column.kind == "list":
            text = _text(value)
            row.values[key] = [part.strip() for part in text.split(";")] if text else []
        else:
            row.values[key] = _text(value)
    return row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _day(value: Any) -> date | str:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in DATE_PATTERNS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return text  # ISO text, or something open_case reports as not a date


REPORTED_KEYS = ("nip", "asn_name", "position", "rank", "asn_kind", "agency", "work_unit")
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
    "witness.name": "witness_name", "witness.address": "witness_address", "witness.phone": "witness_phone",
}


def _lists(row: _SheetRow, keys: tuple[str, ...]) -> int:
    """How many people the row names (the first key's count); a column with another count is a problem."""
    lead = keys[0]
    expected = len(row.values.get(lead) or [])
    for key in keys[1:]:
        items = row.values.get(key) or []
        if items and len(items) != expected:
            row.issues.append((key, None, Problem(key, "import.count_mismatch", {
                "count": len(items), "expected": expected, "other": BY_KEY[lead].header})))
    return expected


def _intake(row: _SheetRow) -> IntakeInput:
    v = row.values
    n = _lists(row, REPORTED_KEYS)
    m = _lists(row, WITNESS_KEYS)

    def item(key: str, i: int, default: str = "") -> str:
        items = v.get(key) or []
        return (items[i] if i < len(items) else "") or default

    reporter = None
    if any(v.get(k) for k in ("reporter_name", "reporter_address", "reporter_phone", "reporter_email")):
        reporter = ReporterInput(name=v.get("reporter_name", ""), address=v.get("reporter_address", ""),
                                 phone=v.get("reporter_phone", ""), email=v.get("reporter_email", ""))
    return IntakeInput(
        source=v.get("source", ""), election=v.get("election", ""), office=v.get("office", ""),
        regency=v.get("regency", ""), district=v.get("district") or None, place=v.get("place", ""),
        occurred_on=v.get("occurred_on", ""), known_on=v.get("known_on", ""), received_on=v.get("received_on", ""),
        summary=v.get("summary", ""), chronology=v.get("chronology", ""),
        violations=[code for code in v.get("violations") or [] if code],
        reporter=reporter, found_by=v.get("found_by", ""),
        reported=[ReportedInput(nip=item("nip", i), name=item("asn_name", i), position=item("position", i),
                                agency=item("agency", i), rank=item("rank", i),
                                asn_kind=item("asn_kind", i, "PNS").upper(), work_unit=item("work_unit", i))
                  for i in range(n)],
        witnesses=[WitnessInput(name=item("witness_name", i), address=item("witness_address", i),
                                phone=item("witness_phone", i)) for i in range(m)],
        external_ref=v.get("ref") or None,
    )


def _column_of(problem: Problem) -> tuple[str | None, int | None]:
    """"reported[1].nip" -> ("nip", 1): the template column and which person in it."""
    name, item = problem.field, None
    if "[" in name:
        head, rest = name.split("[", 1)
        index, tail = rest.split("]", 1)
        name, item = f"{head}.{tail.lstrip('.')}" if tail.strip(".") else head, int(index)
    return FIELD_COLUMNS.get(name), item


class _Abort(Exception):
    """Leaves the import transaction without committing (dry run, or a row with problems)."""


def import_register(factory: sessionmaker[Session], source: str | Path | IO[bytes], *, actor: str,
                    dry_run: bool = False, at: datetime | None = None) -> ImportReport:
    """Import a register: every row through intake.open_case, all in one transaction; commit only when no row has
    a problem and this is not a dry run. A row whose reference is already a case is skipped, so importing the
    same file twice creates nothing new. A dry run does the same work and rolls it back."""
    data = source.read() if hasattr(source, "read") else Path(source).read_bytes()
    buffer = io.BytesIO(data)
    buffer.name = Path(source).name if isinstance(source, str | Path) else getattr(source, "name", "berkas")
    report, rows = read_register(buffer)
    report.dry_run = dry_run
    if report.file_problems:
        return report
    try:
        with transaction(factory) as session:
            audit.lock_chain(session)  # many audited cases, each taking number locks: the chain's lock first
            existing = _existing_refs(session, [r.values.get("ref", "") for r in rows])
            first_row: dict[str, int] = {}
            for row in rows:
                result = RowResult(row.number, row.values.get("ref", ""))
                report.rows.append(result)
                _import_row(session, row, result, existing, first_row, actor, at)
            if not report.ok or dry_run:
                raise _Abort
            imported = [r.number for r in report.rows if r.status == "imported"]
            if imported:
                audit.record(session, actor=actor, action="cases.imported", entity="import",
                             entity_id=hashlib.sha256(data).hexdigest()[:16],
                             after={"sha256": hashlib.sha256(data).hexdigest(), "cases": imported,
                                    "skipped": [r.ref for r in report.rows if r.status == "existing"]})
    except _Abort:
        for r in report.rows:
            if r.status == "imported":
                r.status, r.number = "ready", None  # rolled back: numbers were not kept
        return report
    report.done = True
    return report


def _existing_refs(session: Session, refs: list[str]) -> dict[str, tuple[str, str]]:
    refs = [r for r in dict.fromkeys(refs) if r]
    found = {}
    for start in range(0, len(refs), CHUNK):
        stmt = (select(Case.external_ref, Case.number, Office.code).join(Office, Case.office_id == Office.id)
                .where(Case.external_ref.in_(refs[start:start + CHUNK])))
        found.update({ref: (number, office) for ref, number, office in session.execute(stmt)})
    return found


def _import_row(session: Session, row: _SheetRow, result: RowResult, existing: dict[str, tuple[str, str]],
                first_row: dict[str, int], actor: str, at: datetime | None) -> None:
    ref = result.ref
    issues = row.issues
    if not ref:
        issues.append(("ref", None, Problem("ref", "required")))
    elif len(ref) > 100:
        issues.append(("ref", None, Problem("ref", "too_long", {"max": 100})))
    elif has_control_chars(ref):
        issues.append(("ref", None, Problem("ref", "text.control_chars")))
    elif ref.upper().startswith("CONTOH"):
        issues.append(("ref", None, Problem("ref", "import.example_row")))
    elif ref in first_row:
        issues.append(("ref", None, Problem("ref", "import.duplicate_ref", {"ref": ref, "row": first_row[ref]})))
    elif ref in existing:
        number, office = existing[ref]
        if office == row.values.get("office"):
            result.status, result.number = "existing", number
            first_row[ref] = row.number
            return
        issues.append(("ref", None, Problem("ref", "import.ref_other_office",
                                            {"ref": ref, "number": number, "office": office})))
    if ref:
        first_row.setdefault(ref, row.number)
    data = _intake(row)
    result.people = {"reported": len(data.reported), "witness": len(data.witnesses)}
    flagged = {column for column, _item, _problem in issues}
    if "ref" in flagged:
        data.external_ref = None  # a refused reference is never written, even in a transaction rolled back
    try:
        case = open_case(session, data, actor=actor, at=at)
    except ValidationError as exc:
        for problem in exc.problems:
            column, item = _column_of(problem)
            if column not in flagged:  # a column the sheet already faulted is not faulted twice
                issues.append((column, item, problem))
    else:
        result.number, result.status = case.number, "imported"
    if issues:
        result.status, result.issues = "invalid", issues
