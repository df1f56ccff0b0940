"""Writes admin/translations/id/LC_MESSAGES/admin.po: Flask-Admin's own strings in Bahasa Indonesia.

Flask-Admin 2.2.1 ships no Indonesian catalog. The msgids are taken from its German catalog (which matches its
source exactly, 116 messages); tests/test_desk_i18n.py checks that every msgid is translated.
Run: .venv/bin/python scripts/make_admin_id_catalog.py
"""
from pathlib import Path

import flask_admin
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ID = {
    "Home": "Beranda", "Cli: Invalid command.": "Cli: perintah tidak valid.", "File to upload": "Berkas yang diunggah",
    "File required.": "Berkas wajib diisi.", "Invalid file type.": "Jenis berkas tidak valid.", "Content": "Isi",
    "Invalid name": "Nama tidak valid", "Name": "Nama", 'File "%(name)s" already exists.': 'Berkas "%(name)s" sudah ada.',
    "Permission denied.": "Akses ditolak.", "File uploading is disabled.": "Pengunggahan berkas dinonaktifkan.",
    "Successfully saved file: %(name)s": "Berkas berhasil disimpan: %(name)s",
    "Failed to save file: %(error)s": "Gagal menyimpan berkas: %(error)s", "Upload File": "Unggah berkas",
    "Directory creation is disabled.": "Pembuatan direktori dinonaktifkan.",
    "Successfully created directory: %(directory)s": "Direktori berhasil dibuat: %(directory)s",
    "Failed to create directory: %(error)s": "Gagal membuat direktori: %(error)s",
    "Create Directory": "Buat direktori", "Deletion is disabled.": "Penghapusan dinonaktifkan.",
    "Directory deletion is disabled.": "Penghapusan direktori dinonaktifkan.",
    'Directory "%(path)s" was successfully deleted.': 'Direktori "%(path)s" berhasil dihapus.',
    "Failed to delete directory: %(error)s": "Gagal menghapus direktori: %(error)s",
    'File "%(name)s" was successfully deleted.': 'Berkas "%(name)s" berhasil dihapus.',
    "Failed to delete file: %(name)s": "Gagal menghapus berkas: %(name)s",
    "Renaming is disabled.": "Penggantian nama dinonaktifkan.", "Path does not exist.": "Jalur tidak ada.",
    'Successfully renamed "%(src)s" to "%(dst)s"': 'Berhasil mengganti nama "%(src)s" menjadi "%(dst)s"',
    "Failed to rename: %(error)s": "Gagal mengganti nama: %(error)s", "Rename %(name)s": "Ganti nama %(name)s",
    "Error saving changes to %(name)s.": "Gagal menyimpan perubahan pada %(name)s.",
    "Changes to %(name)s saved successfully.": "Perubahan pada %(name)s berhasil disimpan.",
    "Error reading %(name)s.": "Gagal membaca %(name)s.",
    "Unexpected error while reading from %(name)s": "Kesalahan tak terduga saat membaca %(name)s",
    "Cannot edit %(name)s.": "Tidak dapat mengubah %(name)s.", "Editing %(path)s": "Mengubah %(path)s",
    "Delete": "Hapus", "Are you sure you want to delete these files?": "Yakin ingin menghapus berkas-berkas ini?",
    "File deletion is disabled.": "Penghapusan berkas dinonaktifkan.", "Edit": "Ubah",
    "Cannot operate on non empty directories": "Tidak dapat memproses direktori yang tidak kosong",
    "equals": "sama dengan", "not equal": "tidak sama dengan", "contains": "memuat", "not contains": "tidak memuat",
    "greater than": "lebih dari", "smaller than": "kurang dari", "empty": "kosong", "in list": "ada dalam daftar",
    "not in list": "tidak ada dalam daftar", "not between": "tidak di antara", "ObjectId equals": "ObjectId sama dengan",
    "Not a valid choice": "Pilihan tidak valid", "Failed to get model. %(error)s": "Gagal mengambil model. %(error)s",
    "Failed to create record. %(error)s": "Gagal membuat data. %(error)s",
    "Failed to update record. %(error)s": "Gagal memperbarui data. %(error)s",
    "Failed to delete record. %(error)s": "Gagal menghapus data. %(error)s",
    "Are you sure you want to delete selected records?": "Yakin ingin menghapus data yang dipilih?",
    "Record was successfully deleted.": ("Data berhasil dihapus.", "%(count)s data berhasil dihapus."),
    "Failed to delete records. %(error)s": "Gagal menghapus data. %(error)s", "Key": "Kunci", "Value": "Nilai",
    "Already exists.": "Sudah ada.",
    "At least %(num)d item is required": ("Sedikitnya %(num)d butir wajib diisi", "Sedikitnya %(num)d butir wajib diisi"),
    "Not a valid ISO currency code (e.g. USD, EUR, CNY).": "Bukan kode mata uang ISO yang valid (mis. IDR, USD, EUR).",
    'Not a valid color (e.g. "red", "#f00", "#ff0000").': 'Bukan warna yang valid (mis. "red", "#f00", "#ff0000").',
    "Integrity error. %(message)s": "Kesalahan integritas data. %(message)s",
    "Invalid time format": "Format waktu tidak valid", "Invalid Choice: could not coerce": "Pilihan tidak valid",
    "Invalid JSON": "JSON tidak valid", "Invalid file extension": "Ekstensi berkas tidak valid",
    "This field requires at least one item.": "Isian ini memerlukan sedikitnya satu butir.",
    "There are no items in the table.": "Tidak ada data dalam tabel.",
    "Invalid Filter Value: %(value)s": "Nilai saringan tidak valid: %(value)s",
    "Record was successfully created.": "Data berhasil dibuat.", "Failed to create record.": "Gagal membuat data.",
    "Record does not exist.": "Data tidak ada.", "Record was successfully saved.": "Data berhasil disimpan.",
    "Failed to save record.": "Gagal menyimpan data.",
    'Export type "%(type)s" is not supported.': 'Jenis ekspor "%(type)s" tidak didukung.', "Yes": "Ya", "No": "Tidak",
    "between": "di antara", "View Record": "Lihat data", "Edit Record": "Ubah data", "Delete Record": "Hapus data",
    "Please select model": "Silakan pilih model", "With selected": "Untuk yang dipilih", "Save": "Simpan",
    "Cancel": "Batal", "Save and Add Another": "Simpan dan tambah lagi", "Save and Continue Editing": "Simpan dan lanjut mengubah",
    "Root": "Akar", "Sort by %(name)s": "Urutkan menurut %(name)s", "Rename File": "Ganti nama berkas",
    "Are you sure you want to delete \\'%(name)s\\' recursively?": "Yakin ingin menghapus \\'%(name)s\\' beserta isinya?",
    "Are you sure you want to delete \\'%(name)s\\'?": "Yakin ingin menghapus \\'%(name)s\\'?",
    "Please select at least one file.": "Pilih sedikitnya satu berkas.", "List": "Daftar", "Create": "Buat",
    "Details": "Rincian", "Filter": "Saring", "Delete?": "Hapus?",
    "Are you sure you want to delete this record?": "Yakin ingin menghapus data ini?", "New": "Baru", "Add": "Tambah",
    "Add Filter": "Tambah saringan", "Export": "Ekspor", "Apply": "Terapkan", "Reset Filters": "Atur ulang saringan",
    "%(placeholder)s": "%(placeholder)s", "Search": "Cari", "items": "butir", "Create New Record": "Buat data baru",
    "Select all records": "Pilih semua data", "Select record": "Pilih data",
    "Please select at least one record.": "Pilih sedikitnya satu data.",
}

REFERENCE = Path(flask_admin.__file__).parent / "translations" / "de" / "LC_MESSAGES" / "admin.po"
TARGET = Path(__file__).resolve().parent.parent / "admin" / "translations" / "id" / "LC_MESSAGES" / "admin.po"


def main() -> None:
    with open(REFERENCE, "rb") as fh:
        reference = read_po(fh)
    catalog = Catalog(locale="id", domain="admin", project="Netra (Flask-Admin strings)")
    for message in reference:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        catalog.add(message.id, ID[key], flags=message.flags)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with open(TARGET, "wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True)


if __name__ == "__main__":
    main()
