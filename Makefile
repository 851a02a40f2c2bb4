# ganbook: the two commands are `make test` and `make site`. Each (re)builds .venv first when it is
# missing or older than the pinned files, so a fresh clone needs nothing but Python 3.11+ and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ganbook-installed
PINNED := pyproject.toml requirements.lock
# MathJax, served by the site itself, comes from npm at the version package-lock.json pins.
NODE_STAMP := node_modules/.ganbook-installed
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: test site serve lint lock clean setup

$(STAMP): $(PINNED)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --constraint requirements.lock --editable ".[docs,test]"
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

site: setup
	$(BIN)/mkdocs build --strict

serve: setup
	GANBOOK_SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .

lock: $(STAMP)
	@{ echo "# Every package of the .venv, pinned: used as a pip constraints file by the Makefile."; \
	   echo "# Regenerate with: make lock"; \
	   $(BIN)/python -m pip freeze --all --exclude-editable | grep -viE '^(ganbook|pip)=='; } > requirements.lock.tmp
	@mv requirements.lock.tmp requirements.lock

clean:
	rm -rf $(VENV) node_modules site .cache .pytest_cache .ruff_cache
