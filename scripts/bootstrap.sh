#!/usr/bin/env bash
# Installs what is missing, idempotently: Debian packages (apt-get, as root) and the .venv from requirements.lock.
# Called by `make run` and `make test`; safe to run again (it does nothing when everything is in place).
# With an argument, installs only the Debian packages listed in that file (e.g. bench/debian-packages.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bootstrap] %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------
missing=()
while read -r pkg; do
    [[ -z "$pkg" || "$pkg" == \#* ]] && continue
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done < "${1:-scripts/debian-packages.txt}"

if ((${#missing[@]})); then
    log "Debian packages missing: ${missing[*]}"
    if [[ $(id -u) -eq 0 ]]; then apt=(apt-get); elif command -v sudo >/dev/null; then apt=(sudo apt-get); else
        echo "Paket Debian belum terpasang dan tidak ada akses root: ${missing[*]}" >&2
        echo "Debian packages missing and no root access: ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
fi

[[ $# -gt 0 ]] && exit 0  # only a package list was asked for

# --- Python virtualenv from the lock ---------------------------------------
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' || {
    echo "Netra butuh Python >= 3.11 / Netra needs Python >= 3.11 (found: $("$PYTHON" --version))" >&2; exit 1; }

# Bytecode: this machine (and CI) set PYTHONDONTWRITEBYTECODE=1, so no process ever writes a .pyc and every one
# compiled all it imports from source again — about 4.5 s of CPU per Airflow or Netra process start. The packages
# are compiled once at install (uv --compile-bytecode), the project's own sources here (only what changed).
compile_project() {
    .venv/bin/python -m compileall -q -j 0 casework admin dags netra_airflow devtools tests bench demo >/dev/null
}
stamp=.venv/.netra-installed
want=$( (cat requirements.lock pyproject.toml; echo bytecode) | sha256sum | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    compile_project
    exit 0
fi
log "installing Python packages into .venv from requirements.lock"
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet uv==0.13.9
.venv/bin/uv pip install --quiet --python .venv/bin/python --compile-bytecode -r requirements.lock
.venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .
compile_project
echo "$want" > "$stamp"
log "done"
