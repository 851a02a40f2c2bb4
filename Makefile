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

.PHONY: test site serve chapter lint lock clean setup

$(STAMP): $(PINNED)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --constraint requirements.lock --editable ".[docs,test,ray]"
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

# Two pytest-xdist workers, one test file each at a time (a file's module fixtures, such as the
# browser test's server on the built site's port, stay in one process). The workers share the
# session's expensive fixtures (the built site, the book's results) through file locks.
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=25

site: setup
	$(BIN)/mkdocs build --strict

serve: setup
	GANBOOK_SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# One chapter's experiments, claims and figures: make chapter CH=wgan-gp [PROFILE=test]
ifneq ($(filter chapter,$(MAKECMDGOALS)),)
ifndef CH
$(error usage: make chapter CH=SLUG, e.g. make chapter CH=wgan-gp)
endif
endif
chapter: setup
	$(BIN)/ganbook chapter $(CH) --profile $(or $(PROFILE),standard)

lint: $(STAMP)
	$(BIN)/ruff check .

lock: $(STAMP)
	@{ echo "# Every package of the .venv, pinned: used as a pip constraints file by the Makefile."; \
	   echo "# Regenerate with: make lock"; \
	   $(BIN)/python -m pip freeze --all --exclude-editable | grep -viE '^(ganbook|pip)=='; } > requirements.lock.tmp
	@mv requirements.lock.tmp requirements.lock

clean:
	rm -rf $(VENV) node_modules site .cache .pytest_cache .ruff_cache
