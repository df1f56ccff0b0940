"""The case register's layout (docs/import-template.md): one row per case, as in Bawaslu's register of
reports and findings. Several reported ASN share a cell, separated by "; ", in the same order in every
"... terlapor" column (the n-th NIP belongs to the n-th name); witnesses likewise. Headers are Indonesian (one
header row, so the sheet filters and sorts as is); the English names are in the "Keterangan" sheet of every XLSX,
in COLUMNS and in the docs. An exported file can be imported again: import reads the columns it needs and
ignores the export-only ones."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
    _c("nip", "NIP terlapor", "Reported NIP", "NIP 18 digit (NIK 16 digit, NRP): sel berformat Teks; beberapa terlapor "
       "dipisah ';'",
       group="reported", kind="list", required=True),
    _c("asn_name", "Nama terlapor", "Reported name", "urutan sama dengan NIP", group="reported", kind="list",
       required=True),
    _c("position", "Jabatan terlapor", "Reported position", group="reported", kind="list", required=True),
    _c("rank", "Pangkat/golongan terlapor", "Reported rank", "mis. Penata Muda (III/a)", group="reported",
       kind="list"),
    _c("asn_kind", "Jenis ASN terlapor", "Reported ASN kind", "PNS / PPPK (kosong: PNS)", group="reported",
       kind="list"),
    _c("person_kind", "Jenis terlapor", "Reported person kind",
       "asn / village_head / village_official / tni / polri / other (kosong: asn)", group="reported", kind="list"),
    _c("village", "Desa terlapor", "Reported village", "untuk kepala atau perangkat desa", group="reported",
       kind="list"),
    _c("agency", "Kode instansi terlapor", "Reported agency code", "mis. pemkab-6402", group="reported",
       kind="list", required=True),
    _c("agency_name", "Instansi terlapor", "Reported agency", group="reported", kind="list", imported=False),
    _c("work_unit", "Unit kerja terlapor", "Reported work unit", group="reported", kind="list"),
    _c("track_stage", "Tahap terlapor", "Reported track stage", group="reported", kind="list", imported=False),
    _c("sanction", "Sanksi terlapor", "Reported sanction", group="reported", kind="list", imported=False),
    _c("blocked", "Diblokir BKN sejak", "Blocked by BKN since", "'-': tidak sedang diblokir", group="reported",
       kind="list", imported=False),
    _c("handover", "Peralihan berkas KASN", "KASN file handover", "bkn / menpanrb (SE Menpan-RB 4/2024); '-': tidak ada",
       group="reported", kind="list", imported=False),
    _c("appeal", "Upaya administratif", "Objection or appeal", "keberatan/banding atas SK terakhir dan putusannya",
       group="reported", kind="list", imported=False),
    _c("criminal_stage", "Tahap pidana", "Criminal stage", "'-': tidak ada dugaan tindak pidana (atau tidak terlihat)",
       group="reported", kind="list", imported=False),
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
    "rank": "Penata Muda (III/a)", "asn_kind": "PNS", "person_kind": "asn", "village": "", "agency": "pemkab-6402",
    "work_unit": "SD Negeri 001 Tenggarong", "witness_name": "Andi Contoh (fiktif)", "witness_address": "Tenggarong",
    "witness_phone": "",
}


