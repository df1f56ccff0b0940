# Netra — the two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
BIN := .venv/bin

.PHONY: help bootstrap run prod-local test test-unit test-integration test-e2e bench lock catalog clean
# test workers (pytest-xdist): two by default, the cores CI has; NETRA_TEST_WORKERS=auto uses every core
WORKERS ?= $(or $(NETRA_TEST_WORKERS),2)

help:
	@echo "make run    install what is missing, migrate, load regions + demo data, start Netra"
	@echo "make test   install what is missing, run the whole test suite (SQLite + PostgreSQL), in parallel"
	@echo "make test-unit | test-integration | test-e2e   one tier of it (unit: no database, under a minute)"
	@echo "make prod-local  the production topology without Docker: PostgreSQL, Redis, Airflow on Celery, gunicorn"
	@echo "make bench  run the benchmarks and print one table (results: bench/README.md)"
	@echo "make lock   re-resolve requirements.lock from pyproject.toml"
	@echo "make catalog  extract every text into casework/i18n/locale/netra.pot, update en/LC_MESSAGES/netra.po"

bootstrap:
	@scripts/bootstrap.sh

run: bootstrap
	@scripts/run.sh

# docker/compose.yaml's services as processes (devtools/prod_local.py); state in var/prod, Ctrl-C stops all
prod-local: bootstrap
	$(BIN)/python -m devtools.prod_local start --demo

test: bootstrap
	$(BIN)/pytest -n $(WORKERS) --dist loadgroup

test-unit: bootstrap
	$(BIN)/pytest -m unit

test-integration: bootstrap
	$(BIN)/pytest -n $(WORKERS) -m integration

test-e2e: bootstrap
	$(BIN)/pytest -n $(WORKERS) --dist loadgroup -m e2e

bench: bootstrap
	@scripts/bootstrap.sh bench/debian-packages.txt
	$(BIN)/python -m bench.run

lock:
	scripts/lock.sh

# The one catalog of user-facing texts (README: Languages). Locations name files only, so moving a line of code
# does not change the catalog; a new text appears in netra.po with an empty msgstr, to be translated there. The
# .pot is replaced only when more than its creation date changed (no churn, no needless merge conflicts).
LOCALE := casework/i18n/locale
catalog: bootstrap
	$(BIN)/pybabel extract -F babel.cfg -k _l -k NP_:1c,2 --add-location=file --sort-output \
	    --project=Netra --copyright-holder="Netra contributors" -o $(LOCALE)/netra.pot.new .
	@if diff -q -I '^"POT-Creation-Date: ' $(LOCALE)/netra.pot $(LOCALE)/netra.pot.new >/dev/null 2>&1; \
	    then rm $(LOCALE)/netra.pot.new; else mv $(LOCALE)/netra.pot.new $(LOCALE)/netra.pot; fi
	$(BIN)/pybabel update -i $(LOCALE)/netra.pot -d $(LOCALE) -D netra -l en --ignore-obsolete --init-missing \
	    --ignore-pot-creation-date

clean:
	rm -rf var/ .pytest_cache .hypothesis
