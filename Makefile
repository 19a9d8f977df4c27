# The two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Local runs use development settings unless the caller says otherwise.
export DEBUG ?= 1

.PHONY: run test deps messages lint format check-migrations e2e-deps clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Translations: .po files are the source; .mo files are compiled here (gettext's msgfmt).
messages: $(VENV)/.installed
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
		command -v msgfmt >/dev/null 2>&1 || { \
			echo "Installing gettext to compile translations"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null) \
			|| { echo "Could not install gettext: pages will show English only"; exit 0; }; }; \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	fi

deps: $(VENV)/.installed node_modules/.installed messages

run: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: starting a Celery worker and beat"; \
		$(VENV)/bin/celery -A bankcore worker --loglevel=info --concurrency=2 & \
		$(VENV)/bin/celery -A bankcore beat --loglevel=info --schedule=var/celerybeat-schedule & \
	fi; \
	mkdir -p var; \
	echo "Serving on http://$(HOST):$(PORT)/ (sign in as one of the demo users above)"; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when missing (root on CI and dev machines).
e2e-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
		|| { echo "Could not install Chromium: browser tests cannot run"; exit 1; }; }

test: deps e2e-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations: deps
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules staticfiles var db.sqlite3
