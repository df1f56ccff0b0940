"""Importing a region's figures (casework.prevention.figures) from a CSV or XLSX sheet, with a dry run, and the
sheet's template.

Headers are Indonesian or English (matched without regard to case, spacing or "_"). Every row is checked — its
values, its region against the importing user's area, and its key against the file's other rows — and the report
says per row and column what is wrong, or whether the row would be inserted, would update a recorded figure or
changes nothing. All or nothing: the file is written in one transaction only when no row has a problem and it is
not a dry run; a dry run writes nothing and says exactly what the import would do (the same plan is applied)."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.access.policy import Action, authorize
from casework.access.principal import Principal
from casework.adapters.db import transaction
from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.messages import field_label, message
from casework.models.prevention import IKP_BANDS, IKP_THEMES
from casework.prevention.figures import CountInput, Plan, ScoreInput, apply, plan_count, plan_score
from casework.spreadsheets.reader import SheetReport, cell_text, csv_rows, norm_header, xlsx_rows


@dataclass(frozen=True)
class Column:
    key: str  # the command's field
    headers: tuple[str, ...]  # the first is the template's (Indonesian), then English and other spellings
    note: str  # the template's legend (Indonesian)
    required: bool = False


REGION = Column("region_code", ("kode_wilayah", "region_code", "kode wilayah kemendagri", "kode"),
                "kode Kemendagri tanpa titik: 2 digit provinsi (64) atau 4 digit kabupaten/kota (6402)", True)
YEAR = Column("year", ("tahun", "year"), "tahun angka, mis. 2024", True)
SOURCE = Column("source", ("sumber", "source"), "asal angka, mis. Bawaslu RI, IKP Pemilihan Serentak 2024", True)
KINDS: dict[str, tuple[Column, ...]] = {
    "ikp": (REGION, YEAR,
            Column("election", ("pemilihan", "election", "kode_pemilihan", "election_code"),
                   "kode pemilihan di Netra, mis. pilkada-2024-6402 (boleh kosong: hanya tahun)"),
            Column("theme", ("tema", "theme"), f"{' / '.join(IKP_THEMES)} (kosong: overall)"),
            Column("dimension", ("dimensi", "dimension"), "nama dimensi; kosong untuk indeksnya sendiri"),
            Column("score", ("skor", "score", "nilai"), "0–100, koma atau titik desimal", True),
            Column("band", ("kategori", "band", "category"),
                   f"{' / '.join(IKP_BANDS)} (rendah/sedang/tinggi) sesuai sumber; kosong: dihitung dari rentang IKP"),
            SOURCE,
            Column("source_url", ("url_sumber", "source_url", "url"), "alamat web sumber (boleh kosong)")),
    "asn": (REGION, YEAR,
            Column("count", ("jumlah_asn", "asn_count", "jumlah", "count"), "bilangan bulat ≥ 0", True),
            SOURCE),
}
SHEETS = {"ikp": "IKP", "asn": "Jumlah ASN"}
NAME_HEADERS = ("nama_wilayah", "wilayah", "region", "region_name")  # read for the listing only
MAX_ROWS = 5000  # Netra's policy, as for a status export: a larger file is split


@dataclass
class RowOutcome:
    row: int  # the sheet's row number (the header is row 1)
    label: str  # what the row is about, for the listing: "6402 · 2024 · pilkada-2024-6402"
    result: str = "invalid"  # insert / update / unchanged / invalid
    problems: list[Problem] = field(default_factory=list)  # Problem.field: the column's key
    plan: Plan | None = None

    def as_dict(self, report: FigureImport, lang: str) -> dict[str, Any]:
        return {"row": self.row, "label": self.label, "result": self.result,
                "problems": [{"column": p.field, "where": report.where(self.row, p.field, lang),
                              "code": p.code, "message": message(p.code, lang, **p.params)} for p in self.problems]}


@dataclass
class FigureImport(SheetReport):
    RESULTS = ("insert", "update", "unchanged", "invalid")
    SUMMARY = "figures"

    kind: str
    file: str
    sha256: str
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the file's own
    ignored_headers: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # key -> 0-based column index
    done: bool = False  # committed

    @property
    def changes(self) -> int:
        return self.count("insert") + self.count("update")

    def where(self, row: int, key: str, lang: str) -> str:
        index = self.columns.get(key)
        if index is None:
            return message("import.row", lang, row=row)
        return message("import.where", lang, row=row, column=get_column_letter(index + 1),
                       header=field_label(key, lang))

    def row_problems(self, r: RowOutcome, lang: str) -> list[str]:
        """Each of a row's problems where it is: "Baris 3, kolom F (Skor): skor 120 di luar rentang 0–100." """
        return [f"{self.where(r.row, p.field, lang)}: {message(p.code, lang, **p.params)}" for p in r.problems]

    def lines(self, lang: str) -> list[str]:
        out = [message(p.code, lang, **p.params) for p in self.problems]
        if self.ignored_headers:
            out.append(message("import.unknown_columns", lang, headers=", ".join(self.ignored_headers)))
        for r in self.rows:
            if r.problems:
                out += self.row_problems(r, lang)
            else:
                out.append(f"{message('import.row', lang, row=r.row)} ({r.label}): "
                           f"{message('figures.row_' + r.result, lang)}")
        return out

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {"kind": self.kind, "file": self.file, "sha256": self.sha256, "dry_run": self.dry_run,
                "written": self.done and not self.dry_run, "ok": self.ok, "summary": self.summary(lang),
                "counts": {r: self.count(r) for r in ("insert", "update", "unchanged", "invalid")},
                "problems": [{"code": p.code, "message": message(p.code, lang, **p.params)} for p in self.problems],
                "ignored_headers": self.ignored_headers, "rows": [r.as_dict(self, lang) for r in self.rows]}


