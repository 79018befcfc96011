# Simpul: `make run` serves the app with demo data; `make test` runs every check.
# Both work on a fresh machine: they create .venv and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
SCALE  ?= 0.02
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test install lint bench messages chromium check-deploy clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## run: migrate the embedded SQLite database, load the areas, seed demo data once, serve
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_regions
	DEBUG=1 $(BIN)/python manage.py seed --if-empty --scale $(SCALE)
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, formatting, migrations in step with the models, the whole suite (browser tests included)
test: install chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

## lint: ruff and mypy on the app code
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy simpul config

chromium:
	scripts/ensure-chromium

## bench: timings at national scale (see docs/performance.md)
bench: install
	$(BIN)/python -m bench.run

## messages: refresh the English catalogue after changing user-facing text
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale en --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*'
	DEBUG=1 $(BIN)/python manage.py compilemessages --locale en --ignore '.venv/*'

clean:
	rm -rf $(VENV) var staticfiles test-artifacts .pytest_cache .ruff_cache .mypy_cache
