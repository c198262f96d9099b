# One task runner. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: help run install test test-deps system-deps quality format messages bench clean

help:
	@echo "make run      installe, prépare la base, charge le contenu et sert Sonar sur http://$(HOST):$(PORT)"
	@echo "make test     installe ce qu'il faut aux tests (Chromium compris) et les lance tous"
	@echo "make quality  ruff format --check, ruff check, djlint, makemigrations --check"
	@echo "make format   reformate le code (ruff format, ruff check --fix)"
	@echo "make messages met à jour et compile les traductions (demande GNU gettext)"
	@echo "make bench    lance les mesures de performance (figures dans bench/results/)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install -q -e ".[test,dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/sonar migrate
	$(BIN)/sonar load-content
	$(BIN)/sonar serve --host $(HOST) --port $(PORT)

# Chromium (browser tests), GNU gettext (translation checks) and Pango (PDF) come from Debian.
system-deps:
	@./scripts/system-deps

test-deps: $(VENV)/.installed-test system-deps

# Browser tests run apart: Playwright keeps an event loop in its worker's main thread, which
# would refuse the async tests of the live workshop streams.
test: test-deps
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=15 --ignore=tests/browser
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=15 tests/browser

quality: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djlint --lint sonar
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed-test
	cd sonar && ../$(BIN)/python ../manage.py makemessages -l en --no-location --no-obsolete
	cd sonar && ../$(BIN)/python ../manage.py compilemessages -l en

$(VENV)/.installed-bench: $(VENV)/.installed-test pyproject.toml
	$(BIN)/python -m pip install -q -e ".[test,dev,bench]"
	@touch $@

# wrk (load) and nginx (static baseline) come from Debian; Lighthouse (pinned) from npm.
bench: $(VENV)/.installed-bench
	@./scripts/bench-deps
	npm ci --prefix bench/lighthouse --no-audit --no-fund --ignore-scripts
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var build *.egg-info
