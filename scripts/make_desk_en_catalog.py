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
    # sanctions and the reporter's status code (case page, intake)
    "Kode status untuk pelapor": "Status code for the reporter",
    "cek status tanpa login di": "check the status without logging in at", "Sanksi": "Sanctions",
    "Rekomendasi KASN/BKN": "KASN/BKN recommendation", "Sanksi dijatuhkan": "Sanction imposed",
    "Keputusan (SK)": "Decree (SK)", "Berlaku": "In effect", "Tidak terbukti": "Not proven",
    "Ditandatangani": "Signed by", "Unduh SK (PDF)": "Download the decree (PDF)",
    "Kode status untuk pelapor: %(code)s — berikan kepada pelapor; tercantum juga pada tanda terima.":
        "Status code for the reporter: %(code)s — give it to the reporter; it is also printed on the receipt.",
    "Unduh": "Download", "Unduh daftar ini sesuai pencarian dan filter": "Download this list as searched and filtered",
    # the dashboard (admin/dashboard.py, netra/dashboard.html)
    "Dasbor": "Dashboard", "Masih berjalan": "Open", "Belum ada data.": "No data yet.", "terlambat": "overdue",
    "kasus": "cases", "Angka atas kasus yang dapat Anda lihat. Terlambat: ada tenggat terbuka yang sudah lewat.":
        "Numbers over the cases you may see. Overdue: an open deadline has passed.",
    "Kasus per tahap": "Cases by stage", "Kasus per pemilihan": "Cases by election",
    "Kasus per jenis pelanggaran": "Cases by violation type", "ASN terlapor per instansi": "Reported ASN by agency",
    "%(n)s ASN · %(w)s menunggu PPK · %(s)s disanksi": "%(n)s ASN · %(w)s awaiting the PPK · %(s)s sanctioned",
    "Tenggat terlambat per tahap": "Overdue deadlines by stage",
    "Tenggat terlambat per lembaga": "Overdue deadlines by institution",
    "Tidak ada tenggat yang terlambat.": "No deadline is overdue.",
    "Siapa yang berutang langkah: Bawaslu, KASN/BKN, atau PPK.": "Who owes the step: Bawaslu, KASN/BKN or the PPK.",
    "Median lama per tahap (hari)": "Median time per stage (days)",
    "%(d)s hari (%(n)s kali)": "%(d)s days (%(n)s stays)",
    "Dari riwayat tahap; hanya tahap yang sudah ditinggalkan.": "From the stage history; finished stays only.",
    "Kepatuhan tenggat rekomendasi": "Recommendation deadlines kept",
    "Rekomendasi KASN/BKN kepada PPK dan tindak lanjut PPK: selesai tepat waktu, lewat tenggat, atau masih terbuka.":
        "KASN/BKN recommendations to the PPK and the PPK's follow-up: done on time, late, or still open.",
    "Tindak lanjut PPK per instansi": "PPK follow-up by agency",
    "Tindak lanjut PPK tepat waktu": "PPK follow-up on time",
    "tepat waktu": "on time", "lewat tenggat": "late", "terbuka, terlambat": "open, overdue",
    "terbuka, belum jatuh tempo": "open, not yet due", "belum jatuh tempo": "not yet due",
    "%(p)s%% tepat waktu (%(met)s dari %(n)s)": "%(p)s%% on time (%(met)s of %(n)s)",
    "Sebaran wilayah": "Regions", "Provinsi / kabupaten/kota": "Province / regency/city",
    "Makin pekat warnanya, makin banyak kasus berjalan atau terlambat.":
        "The deeper the colour, the more open or overdue cases.",
    # accounts: the sign-in link, activation (admin/auth.py)
    "Kata sandi tersimpan. Silakan masuk dengan kata sandi baru Anda.":
        "Password saved. Please log in with your new password.",
    "Aktivasi akun": "Account activation", "Buat kata sandi Anda": "Set your password", "Akun": "Account",
    "Hanya Anda yang mengetahui kata sandi ini; administrator sistem tidak dapat melihat atau mengaturnya. Minimal 10 "
    "karakter.": "Only you know this password; the system administrator can neither see nor set it. At least 10 "
                 "characters.",
    "Ulangi kata sandi baru": "Repeat the new password", "Simpan kata sandi": "Save the password",
    "Tautan tidak berlaku": "Link not valid",
    "Tautan ini tidak berlaku lagi: sudah dipakai, kedaluwarsa, dimatikan setelah percobaan yang salah, atau tidak "
    "dikenal.": "This link is no longer valid: already used, expired, stopped after wrong attempts, or unknown.",
    "Minta tautan masuk baru": "Ask for a new sign-in link", "Halaman masuk": "Log-in page",
    "Tautan masuk": "Sign-in link", "Tautan masuk lewat email": "Sign-in link by email",
    "Akun yang dikunci sementara setelah terlalu banyak percobaan gagal tetap dapat dibuka pemiliknya: kami kirim "
    "tautan masuk ke alamat email akun itu. Tautan berlaku 30 menit, hanya sekali pakai, dan tetap meminta kata "
    "sandi Anda.": "An account locked for a while after too many failed attempts can still be opened by its owner: "
                   "we email a sign-in link to the account's address. The link is valid for 30 minutes, single use, "
                   "and still asks for your password.",
    "Kirim tautan masuk": "Send a sign-in link",
    "Lupa kata sandi? Tautan masuk tidak menggantinya: minta administrator sistem mengirim tautan aktivasi baru "
    "untuk membuat kata sandi baru.": "Forgot your password? A sign-in link does not replace it: ask the system "
                                     "administrator to send a new activation link to set a new password.",
    "Kembali ke halaman masuk": "Back to the log-in page",
    "Bila akun itu ada, aktif dan memiliki alamat email, tautan masuk telah dikirim ke alamat tersebut. Tautan "
    "berlaku 30 menit dan hanya sekali pakai; satu tautan per akun setiap 5 menit.":
        "If that account exists, is active and has an email address, a sign-in link has been sent there. The link "
        "is valid for 30 minutes and single use; one link per account every 5 minutes.",
    "Email biasanya tiba dalam beberapa menit. Tidak menerimanya? Periksa folder spam, atau hubungi administrator "
    "sistem.": "The email usually arrives within a few minutes. Nothing? Look in the spam folder, or contact the "
               "system administrator.",
    "Masuk dengan tautan": "Sign in with the link", "Masuk sebagai": "Signing in as",
    "Tautan ini berlaku walaupun akun sedang dikunci sementara; kata sandi yang salah di sini hanya menghabiskan "
    "tautan ini.": "This link works even while the account is temporarily locked; a wrong password here only uses "
                   "up this link.",
    "Akun terkunci atau lupa kata sandi?": "Locked out or forgot your password?",
    # accounts: the user form (admin/accounts.py)
    "Kirim tautan aktivasi baru": "Send a new activation link", "Bahasa": "Language",
    "Hanya untuk akun tanpa peran yang melihat kasus (administrator sistem). Akun yang melihat kasus menerima "
    "tautan aktivasi lewat email dan pemiliknya sendiri yang membuat kata sandi.":
        "Only for accounts without a role that sees cases (system administrators). An account that sees cases gets "
        "an activation link by email and its owner sets the password.",
    "Pemiliknya membuat kata sandi baru lewat tautan yang dikirim ke emailnya (misalnya bila lupa kata sandi). Kata "
    "sandi lama tetap berlaku sampai tautan dipakai.":
        "Its owner sets a new password with a link sent to their email (after a forgotten password, say). The old "
        "password works until the link is used.",
    "Kata sandi tidak disimpan: akun yang melihat kasus membuat kata sandinya sendiri lewat tautan aktivasi.":
        "Password not saved: an account that sees cases sets its own password with the activation link.",
    "Tautan aktivasi dikirim ke %(email)s (berlaku 72 jam).": "Activation link sent to %(email)s (valid 72 hours).",
    "Pemberitahuan dikirim ke %(to)s.": "Notice sent to %(to)s.",
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
