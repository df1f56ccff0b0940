#!/usr/bin/env bash
# `make run`: migrate Netra's database, load regions and demo data, then print what is there and how to use it.
set -euo pipefail
cd "$(dirname "$0")/.."
netra=.venv/bin/netra

export NETRA_DATABASE_URL=${NETRA_DATABASE_URL:-sqlite:///$PWD/var/netra.db}
export NETRA_VAR_DIR=${NETRA_VAR_DIR:-$PWD/var}
AIRFLOW_PORT=${NETRA_AIRFLOW_PORT:-8080}
mkdir -p var
$netra db upgrade
$netra regions load
$netra demo load
forwarded=$($netra case list --json | .venv/bin/python -c 'import json,sys; print(next(r["number"] for r in json.load(sys.stdin) if r["stage"]=="forwarded"))')
# one issued sample letter, so the verification page has something to show
if ! compgen -G "var/letters/*.pdf" >/dev/null; then
    $netra letter render "$forwarded" recommendation_to_oversight --issue --actor demo --out var/contoh-surat.pdf \
        | tee var/contoh-surat.txt
fi
verify_url=$(grep -o 'http[^ ]*/verifikasi/[^ ]*' var/contoh-surat.txt 2>/dev/null | head -1 || true)

cat <<INFO

==============================================================================
 Netra siap (ready)
------------------------------------------------------------------------------
 Basis data (database):  ${NETRA_DATABASE_URL}
 Wilayah (regions):      $($netra regions stats --json | tr -d '\n ')
 Baris perintah (CLI):   $netra --help
                         $netra case list
                         $netra case show $forwarded
                         $netra letter render $forwarded recommendation_to_oversight --out surat.pdf
 Contoh surat (sample letter): var/contoh-surat.pdf
 Meja kerja (desk):      http://127.0.0.1:5000/   (Tugas saya, Daftar kasus, case pages with decisions)
 Verifikasi surat (public letter verification): ${verify_url:-"(none)"}
 Airflow:                http://127.0.0.1:${AIRFLOW_PORT}/   login admin / netra-demo
                         (starting; about a minute; logs in var/airflow/logs). DAGs: case_lifecycle, reconcile
 Email (SMTP sink):      127.0.0.1:8025 -> every email Netra sends lands in var/mail/new/ (Maildir)
                         $netra mail list     (the outbox: what was sent, what failed)
 Akun demo (demo logins for the desk):  username / password / role
$($netra demo logins | sed 's/^/   /')
==============================================================================
INFO

# Everything below runs until Ctrl-C, which stops all of it.
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
mkdir -p var/mail/tmp var/mail/new var/mail/cur var/airflow
# the local SMTP sink: keeps every email in var/mail (Maildir) instead of delivering it
.venv/bin/python -m aiosmtpd -n -l 127.0.0.1:8025 -c aiosmtpd.handlers.Mailbox var/mail &
pids+=($!)
# Airflow (api-server, scheduler, dag-processor, triggerer; LocalExecutor, metadata in var/airflow/airflow.db)
NETRA_AIRFLOW_HOME=$PWD/var/airflow NETRA_AIRFLOW_PORT=$AIRFLOW_PORT .venv/bin/python -m devtools.airflow_local start \
    >> var/airflow/runner.log 2>&1 &
pids+=($!)
echo "Starting Netra's desk on http://127.0.0.1:5000 and Airflow on http://127.0.0.1:${AIRFLOW_PORT} — Ctrl-C to stop."
.venv/bin/gunicorn --bind 127.0.0.1:5000 --workers 2 --access-logfile - "admin:create_app()" &
pids+=($!)
wait -n "${pids[@]}"
