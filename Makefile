# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Each creates .venv and installs what it needs, system packages included.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test snapshots clean

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/leadspec validate .

test: $(BIN)/.installed
	$(BIN)/pytest

snapshots: $(BIN)/.installed
	$(BIN)/pytest --update-goldens

clean:
	rm -rf $(VENV) site
