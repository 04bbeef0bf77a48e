# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Each creates .venv and installs what it needs, system packages included.
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test snapshots system-packages clean

# Graphviz draws the diagrams; Chromium runs the browser test. Debian/Ubuntu packages.
system-packages:
	@command -v dot >/dev/null && command -v chromium >/dev/null || { \
	  echo "installing graphviz and chromium with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz chromium >/dev/null; }

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: system-packages $(BIN)/.installed
	$(BIN)/leadspec validate .
	$(BIN)/leadspec build .

test: system-packages $(BIN)/.installed
	$(BIN)/pytest

snapshots: system-packages $(BIN)/.installed
	$(BIN)/pytest --update-goldens

clean:
	rm -rf $(VENV) site test-artifacts
