#!/usr/bin/env bash
# Netra's database and Airflow's metadata database, each with its own login that owns it and can reach only it.
# Run once on an empty cluster: by the postgres image (mounted into /docker-entrypoint-initdb.d/, first start of
# an empty data volume only) and by devtools/prod_local.py after its initdb. Passwords come from the
# environment (docker/.env); psql quotes them (:'var'), so any character is safe.
set -euo pipefail
: "${NETRA_DB_PASSWORD:?NETRA_DB_PASSWORD is not set}" "${AIRFLOW_DB_PASSWORD:?AIRFLOW_DB_PASSWORD is not set}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    -v netra_user="${NETRA_DB_USER:-netra}" -v netra_password="$NETRA_DB_PASSWORD" \
    -v netra_db="${NETRA_DB_NAME:-netra}" \
    -v airflow_user="${AIRFLOW_DB_USER:-airflow}" -v airflow_password="$AIRFLOW_DB_PASSWORD" \
    -v airflow_db="${AIRFLOW_DB_NAME:-airflow}" <<'SQL'
CREATE ROLE :"netra_user" LOGIN PASSWORD :'netra_password';
CREATE DATABASE :"netra_db" OWNER :"netra_user" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"netra_db" FROM PUBLIC;
CREATE ROLE :"airflow_user" LOGIN PASSWORD :'airflow_password';
CREATE DATABASE :"airflow_db" OWNER :"airflow_user" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"airflow_db" FROM PUBLIC;
SQL
