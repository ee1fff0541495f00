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
