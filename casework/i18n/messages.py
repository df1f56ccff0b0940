"""User-facing domain messages by code: the Indonesian text is the msgid of the `netra` catalog
(casework/i18n/catalog.py), the English is in casework/i18n/locale/en/LC_MESSAGES/netra.po."""
from __future__ import annotations

import re
from typing import Any

from casework.i18n.catalog import LANGS, N_, Text, translate

__all__ = ["FIELD_LABELS", "LANGS", "MESSAGES", "Bilingual", "Text", "field_label", "message"]

# code -> Indonesian msgid; placeholders use str.format names. An entry still written as an (Indonesian, English)
# pair works (transitionally: tests/test_catalog.py lists it, to be moved into netra.po).
MESSAGES: dict[str, str | tuple[str, str]] = {
    "validation.failed": N_("Data tidak valid ({count} masalah); tidak ada yang disimpan."),
    "required": N_("wajib diisi."),
    "too_long": N_("terlalu panjang (maksimal {max} karakter)."),
    "bad_choice": N_("nilai '{value}' tidak dikenal; pilihan: {choices}."),
    "choice.missing": N_("belum dipilih; pilih salah satu."),
    "input.unknown_field": N_("isian '{name}' tidak dikenal untuk langkah ini; tidak ada yang disimpan."),
    "input.not_text": N_("harus berupa teks."),
    "input.bad_time": N_("'{value}' bukan jam yang valid (JJ:MM, mis. 09:00)."),
    "input.bad_item": N_("'{value}' tidak valid (terlalu panjang atau berisi karakter kendali)."),
    "too_many": N_("terlalu banyak (maksimal {max})."),
    "input.not_file": N_("harus berupa berkas yang diunggah."),
    # Access (casework/access/policy.py)
    "access.unknown_user": N_("pengguna '{username}' tidak dikenal atau tidak aktif."),
    "access.page_not_found": N_("halaman tidak ditemukan."),
    "access.prevention_handlers_only": N_("hanya penangan Bawaslu yang dapat mencatat data pencegahan."),
    "access.region_outside_office": N_("wilayah {region} berada di luar wilayah kantor {office}."),
    "access.office_letters_handlers_only": N_("hanya penangan Bawaslu yang dapat menerbitkan surat kantor."),
    "office_letter.no_agency": N_("pilih sedikitnya satu instansi."),
    "office_letter.no_late_ppk": N_("tidak ada PPK yang terlambat atau belum menindaklanjuti; tidak ada surat yang "
                                    "perlu dikirim."),
    "letter.not_office_letter": N_("surat {kind} bukan surat kantor."),
    "access.office_letter_level": N_("{kind} diterbitkan oleh Bawaslu Provinsi atau Bawaslu RI."),
    "access.office_letter_own_office": N_("surat ini milik {office}; hanya penangannya yang dapat menerbitkannya."),
    "access.criminal_bawaslu_only": N_("dugaan tindak pidana hanya dilihat Bawaslu."),
    "access.reporter_protected": N_("identitas pelapor dilindungi: hanya penangan di kantor yang menangani kasus ini "
                                    "yang dapat melihatnya."),
    "access.letters_handling_office": N_("surat kasus ini diterbitkan atas nama {office}; hanya penangan dan pimpinan "
                                         "kantor tersebut yang dapat menerbitkannya."),
    "access.letter_not_found": N_("surat tidak ditemukan."),
    "access.referral_not_allowed": N_("paket rujukan kasus ini hanya untuk penangan dan pimpinan {office} serta "
                                      "lembaga pengawas yang menerima penerusannya."),
    "access.evidence_not_found": N_("berkas bukti tidak ditemukan."),
    "access.online_office_of_place": N_("laporan daring disampaikan kepada Bawaslu kabupaten/kota tempat kejadian."),
    # The public side (casework/public, casework/inbox, casework/road/spam.py)
    "online.consent_required": N_("centang persetujuan pemrosesan data agar kiriman dapat ditangani."),
    "online.no_office": N_("belum ada kantor Bawaslu {regency} di Netra; sampaikan laporan langsung ke Bawaslu "
                           "provinsi."),
    "online.no_election": N_("tidak ada pemilihan yang berlangsung di {regency} pada {day}; periksa tanggalnya, "
                             "atau pilih \"Informasi saja\"."),
    "online.bad_email": N_("alamat email tidak valid (contoh: nama@contoh.id)."),
    "online.rate_limited": N_("terlalu banyak kiriman dari alamat ini; coba lagi dalam satu jam."),
    "online.spam_only_online": N_("hanya laporan daring yang dapat ditandai spam ({number})."),
    "information.not_found": N_("informasi awal tidak ditemukan."),
    "information.already_triaged": N_("informasi awal #{id} sudah ditelaah ({status}); tidak ada yang diubah."),
    "information.changed": N_("informasi awal #{id} baru saja diubah orang lain; muat ulang halaman."),
    "information.reason_required": N_("tuliskan alasan menutup informasi awal ini."),
    "access.intake_handlers_only": N_("hanya penangan pelanggaran di kantor Bawaslu yang dapat mencatat kasus baru."),
    "access.intake_own_office": N_("kasus baru dicatat atas nama kantor Anda sendiri ({office})."),
    "access.regency_outside_office": N_("{regency} berada di luar wilayah {office}; catat kasus di wilayah kantor Anda "
                                        "atau teruskan laporan ke kantor Bawaslu yang berwenang."),
    "access.not_handling_office": N_("kasus {number} ditangani {office}; langkah ini hanya dapat diambil oleh kantor "
                                     "tersebut."),
    "access.track_other_body": N_("penanganan {name} berada pada badan pengawas lain; Anda tidak dapat mencatatnya."),
    # NIP: 18 digits = birth date yyyymmdd + CPNS start yyyymm + sex 1/2 + serial 3
    "nip.length": N_("NIP harus 18 digit, bukan {length}."),
    "nip.digits": N_("NIP hanya boleh berisi angka."),
    "nip.birth_date": N_("digit 1–8 NIP ({value}) bukan tanggal lahir yang valid (yyyymmdd)."),
    "nip.birth_year": N_("tahun lahir pada NIP ({year}) di luar rentang yang mungkin ({low}–{high})."),
    "nip.appointment": N_("digit 9–14 NIP ({value}) bukan bulan pengangkatan CPNS yang valid (yyyymm)."),
    "nip.appointment_age": N_("pengangkatan CPNS ({appointed}) terjadi sebelum usia 18 tahun (lahir {born})."),
    "nip.appointment_future": N_("bulan pengangkatan CPNS ({appointed}) ada di masa depan."),
    "nip.sex": N_("digit ke-15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan), bukan {value}."),
    "nip.serial": N_("nomor urut NIP (digit 16–18) tidak boleh 000."),
    # Cases
    "case.unknown_region": N_("kode wilayah '{code}' tidak dikenal."),
    "case.district_outside_regency": N_("kecamatan {district} tidak berada di {regency}."),
    "case.unknown_election": N_("pemilihan '{code}' tidak dikenal."),
    "case.region_outside_election": N_("{regency} tidak termasuk wilayah {election}."),
    "case.outside_election_period": N_("tanggal {occurred} berada di luar masa {election} ({starts} s.d. {ends}). "
                                       "Pemilihan di {regency} yang berlangsung pada tanggal itu: {fits}."),
    "case.outside_any_election": N_("tanggal {occurred} berada di luar masa {election} ({starts} s.d. {ends}), dan "
                                    "tidak ada pemilihan di {regency} yang berlangsung pada tanggal itu; "
                                    "administrator sistem dapat menambahkannya."),
    # Elections (casework/reference/elections.py): the system administrator's form and `netra election add`
    "access.elections_sysadmin_only": N_("hanya administrator sistem yang dapat menambah pemilihan."),
    "election.bad_code": N_("kode hanya boleh huruf kecil, angka dan tanda hubung (2–64 karakter), mis. "
                            "pemilu-2029."),
    "election.code_taken": N_("kode '{code}' sudah dipakai oleh {name}."),
    "election.ends_before_start": N_("akhir masa ({ends}) lebih awal dari awal masa ({starts})."),
    "election.voting_outside_period": N_("hari pemungutan suara ({voting}) berada di luar masa pemilihan ({starts} "
                                         "s.d. {ends})."),
    "election.pemilu_national": N_("Pemilu berlaku nasional: kosongkan provinsi dan kabupaten/kota."),
    "election.pilkada_area": N_("Pilkada berlaku di satu wilayah: isi provinsi (gubernur) atau kabupaten/kota "
                                "(bupati/wali kota), tidak keduanya."),
    "election.unknown_stage": N_("tahapan '{code}' tidak dikenal; pilihan: {choices}."),
    "election.stage_dates": N_("{stage}: isi tanggal awal dan akhirnya."),
    "election.stage_reversed": N_("{stage}: akhir ({ends}) lebih awal dari awal ({starts})."),
    "election.stage_outside_period": N_("{stage} ({starts} s.d. {ends}) berada di luar masa pemilihan "
                                        "({period_starts} s.d. {period_ends})."),
    "election.stage_after_voting": N_("{stage} harus berakhir sebelum hari pemungutan suara ({voting})."),
    "election.unknown_parent": N_("pemilihan induk '{code}' tidak dikenal."),
    "election.parent_mismatch": N_("pemungutan suara ulang harus sejenis dengan pemilihan induknya ({parent}) dan "
                                   "berada di wilayahnya."),
    "election.psu_before_parent": N_("pemungutan suara ulang ({voting}) harus setelah hari pemungutan suara "
                                     "{parent} ({parent_voting})."),
    "election.overlaps": N_("masa {starts} s.d. {ends} bertumpang tindih dengan {other} ({other_starts} s.d. "
                            "{other_ends}): pemilihan sejenis di wilayah yang sama tidak boleh berlangsung "
                            "bersamaan."),
    "case.unknown_office": N_("kantor '{code}' tidak dikenal."),
    "case.office_not_bawaslu": N_("kantor '{code}' bukan kantor Bawaslu/Panwaslu yang menangani pelanggaran."),
    "case.unknown_agency": N_("instansi '{code}' tidak dikenal."),
    "case.unknown_violation": N_("jenis pelanggaran '{code}' tidak ada dalam katalog SKB."),
    "case.known_before_occurred": N_("tanggal diketahui ({known}) lebih awal dari tanggal kejadian ({occurred})."),
    "case.received_before_known": N_("tanggal diterima ({received}) lebih awal dari tanggal diketahui ({known})."),
    "case.date_in_future": N_("tanggal {value} ada di masa depan."),
    "case.date_too_old": N_("tanggal {value} terlalu lama (paling awal {earliest}); periksa tahunnya."),
    "text.control_chars": N_("berisi karakter kontrol yang tidak diizinkan (mis. NUL); hapus lalu kirim ulang."),
    "case.bad_date": N_("'{value}' bukan tanggal yang valid (YYYY-MM-DD)."),
    "case.reporter_required": N_("laporan wajib mencantumkan nama dan alamat pelapor."),
    "case.finder_required": N_("temuan wajib mencantumkan pengawas yang menemukan."),
    "case.no_reported_asn": N_("sedikitnya satu ASN terlapor wajib diisi."),
    "case.duplicate_nip": N_("NIP {nip} tercantum lebih dari sekali."),
    "case.not_found": N_("kasus '{number}' tidak ditemukan."),
    "case.no_violation": N_("sedikitnya satu jenis pelanggaran wajib dipilih."),
    # Deadlines
    "deadline.unknown_rule": N_("aturan tenggat '{rule}' tidak dikenal; yang ada: {known}."),
    "deadline.unknown_province": N_("kode provinsi '{code}' tidak dikenal."),
    # Workflow
    "case.stale": N_("kasus telah berubah, muat ulang (versi Anda {expected}, versi terkini {current})."),
    "case.stale_kept": N_("Isian Anda masih ada di formulir ini: periksa keadaan kasus yang baru, lalu kirim lagi."),
    "workflow.unknown_command": N_("langkah '{command}' tidak dikenal."),
    "workflow.role_not_allowed": N_("peran Anda tidak berwenang melakukan langkah '{command}'."),
    "workflow.wrong_stage": N_("langkah '{command}' tidak dapat dilakukan pada tahap {stage}."),
    "workflow.track_required": N_("pilih ASN terlapor (NIP) untuk langkah '{command}'."),
    "workflow.unknown_track": N_("ASN dengan NIP {nip} tidak ada dalam kasus ini."),
    "workflow.track_wrong_stage": N_("langkah '{command}' tidak dapat dilakukan untuk {name} pada tahap {stage}."),
    "workflow.report_late": N_("{source} diterima {received}, melewati tenggat {rule} ({due}); tidak dapat "
                               "diregistrasi — putuskan tidak diregistrasi (daluarsa)."),
    "workflow.completion_only_report": N_("hanya laporan (bukan temuan) yang dapat diminta melengkapi."),
    "workflow.already_extended": N_("kajian sudah pernah diperpanjang; perpanjangan hanya sekali."),
    "workflow.no_plenary_violation": N_("penerusan memerlukan putusan pleno 'pelanggaran netralitas'."),
    "workflow.plenary_decided": N_("pleno sudah memutus kasus ini."),
    "workflow.not_late_yet": N_("tenggat {rule} belum lewat ({due}); eskalasi belum dapat dilakukan."),
    "workflow.ladder_exhausted": N_("semua tahap eskalasi sudah ditempuh untuk {name}."),
    "workflow.confirm_ending": N_("centang pernyataan bahwa Anda yakin; langkah ini mengakhiri kasus."),
    "workflow.merge_self": N_("kasus tidak dapat digabung ke dirinya sendiri."),
    "workflow.merge_target_unknown": N_("kasus '{number}' tidak ditemukan di antara kasus yang ditangani kantor Anda."),
    "workflow.merge_target_closed": N_("kasus tujuan {number} sudah berakhir ({stage})."),
    "workflow.unknown_sanction": N_("jenis sanksi '{code}' tidak dikenal; pilihan: {choices}."),
    # Act dates (casework/road/acts.py) and the plenary's per-person decision (casework/road/plenary.py)
    "act.in_future": N_("tanggal {date} ada di masa depan (hari ini {today}); catat tanggal peristiwa terjadi."),
    "act.before_previous": N_("tanggal {date} lebih awal dari langkah sebelumnya ({step}, {previous})."),
    "act.after_deadline": N_("tersimpan, tetapi tanggal {date} melewati tenggat {rule} ({due}; {citation})."),
    "input.not_people": N_("harus berupa daftar per terlapor menurut NIP."),
    "input.person_outcome_missing": N_("putusan untuk NIP {nip} belum dipilih; pilih salah satu."),
    "input.person_outcome": N_("putusan untuk NIP {nip}: nilai '{value}' tidak dikenal; pilihan: {choices}."),
    "input.person_to": N_("isian 'diteruskan kepada' untuk NIP {nip} tidak valid (maksimal {max} karakter)."),
    "plenary.unknown_person": N_("NIP {nip} bukan ASN terlapor dalam kasus ini."),
    "plenary.outcome_missing": N_("pilih putusan untuk {name} ({nip})."),
    "plenary.violations_missing": N_("pilih jenis pelanggaran yang terbukti untuk {name}."),
    "plenary.referred_to_missing": N_("isi instansi tujuan penerusan untuk {name}."),
    # Sanctions (casework/sanctions.py)
    "sanction.level_mismatch": N_("'{kind}' tidak termasuk {level}; sanksi ini termasuk {actual}."),
    "sanction.start_required": N_("'{kind}' berlaku {months} bulan: isi tanggal mulai berlakunya (TMT)."),
    "sanction.starts_before_decree": N_("tanggal berlaku {start} lebih awal dari tanggal SK {signed}."),
    "sanction.dates_reversed": N_("tanggal akhir {until} lebih awal dari tanggal mulai {start}."),
    "sanction.wrong_duration": N_("'{kind}' berlaku {months} bulan, sehingga berakhir {expected}."),
    "sanction.no_duration": N_("'{kind}' tidak berjangka waktu; kosongkan tanggal akhir."),
    "sanction.not_pdf": N_("berkas SK harus PDF (isi berkas tidak diawali %PDF); berkas ditolak."),
    "sanction.no_decree_file": N_("tidak ada berkas SK untuk {name}."),
    "appeal.already_open": N_("{name} sudah mengajukan keberatan atau banding yang belum diputus."),
    "appeal.which_decree": N_("sebutkan nomor SK yang diajukan keberatan atau banding: {numbers}."),
    "appeal.before_decree": N_("keberatan atau banding tidak dapat diajukan sebelum tanggal SK ({date})."),
    "appeal.late": N_("{kind} dicatat, tetapi diajukan lewat batas waktu {due} ({citation}): badan yang memutus "
                      "dapat menyatakannya tidak dapat diterima."),
    "appeal.none_open": N_("tidak ada keberatan atau banding {name} yang menunggu putusan."),
    "appeal.decided_before_filed": N_("putusan tidak dapat mendahului pengajuannya ({date})."),
    "appeal.no_revision": N_("putusan '{outcome}' tidak mengubah sanksi: kosongkan sanksi baru."),
    "appeal.revision_required": N_("isi sanksi setelah putusan."),
    "appeal.not_lightened": N_("sanksi baru tidak lebih ringan dari '{kind}'."),
    "appeal.not_heavier": N_("sanksi baru tidak lebih berat dari '{kind}'."),
    "information.not_a_report": N_("{number} bukan laporan: hanya laporan yang dapat dijadikan temuan."),
    "information.already_taken_up": N_("laporan ini telah dijadikan temuan {number}."),
    "nik.digits": N_("NIK hanya berisi angka."),
    "nik.length": N_("NIK harus 16 angka, bukan {length}."),
    "nik.province": N_("dua angka pertama NIK ({value}) bukan kode provinsi."),
    "nik.birth_date": N_("angka ke-7 s.d. 12 NIK ({value}) bukan tanggal lahir (DDMMYY, hari +40 untuk perempuan)."),
    "nik.serial": N_("empat angka terakhir NIK tidak boleh 0000."),
    "nrp.digits": N_("NRP hanya berisi angka."),
    "nrp.length": N_("NRP berisi 5 sampai 18 angka, bukan {length}."),
    "case.village_required": N_("isi nama desa untuk kepala desa atau perangkat desa."),
    "criminal.moment_in_future": N_("{moment} belum terjadi."),
    "criminal.forward_before_declaration": N_("penerusan tidak dapat mendahului pernyataan dugaan tindak pidana "
                                              "({declared})."),
    "sanction.wrong_asn_kind": N_("'{kind}' hanya untuk {allowed}; terlapor ini {asn_kind}."),
    "sanction.second_same_slot": N_("'{first}' dan '{second}' sejenis: bersama-sama hanya dapat direkomendasikan satu "
                                    "sanksi moral dan satu hukuman disiplin."),
    "sanction.slot_already_imposed": N_("SK untuk sanksi sejenis '{kind}' telah dicatat; yang belum adalah sanksi "
                                        "lain yang direkomendasikan."),
    "sanction.finding_reason_required": N_("wajib diisi bila pelanggaran tidak terbukti: tuliskan alasannya."),
    "sanction.not_proven_with_sanction": N_("tidak terbukti tidak disertai rekomendasi sanksi; kosongkan jenis "
                                            "sanksi."),
    # Reporter status (casework/reporter_status.py)
    "status.not_found": N_("Kode tidak ditemukan. Periksa kembali kode pada tanda terima laporan Anda."),
    "verify.rate_limited": N_("Terlalu banyak pemeriksaan dari alamat Anda. Tunggu satu menit, lalu coba lagi."),
    "verify.no_file": N_("Pilih berkas PDF surat yang ingin diperiksa."),
    "verify.not_a_letter": N_("Berkas ini bukan PDF atau lebih besar dari {max_mb} MB; surat Netra berupa PDF "
                              "berukuran puluhan kilobita."),
    "status.rate_limited": N_("Terlalu banyak permintaan dari alamat Anda. Tunggu satu menit, lalu coba lagi."),
    # Clarification hearings (casework/road/hearings.py)
    "hearing.date_past": N_("tanggal {date} sudah lewat (tanggal tindakan: {today}); pilih hari itu atau sesudahnya."),
    "hearing.unknown_invitee": N_("'{value}' tidak dikenal pada kasus ini: pilih ASN terlapor (reported:NIP), "
                                  "pelapor (reporter) atau saksi (witness:N)."),
    "hearing.no_invitee": N_("undang sedikitnya satu orang: ASN terlapor, pelapor, saksi atau undangan lain."),
    "hearing.other_too_long": N_("baris '{value}' terlalu panjang (nama dan peran masing-masing maksimal 200 "
                                 "karakter)."),
    "hearing.none_scheduled": N_("kasus ini tidak memiliki jadwal klarifikasi yang berlaku; undang klarifikasi "
                                 "dahulu."),
    "hearing.not_yet": N_("klarifikasi dijadwalkan {date}; berita acara baru dapat dicatat pada hari itu atau "
                          "sesudahnya (tanggal tindakan: {today})."),
    "hearing.same_schedule": N_("jadwal baru sama dengan jadwal yang berlaku; tidak ada yang diubah."),
    "hearing.not_invited": N_("'{value}' tidak diundang pada klarifikasi ini."),
    # Letter signers (casework/letters/signers.py)
    "link.not_found": N_("tautan ini tidak dikenal; periksa kembali alamatnya pada email yang Anda terima."),
    "link.revoked": N_("tautan untuk surat {number} telah dicabut dan diganti; gunakan tautan terbaru dari kantor "
                       "pengirim, atau hubungi kantor tersebut."),
    "link.expired": N_("tautan untuk surat {number} berlaku sampai {date}; mintalah tautan baru kepada kantor "
                       "pengirim."),
    "link.already_acknowledged": N_("penerimaan surat ini sudah dikonfirmasi oleh {name} (diterima {date}); "
                                    "tidak ada yang diubah."),
    "link.letter_not_valid": N_("surat {number} tidak berlaku lagi ({status}); penerimaannya tidak dapat "
                                "dikonfirmasi."),
    # The REST API (admin/api, casework.accounts.tokens, casework.adapters.idempotency)
    "api.unauthenticated": N_("permintaan ini memerlukan token API (header Authorization: Bearer …); token dibuat "
                              "dengan `netra api token create`."),
    "api.bad_token": N_("token API tidak dikenal, telah dicabut atau kedaluwarsa, atau akunnya tidak aktif."),
    "api.rate_limited": N_("terlalu banyak permintaan dengan token ini; tunggu satu menit, lalu coba lagi."),
    "api.read_only": N_("token ini hanya untuk membaca; mengambil langkah memerlukan token yang dibuat dengan "
                        "--write."),
    "api.idempotency_missing": N_("setiap penulisan memerlukan header Idempotency-Key (mis. sebuah UUID); tidak "
                                  "ada yang disimpan."),
    "api.idempotency_bad_key": N_("Idempotency-Key harus 1 sampai 200 karakter ASCII tanpa spasi; tidak ada yang "
                                  "disimpan."),
    "api.idempotency_reused": N_("Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru untuk "
                                 "permintaan baru. Tidak ada yang disimpan."),
    "api.idempotency_in_flight": N_("permintaan lain dengan Idempotency-Key yang sama sedang diproses; coba lagi "
                                    "sebentar lagi."),
    "api.not_json": N_("isi permintaan harus berjenis application/json; tidak ada yang disimpan."),
    "api.bad_json": N_("isi permintaan bukan objek JSON yang valid; tidak ada yang disimpan."),
    "api.bad_code": N_("'{value}' bukan kode wilayah yang valid."),
    "api.bad_number": N_("'{value}' harus bilangan bulat dari 1 sampai {max}."),
    "api.bad_version": N_("harus bilangan bulat tidak negatif (versi kasus yang Anda baca)."),
    "api.unknown_parameter": N_("parameter '{name}' tidak dikenal."),
    "api.empty_parameter": N_("kosong; beri nilai atau hilangkan parameter '{name}'."),
    "api.unknown_member": N_("'{name}' tidak dikenal; isi permintaan ini hanya memuat {members}."),
    "api.not_list": N_("harus berupa daftar (array JSON) teks."),
    "api.not_object": N_("harus berupa objek JSON."),
    "api.bad_file": N_("berkas harus berupa objek {{\"filename\", \"content\"}} dengan isi dalam base64."),
    "api.bad_token_label": N_("label token wajib diisi, paling panjang 100 karakter, tanpa karakter kendali."),
    "api.bad_token_days": N_("masa berlaku token harus 1 sampai {max} hari."),
    "api.unknown_token": N_("token API #{id} tidak dikenal."),
    "api.not_found": N_("alamat API ini tidak ada; daftar alamatnya ada di /api/v1/openapi.json."),
    "api.method": N_("metode ini tidak diizinkan untuk alamat ini."),
    "api.too_large": N_("kiriman melebihi 20 MB; tidak ada yang disimpan."),
    "api.bad_request": N_("permintaan tidak valid; tidak ada yang disimpan."),
    "api.control_chars": N_("sebuah parameter berisi karakter kendali; tidak ada yang disimpan."),
    "api.server_error": N_("permintaan tidak dapat diselesaikan; tidak ada perubahan yang disimpan sebagian. Bila "
                           "berulang, sebutkan request_id kepada administrator."),
    "api.unavailable": N_("basis data sedang tidak dapat dihubungi; tidak ada perubahan yang disimpan sebagian. "
                          "Coba lagi dalam beberapa saat."),
    "user.integration_roles": N_("akun integrasi tidak boleh berperan administrator sistem."),
    # Webhooks (casework/webhooks)
    "webhook.bad_url": N_("'{url}' bukan alamat yang dapat dipakai (tanpa nama pengguna atau kata sandi di dalamnya)."),
    "webhook.not_https": N_("'{url}' harus memakai https (http hanya ke mesin ini, di luar produksi)."),
    "webhook.bad_events": N_("kejadian tidak dikenal: {events}; pilihan: {choices}."),
    "webhook.unknown": N_("langganan webhook #{id} tidak dikenal."),
    "link.before_letter": N_("tanggal diterima tidak boleh sebelum tanggal surat ({date})."),
    "link.not_for_letter": N_("surat {number} tidak memakai tautan tanggapan (hanya surat kepada instansi di luar "
                              "Bawaslu yang sudah terbit)."),
    "link.rate_limited": N_("Terlalu banyak permintaan dari alamat Anda. Tunggu satu menit, lalu coba lagi."),
    "access.acknowledge_addressee_only": N_("penerimaan surat hanya dikonfirmasi oleh penerimanya, melalui tautan "
                                            "pada email surat itu."),
    "date.in_future": N_("tanggal ada di masa depan (hari ini {today})."),
    "signing.key_missing": N_("sertifikat elektronik {official} belum dipasang untuk {office}: surat ini harus "
                              "ditandatangani secara elektronik. Pasang dengan 'netra signing install'."),
    "signing.official_unknown": N_("pejabat penanda tangan nomor {id} tidak ada (lihat 'netra signing status')."),
    "signing.bad_p12": N_("berkas PKCS#12 tidak dapat dibuka dengan frasa sandinya, atau tidak memuat kunci dan "
                          "sertifikat: {detail}"),
    "signing.failed": N_("tanda tangan elektronik {name} gagal dibuat: {detail}"),
    "signing.no_box": N_("tata letak surat tidak menyediakan kotak tanda tangan '{role}'."),
    "signing.font_missing": N_("huruf untuk tampilan tanda tangan tidak ditemukan: {path} (paket fonts-liberation2)."),
    "signer.unknown": N_("'{signer}' bukan pejabat penanda tangan {office} yang bertugas pada {date}."),
    # Letters
    "letter.unknown_kind": N_("jenis surat '{kind}' tidak dikenal; yang ada: {known}."),
    "letter.no_recipient": N_("surat '{kind}' tidak memiliki penerima untuk kasus ini ({why})."),
    "letter.bad_recipient": N_("penerima nomor {index} tidak ada; surat ini memiliki {count} penerima."),
    "letter.issue_failed": N_("surat {number} gagal diterbitkan dan nomornya dicatat batal: {detail}"),
    "letter.not_found": N_("surat '{number}' tidak ditemukan."),
    "letter.not_issued": N_("surat {number} belum/tidak diterbitkan (status: {status})."),
    "letter.tampered": N_("berkas surat {number} tidak sesuai dengan hash yang tercatat."),
    "letter.already_void": N_("surat {number} sudah dibatalkan."),
    # Letter requests: what a case is owed, claimed once (casework/letters/requests.py, issue.py)
    "letter.already_issued": N_("surat ini sudah diterbitkan: nomor {number} ({date}). Tidak ada nomor baru yang "
                                "dipakai. Untuk memperbaikinya, gunakan \"Terbitkan ulang (koreksi)\" dengan alasan."),
    "letter.being_issued": N_("surat ini sedang diterbitkan oleh {actor}: nomor {number}. Tidak ada nomor baru yang "
                              "dipakai; muat ulang halaman sebentar lagi."),
    "letter.not_owed": N_("surat ini tidak sedang terutang (status permintaan: {status}); tidak ada yang diterbitkan."),
    "letter.claim_taken_over": N_("penerbitan nomor {number} terlalu lama dan telah diambil alih oleh penerbit lain; "
                                  "nomor {number} dicatat batal dan surat ini tidak diterbitkan dua kali."),
    "letter.not_correctable": N_("surat {number} tidak dapat dikoreksi (status: {status}); hanya surat yang berlaku "
                                 "yang dapat diterbitkan ulang."),
    "letter.correction_reason_required": N_("wajib diisi: tuliskan mengapa surat diterbitkan ulang."),
    "letter.request_not_found": N_("permintaan surat {id} tidak ditemukan."),
    "letter.addressee_gone": N_("penerima '{label}' tidak lagi ada pada kasus ini; surat tidak dapat diterbitkan."),
    "letter.none_owed": N_("kasus {case} tidak sedang menunggu surat '{kind}' untuk {addressee}. Lihat yang "
                           "terutang: netra letter owed {case}. Untuk memperbaiki surat yang sudah terbit: netra letter "
                           "correct NOMOR --reason \"...\" --actor NAMA."),
    "letter.none_owed_issued": N_("kasus {case} tidak sedang menunggu surat '{kind}' untuk {addressee} (surat {number} "
                                  "sudah terbit). Lihat yang terutang: netra letter owed {case}. Untuk memperbaikinya: "
                                  "netra letter correct {number} --reason \"...\" --actor NAMA."),
    # Evidence
    "evidence.not_allowed": N_("hanya penangan pelanggaran di {office}, kantor yang menangani kasus ini, yang dapat "
                               "mengunggah bukti."),
    "evidence.type": N_("jenis berkas tidak diterima; yang diterima: {allowed}."),
    "evidence.empty": N_("berkas kosong."),
    "evidence.too_large": N_("berkas terlalu besar (maksimal {max_mb} MB)."),
    "evidence.disguised": N_("isi berkas bukan {ext} seperti namanya; berkas ditolak."),
    "evidence.tampered": N_("berkas bukti {name} tidak sesuai dengan hash yang tercatat."),
    # The register of prevention work (casework/prevention/register.py)
    "prevention.not_found": N_("kegiatan pencegahan #{id} tidak ditemukan."),
    "prevention.no_document": N_("kegiatan pencegahan #{id} tidak memiliki dokumen."),
    "prevention.stale": N_("kegiatan ini telah diubah orang lain (versi Anda {expected}, versi terkini {current}); "
                           "muat ulang lalu ulangi perubahan Anda."),
    "prevention.kind_fixed": N_("jenis kegiatan tidak dapat diubah (tetap {kind}); hapus lalu catat ulang bila "
                                "keliru."),
    "prevention.not_for_kind": N_("tidak dipakai untuk {kind}; kosongkan isian ini."),
    "prevention.unknown_agency": N_("instansi '{code}' tidak dikenal."),
    "prevention.agency_region": N_("{agency} bekerja di wilayah {area}; kegiatannya tidak dapat dicatat di "
                                   "wilayah {region}."),
    "prevention.bad_count": N_("'{value}' bukan jumlah orang yang valid (bilangan bulat 1 sampai 10.000.000)."),
    "prevention.more_than_asn": N_("{signatories} penanda tangan melebihi jumlah ASN unit ({asn})."),
    "prevention.document_pdf": N_("dokumen yang ditandatangani harus berupa PDF."),
    "prevention.no_office": N_("tidak ada kantor Bawaslu untuk wilayah {region}."),
    # Accounts
    # One text for every failed login (unknown, inactive, wrong password, locked): it never says which.
    "auth.failed": N_("Gagal masuk: nama pengguna atau kata sandi salah, atau akun sedang dikunci sementara setelah "
                      "terlalu banyak percobaan gagal. Akun terkunci? Minta tautan masuk lewat email (di bawah)."),
    "auth.locked": N_("akun dikunci sementara karena terlalu banyak percobaan gagal; coba lagi dalam {minutes} menit."),
    "auth.totp_wrong": N_("kode autentikator salah atau kedaluwarsa."),
    "link.invalid": N_("Tautan ini tidak berlaku lagi: sudah dipakai, kedaluwarsa, dimatikan setelah percobaan yang "
                       "salah, atau tidak dikenal. Minta tautan baru."),
    "link.wrong": N_("Kata sandi atau kode autentikator salah; sisa {left} percobaan untuk tautan ini."),
    "password.too_short": N_("kata sandi minimal {min} karakter."),
    "password.too_long": N_("kata sandi maksimal {max} karakter."),
    "password.mismatch": N_("kedua isian kata sandi tidak sama."),
    "password.is_username": N_("kata sandi tidak boleh sama dengan nama pengguna."),
    # The system administrator's user form and `netra user create`
    "user.sysadmin_with_case_role": N_("Peran administrator sistem tidak dapat digabung dengan peran yang melihat isi "
                                       "kasus ({roles}): administrator sistem tidak boleh membaca kasus. Buat akun "
                                       "terpisah untuk orang yang menangani kasus."),
    "user.case_role_needs_email": N_("Akun dengan peran yang melihat kasus wajib memiliki alamat email: tautan "
                                     "aktivasi dikirim ke sana agar pemiliknya sendiri yang membuat kata sandi."),
    "user.bad_email": N_("alamat email '{email}' tidak valid."),
    "user.unknown": N_("akun '{username}' tidak ditemukan."),
    "user.exists": N_("nama pengguna '{username}' sudah dipakai."),
    "user.unknown_role": N_("peran '{role}' tidak dikenal; pilihan: {choices}."),
    "user.unknown_org": N_("{kind} '{code}' tidak ditemukan."),
    "user.bad_username": N_("nama pengguna hanya boleh huruf kecil, angka, titik, garis bawah dan tanda hubung (2–64 "
                            "karakter)."),
    # Operations
    "db.unreachable": N_("basis data tidak dapat dihubungi ({url}): {detail}"),
    "db.not_migrated": N_("basis data belum dimigrasi; jalankan `netra db upgrade` dahulu."),
    "audit.intact": N_("Jejak audit utuh: {count} peristiwa diperiksa, rantai hash tidak terputus. "
                       "Hash terakhir: {head}"),
    "audit.broken_hash": N_("Jejak audit RUSAK pada peristiwa #{id} ({at}, {actor}, {action}): isinya tidak sesuai "
                            "dengan hash yang tercatat — peristiwa ini diubah setelah dicatat. {count} peristiwa "
                            "sebelumnya utuh."),
    "audit.broken_link": N_("Jejak audit RUSAK pada peristiwa #{id} ({at}, {actor}, {action}): prev_hash-nya bukan "
                            "hash peristiwa sebelumnya — ada peristiwa yang dihapus, disisipkan atau diubah tepat "
                            "sebelum ini. {count} peristiwa sebelumnya utuh."),
    "io.failed": N_("berkas {path} tidak dapat dibuka: {detail}."),
    "deadline.start_out_of_range": N_("tanggal mulai {value} di luar rentang yang dihitung ({earliest} sampai "
                                      "{latest})."),
    "demo.not_available": N_("data demo tidak tersedia di instalasi ini (dicari di {root}/demo); data demo hanya ada "
                             "di salinan sumber Netra."),
    "regions.not_loaded": N_("data wilayah belum dimuat; jalankan `netra regions load` dahulu."),
    # Spreadsheets (export, import of a case register)
    "export.unknown_format": N_("format '{fmt}' tidak dikenal; pilihan: {choices}."),
    "league.unknown_sort": N_("kolom urutan '{sort}' tidak dikenal; pilihan: {choices}."),  # the PPK league table
    "export.done": N_("{count} kasus ditulis ke {path} (kolom data pribadi: {personal})."),
    "template.done": N_("Templat impor ditulis ke {path}; hapus baris contoh sebelum mengisi."),
    "import.too_big": N_("berkas '{name}' terlalu besar untuk diimpor: {size} MB setelah dibuka (maksimal {max} MB); "
                         "bagi menjadi beberapa berkas. Tidak ada yang disimpan."),
    "import.bad_file": N_("berkas '{name}' tidak dapat dibaca sebagai XLSX: {detail}"),
    "import.no_rows": N_("lembar '{sheet}' tidak berisi baris data di bawah baris judul."),
    "import.missing_column": N_("kolom wajib '{header}' tidak ada di baris judul (baris 1)."),
    "import.duplicate_column": N_("kolom '{header}' muncul lebih dari sekali di baris judul."),
    "import.unknown_columns": N_("kolom tidak dikenal, diabaikan: {headers}."),
    "import.where": N_("Baris {row}, kolom {column} ({header})"),
    "import.row": N_("Baris {row}"),
    "import.reported_item": N_("terlapor ke-{n}"),
    "import.witness_item": N_("saksi ke-{n}"),
    "import.nip_as_number": N_("NIP tertulis sebagai angka ({value}); Excel membulatkan angka 18 digit — format sel "
                               "sebagai Teks lalu ketik ulang NIP."),
    "import.count_mismatch": N_("berisi {count} nilai dipisah ';', padahal kolom {other} berisi {expected}."),
    "import.duplicate_ref": N_("nomor referensi '{ref}' sudah dipakai di baris {row}."),
    "import.ref_other_office": N_("nomor referensi '{ref}' sudah dipakai kasus {number} milik kantor {office}."),
    "import.example_row": N_("ini baris contoh dari templat; hapus sebelum mengimpor."),
    "import.existing": N_("sudah ada (already imported) sebagai kasus {number}; dilewati."),
    "import.ready": N_("siap diimpor."),
    "import.imported": N_("diimpor sebagai kasus {number}."),
    "import.summary_dry_run": N_("Uji coba: {ready} baris siap diimpor, {invalid} baris bermasalah, {existing} sudah "
                                 "ada; tidak ada yang disimpan."),
    "import.summary_failed": N_("{invalid} baris bermasalah; tidak ada yang diimpor (semua atau tidak sama sekali)."),
    "import.summary_done": N_("{imported} kasus diimpor; {existing} sudah ada dan dilewati."),
    "block.already_blocked": N_("data kepegawaian terlapor ini sudah tercatat diblokir; catat pembukaannya dahulu."),
    "block.not_blocked": N_("tidak ada blokir yang tercatat untuk terlapor ini."),
    "block.unblocked_before_blocked": N_("pembukaan blokir tidak dapat sebelum tanggal blokir ({date})."),
    "handover.none": N_("Tidak ada jalur KASN yang masih terbuka: tidak ada yang dialihkan."),
    "handover.line": N_("{case} · {nip} {name} · {stage} → {to}"),
    "handover.dry_run": N_("Uji coba: {count} jalur KASN akan dialihkan ({bkn} ke BKN, {menpanrb} melapor ke Menteri "
                           "PANRB); tidak ada yang disimpan. Laksanakan dengan --apply --actor NAMA."),
    "handover.done": N_("{count} jalur KASN dialihkan ({bkn} ke BKN, {menpanrb} melapor ke Menteri PANRB); tercatat "
                        "di riwayat kasus dan jejak audit."),
    "handover.actor_required": N_("sebutkan siapa yang melaksanakan pengalihan dengan --actor NAMA."),
    "import.actor_required": N_("sebutkan siapa yang mengimpor dengan --actor NAMA, atau uji dahulu dengan --dry-run."),
    "exchange.unknown_format": N_("berkas '{name}' bukan CSV, XLSX atau ZIP."),
    "exchange.zip_one_sheet": N_("ZIP '{name}' harus berisi tepat satu lembar CSV atau XLSX (ada {count})."),
    "exchange.too_many_rows": N_("berkas berisi {count} baris; paling banyak {max} baris sekali impor — bagi "
                                 "berkasnya."),
    "exchange.unknown_status": N_("'{value}' tidak dikenal; status yang dikenal: {known}."),
    "exchange.file_missing": N_("berkas '{name}' tidak ada di dalam ZIP."),
    "exchange.row_ready": N_("siap diterapkan: {status}."),
    "exchange.row_applied": N_("diterapkan: {status}."),
    "exchange.row_unchanged": N_("sudah tercatat di Netra: {status}; tidak diubah."),
    "exchange.row_unknown": N_("NIP dengan nomor register ini tidak dikenal Netra atau di luar lingkup Anda; "
                               "dilewati."),
    "exchange.row_invalid": N_("ditolak: {status}."),
    "exchange.summary_dry_run": N_("Uji coba: {ready} baris siap diterapkan, {invalid} ditolak, {unchanged} sudah "
                                   "tercatat, {unknown} tidak dikenal; tidak ada yang disimpan."),
    "exchange.summary_done": N_("{applied} perubahan diterapkan dan tercatat di jejak audit; {unchanged} sudah "
                                "tercatat, {unknown} tidak dikenal dan dilewati."),
    "exchange.summary_failed": N_("{invalid} baris ditolak; tidak ada yang diterapkan (semua atau tidak sama "
                                  "sekali)."),
    # a region's figures: IKP scores, ASN headcounts (casework/prevention/figures.py, figure_sheets.py)
    "figures.bad_region": N_("'{value}' bukan kode wilayah: 2 digit untuk provinsi (mis. 64) atau 4 digit untuk "
                             "kabupaten/kota (mis. 6402)."),
    "figures.unknown_region": N_("kode wilayah {code} tidak ada dalam daftar provinsi dan kabupaten/kota "
                                 "Kemendagri."),
    "figures.bad_year": N_("'{value}' bukan tahun yang valid (mis. 2024)."),
    "figures.unknown_election": N_("pemilihan '{code}' tidak dikenal Netra."),
    "figures.election_elsewhere": N_("pemilihan '{code}' tidak berlangsung di wilayah {region}."),
    "figures.bad_score": N_("'{value}' bukan angka."),
    "figures.score_range": N_("skor {value} di luar rentang 0–100."),
    "figures.bad_count": N_("'{value}' bukan jumlah yang valid (bilangan bulat 0 atau lebih)."),
    "figures.bad_url": N_("'{value}' bukan alamat web (harus diawali http:// atau https://)."),
    "figures.duplicate_key": N_("angka yang sama (wilayah, tahun, pemilihan, tema, dimensi) sudah ada di baris "
                                "{row} berkas ini."),
    "figures.unknown_format": N_("berkas '{name}' bukan CSV atau XLSX."),
    "figures.changed_meanwhile": N_("angka ini baru saja dicatat pengguna lain; tidak ada yang disimpan. Muat ulang "
                                    "lalu ulangi."),
    "figures.row_insert": N_("angka baru."),
    "figures.row_update": N_("mengubah angka yang tercatat."),
    "figures.row_unchanged": N_("sudah tercatat; tidak berubah."),
    "figures.row_invalid": N_("bermasalah."),
    "figures.summary_dry_run": N_("Uji coba: {insert} angka baru, {update} diperbarui, {unchanged} tidak berubah, "
                                  "{invalid} baris bermasalah; belum ada yang disimpan."),
    "figures.summary_done": N_("{insert} angka baru dan {update} diperbarui, tercatat di jejak audit; {unchanged} "
                               "tidak berubah."),
    "figures.summary_failed": N_("{invalid} baris bermasalah; tidak ada yang disimpan (semua atau tidak sama "
                                 "sekali)."),
    "mail.unknown": N_("email nomor {id} tidak ada di kotak keluar."),
    "mail.not_stuck": N_("email nomor {id} berstatus {status}, bukan 'sending'; hanya email yang macet saat "
                         "dikirim yang dijawab dengan perintah ini."),
    "mail.resolve_how": N_("sebutkan --sent (server email sudah menerimanya) atau --resend (kirim lagi)."),
    "mail.resolved_sent": N_("Email nomor {id} dicatat terkirim (sudah diterima server email); tidak dikirim lagi."),
    "mail.resolved_resend": N_("Email nomor {id} dikembalikan ke antrean; pengiriman berikutnya mengirimnya."),
    "backup.where": N_("sebutkan --out BERKAS atau --dir DIREKTORI (dengan --keep N bila perlu), salah satu saja."),
    "backup.written": N_("Arsip cadangan ditulis ke {path}: {rows} baris dalam {tables} tabel, {files} berkas "
                         "(revisi {revision})."),
    "backup.pruned": N_("Arsip lama dihapus: {path}."),
    "backup.tool_missing": N_("program {tool} tidak ada; pasang paket klien PostgreSQL (postgresql-client)."),
    "backup.tool_failed": N_("{tool} gagal: {detail}"),
    "restore.other_database": N_("arsip ini dari basis data {archive}; instalasi ini memakai {target}."),
    "restore.not_empty": N_("instalasi ini tidak kosong ({where}); pemulihan hanya ke instalasi kosong, agar tidak "
                            "ada yang tertimpa."),
    "restore.not_an_archive": N_("'{name}' bukan arsip `netra backup` yang dapat dibaca."),
    "restore.unexpected_member": N_("arsip berisi '{name}' yang tidak tercantum di manifest; tidak ada yang "
                                    "dipulihkan."),
    "restore.changed": N_("berkas '{name}' di arsip tidak sama dengan sha256 di manifest; tidak ada yang "
                          "dipulihkan."),
    "restore.missing": N_("{count} berkas manifest tidak ada di arsip (pertama: '{name}'); tidak ada yang "
                          "dipulihkan."),
    "restore.done": N_("Dipulihkan dari {archive} (dibuat {created}): {rows} baris dalam {tables} tabel, {files} "
                       "berkas."),
    "restore.migrated": N_("Skema: revisi {start} → {end} ({count} migrasi dijalankan)."),
    "restore.checked": N_("Diperiksa: rantai jejak audit ({events} peristiwa), {evidence} bukti, {decrees} SK, "
                          "{letters} surat — setiap berkas dengan sha256 tercatat."),
    "privacy.case_or_nip": N_("sebutkan --case NOMOR atau --nip NIP, salah satu saja."),
    "privacy.no_reads": N_("Belum ada pembacaan data pribadi yang tercatat."),
    "privacy.actor_required": N_("sebutkan siapa yang melaksanakan dengan --actor NAMA."),
    "privacy.due_line": N_("{number} · berakhir {ended} · {people} orang · {files} berkas"),
    "privacy.dry_run": N_("Uji coba: {count} kasus melewati masa retensi {years} tahun dan akan dipseudonimkan; "
                          "tidak ada yang diubah. Laksanakan dengan --apply --actor NAMA."),
    "privacy.pseudonymised": N_("{count} kasus dipseudonimkan (masa retensi {years} tahun); tercatat di jejak "
                                "audit."),
    "privacy.none_due": N_("Tidak ada kasus yang melewati masa retensi {years} tahun."),
    "airflow.no_api": N_("alamat API Airflow belum diatur (NETRA_AIRFLOW_API_URL)."),
    "airflow.unreachable": N_("API Airflow di {url} tidak dapat dihubungi: {detail}"),
    "airflow.refused": N_("API Airflow di {url} menolak ({status}): {detail}"),
    "resync.line": N_("{case} ({stage}) · di Airflow: {airflow} → {action}"),
    "resync.none": N_("Semua run kasus sejalan dengan Airflow ({airflow} run di Airflow); tidak ada yang diubah."),
    "resync.dry_run": N_("Uji coba: {restart} run dimulai lagi, {clear} diulang, {end} ditutup; tidak ada yang "
                         "diubah. Laksanakan dengan --apply."),
    "resync.done": N_("{restart} run akan dimulai lagi oleh reconcile, {clear} diulang, {end} ditutup; tercatat di "
                      "jejak audit."),
    "referral.not_forwarded": N_("kasus {number} belum diteruskan kepada lembaga pengawas: belum ada paket rujukan."),
    "referral.letter_not_issued": N_("surat '{kind}' kasus {number} belum terbit; paket rujukan dibuat setelah surat "
                                     "itu terbit."),
    "referral.written": N_("Paket rujukan ditulis ke {path}: {people} ASN terlapor, {evidence} berkas bukti; "
                           "sha256 {sha256}."),
}

