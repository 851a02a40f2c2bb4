# ganbook: the two commands are `make test` and `make site`. Each (re)builds .venv first when it is
# missing or older than the pinned files, so a fresh clone needs nothing but Python 3.11+ and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ganbook-installed
PINNED := pyproject.toml requirements.lock
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: test site serve lint lock clean

$(STAMP): $(PINNED)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --constraint requirements.lock --editable ".[docs,test]"
	@touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

site: $(STAMP)
	$(BIN)/mkdocs build --strict

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict

lint: $(STAMP)
	$(BIN)/ruff check .

lock: $(STAMP)
	@{ echo "# Every package of the .venv, pinned: used as a pip constraints file by the Makefile."; \
	   echo "# Regenerate with: make lock"; \
	   $(BIN)/python -m pip freeze --all --exclude-editable | grep -viE '^(ganbook|pip)=='; } > requirements.lock.tmp
	@mv requirements.lock.tmp requirements.lock

clean:
	rm -rf $(VENV) site .cache .pytest_cache .ruff_cache
