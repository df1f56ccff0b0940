"""Writes admin/translations/en/LC_MESSAGES/messages.po: the desk's texts (written in Bahasa Indonesia) in English.

Extract first: .venv/bin/pybabel extract -F admin/babel.cfg -k _l -o admin/translations/messages.pot admin
Then:         .venv/bin/python scripts/make_desk_en_catalog.py   (tests/test_desk_i18n.py checks completeness)
"""
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

EN = {
    "Tersimpan: %(step)s": "Saved: %(step)s", "Keluar": "Log out", "Kasus": "Case", "Nomor register": "Register number",
    "Ringkasan": "Summary", "Pokok perkara": "Summary", "Pemilihan": "Election", "Kantor": "Office",
    "Wilayah": "Region", "Kejadian / diketahui / diterima": "Occurred / known / received",
    "Jenis pelanggaran": "Violation types", "Pelapor": "Reporter", "Temuan": "Finding", "dirahasiakan": "withheld",
    "Kronologi": "Chronology", "ASN terlapor": "Reported civil servants", "Nama": "Name", "Jabatan": "Position",
    "Instansi": "Agency", "Tahap": "Stage", "Tenggat": "Deadline", "Aturan": "Rule", "Status": "Status",
    "Dasar": "Basis", "hari": "days", "Riwayat": "History", "Surat": "Letter",
    "Langkah yang dapat Anda ambil": "Steps you can take",
    "Tidak ada langkah untuk peran Anda pada tahap ini.": "No step for your role at this stage.",
    "Masuk": "Log in", "Penanganan pelanggaran netralitas ASN": "Civil-service neutrality case management",
    "Nama pengguna": "Username", "Kata sandi": "Password", "Tugas saya": "My work",
    "Kasus yang menunggu langkah Anda, tenggat terdekat lebih dahulu.":
        "Cases waiting for your step, nearest deadline first.",
    "Tidak ada kasus yang menunggu Anda.": "No case is waiting for you.", "Nomor": "Number", "Langkah": "Steps",
    "Sisa hari": "Days left", "%(n)s hari terlambat": "%(n)s days overdue", "%(n)s hari": "%(n)s days",
    "Kabupaten/kota": "Regency/city", "Diterima": "Received", "Sumber": "Source", "Nama terlapor": "Reported name",
    "Terlambat": "Overdue", "Ya": "Yes", "Tidak": "No", "Daftar kasus": "Cases",
    "Bukti tersimpan.": "Evidence saved.", "Surat diterbitkan: %(number)s": "Letter issued: %(number)s",
    "Bukti": "Evidence", "Belum ada bukti.": "No evidence yet.", "Keterangan": "Description",
    "Unggah bukti": "Upload evidence", "PDF, PNG, JPG atau MP4; maksimal 20 MB.": "PDF, PNG, JPG or MP4; at most 20 MB.",
    "Belum ada surat terbit.": "No letter issued yet.", "Pratinjau (draf)": "Preview (draft)",
    "Terbitkan surat": "Issue letter",
    "Kasus baru tercatat: %(number)s": "New case recorded: %(number)s", "Kasus baru": "New case",
    "Data tidak valid; tidak ada yang disimpan.": "Invalid data; nothing was saved.",
    "Laporan (dari pelapor)": "Report (from a reporter)", "Temuan (dari pengawas)": "Finding (by a supervisor)",
    "Kecamatan": "District", "Tempat kejadian": "Place", "Tanggal kejadian": "Date occurred",
    "Tanggal diketahui": "Date known", "Tanggal diterima": "Date received", "Pelapor (laporan)": "Reporter (report)",
    "Telepon": "Phone", "Alamat": "Address", "Penemu (temuan)": "Found by (finding)",
    "Pangkat/golongan": "Rank", "Saksi": "Witness", "Syarat formal dan materiel": "Formal and material requirements",
    "Catat kasus": "Record the case",
    "Verifikasi dua langkah aktif.": "Two-step verification is on.", "Kode autentikator": "Authenticator code",
    "Verifikasi dua langkah": "Two-step verification",
    "Kode 6 angka dari aplikasi autentikator": "6-digit code from your authenticator app",
    "Verifikasi dua langkah sudah aktif untuk akun ini. Memindai kode baru akan menggantinya.":
        "Two-step verification is already on for this account. Scanning a new code replaces it.",
    "Pindai kode QR ini dengan aplikasi autentikator (mis. Google Authenticator, FreeOTP), lalu masukkan kode 6 "
    "angka yang muncul.": "Scan this QR code with an authenticator app (e.g. Google Authenticator, FreeOTP), then "
    "enter the 6-digit code it shows.",
    "Atau ketik kunci ini:": "Or type this key:", "Aktifkan": "Turn on",
    "Peran": "Roles", "Badan pengawas": "Oversight body", "Aktif": "Active", "Gagal masuk": "Failed logins",
    "Kata sandi baru": "New password", "Kode": "Code", "Jenis": "Kind", "Kota": "City",
    "Kode unit surat": "Letter unit code", "Nama ketua": "Head's name", "Pengguna": "Users",
    "Administrasi": "Administration",
    "Unduh": "Download", "Unduh daftar ini sesuai pencarian dan filter": "Download this list as searched and filtered",
}

ROOT = Path(__file__).resolve().parent.parent / "admin" / "translations"


def main() -> None:
    with open(ROOT / "messages.pot", "rb") as fh:
        template = read_po(fh)
    catalog = Catalog(locale="en", domain="messages", project="Netra desk")
    for message in template:
        if message.id:
            catalog.add(message.id, EN[message.id], locations=message.locations)
    target = ROOT / "en" / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        write_po(fh, catalog, sort_output=True, omit_header=False)


if __name__ == "__main__":
    main()