# Field names as shown to users.
FIELD_LABELS: dict[str, str | tuple[str, str]] = {
    # the REST API's query and body (admin/api)
    "page": N_("Halaman"),
    "per_page": N_("Jumlah per halaman"),
    "stage": N_("Tahap"),
    "status": N_("Status"),
    "overdue": N_("Lewat tenggat"),
    "version": N_("Versi kasus"),
    "input": N_("Isian langkah"),
    "number": N_("Nomor kasus"),
    "source": N_("Sumber"),
    "election": N_("Pemilihan"),
    "office": N_("Kantor penanganan"),
    "regency": N_("Kabupaten/kota"),
    "district": N_("Kecamatan"),
    "place": N_("Tempat kejadian"),
    "occurred_on": N_("Tanggal kejadian"),
    "known_on": N_("Tanggal diketahui"),
    "received_on": N_("Tanggal diterima"),
    "summary": N_("Pokok perkara"),
    "chronology": N_("Kronologi"),
    "violations": N_("Jenis pelanggaran"),
    "reporter": N_("Pelapor"),
    "reporter.name": N_("Nama pelapor"),
    "reporter.address": N_("Alamat pelapor"),
    "reporter.phone": N_("Telepon pelapor"),
    "reporter.email": N_("Email pelapor"),
    "mode": N_("Jenis kiriman"),
    "consent": N_("Persetujuan"),
    "evidence": N_("Bukti"),
    "found_by": N_("Penemu (pengawas)"),
    "reported": N_("ASN terlapor"),
    "nip": N_("NIP"),
    "name": N_("Nama"),
    "position": N_("Jabatan"),
    "agency": N_("Instansi"),
    "asn_kind": N_("Jenis ASN"),
    "person_kind": N_("Jenis terlapor"),
    "village": N_("Desa"),
    "confirm": N_("Konfirmasi"),
    "witness": N_("Saksi"),
    "reason": N_("Alasan"),
    "note": N_("Catatan"),
    "left_reason": N_("Sebab tidak lagi ASN"),
    "reference": N_("Nomor surat/pemberitahuan BKN"),
    "declared_time": N_("Pukul pernyataan"),
    "article": N_("Pasal dugaan tindak pidana"),
    "sent_time": N_("Pukul penerusan"),
    "answer": N_("Jawaban"),
    "action": N_("Sanksi yang dijatuhkan instansi"),
    "decision_number": N_("Nomor putusan"),
    "decision_pdf": N_("Berkas putusan (PDF)"),
    "answer_reference": N_("Nomor surat atau putusan"),
    "outcome": N_("Putusan"),
    "reasoning": N_("Pertimbangan"),
    "acted_on": N_("Tanggal peristiwa"),
    "outcomes": N_("Putusan per terlapor"),
    "correction": N_("Alasan koreksi"),
    "forwarded_to": N_("Diteruskan kepada"),
    "minutes": N_("Berita acara"),
    "hearing_date": N_("Tanggal klarifikasi"),
    "hearing_time": N_("Jam klarifikasi"),
    "hearing_place": N_("Tempat klarifikasi"),
    "invitees": N_("Diundang"),
    "others": N_("Undangan lain (satu per baris: nama; peran)"),
    "attended": N_("Hadir"),
    "signer": N_("Penanda tangan"),
    "ack_name": N_("Nama penerima"),
    "ack_position": N_("Jabatan penerima"),
    "ack_received_on": N_("Tanggal surat diterima"),
    "conclusion": N_("Kesimpulan kajian"),
    "missing": N_("Kekurangan syarat"),
    "sanction": N_("Jenis sanksi"),
    "second_sanction": N_("Sanksi kedua (sanksi moral dan hukuman disiplin bersama)"),
    "decree_number": N_("Nomor SK"),
    "decree_date": N_("Tanggal SK"),
    "sanction_level": N_("Tingkat sanksi"),
    "decree_signer_name": N_("Nama penanda tangan SK"),
    "decree_signer_title": N_("Jabatan penanda tangan SK"),
    "effective_from": N_("Berlaku mulai (TMT)"),
    "effective_until": N_("Berlaku sampai"),
    "decree_pdf": N_("Berkas SK (PDF)"),
    # a status export's columns (casework.exchange.statuses) that are no step's field
    "register_number": N_("Nomor register"),
    "date": N_("Tanggal"),
    "decree_file": N_("Berkas SK (nama berkas di dalam ZIP)"),
    "into": N_("Digabung ke kasus"),
    "track": N_("ASN terlapor"),
    # elections
    "code": N_("Kode"),
    "kind": N_("Jenis"),
    "voting_day": N_("Hari pemungutan suara"),
    "starts_on": N_("Awal masa"),
    "ends_on": N_("Akhir masa"),
    "province": N_("Provinsi"),
    "stages": N_("Tahapan"),
    "parent": N_("Pemilihan induk (PSU)"),
    "basis": N_("Dasar hukum"),
    # accounts
    "password": N_("Kata sandi"),
    "username": N_("Nama pengguna"),
    "email": N_("Email"),
    "roles": N_("Peran"),
    # a region's figures (casework/prevention/figures.py)
    "region_code": N_("Kode wilayah"),
    "year": N_("Tahun"),
    "theme": N_("Tema"),
    "dimension": N_("Dimensi"),
    "score": N_("Skor"),
    "band": N_("Kategori"),
    "source_url": N_("URL sumber"),
    "count": N_("Jumlah ASN"),
    # the register of prevention work (casework/prevention/register.py)
    "title": N_("Judul kegiatan"),
    "region": N_("Wilayah"),
    "held_on": N_("Tanggal kegiatan"),
    "participants": N_("Jumlah peserta"),
    "unit": N_("Unit kerja"),
    "signatories": N_("Jumlah penanda tangan"),
    "unit_asn": N_("Jumlah ASN unit"),
    "sk_number": N_("Nomor SK pembentukan"),
    "notes": N_("Keterangan"),
    "document": N_("Dokumen yang ditandatangani (PDF)"),
}


