# One task runner. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
# Test processes: one per core.
TEST_WORKERS ?= 2
PORT ?= 8000
export HOST PORT

.PHONY: help run install test test-deps system-deps quality format messages bench clean \
	lock lock-check upgrade

help:
	@echo "make run      installe, prépare la base, charge le contenu et sert Sonar sur http://$(HOST):$(PORT)"
	@echo "make test     installe ce qu'il faut aux tests (Chromium compris) et les lance tous"
	@echo "make quality  ruff format --check, ruff check, djlint, makemigrations --check"
	@echo "make format   reformate le code (ruff format, ruff check --fix)"
	@echo "make messages met à jour et compile les traductions (demande GNU gettext)"
	@echo "make bench    lance les mesures de performance (figures dans bench/results/)"
	@echo "make lock     recalcule les verrous requirements/*.txt après une modification des"
	@echo "              dépendances de pyproject.toml (garde les versions qui conviennent encore)"
	@echo "make upgrade  prend les dernières versions que pyproject.toml permet, puis lance les tests"

# Dependencies are locked with hashes (scripts/lock says why pip-tools): requirements/base.txt
# for `make run`, test.txt (base + test + dev) for `make test`, bench.txt (+ bench) for
# `make bench`. Each install takes exactly the lock, then Sonar itself without dependencies.
# After editing the dependencies of pyproject.toml, `make lock` re-locks; until then, every
# install below stops and says so (lock-check).
LOCKED_INSTALL = $(BIN)/python -m pip install -q --require-hashes --no-deps
SONAR_INSTALL = $(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

lock-check:
	@$(PYTHON) scripts/lock --check

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/base.txt
	@$(PYTHON) scripts/lock --check
	$(LOCKED_INSTALL) -r requirements/base.txt
	$(SONAR_INSTALL)
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml requirements/test.txt
	@$(PYTHON) scripts/lock --check
	$(LOCKED_INSTALL) -r requirements/test.txt
	$(SONAR_INSTALL)
	@touch $@

# pip-compile comes from the test lock (dev extra): a fresh clone can re-lock at once.
lock: $(BIN)/python
	@test -x $(BIN)/pip-compile || $(LOCKED_INSTALL) -r requirements/test.txt
	$(BIN)/python scripts/lock
	@$(MAKE) --no-print-directory test-deps

# The newest releases pyproject.toml allows, then the whole suite: commit requirements/ when
# it passes.
upgrade: $(BIN)/python
	@test -x $(BIN)/pip-compile || $(LOCKED_INSTALL) -r requirements/test.txt
	$(BIN)/python scripts/lock --upgrade
	@$(MAKE) --no-print-directory test

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
# would refuse the async tests of the live workshop streams. They run in the first pass only
# (SQLite): what they check is the pages in a browser, and every path they take is already run
# against PostgreSQL and Redis by the rest of the suite in the second pass (.ci/run), which keeps
# CI under 25 minutes on two cores.
test: test-deps
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15 --ignore=tests/browser
	@if [ "$$SONAR_TESTS_SECOND_ENGINE" = "1" ]; then \
		echo "Tests de navigateur : passés au premier passage (SQLite), pas repris ici."; \
	else \
		$(BIN)/python -m pytest -n 2 --dist loadfile --durations=15 tests/browser; \
	fi

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
	$(BIN)/python scripts/french-plurals

$(VENV)/.installed-bench: $(VENV)/.installed-test pyproject.toml requirements/bench.txt
	@$(PYTHON) scripts/lock --check
	$(LOCKED_INSTALL) -r requirements/bench.txt
	$(SONAR_INSTALL)
	@touch $@

# wrk (load) and nginx (static baseline) come from Debian; Lighthouse (pinned) from npm.
bench: $(VENV)/.installed-bench
	@./scripts/bench-deps
	npm ci --prefix bench/lighthouse --no-audit --no-fund --ignore-scripts
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var build *.egg-info