class _Abort(Exception):
    """Leaves the transaction without committing."""


def read_sheet(kind: str, data: bytes, name: str) -> tuple[FigureImport, list[tuple[int, dict[str, Any]]]]:
    """The file's rows as {column key: cell} with the sheet's row numbers; problems of the file itself (a missing
    column, no rows) on the report. A file that is no CSV or XLSX at all: CaseworkError."""
    report = FigureImport(kind, PurePath(name).name, hashlib.sha256(data).hexdigest(), dry_run=True)
    suffix = PurePath(name).suffix.lower()
    if suffix == ".csv":
        header, rows = csv_rows(data, report.file)
    elif suffix == ".xlsx":
        header, rows = xlsx_rows(data, report.file)
    else:
        raise CaseworkError("figures.unknown_format", name=report.file)
    columns = KINDS[kind]
    known = {norm_header(h.replace("_", " ")): c.key for c in columns for h in c.headers}
    known |= {norm_header(h.replace("_", " ")): "region_name" for h in NAME_HEADERS}
    for i, text in enumerate(header):
        label = cell_text(text)
        key = known.get(norm_header(label.replace("_", " "))) if label else None
        if label and key is None:
            report.ignored_headers.append(label)
        elif key in report.columns:
            report.problems.append(Problem("", "import.duplicate_column", {"header": label}))
        elif key:
            report.columns[key] = i
    for column in columns:
        if column.required and column.key not in report.columns:
            report.problems.append(Problem("", "import.missing_column", {"header": column.headers[0]}))
    out = []
    for number, raw in enumerate(rows, 2):
        if any(cell_text(v) for v in raw):
            out.append((number, {key: raw[i] if i < len(raw) else None for key, i in report.columns.items()}))
    if len(out) > MAX_ROWS:
        report.problems.append(Problem("", "exchange.too_many_rows", {"count": len(out), "max": MAX_ROWS}))
    if not out and not report.problems:
        report.problems.append(Problem("", "import.no_rows", {"sheet": report.file}))
    return report, out


