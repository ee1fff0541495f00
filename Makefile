# The README's commands. Everything is installed into .venv; nothing else is needed
# beyond Python 3.11+ and make (and a PostgreSQL server for DATABASE_URL=postgres://…).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test lint format migrate demo check-migrations clean

help:
	@echo "make run    set up, load the Kim Bảng records, print the demo accounts (HR staff:"
	@echo "            the admin; an official: the dashboards) and serve http://$(HOST):$(PORT)/"
	@echo "make test   set up and run ruff, the migration check and the whole test suite"
	@echo "make serve  as in production (DEBUG off, gunicorn, WhiteNoise) over plain HTTP on"
	@echo "            http://$(HOST):$(PORT)/, on the same database; make demo first for the records"
	@echo "make bench  benchmarks against their SQL floors and a load run, on the PostgreSQL"
	@echo "            database DATABASE_URL names (filled with synthetic records if empty)"

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py demo_accounts --url http://$(HOST):$(PORT)/admin/ \
		--dashboard-url http://$(HOST):$(PORT)/dashboard/

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test: lint check-migrations
	@if [ -n "$$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
		echo "Browser tests: run with $${CHROMIUM_PATH:-$$(command -v chromium || command -v chromium-browser)}"; \
	else \
		echo "Browser tests: SKIPPED - no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)"; \
	fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

.PHONY: messages
# After changing a translatable message: extract the messages into locale/vi/…/django.po,
# translate the new or changed entries there, then run it again to compile django.mo
# (committed, so that `make run` does not need GNU gettext). Needs GNU gettext.
messages: install
	$(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=staticfiles --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

.PHONY: serve
# Production-like, on this machine: the production settings (DEBUG off, CSP, lockout,
# compressed static files served by WhiteNoise) under gunicorn, on the database that
# DATABASE_URL names (default: the db.sqlite3 that `make run` fills; `make demo` loads the
# Kim Bảng records and the demo accounts). Plain HTTP, so the HTTPS-only settings are off
# unless set in the environment. Without SECRET_KEY, a random one is made for this run
# (logins then end when the server stops).
serve: install
	@if [ -z "$$SECRET_KEY" ]; then \
		echo "SECRET_KEY is not set: using a random one for this run (logins end when the server stops)."; \
	fi; \
	export SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"; \
	export DJANGO_SETTINGS_MODULE=config.settings.production DEBUG=false \
		ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),127.0.0.1,localhost}" \
		SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" \
		SESSION_COOKIE_SECURE="$${SESSION_COOKIE_SECURE:-false}" \
		CSRF_COOKIE_SECURE="$${CSRF_COOKIE_SECURE:-false}" \
		SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}"; \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0 && \
	echo "Serving http://$(HOST):$(PORT)/ (production settings, plain HTTP; Ctrl-C stops)" && \
	exec $(BIN)/gunicorn -c config/gunicorn.conf.py --bind $(HOST):$(PORT)

.PHONY: bench
# Benchmarks (not part of `make test`): each hot path beside a hand-written SQL floor, then a
# locust load run against gunicorn (docs/PERFORMANCE.md). PostgreSQL only. A database without
# cadres is migrated and filled first with generate_synthetic at the national default size;
# BENCH_SCALE passes it other options for a quick run, e.g.
#   make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench BENCH_SCALE="--provinces 3"
# BENCH_REPEAT (runs per benchmark, 15) and BENCH_LOAD_SECONDS (per load run, 30) shorten it.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@case "$$DATABASE_URL" in \
		postgres://*|postgresql://*) ;; \
		*) echo "make bench needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/name (a database it may fill)"; exit 2;; \
	esac
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python -m bench fill $(BENCH_SCALE)
	$(BIN)/python -m bench run
	$(BIN)/python -m bench load