Bilingual = Text  # the old name of a text that is shown in the reader's language


def _text(entry: str | tuple[str, str], lang: str) -> str:
    if isinstance(entry, tuple):  # a pair not yet moved into netra.po
        return entry[1] if lang == "en" else entry[0]
    return translate(entry, lang)


def message(code: str, lang: str = "id", /, **params: Any) -> str:
    entry = MESSAGES.get(code)
    if entry is None:
        return code
    resolved = {k: v.pick(lang) if isinstance(v, Text) else v for k, v in params.items()}
    return _text(entry, lang).format(**resolved)


ROW_FIELD = re.compile(r"^([^\[\]]+)\[(\d{1,4})\](.*)$")


def field_label(name: str, lang: str = "id") -> str:
    # "reported[2].nip" -> label of "nip" with the row shown: "ASN terlapor #3 — NIP"
    if row := ROW_FIELD.match(name):  # an unknown name that merely contains "[" (a typo, a probe) is just a name
        head, index, tail = row.group(1), row.group(2), row.group(3).lstrip(".")
        shown = f"{field_label(head, lang)} #{int(index) + 1}"
        return f"{shown} — {field_label(tail, lang)}" if tail else shown
    entry = FIELD_LABELS.get(name)
    return _text(entry, lang) if entry else name
