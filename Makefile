# Two commands on a fresh machine with Python 3.11 and make:
#   make run   — install, migrate, load gazetteer + sample pages, demo login, serve
#   make test  — install, lint, run every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
N ?= 200
SEARCH_N ?= 20000

.PHONY: run worker test install migrate lint format bench-import bench-parser bench-reprints bench-search bench-suggest bench-load clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input -v 0

run: migrate
	$(PY) manage.py load_gazetteer
	$(PY) manage.py import_pages fixtures/pages --publish
	$(PY) manage.py create_demo_staff --address $(HOST):$(PORT)
	# The import worker runs beside the web server and stops with it.
	$(PY) manage.py db_worker --no-reload & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# One more import worker (several may share one PostgreSQL database).
worker: migrate
	$(PY) manage.py db_worker --no-reload

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(VENV)/bin/pytest

# SQLite in a fresh temporary file; PostgreSQL with an empty database:
#   createdb -h 127.0.0.1 -U postgres bench_import
#   make bench-import N=300 BENCH_DATABASE=postgres://postgres@127.0.0.1:5432/bench_import
# BENCH_ARGS="--publish" imports as make run does; "--text recombined" the
# earlier pages, every article a reprint of dozens.
bench-import: install
	$(PY) bench/bench_import.py --pages $(N) $(if $(BENCH_DATABASE),--database $(BENCH_DATABASE)) $(BENCH_ARGS)

# The page parser alone: a hash of its output on the training, sample and
# generated pages (--write a dump before a change, --check it after), and its
# CPU time by step.
bench-parser: install
	$(PY) bench/parser_fingerprint.py $(PARSER_ARGS)

# N synthetic articles and their LSH rows (bench/reprints.sqlite3 unless
# DATABASE_URL says otherwise): lookup cost per article, precision / recall.
bench-reprints: install
	$(PY) bench/bench_reprints.py --articles $(N)

# N articles into the configured database (DATABASE_URL), e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench-search N=100000
bench-search: migrate
	$(PY) bench/bench_search.py --articles $(N)

# E synthetic public names (NameKey rows) in the configured database:
# /api/suggest/'s lookup, cold and warm, per kind of prefix.
bench-suggest: migrate
	$(PY) bench/bench_suggest.py --entities $(or $(E),200000)

# 50 clients for 60 s against gunicorn on 127.0.0.1 (wrk from Debian's packages),
# three runs: the pages alone, the pages during a 200-page publishing import,
# the JSON API alone.
bench-load: install
	command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(PY) bench/bench_load.py

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles .pytest_cache
