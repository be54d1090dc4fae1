# The README's two commands are `make run` and `make test`; everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check vendor lock messages clean

$(STAMP): requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "需要 Python 3.11 或更高版本 / Python 3.11 or newer is required (found: $$($(PYTHON) --version 2>&1)). Set PYTHON=python3.11."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $(STAMP)

## Run the portal with demo data on embedded defaults (Ctrl-C stops everything it started).
run: $(STAMP)
	$(BIN)/python -m townadmin.devstack run

## Lint, Django checks, migrations check and the whole test suite (browser tests included).
test: $(STAMP)
	$(BIN)/python -m townadmin.devstack test

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Re-pin requirements/*.txt from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.txt
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.txt

## Fetch the vendored front-end files from the npm registry and rewrite their VERSIONS files.
vendor:
	bash scripts/vendor.sh

## Rebuild the translation catalogues (needs GNU gettext).
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=.data --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .data
