"""User-facing domain messages, Bahasa Indonesia first, English second. One catalog, one place."""
from __future__ import annotations

from typing import Any

LANGS = ("id", "en")

# code -> (Bahasa Indonesia, English); placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    "validation.failed": ("Data tidak valid ({count} masalah); tidak ada yang disimpan.",
                          "Invalid data ({count} problems); nothing was saved."),
    "required": ("wajib diisi.", "is required."),
    "too_long": ("terlalu panjang (maksimal {max} karakter).", "is too long (at most {max} characters)."),
    "bad_choice": ("nilai '{value}' tidak dikenal; pilihan: {choices}.",
                   "unknown value '{value}'; choices: {choices}."),
    "input.unknown_field": ("isian '{name}' tidak dikenal untuk langkah ini; tidak ada yang disimpan.",
                            "'{name}' is not a field of this step; nothing was saved."),
    "input.not_text": ("harus berupa teks.", "must be text."),
    "input.not_file": ("harus berupa berkas yang diunggah.", "must be an uploaded file."),
    # Access (casework/access/policy.py)
    "access.unknown_user": ("pengguna '{username}' tidak dikenal atau tidak aktif.",
                            "user '{username}' is unknown or not active."),
    "access.page_not_found": ("halaman tidak ditemukan.", "page not found."),
    "access.reporter_protected": ("identitas pelapor dilindungi: hanya penangan di kantor yang menangani kasus ini "
                                  "yang dapat melihatnya.",
                                  "the reporter's identity is protected: only the handling office's handlers may "
                                  "see it."),
    "access.letters_handling_office": ("surat kasus ini diterbitkan atas nama {office}; hanya penangan dan pimpinan "
                                       "kantor tersebut yang dapat menerbitkannya.",
                                       "this case's letters go out in the name of {office}; only that office's "
                                       "handlers and head may issue them."),
    "access.letter_not_found": ("surat tidak ditemukan.", "letter not found."),
    "access.evidence_not_found": ("berkas bukti tidak ditemukan.", "evidence file not found."),
    "access.intake_handlers_only": ("hanya penangan pelanggaran di kantor Bawaslu yang dapat mencatat kasus baru.",
                                    "only case handlers of a Bawaslu office may record a new case."),
    "access.intake_own_office": ("kasus baru dicatat atas nama kantor Anda sendiri ({office}).",
                                 "a new case is recorded in the name of your own office ({office})."),
    "access.regency_outside_office": ("{regency} berada di luar wilayah {office}; catat kasus di wilayah kantor Anda "
                                      "atau teruskan laporan ke kantor Bawaslu yang berwenang.",
                                      "{regency} is outside the area of {office}; record cases within your office's "
                                      "area, or pass the report to the Bawaslu office responsible for it."),
    "access.not_handling_office": ("kasus {number} ditangani {office}; langkah ini hanya dapat diambil oleh kantor "
                                   "tersebut.",
                                   "case {number} is handled by {office}; only that office may take this step."),
    "access.track_other_body": ("penanganan {name} berada pada badan pengawas lain; Anda tidak dapat mencatatnya.",
                                "{name}'s track is with another oversight body; you may not record it."),
    # NIP: 18 digits = birth date yyyymmdd + CPNS start yyyymm + sex 1/2 + serial 3
    "nip.length": ("NIP harus 18 digit, bukan {length}.", "NIP must be 18 digits, not {length}."),
    "nip.digits": ("NIP hanya boleh berisi angka.", "NIP may contain digits only."),
    "nip.birth_date": ("digit 1–8 NIP ({value}) bukan tanggal lahir yang valid (yyyymmdd).",
                       "digits 1–8 of the NIP ({value}) are not a valid birth date (yyyymmdd)."),
    "nip.birth_year": ("tahun lahir pada NIP ({year}) di luar rentang yang mungkin ({low}–{high}).",
                       "birth year in the NIP ({year}) is outside the plausible range ({low}–{high})."),
    "nip.appointment": ("digit 9–14 NIP ({value}) bukan bulan pengangkatan CPNS yang valid (yyyymm).",
                        "digits 9–14 of the NIP ({value}) are not a valid CPNS appointment month (yyyymm)."),
    "nip.appointment_age": ("pengangkatan CPNS ({appointed}) terjadi sebelum usia 18 tahun (lahir {born}).",
                            "CPNS appointment ({appointed}) is before age 18 (born {born})."),
    "nip.appointment_future": ("bulan pengangkatan CPNS ({appointed}) ada di masa depan.",
                               "CPNS appointment month ({appointed}) is in the future."),
    "nip.sex": ("digit ke-15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan), bukan {value}.",
                "digit 15 of the NIP (sex) must be 1 (male) or 2 (female), not {value}."),
    "nip.serial": ("nomor urut NIP (digit 16–18) tidak boleh 000.",
                   "the NIP serial number (digits 16–18) cannot be 000."),
    # Cases
    "case.unknown_region": ("kode wilayah '{code}' tidak dikenal.", "unknown region code '{code}'."),
    "case.district_outside_regency": ("kecamatan {district} tidak berada di {regency}.",
                                      "district {district} is not in {regency}."),
    "case.unknown_election": ("pemilihan '{code}' tidak dikenal.", "unknown election '{code}'."),
    "case.region_outside_election": ("{regency} tidak termasuk wilayah {election}.",
                                     "{regency} is not within the area of {election}."),
    "case.unknown_office": ("kantor '{code}' tidak dikenal.", "unknown office '{code}'."),
    "case.office_not_bawaslu": ("kantor '{code}' bukan kantor Bawaslu/Panwaslu yang menangani pelanggaran.",
                                "office '{code}' is not a Bawaslu/Panwaslu office that handles violations."),
    "case.unknown_agency": ("instansi '{code}' tidak dikenal.", "unknown agency '{code}'."),
    "case.unknown_violation": ("jenis pelanggaran '{code}' tidak ada dalam katalog SKB.",
                               "violation type '{code}' is not in the SKB catalogue."),
    "case.known_before_occurred": ("tanggal diketahui ({known}) lebih awal dari tanggal kejadian ({occurred}).",
                                   "date known ({known}) is before the date it occurred ({occurred})."),
    "case.received_before_known": ("tanggal diterima ({received}) lebih awal dari tanggal diketahui ({known}).",
                                   "date received ({received}) is before the date known ({known})."),
    "case.date_in_future": ("tanggal {value} ada di masa depan.", "date {value} is in the future."),
    "case.date_too_old": ("tanggal {value} terlalu lama (paling awal {earliest}); periksa tahunnya.",
                          "date {value} is too old (earliest {earliest}); check the year."),
    "text.control_chars": ("berisi karakter kontrol yang tidak diizinkan (mis. NUL); hapus lalu kirim ulang.",
                           "contains control characters that are not allowed (e.g. NUL); remove them and send "
                           "again."),
    "case.bad_date": ("'{value}' bukan tanggal yang valid (YYYY-MM-DD).", "'{value}' is not a valid date (YYYY-MM-DD)."),
    "case.reporter_required": ("laporan wajib mencantumkan nama dan alamat pelapor.",
                               "a report (laporan) must name the reporter with an address."),
    "case.finder_required": ("temuan wajib mencantumkan pengawas yang menemukan.",
                             "a finding (temuan) must name the supervisor who found it."),
    "case.no_reported_asn": ("sedikitnya satu ASN terlapor wajib diisi.", "at least one reported ASN is required."),
    "case.duplicate_nip": ("NIP {nip} tercantum lebih dari sekali.", "NIP {nip} is listed more than once."),
    "case.not_found": ("kasus '{number}' tidak ditemukan.", "case '{number}' not found."),
    "case.no_violation": ("sedikitnya satu jenis pelanggaran wajib dipilih.", "choose at least one violation type."),
    # Deadlines
    "deadline.unknown_rule": ("aturan tenggat '{rule}' tidak dikenal; yang ada: {known}.",
                              "unknown deadline rule '{rule}'; known: {known}."),
    "deadline.unknown_province": ("kode provinsi '{code}' tidak dikenal.", "unknown province code '{code}'."),
    # Workflow
    "case.stale": ("kasus telah berubah, muat ulang (versi Anda {expected}, versi terkini {current}).",
                   "the case has changed, reload (your version {expected}, current version {current})."),
    "workflow.unknown_command": ("langkah '{command}' tidak dikenal.", "unknown step '{command}'."),
    "workflow.role_not_allowed": ("peran Anda tidak berwenang melakukan langkah '{command}'.",
                                  "your role may not take the step '{command}'."),
    "workflow.wrong_stage": ("langkah '{command}' tidak dapat dilakukan pada tahap {stage}.",
                             "the step '{command}' cannot be taken at stage {stage}."),
    "workflow.track_required": ("pilih ASN terlapor (NIP) untuk langkah '{command}'.",
                                "choose the reported ASN (NIP) for the step '{command}'."),
    "workflow.unknown_track": ("ASN dengan NIP {nip} tidak ada dalam kasus ini.",
                               "no reported ASN with NIP {nip} in this case."),
    "workflow.track_wrong_stage": ("langkah '{command}' tidak dapat dilakukan untuk {name} pada tahap {stage}.",
                                   "the step '{command}' cannot be taken for {name} at stage {stage}."),
    "workflow.report_late": ("{source} diterima {received}, melewati batas {rule} ({due}); tidak dapat "
                             "diregistrasi — putuskan tidak diregistrasi (daluarsa).",
                             "{source} received {received}, after the {rule} limit ({due}); it cannot be "
                             "registered — decide not to register (late)."),
    "workflow.completion_only_report": ("hanya laporan (bukan temuan) yang dapat diminta melengkapi.",
                                        "only a report (not a finding) can be asked to complete."),
    "workflow.already_extended": ("kajian sudah pernah diperpanjang; perpanjangan hanya sekali.",
                                  "the study has already been extended; it can be extended once only."),
    "workflow.no_plenary_violation": ("penerusan memerlukan putusan pleno 'pelanggaran netralitas'.",
                                      "forwarding needs a plenary decision of 'neutrality violation'."),
    "workflow.plenary_decided": ("pleno sudah memutus kasus ini.", "the plenary has already decided this case."),
    "workflow.not_late_yet": ("tenggat {rule} belum lewat ({due}); eskalasi belum dapat dilakukan.",
                              "the {rule} deadline has not passed yet ({due}); no escalation yet."),
    "workflow.ladder_exhausted": ("semua tahap eskalasi sudah ditempuh untuk {name}.",
                                  "every escalation step has been taken for {name}."),
    "workflow.merge_self": ("kasus tidak dapat digabung ke dirinya sendiri.", "a case cannot be merged into itself."),
    "workflow.merge_target_unknown": ("kasus '{number}' tidak ditemukan di antara kasus yang ditangani kantor Anda.",
                                      "case '{number}' is not among the cases your office handles."),
    "workflow.merge_target_closed": ("kasus tujuan {number} sudah berakhir ({stage}).",
                                     "the target case {number} has ended ({stage})."),
    "workflow.unknown_sanction": ("jenis sanksi '{code}' tidak dikenal.", "unknown sanction kind '{code}'."),
    # Sanctions (casework/sanctions.py)
    "sanction.level_mismatch": ("'{kind}' tidak termasuk {level}; sanksi ini termasuk {actual}.",
                                "'{kind}' is not a {level} penalty; it belongs to {actual}."),
    "sanction.start_required": ("'{kind}' berlaku {months} bulan: isi tanggal mulai berlakunya (TMT).",
                                "'{kind}' runs for {months} months: give the date it takes effect."),
    "sanction.starts_before_decree": ("tanggal berlaku {start} lebih awal dari tanggal SK {signed}.",
                                      "effective date {start} is before the decree date {signed}."),
    "sanction.dates_reversed": ("tanggal akhir {until} lebih awal dari tanggal mulai {start}.",
                                "end date {until} is before the start date {start}."),
    "sanction.wrong_duration": ("'{kind}' berlaku {months} bulan, sehingga berakhir {expected}.",
                                "'{kind}' runs for {months} months, so it ends on {expected}."),
    "sanction.no_duration": ("'{kind}' tidak berjangka waktu; kosongkan tanggal akhir.",
                             "'{kind}' has no duration; leave the end date empty."),
    "sanction.not_pdf": ("berkas SK harus PDF (isi berkas tidak diawali %PDF); berkas ditolak.",
                         "the decree file must be a PDF (its content does not start with %PDF); refused."),
    "sanction.no_decree_file": ("tidak ada berkas SK untuk {name}.", "there is no decree file for {name}."),
    "sanction.finding_reason_required": ("wajib diisi bila pelanggaran tidak terbukti: tuliskan alasannya.",
                                         "is required when no violation is proven: give the reason."),
    "sanction.not_proven_with_sanction": ("tidak terbukti tidak disertai rekomendasi sanksi; kosongkan jenis "
                                          "sanksi.",
                                          "a finding of no violation carries no sanction; leave the sanction "
                                          "empty."),
    # Reporter status (casework/reporter_status.py)
    "status.not_found": ("Kode tidak ditemukan. Periksa kembali kode pada tanda terima laporan Anda.",
                         "Code not found. Check the code on your report's receipt."),
    "status.rate_limited": ("Terlalu banyak permintaan dari alamat Anda. Tunggu satu menit, lalu coba lagi.",
                            "Too many requests from your address. Wait a minute, then try again."),
    # Letters
    "letter.unknown_kind": ("jenis surat '{kind}' tidak dikenal; yang ada: {known}.",
                            "unknown letter kind '{kind}'; known: {known}."),
    "letter.no_recipient": ("surat '{kind}' tidak memiliki penerima untuk kasus ini ({why}).",
                            "the letter '{kind}' has no addressee in this case ({why})."),
    "letter.bad_recipient": ("penerima nomor {index} tidak ada; surat ini memiliki {count} penerima.",
                             "there is no addressee number {index}; this letter has {count}."),
    "letter.issue_failed": ("surat {number} gagal diterbitkan dan nomornya dicatat batal: {detail}",
                            "letter {number} could not be issued; its number is recorded as void: {detail}"),
    "letter.not_found": ("surat '{number}' tidak ditemukan.", "letter '{number}' not found."),
    "letter.not_issued": ("surat {number} belum/tidak diterbitkan (status: {status}).",
                          "letter {number} is not issued (status: {status})."),
    "letter.tampered": ("berkas surat {number} tidak sesuai dengan hash yang tercatat.",
                        "the file of letter {number} does not match its recorded hash."),
    "letter.already_void": ("surat {number} sudah dibatalkan.", "letter {number} is already void."),
    # Letter requests: what a case is owed, claimed once (casework/letters/requests.py, issue.py)
    "letter.already_issued": ("surat ini sudah diterbitkan: nomor {number} ({date}). Tidak ada nomor baru yang "
                              "dipakai. Untuk memperbaikinya, gunakan \"Terbitkan ulang (koreksi)\" dengan alasan.",
                              "this letter has already been issued: number {number} ({date}). No new number was "
                              "used. To correct it, use \"Reissue (correction)\" with a reason."),
    "letter.being_issued": ("surat ini sedang diterbitkan oleh {actor}: nomor {number}. Tidak ada nomor baru yang "
                            "dipakai; muat ulang halaman sebentar lagi.",
                            "this letter is being issued by {actor}: number {number}. No new number was used; "
                            "reload the page in a moment."),
    "letter.not_owed": ("surat ini tidak sedang terutang (status permintaan: {status}); tidak ada yang diterbitkan.",
                        "this letter is not owed (request status: {status}); nothing was issued."),
    "letter.claim_taken_over": ("penerbitan nomor {number} terlalu lama dan telah diambil alih oleh penerbit lain; "
                                "nomor {number} dicatat batal dan surat ini tidak diterbitkan dua kali.",
                                "issuing number {number} took too long and was taken over by another issuer; "
                                "number {number} is recorded as void and the letter is not issued twice."),
    "letter.not_correctable": ("surat {number} tidak dapat dikoreksi (status: {status}); hanya surat yang berlaku "
                               "yang dapat diterbitkan ulang.",
                               "letter {number} cannot be corrected (status: {status}); only a letter in force can "
                               "be reissued."),
    "letter.correction_reason_required": ("wajib diisi: tuliskan mengapa surat diterbitkan ulang.",
                                          "is required: say why the letter is reissued."),
    "letter.request_not_found": ("permintaan surat {id} tidak ditemukan.", "letter request {id} not found."),
    "letter.addressee_gone": ("penerima '{label}' tidak lagi ada pada kasus ini; surat tidak dapat diterbitkan.",
                              "the addressee '{label}' is no longer on this case; the letter cannot be issued."),
    "letter.none_owed": ("kasus {case} tidak sedang menunggu surat '{kind}' untuk {addressee}{issued}. Lihat yang "
                         "terutang: netra letter owed {case}. Untuk memperbaiki surat yang sudah terbit: netra letter "
                         "correct NOMOR --reason \"...\" --actor NAMA.",
                         "case {case} is not owed a '{kind}' letter to {addressee}{issued}. What it is owed: netra "
                         "letter owed {case}. To correct an issued letter: netra letter correct NUMBER --reason "
                         "\"...\" --actor NAME."),
    # Evidence
    "evidence.not_allowed": ("hanya penangan pelanggaran di {office}, kantor yang menangani kasus ini, yang dapat "
                             "mengunggah bukti.",
                             "only case handlers of {office}, the office handling this case, may upload evidence."),
    "evidence.type": ("jenis berkas tidak diterima; yang diterima: {allowed}.",
                      "file type not accepted; accepted: {allowed}."),
    "evidence.empty": ("berkas kosong.", "the file is empty."),
    "evidence.too_large": ("berkas terlalu besar (maksimal {max_mb} MB).", "the file is too large (at most {max_mb} MB)."),
    "evidence.disguised": ("isi berkas bukan {ext} seperti namanya; berkas ditolak.",
                           "the file's content is not the {ext} its name says; refused."),
    "evidence.tampered": ("berkas bukti {name} tidak sesuai dengan hash yang tercatat.",
                          "evidence file {name} does not match its recorded hash."),
    # Accounts
    "auth.failed": ("nama pengguna atau kata sandi salah.", "wrong username or password."),
    "auth.locked": ("akun dikunci sementara karena terlalu banyak percobaan gagal; coba lagi dalam {minutes} menit.",
                    "account temporarily locked after too many failed attempts; try again in {minutes} minutes."),
    "auth.totp_wrong": ("kode autentikator salah atau kedaluwarsa.", "wrong or expired authenticator code."),
    # Operations
    "db.unreachable": ("basis data tidak dapat dihubungi ({url}): {detail}",
                       "the database cannot be reached ({url}): {detail}"),
    "db.not_migrated": ("basis data belum dimigrasi; jalankan `netra db upgrade` dahulu.",
                        "the database has not been migrated; run `netra db upgrade` first."),
    "audit.intact": ("Jejak audit utuh: {count} peristiwa diperiksa, rantai hash tidak terputus. Hash terakhir: {head}",
                     "Audit trail intact: {count} events checked, the hash chain is unbroken. Last hash: {head}"),
    "audit.broken_hash": ("Jejak audit RUSAK pada peristiwa #{id} ({at}, {actor}, {action}): isinya tidak sesuai "
                          "dengan hash yang tercatat — peristiwa ini diubah setelah dicatat. {count} peristiwa "
                          "sebelumnya utuh.",
                          "Audit trail BROKEN at event #{id} ({at}, {actor}, {action}): its content does not match "
                          "its recorded hash — the event was changed after it was recorded. {count} earlier events "
                          "are intact."),
    "audit.broken_link": ("Jejak audit RUSAK pada peristiwa #{id} ({at}, {actor}, {action}): prev_hash-nya bukan hash "
                          "peristiwa sebelumnya — ada peristiwa yang dihapus, disisipkan atau diubah tepat sebelum "
                          "ini. {count} peristiwa sebelumnya utuh.",
                          "Audit trail BROKEN at event #{id} ({at}, {actor}, {action}): its prev_hash is not the hash "
                          "of the event before it — an event was deleted, inserted or changed just before it. "
                          "{count} earlier events are intact."),
    "io.failed": ("berkas {path} tidak dapat dibuka: {detail}.", "file {path} cannot be opened: {detail}."),
    "deadline.start_out_of_range": ("tanggal mulai {value} di luar rentang yang dihitung ({earliest} sampai "
                                    "{latest}).", "start date {value} is outside the range computed ({earliest} to "
                                                  "{latest})."),
    "demo.not_available": ("data demo tidak tersedia di instalasi ini (dicari di {root}/demo); data demo hanya ada "
                           "di salinan sumber Netra.",
                           "demo data is not available in this installation (looked in {root}/demo); it ships only "
                           "with Netra's source checkout."),
    "regions.not_loaded": ("data wilayah belum dimuat; jalankan `netra regions load` dahulu.",
                           "region data is not loaded; run `netra regions load` first."),
    # Spreadsheets (export, import of a case register)
    "export.unknown_format": ("format '{fmt}' tidak dikenal; pilihan: {choices}.",
                              "unknown format '{fmt}'; choices: {choices}."),
    "export.done": ("{count} kasus ditulis ke {path} (kolom data pribadi: {personal}).",
                    "{count} cases written to {path} (personal data columns: {personal})."),
    "template.done": ("Templat impor ditulis ke {path}; hapus baris contoh sebelum mengisi.",
                      "Import template written to {path}; delete the example row before filling it in."),
    "import.too_big": ("berkas '{name}' terlalu besar untuk diimpor: {size} MB setelah dibuka (maksimal {max} MB); "
                       "bagi menjadi beberapa berkas. Tidak ada yang disimpan.",
                       "'{name}' is too big to import: {size} MB unpacked (at most {max} MB); split it into several "
                       "files. Nothing was saved."),
    "import.bad_file": ("berkas '{name}' tidak dapat dibaca sebagai XLSX: {detail}",
                        "'{name}' cannot be read as an XLSX file: {detail}"),
    "import.no_rows": ("lembar '{sheet}' tidak berisi baris data di bawah baris judul.",
                       "sheet '{sheet}' has no data rows below the header row."),
    "import.missing_column": ("kolom wajib '{header}' tidak ada di baris judul (baris 1).",
                              "required column '{header}' is missing from the header row (row 1)."),
    "import.duplicate_column": ("kolom '{header}' muncul lebih dari sekali di baris judul.",
                                "column '{header}' appears more than once in the header row."),
    "import.unknown_columns": ("kolom tidak dikenal, diabaikan: {headers}.", "unknown columns, ignored: {headers}."),
    "import.where": ("Baris {row}, kolom {column} ({header})", "Row {row}, column {column} ({header})"),
    "import.row": ("Baris {row}", "Row {row}"),
    "import.reported_item": ("terlapor ke-{n}", "reported #{n}"),
    "import.witness_item": ("saksi ke-{n}", "witness #{n}"),
    "import.nip_as_number": ("NIP tertulis sebagai angka ({value}); Excel membulatkan angka 18 digit — format sel "
                             "sebagai Teks lalu ketik ulang NIP.",
                             "the NIP is stored as a number ({value}); Excel rounds 18-digit numbers — format the "
                             "cell as Text and type the NIP again."),
    "import.count_mismatch": ("berisi {count} nilai dipisah ';', padahal kolom {other} berisi {expected}.",
                              "holds {count} values separated by ';', but column {other} holds {expected}."),
    "import.duplicate_ref": ("nomor referensi '{ref}' sudah dipakai di baris {row}.",
                             "register reference '{ref}' is already used in row {row}."),
    "import.ref_other_office": ("nomor referensi '{ref}' sudah dipakai kasus {number} milik kantor {office}.",
                                "register reference '{ref}' is already used by case {number} of office {office}."),
    "import.example_row": ("ini baris contoh dari templat; hapus sebelum mengimpor.",
                           "this is the template's example row; delete it before importing."),
    "import.existing": ("sudah ada (already imported) sebagai kasus {number}; dilewati.",
                        "already imported as case {number}; skipped."),
    "import.ready": ("siap diimpor.", "ready to import."),
    "import.imported": ("diimpor sebagai kasus {number}.", "imported as case {number}."),
    "import.summary_dry_run": ("Uji coba: {ready} baris siap diimpor, {invalid} baris bermasalah, {existing} sudah "
                               "ada; tidak ada yang disimpan.",
                               "Dry run: {ready} rows ready to import, {invalid} rows with problems, {existing} "
                               "already imported; nothing was saved."),
    "import.summary_failed": ("{invalid} baris bermasalah; tidak ada yang diimpor (semua atau tidak sama sekali).",
                              "{invalid} rows have problems; nothing was imported (all or nothing)."),
    "import.summary_done": ("{imported} kasus diimpor; {existing} sudah ada dan dilewati.",
                            "{imported} cases imported; {existing} already imported and skipped."),
    "import.actor_required": ("sebutkan siapa yang mengimpor dengan --actor NAMA, atau uji dahulu dengan --dry-run.",
                              "say who imports with --actor NAME, or try it first with --dry-run."),
}

