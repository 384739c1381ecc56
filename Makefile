# jixiao: `make demo` and `make test` are the two commands a new user needs (README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
APT_PACKAGES := chromium fonts-noto-cjk poppler-utils gettext wrk

.PHONY: setup sysdeps compilemessages messages demo test test-fast lint bench clean

setup: $(STAMP) sysdeps compilemessages

# The virtual environment, from the committed lock file (requirements.lock, made by `uv pip compile`).
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==0.13.8
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	touch $@

# Debian packages: Chromium for the browser tests, a CJK font for the PDFs, pdftoppm for page images,
# gettext for the translation catalogues (msgfmt compiles them, xgettext extracts new strings), wrk
# for `make bench` (the web pages timed by a C load generator beside the Python client).
sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# The web's translation catalogues (django.po, committed) compiled to the .mo files Django's gettext
# reads (not committed). What `django-admin compilemessages` does, for the django domain only: the
# core's jixiao.po is read by Babel from the .po itself and is not a msgfmt catalogue.
compilemessages: sysdeps
	@for po in src/jixiao/locale/*/LC_MESSAGES/django.po; do msgfmt --check-format -o "$${po%.po}.mo" "$$po" || exit 1; done

# Add the web's new strings to the English catalogue (README "Translations"): the web and the Django
# models only; the core packages have a catalogue of their own.
MESSAGES_IGNORE := $(foreach d,cli corpus data domain evaluation formats records review services,-i '$(d)/*.py' -i '$(d)/*.html')
messages: $(STAMP) sysdeps
	cd src/jixiao && DJANGO_SETTINGS_MODULE=jixiao.web.settings ../../$(VENV)/bin/django-admin makemessages \
	  -l en --no-obsolete --no-wrap -e html,py $(MESSAGES_IGNORE) -i migrations -i static

demo: setup
	$(VENV)/bin/jixiao demo

lint: $(STAMP)
	$(VENV)/bin/ruff check --no-cache src tests bench
	$(VENV)/bin/ruff format --no-cache --check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# No model change without its migration; the whole suite on SQLite with coverage, then the
# database-facing tests again on PostgreSQL. Both runs use every core (pytest-xdist; each worker
# has its own test database, test_…_gw0, test_…_gw1); work stealing keeps both cores busy to the end.
XDIST ?= -n auto --dist worksteal
test: setup lint
	DJANGO_SETTINGS_MODULE=jixiao.web.settings $(VENV)/bin/django-admin makemigrations --check --dry-run
	@$(VENV)/bin/pytest -q -p no:cacheprovider $(XDIST) --cov=jixiao --cov-report=; status=$$?; \
	echo "coverage: $$($(VENV)/bin/coverage report --format=total)% of the lines of src/jixiao (details: $(VENV)/bin/coverage report)"; \
	exit $$status
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "== database tests on PostgreSQL =="; \
	  JIXIAO_DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q -p no:cacheprovider $(XDIST) -m "not browser" tests/web; \
	else echo "PostgreSQL is not running: start it, see README"; exit 1; fi

test-fast: $(STAMP)
	$(VENV)/bin/pytest -q -x -m "not browser"

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) var test-output bench-output .coverage
	find src -name '*.mo' -delete
