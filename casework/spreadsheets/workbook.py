"""Writing rows to an XLSX workbook (with the legend sheet) or a CSV file, and the import template."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from casework.spreadsheets.columns import DATE_FORMAT, EXAMPLE, IMPORT_COLUMNS, LEGEND_SHEET, SHEET, WITHHELD, Column
from casework.rules import load

WIDTHS = {"text": 22, "date": 13, "list": 28}
WIDE = {"summary": 40, "chronology": 60, "place": 30, "office_name": 34, "violation_names": 40}


def write_xlsx(out: IO[bytes], columns: list[Column], rows: Iterable[list[Any]], *, example: bool = False) -> None:
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
        for key, choices in (("source", "laporan,temuan"), ("asn_kind", "PNS,PPPK"),
                             ("person_kind", ",".join(load("person_kinds")["kinds"]))):
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


def write_csv(out: IO[bytes], columns: list[Column], rows: Iterable[list[Any]]) -> None:
    """UTF-8 with a BOM (Excel then reads the accents right), comma-separated, dates as YYYY-MM-DD."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow([c.header for c in columns])
        for row in rows:
            writer.writerow([csv_value(v) for v in row])
    finally:
        text.detach()  # leave `out` open for the caller


def csv_value(value: Any) -> str:
    """A cell as CSV text: a date in ISO form, and text a spreadsheet would run as a formula quoted."""
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
    write_xlsx(out, list(IMPORT_COLUMNS), [[EXAMPLE.get(c.key, "") for c in IMPORT_COLUMNS]], example=True)