# Field names as shown to users.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "number": ("Nomor kasus", "Case number"),
    "source": ("Sumber", "Source"),
    "election": ("Pemilihan", "Election"),
    "office": ("Kantor penanganan", "Handling office"),
    "regency": ("Kabupaten/kota", "Regency/city"),
    "district": ("Kecamatan", "District"),
    "place": ("Tempat kejadian", "Place"),
    "occurred_on": ("Tanggal kejadian", "Date occurred"),
    "known_on": ("Tanggal diketahui", "Date known"),
    "received_on": ("Tanggal diterima", "Date received"),
    "summary": ("Pokok perkara", "Summary"),
    "chronology": ("Kronologi", "Chronology"),
    "violations": ("Jenis pelanggaran", "Violation types"),
    "reporter": ("Pelapor", "Reporter"),
    "reporter.name": ("Nama pelapor", "Reporter's name"),
    "reporter.address": ("Alamat pelapor", "Reporter's address"),
    "found_by": ("Penemu (pengawas)", "Found by (supervisor)"),
    "reported": ("ASN terlapor", "Reported ASN"),
    "nip": ("NIP", "NIP"),
    "name": ("Nama", "Name"),
    "position": ("Jabatan", "Position"),
    "agency": ("Instansi", "Agency"),
    "witness": ("Saksi", "Witness"),
    "reason": ("Alasan", "Reason"),
    "note": ("Catatan", "Note"),
    "outcome": ("Putusan", "Outcome"),
    "reasoning": ("Pertimbangan", "Reasoning"),
    "forwarded_to": ("Diteruskan kepada", "Forwarded to"),
    "minutes": ("Berita acara", "Minutes"),
    "conclusion": ("Kesimpulan kajian", "Study conclusion"),
    "missing": ("Kekurangan syarat", "What is missing"),
    "sanction": ("Jenis sanksi", "Sanction"),
    "decree_number": ("Nomor SK", "Decree number"),
    "decree_date": ("Tanggal SK", "Decree date"),
    "sanction_level": ("Tingkat sanksi", "Sanction level"),
    "decree_signer_name": ("Nama penanda tangan SK", "Decree signed by (name)"),
    "decree_signer_title": ("Jabatan penanda tangan SK", "Signer's title"),
    "effective_from": ("Berlaku mulai (TMT)", "Effective from"),
    "effective_until": ("Berlaku sampai", "Effective until"),
    "decree_pdf": ("Berkas SK (PDF)", "Decree file (PDF)"),
    "into": ("Digabung ke kasus", "Merge into case"),
    "track": ("ASN terlapor", "Reported ASN"),
}


class Bilingual(tuple):
    """A message parameter with an Indonesian and an English form, e.g. a stage or step name."""

    def __new__(cls, id_text: str, en_text: str) -> Bilingual:
        return super().__new__(cls, (id_text, en_text))

    def pick(self, lang: str) -> str:
        return _pick(self, lang)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def message(code: str, lang: str = "id", /, **params: Any) -> str:
    pair = MESSAGES.get(code)
    if pair is None:
        return code
    resolved = {k: v.pick(lang) if isinstance(v, Bilingual) else v for k, v in params.items()}
    return _pick(pair, lang).format(**resolved)


def field_label(name: str, lang: str = "id") -> str:
    # "reported[2].nip" -> label of "nip" with the row shown: "ASN terlapor #3 — NIP"
    if "[" in name:
        head, rest = name.split("[", 1)
        index, tail = rest.split("]", 1)
        tail = tail.lstrip(".")
        row = f"{field_label(head, lang)} #{int(index) + 1}"
        return f"{row} — {field_label(tail, lang)}" if tail else row
    pair = FIELD_LABELS.get(name)
    return _pick(pair, lang) if pair else name
