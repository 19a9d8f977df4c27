# The two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Local runs use development settings unless the caller says otherwise.
export DEBUG ?= 1

.PHONY: run test deps messages lint format check-migrations e2e-deps clean schemathesis

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Translations: .po files are the source; .mo files are compiled here (gettext's msgfmt), each
# again only when its .po changed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
messages: $(VENV)/.installed $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	@command -v msgfmt >/dev/null 2>&1 || { \
		echo "Installing gettext to compile translations"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null) \
		|| { echo "Could not install gettext: pages will show English only"; exit 0; }; }
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --locale=$* --ignore=.venv --ignore=node_modules -v 0; \
	fi

deps: $(VENV)/.installed node_modules/.installed messages

run: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: starting a Celery worker and beat"; \
		$(VENV)/bin/celery -A bankcore worker --queues=celery,images --loglevel=info --concurrency=2 & \
		$(VENV)/bin/celery -A bankcore beat --loglevel=info --schedule=var/celerybeat-schedule & \
	fi; \
	mkdir -p var; \
	echo "Serving on http://$(HOST):$(PORT)/ (sign in as one of the demo users above)"; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's chromium-headless-shell (the old headless shell: the same pages
# for ~40% less CPU than the full browser; the full `chromium` is used when only it is there).
# Install the shell when missing and we can (root, apt-get). Without either the browser tests
# are skipped with the reason, except on CI (CI=true), where a missing Chromium fails the run.
CHROMIUM_FOUND = command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1
e2e-deps:
	@command -v chromium-headless-shell >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Chromium (headless shell) for the browser tests"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null) \
			|| echo "Could not install chromium-headless-shell with apt-get"; \
		fi; \
		$(CHROMIUM_FOUND) || case "$$(echo "$${CI:-}" | tr A-Z a-z)" in \
			""|0|false|no) echo "Chromium is not installed and could not be (needs root and Debian's apt-get): the browser tests will be skipped";; \
			*) echo "Chromium is missing on CI: the browser tests must run"; exit 1;; \
		esac; }
	@# A Chinese font, so that the screenshots of the Simplified Chinese journeys are legible.
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
		[ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 \
		|| echo "No Chinese font installed: Chinese screenshots show boxes (tests unaffected)"; }

# The suite runs in parallel (pytest-xdist) in one run: one worker per core, each with its own
# test database (pytest-django suffixes the name with the worker id, gw0, gw1, ...: created
# once per worker), its own live server port, media directory, cache keys and broker keys.
# tests/conftest.py orders the tests: those that roll back first, then the transactional ones
# (their flush empties the reference data the migrations seeded), longest first. `--dist load
# --maxschedchunk 1` hands them out in that order, one or two ahead per worker, so each worker
# keeps that order and neither waits long for the other at the end.
# PYTEST_WORKERS=0 runs the suite serially. Exit status 5 (nothing selected, e.g. with
# PYTEST_ARGS naming one file) is fine.
# Bytecode is cached even where the environment says not to (PYTHONDONTWRITEBYTECODE, as in
# many containers): each worker, and each process a test starts, would otherwise compile our
# modules and rewrite the asserts of every test module again (collecting took 8.3 s of CPU
# per worker without the cache, 3.5 s with it).
PYTEST_WORKERS ?= auto
PYTEST_RUN = env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_ARGS)
test: deps e2e-deps
	$(PYTEST_RUN) -n $(PYTEST_WORKERS) --dist load --maxschedchunk 1 || [ $$? -eq 5 ]

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations: deps
	$(PY) manage.py makemigrations --check --dry-run

# The schema tells the truth: schemathesis against a live server of the embedded default, with
# an integrator's and an administrator's token (see .ci/schemathesis for the bounds).
schemathesis: deps
	env -u DATABASE_URL -u REDIS_URL .ci/schemathesis

clean:
	rm -rf $(VENV) node_modules staticfiles var db.sqlite3