def import_figures(factory: sessionmaker[Session], kind: str, data: bytes, name: str, *, principal: Principal,
                   dry_run: bool = False, at: datetime | None = None) -> FigureImport:
    """Read, check and (unless a dry run, and only when every row is right) write the file as `principal`."""
    if kind not in KINDS:
        raise ValueError(kind)
    authorize(principal, Action.RECORD_FIGURES)  # no region yet: whether they record figures at all
    report, rows = read_sheet(kind, data, name)
    report.dry_run = dry_run
    if report.problems:
        return report
    try:
        with transaction(factory) as session:
            seen: dict[tuple, int] = {}
            for number, values in rows:
                outcome = _plan(session, principal, kind, number, values)
                report.rows.append(outcome)
                if outcome.plan is None:
                    continue
                if (first := seen.setdefault(outcome.plan.key, number)) != number:
                    outcome.problems.append(Problem("region_code", "figures.duplicate_key", {"row": first}))
                    outcome.result = "invalid"
            if not report.ok or dry_run or not report.changes:
                raise _Abort
            audit.lock_chain(session)
            for outcome in report.rows:
                apply(session, principal, outcome.plan, at=at)
    except _Abort:
        report.done = report.ok and not dry_run  # an import with nothing to change is done too
        return report
    report.done = True
    return report


def _plan(session: Session, principal: Principal, kind: str, number: int, values: dict[str, Any]) -> RowOutcome:
    cells = {key: (cell_text(v) if not isinstance(v, int | float) or isinstance(v, bool) else v)
             for key, v in values.items()}
    cells.pop("region_name", None)
    text = {key: cell_text(v) for key, v in cells.items()}
    label = " · ".join(x for x in (text.get("region_code"), text.get("year"), text.get("election"),
                                   text.get("dimension")) if x)
    outcome = RowOutcome(number, label)
    try:
        if kind == "ikp":
            outcome.plan = plan_score(session, principal, ScoreInput(**{
                k: cells.get(k, "") for k in ("region_code", "year", "score", "source", "election", "theme",
                                              "dimension", "band", "source_url")}))
        else:
            outcome.plan = plan_count(session, principal, CountInput(**{
                k: cells.get(k, "") for k in ("region_code", "year", "count", "source")}))
    except ValidationError as exc:
        outcome.problems = list(exc.problems)
    except CaseworkError as exc:  # outside the user's area
        outcome.problems = [Problem("region_code", exc.code, exc.params)]
    else:
        outcome.result = outcome.plan.result
    return outcome


def template(kind: str) -> bytes:
    """The kind's empty sheet (Indonesian headers, pick lists for the closed choices) and its legend."""
    columns = KINDS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS[kind]
    ws.append([c.headers[0] for c in columns])
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, 1):
        ws.cell(1, i).font = Font(bold=True)
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = 40 if column.key in ("source", "source_url") else 18
        if column.key in ("region_code", "election", "dimension", "source", "source_url"):
            ws.column_dimensions[letter].number_format = "@"  # "64" stays text, no leading zero lost
        choices = {"theme": IKP_THEMES, "band": IKP_BANDS}.get(column.key)
        if choices:
            validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{MAX_ROWS}")
            ws.add_data_validation(validation)
    legend = wb.create_sheet("Keterangan")
    legend.append(["Kolom", "Column", "Wajib", "Isi"])
    for column in columns:
        legend.append([column.headers[0], column.headers[1], "ya" if column.required else "", column.note])
    legend.append([])
    legend.append(["Satu baris satu angka. Impor ulang berkas yang sama tidak mengubah apa pun; angka yang berubah "
                   "diperbarui dan tercatat di jejak audit. Uji coba dahulu: bila satu baris bermasalah, tidak ada "
                   "yang disimpan."])
    for letter, width in zip("ABCD", (18, 18, 8, 80), strict=True):
        legend.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
