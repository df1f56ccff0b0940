"""Reading a status export from BKN's systems (SBT, I'DIS; docs/exchange.md): a CSV or XLSX sheet, or a ZIP that
holds one sheet and the decree PDFs its rows name. Headers in Indonesian or English, matched without regard to case
or spacing; each row is one status of one person, found by NIP (or NIK) and Bawaslu's register number. Nothing
touches the database here; casework.exchange.status_import applies the rows."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any


from casework.errors import CaseworkError, Problem
from casework.spreadsheets.reader import cell_day, cell_text, check_archive, csv_rows, norm_header, xlsx_rows

# key -> the headers it is known by (normalised: casefolded, spaces collapsed); the first is the documented one
COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nik", "nip/nik", "nomor induk pegawai"),
    "register_number": ("nomor register", "no register", "no. register", "register number", "nomor registrasi"),
    "status": ("status", "tahap", "status akhir"),
    "date": ("tanggal", "tanggal status", "date"),
    "sanction": ("sanksi", "rekomendasi sanksi", "jenis sanksi", "sanction"),
    "second_sanction": ("sanksi kedua", "second sanction"),
    "reason": ("alasan", "keterangan", "reason"),
    "sanction_level": ("tingkat hukuman", "tingkat sanksi", "sanction level"),
    "decree_number": ("nomor sk", "no sk", "decree number"),
    "decree_date": ("tanggal sk", "decree date"),
    "decree_signer_name": ("penandatangan sk", "decree signer"),
    "decree_signer_title": ("jabatan penandatangan", "signer title"),
    "effective_from": ("tmt", "berlaku mulai", "effective from"),
    "effective_until": ("berlaku sampai", "effective until"),
    "decree_file": ("berkas sk", "file sk", "decree file"),
    "reference": ("referensi", "nomor surat bkn", "reference"),
    "name": ("nama", "name"),  # read to make the listing readable; matching is by NIP and register number only
}
REQUIRED = ("nip", "register_number", "status")
DATES = frozenset({"date", "decree_date", "effective_from", "effective_until"})
SHEETS = (".csv", ".xlsx")
MAX_ROWS = 5000  # one export, not a database dump (Netra's policy: a larger file is split)


@dataclass
class StatusRow:
    number: int  # the sheet's row number (the header is row 1)
    values: dict[str, Any]

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return value if isinstance(value, str) else "" if value is None else value.isoformat()


@dataclass
class StatusSheet:
    name: str
    rows: list[StatusRow] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # a ZIP's other members, by their name (no folder)
    ignored_headers: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # what is wrong with the file itself


def _index() -> dict[str, str]:
    return {header: key for key, headers in COLUMNS.items() for header in headers}


def read_statuses(data: bytes, name: str) -> StatusSheet:
    """The sheet inside `data` (named `name`: .csv, .xlsx or .zip). A file that cannot be read at all is a
    CaseworkError; problems of its shape (a missing column, no rows) are listed on the sheet."""
    suffix = PurePath(name).suffix.lower()
    files: dict[str, bytes] = {}
    if suffix == ".zip":
        name, data, files = _unzip(data, name)
        suffix = PurePath(name).suffix.lower()
    if suffix == ".csv":
        header, rows = csv_rows(data, name)
    elif suffix == ".xlsx":
        header, rows = xlsx_rows(data, name)
    else:
        raise CaseworkError("exchange.unknown_format", name=name)
    sheet = StatusSheet(name, files=files)
    known, seen = _index(), {}
    for i, text in enumerate(header):
        label = cell_text(text)
        if not label:
            continue
        key = known.get(norm_header(label))
        if key is None:
            sheet.ignored_headers.append(label)
        elif key in seen:
            sheet.problems.append(Problem("", "import.duplicate_column", {"header": label}))
        else:
            seen[key] = i
    for key in REQUIRED:
        if key not in seen:
            sheet.problems.append(Problem("", "import.missing_column", {"header": COLUMNS[key][0]}))
    for number, raw in enumerate(rows, 2):
        if not any(cell_text(v) for v in raw):
            continue
        values = {key: raw[i] if i < len(raw) else None for key, i in seen.items()}
        sheet.rows.append(StatusRow(number, {key: _clean(key, value) for key, value in values.items()}))
    if len(sheet.rows) > MAX_ROWS:
        sheet.problems.append(Problem("", "exchange.too_many_rows", {"count": len(sheet.rows), "max": MAX_ROWS}))
    if not sheet.rows and not sheet.problems:
        sheet.problems.append(Problem("", "import.no_rows", {"sheet": name}))
    return sheet


def _clean(key: str, value: Any) -> Any:
    if key in DATES:
        day = cell_day(value)
        return day if isinstance(day, date) or day else None
    if key == "nip" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.0f}"  # checked as a NIP: Excel's 15 significant digits make it wrong, and it will not match
    return cell_text(value)


def _unzip(data: bytes, name: str) -> tuple[str, bytes, dict[str, bytes]]:
    """The one sheet of a ZIP and its other files; sizes checked from the archive's directory before unpacking."""
    buffer = io.BytesIO(data)
    check_archive(buffer, name)
    with zipfile.ZipFile(buffer) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        sheets = [m for m in members if PurePath(m.filename).suffix.lower() in SHEETS]
        if len(sheets) != 1:
            raise CaseworkError("exchange.zip_one_sheet", name=name, count=len(sheets))
        files = {PurePath(m.filename).name: archive.read(m) for m in members if m is not sheets[0]}
        return PurePath(sheets[0].filename).name, archive.read(sheets[0]), files
