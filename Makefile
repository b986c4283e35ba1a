# Front doors:   make run    set up (Debian packages, .venv), migrate, start everything
#                make test   set up, start PostgreSQL/RabbitMQ, lint, pytest
# Python packages come from requirements.lock (hashes required); `make lock`
# and `make upgrade` move it (see the README's "Developing").
# Debian packages are listed in deploy/debian/packages.txt; see scripts/setup.sh.

VENV := .venv
BIN  := $(VENV)/bin

# Reference material (tests marked `reference`); set it to point elsewhere.
export VANTHU_REFERENCE_DIR ?= $(abspath $(CURDIR)/../shared)

PYTEST_ARGS ?=
BENCH_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test lint bench lock upgrade clean

help:
	@echo 'make run     install what is missing, migrate, start all services (Ctrl-C stops)'
	@echo 'make test    install what is missing, start PostgreSQL/RabbitMQ, lint, run the tests'
	@echo '             (PYTEST_ARGS="-k foo -x" is passed to pytest)'
	@echo 'make lint    ruff check + mypy'
	@echo 'make bench   run the benchmarks'
	@echo 'make lock    re-resolve requirements.lock to the newest versions pyproject.toml allows'
	@echo 'make upgrade make lock, install it, run the whole suite (commit the lock if it passes)'
	@echo 'make clean   remove .venv and caches (keeps var/, your data)'

run:
	bash scripts/setup.sh run
	$(BIN)/vanthu migrate all
	exec $(BIN)/vanthu dev

test:
	bash scripts/setup.sh test
	bash scripts/test-services.sh
	$(MAKE) --no-print-directory lint
	PATH="$$PATH:/usr/sbin:/sbin" $(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	@test -x $(BIN)/ruff || { echo 'no $(BIN)/ruff: run "make test" (or scripts/setup.sh test) first' >&2; exit 1; }
	$(BIN)/ruff check .
	$(BIN)/mypy

bench:
	bash scripts/setup.sh run
	$(BIN)/python -m bench $(BENCH_ARGS)

# The lock is made by uv, which the lock itself installs into .venv.
lock:
	bash scripts/setup.sh run
	bash scripts/lock.sh

upgrade: lock
	$(MAKE) --no-print-directory test
	@echo 'upgrade: the suite passed on the new lock; commit requirements*.lock (and any fix) as one change'

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
	find . -path ./var -prune -o -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
