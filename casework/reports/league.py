"""The PPK league table (issue 21 item 5): per employing agency and its PPK, across elections or for one, how the
oversight body's recommendations were followed up — on time, late, still owed and overdue, still open — with the
median days from recommendation to decree and BKN's personnel-data blocks asked for and made; and the PPKs that
have not followed up, for the letter that lists them.

One query, sql/reports/ppk_league.sql (one row per reported ASN, in the user's scope: the dashboard's own
casework.reports.dashboard.run puts visible_cases/visible_reported in front of it), summed here per agency: the
election filter and the median are done in Python, like the dashboard's median days (SQLite has no median).
Flask-free: the desk (admin/league.py), the CLI (`netra reports ppk-league`) and the export read what this returns.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from typing import IO, Any

from sqlalchemy.orm import Session

from casework.access.principal import Principal
from casework.spreadsheets.workbook import csv_value
from casework.errors import CaseworkError
from casework.i18n.catalog import N_, NP_, Text
from casework.models import utcnow
from casework.reports.dashboard import run
from casework.spreadsheets.columns import FORMATS, MIME_TYPES

__all__ = ["COLUMNS", "FORMATS", "MIME_TYPES", "League", "LeagueRow", "LatePpk", "export_league", "late_ppks",
           "late_of", "league_table"]


@dataclass(frozen=True)
class LeagueColumn:
    key: str
    label: Text  # the table's header (Indonesian msgid; English through the catalog)
    note: Text  # how it is counted, shown under the table and in the XLSX legend
    numeric: bool = True


COLUMNS: tuple[LeagueColumn, ...] = (
    LeagueColumn("agency", N_("Instansi"), N_("Instansi tempat ASN terlapor bekerja."), numeric=False),
    LeagueColumn("ppk", N_("PPK"), N_("Pejabat Pembina Kepegawaian instansi itu."), numeric=False),
    LeagueColumn("reported", N_("ASN terlapor"), N_("ASN terlapor instansi itu pada kasus yang dapat Anda lihat "
                                                    "(bukan kepala desa, TNI atau Polri).")),
    LeagueColumn("recommended", N_("Direkomendasikan"), N_("ASN yang direkomendasikan KASN/BKN untuk dijatuhi "
                                                           "sanksi oleh PPK.")),
    LeagueColumn("on_time", N_("Tepat waktu"), N_("Tindak lanjut PPK (SK sanksi) tercatat sebelum tenggat "
                                                  "Tindak lanjut PPK berakhir.")),
    # "Terlambat" alone is "Overdue" in the catalog; here it is a follow-up made late
    LeagueColumn("late", NP_("ppk league", "Terlambat"),
                 N_("Tenggatnya lewat sebelum PPK bertindak, dan kini tidak lagi menunggu PPK: SK tercatat "
                    "terlambat, atau jalurnya berakhir.")),
    LeagueColumn("overdue", N_("Belum, lewat tenggat"), N_("Belum ditindaklanjuti dan tenggatnya sudah lewat, "
                                                           "termasuk yang sudah dieskalasi.")),
    LeagueColumn("pending", N_("Belum, masih berjalan"), N_("Belum ditindaklanjuti; tenggatnya belum lewat.")),
    LeagueColumn("on_time_share", N_("% tepat waktu"), N_("Tepat waktu dibagi (tepat waktu + terlambat + belum, "
                                                          "lewat tenggat); kosong bila belum ada yang jatuh tempo.")),
    LeagueColumn("median_days", N_("Median hari sampai SK"), N_("Median hari kalender dari rekomendasi sampai "
                                                                "tanggal SK pertama, atas ASN yang sudah ber-SK.")),
    LeagueColumn("blocks_requested", N_("Permintaan blokir"), N_("ASN yang pemblokiran data kepegawaiannya "
                                                                 "dimintakan kepada BKN (tangga eskalasi).")),
    LeagueColumn("blocked", N_("Diblokir BKN"), N_("ASN yang data kepegawaiannya pernah diblokir BKN.")),
)
SORTS = tuple(c.key for c in COLUMNS)
FOLLOW_UPS = ("on_time", "late", "overdue", "pending")


@dataclass(frozen=True)
class LeagueRow:
    """One agency (and its PPK): counts of its reported ASN in the user's scope."""

    code: str
    name: str
    ppk_title: str
    reported: int = 0
    recommended: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    blocks_requested: int = 0
    blocked: int = 0
    decree_days: tuple[int, ...] = ()  # recommendation to first decree, per ASN with a decree
    oldest_overdue_due: date | None = None  # the earliest due day of a follow-up still owed

    @property
    def ppk(self) -> str:
        return self.ppk_title

    @property
    def agency(self) -> str:
        return self.name

    @property
    def due(self) -> int:
        """Follow-ups whose time has come: the on-time share is over these (as the dashboard's on_time_percent)."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_share(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None

    @property
    def median_days(self) -> float | None:
        return round(median(self.decree_days), 1) if self.decree_days else None

    def value(self, key: str) -> Any:
        return getattr(self, key)


@dataclass(frozen=True)
class League:
    rows: list[LeagueRow]
    elections: list[tuple[str, str]]  # (code, name) of every election with a row in the user's scope
    election_code: str | None
    sort: str
    descending: bool


@dataclass(frozen=True)
class LatePpk:
    """An agency whose PPK has a follow-up late or still owed past its due day (the lead's letter lists these)."""

    code: str
    name: str
    ppk_title: str
    overdue: int
    late: int
    oldest_overdue_due: date | None


def _day(value: Any) -> date | None:
    """A DATE column: a date on PostgreSQL, ISO text on SQLite (a text() query has no column type to convert)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass
class _Tally:
    name: str
    ppk_title: str
    counts: dict[str, int] = field(default_factory=dict)
    days: list[int] = field(default_factory=list)
    oldest: date | None = None

    def add(self, r: Mapping[str, Any]) -> None:
        for key, n in (("reported", 1), ("recommended", r["recommended"]), ("blocks_requested", r["block_requested"]),
                       ("blocked", r["blocked"])):
            self.counts[key] = self.counts.get(key, 0) + (n or 0)
        if r["follow_up"] in FOLLOW_UPS:
            self.counts[r["follow_up"]] = self.counts.get(r["follow_up"], 0) + 1
        if r["follow_up"] == "overdue" and (due := _day(r["due_date"])) and (self.oldest is None or due < self.oldest):
            self.oldest = due
        start, decree = _day(r["recommended_on"]), _day(r["decreed_on"])
        if r["recommended"] and start and decree:
            self.days.append((decree - start).days)


def _rows(session: Session, principal: Principal, now: datetime,
          election_code: str | None) -> tuple[list[LeagueRow], list[tuple[str, str]]]:
    tallies: dict[str, _Tally] = {}
    elections: dict[str, str] = {}
    for r in run(session, principal, "ppk_league", now=now):
        elections[r["election_code"]] = r["election"]
        if election_code is None or r["election_code"] == election_code:
            tallies.setdefault(r["agency_code"], _Tally(r["agency"], r["ppk_title"])).add(r)
    rows = [LeagueRow(code, t.name, t.ppk_title, **t.counts, decree_days=tuple(sorted(t.days)),
                      oldest_overdue_due=t.oldest) for code, t in tallies.items()]
    return rows, sorted(elections.items(), key=lambda e: (e[1], e[0]))


def sort_rows(rows: Iterable[LeagueRow], sort: str = "overdue", descending: bool = True) -> list[LeagueRow]:
    """By one column, either way; ties (and rows where the column is empty, which go last) by agency name, then
    code: the same order every time."""
    if sort not in SORTS:
        raise CaseworkError("league.unknown_sort", sort=sort, choices=", ".join(SORTS))
    ordered = sorted(rows, key=lambda r: (r.name.casefold(), r.code))

    def key(r: LeagueRow):
        v = r.value(sort)
        return v.casefold() if isinstance(v, str) else v

    present = [r for r in ordered if r.value(sort) is not None]
    present.sort(key=key, reverse=descending)  # Python's sort is stable, reversed too: ties keep the name order
    return present + [r for r in ordered if r.value(sort) is None]


def league_table(session: Session, principal: Principal, *, now: datetime | None = None,
                 election_code: str | None = None, sort: str = "overdue", descending: bool = True) -> League:
    """The league table over what `principal` may see (the dashboard's scope), for one election or all."""
    if sort not in SORTS:
        raise CaseworkError("league.unknown_sort", sort=sort, choices=", ".join(SORTS))
    rows, elections = _rows(session, principal, now or utcnow(), election_code)
    return League(sort_rows(rows, sort, descending), elections, election_code, sort, descending)


def late_ppks(session: Session, principal: Principal, *, now: datetime | None = None) -> list[LatePpk]:
    """The agencies with any follow-up late or still owed past due, across elections: most overdue first, then the
    longest waiting, then by name."""
    rows, _elections = _rows(session, principal, now or utcnow(), None)
    return late_of(rows)


def late_of(rows: Iterable[LeagueRow]) -> list[LatePpk]:
    """late_ppks from league rows already counted (across elections)."""
    late = [LatePpk(r.code, r.name, r.ppk_title, r.overdue, r.late, r.oldest_overdue_due)
            for r in rows if r.overdue or r.late]
    return sorted(late, key=lambda p: (-p.overdue, p.oldest_overdue_due or date.max, -p.late, p.name.casefold(),
                                       p.code))


# --- out, as the table is shown -----------------------------------------------------------------------------------
def table_values(row: LeagueRow) -> list[Any]:
    return [row.value(c.key) for c in COLUMNS]


def export_league(league: League, out: IO[bytes], fmt: str, *, lang: str = "id") -> int:
    """The table as shown (its rows in its order, its columns) as CSV (UTF-8 with BOM, like the case export) or
    XLSX with a legend sheet saying how each column is counted. Returns the number of rows."""
    if fmt not in FORMATS:
        raise CaseworkError("export.unknown_format", fmt=fmt, choices=", ".join(FORMATS))
    header = [c.label.pick(lang) for c in COLUMNS]
    rows = [table_values(r) for r in league.rows]
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        try:
            writer = csv.writer(text)
            writer.writerow(header)
            writer.writerows([csv_value(v) for v in row] for row in rows)  # names from the directory: no formula
        finally:
            text.detach()
        return len(rows)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Liga PPK"
    ws.append(header)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):  # an agency's name is never a formula (openpyxl stores "=..." as one)
                cell.data_type = "s"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for letter, width in zip("AB", (40, 34), strict=True):
        ws.column_dimensions[letter].width = width
    legend = wb.create_sheet("Keterangan")
    legend.append(["Kolom", "Column (English)", "Keterangan (note)"])
    for c in COLUMNS:
        legend.append([c.label.pick(lang), c.label.pick("en"), c.note.pick(lang)])
    if league.election_code:
        legend.append([])
        legend.append(["Pemilihan (election)", league.election_code])
    wb.save(out)
    return len(rows)
