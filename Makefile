# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Each creates .venv and installs what it needs, system packages included.
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint snapshots system-packages clean

# Graphviz draws the diagrams; Chromium runs the browser test; the engine tests start a
# PostgreSQL server and a local Spark (which runs on Java). Debian/Ubuntu packages.
PG_CTL := $(firstword $(wildcard /usr/lib/postgresql/*/bin/pg_ctl))
system-packages:
	@command -v dot >/dev/null && command -v chromium >/dev/null && command -v java >/dev/null \
	  && [ -n "$(PG_CTL)" ] || { \
	  echo "installing graphviz, chromium, postgresql and a Java runtime with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz chromium \
	    postgresql default-jre-headless >/dev/null; }

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The bundled Salesforce sample has planted violations, so `check` exits 1 here; 2 (unusable
# input) fails the demo. The report feeds the playbook's Conformance page. The sample also
# misses KPI targets, so `pilot` exits 1 too; its report feeds the Pilot results page.
demo: system-packages $(BIN)/.installed
	$(BIN)/leadspec validate .
	$(BIN)/leadspec check examples/salesforce/Lead.csv --events examples/salesforce/LeadHistory.csv \
	  --mapping salesforce --as-of 2026-11-02T11:00:00 --json build/conformance.json \
	  --junit build/conformance.junit.xml --markdown build/conformance.md \
	  --violations build/violations.csv || [ $$? -eq 1 ]
	$(BIN)/leadspec pilot examples/salesforce/Lead.csv --events examples/salesforce/LeadHistory.csv \
	  --mapping salesforce --as-of 2026-11-02T11:00:00 --json build/pilot.json \
	  --markdown build/pilot.md || [ $$? -eq 1 ]
	$(BIN)/leadspec build .

# Lint, formatting, types and the import layers are part of the tests: CI runs them all.
lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: system-packages lint
	$(BIN)/pytest

snapshots: system-packages $(BIN)/.installed
	$(BIN)/pytest --update-goldens

clean:
	rm -rf $(VENV) site test-artifacts
