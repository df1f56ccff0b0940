#!/usr/bin/env bash
# `make run`: migrate Netra's database, load regions and demo data, then print what is there and how to use it.
set -euo pipefail
cd "$(dirname "$0")/.."
netra=.venv/bin/netra

export NETRA_DATABASE_URL=${NETRA_DATABASE_URL:-sqlite:///$PWD/var/netra.db}
mkdir -p var
$netra db upgrade
$netra regions load
$netra demo load

cat <<INFO

==============================================================================
 Netra siap (ready)
------------------------------------------------------------------------------
 Basis data (database):  ${NETRA_DATABASE_URL}
 Wilayah (regions):      $($netra regions stats --json | tr -d '\n ')
 Baris perintah (CLI):   $netra --help
                         $netra case list
                         $netra case show $($netra case list --json | .venv/bin/python -c 'import json,sys; print(next(r["number"] for r in json.load(sys.stdin) if r["stage"]=="forwarded"))')
 Desk (Flask-Admin) and Airflow are not built yet (issues 6 and 5); make run
 will start them and print their URLs here once they land.
 Akun demo (demo logins, for the desk):  username / password / role
$($netra demo logins | sed 's/^/   /')
==============================================================================
INFO
