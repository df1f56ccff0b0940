#!/bin/sh
# Every Netra container starts here. Airflow's simple auth manager reads its passwords from a file: write it from
# AIRFLOW_ADMIN_PASSWORD (docker/.env) so the secret lives in one place. Then run the service's command.
set -eu
if [ -n "${AIRFLOW_ADMIN_PASSWORD:-}" ] && [ -n "${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:-}" ]; then
    umask 077
    python -c 'import json, os, sys; json.dump({"admin": os.environ["AIRFLOW_ADMIN_PASSWORD"]}, sys.stdout)' \
        > "$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"
fi
exec "$@"
