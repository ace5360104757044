# UnionFlow: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings fail closed (a production configuration unless told
# otherwise): the developer's targets say explicitly that this is a
# development machine, with a secret generated once into var/. DEBUG stays
# off (the site's own 404 and 500 pages) unless asked: `make run DEBUG=1`.
DEV_SECRET := var/dev-secret-key
# Links leaving the page (QR codes, slips, e-mail) follow the address served.
SITE_URL ?= http://$(HOST):$(PORT)
DEV := UNIONFLOW_ENV=development SECRET_KEY_FILE=$(CURDIR)/$(DEV_SECRET) SITE_URL=$(SITE_URL)

.PHONY: run test check setup sysdeps migrate demo worker messages bench bench-web clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更高版本 / Python 3.11+ is required"; exit 1; }
	@# A venv left half-made (no pip, e.g. python3-venv missing) is made again.
	@test -x $(VENV)/bin/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); } || { rm -rf $(VENV); echo "无法创建虚拟环境，请安装 python3-venv / cannot create a venv: install python3-venv"; exit 1; }
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -r requirements.txt
	@touch $@

sysdeps:
	@PYTHON=$(PYTHON) bash scripts/system-deps.sh

setup: sysdeps $(VENV)/.installed
	@mkdir -p var

$(DEV_SECRET): | setup
	@umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

migrate: setup $(DEV_SECRET)
	@$(DEV) $(PY) manage.py migrate --noinput -v0

demo: migrate
	@$(DEV) $(PY) manage.py seed_demo

# The web server, the background worker (certificate rendering, batch
# printing) and the scheduler of the daily jobs (reminders, closing ended
# notices: at start, then every morning) side by side; Ctrl-C stops all.
run: demo
	@$(DEV) $(PY) manage.py db_worker & WORKER=$$!; \
	$(DEV) $(PY) manage.py run_scheduler & SCHEDULER=$$!; \
	trap 'kill $$WORKER $$SCHEDULER 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

worker: migrate
	@$(DEV) $(PY) manage.py db_worker

# On SQLite by default; with DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) on PostgreSQL.
# Then the engine on its own: a toy process, without awards or evaluations installed;
# then sign-on against a real OIDC provider and a CAS server (tests/signon:
# only there is django-oauth-toolkit installed), in Chromium.
test: setup
	@$(PY) -m pytest -q $(PYTEST_ARGS)
	@$(PY) -m pytest -q --ds=tests.engine.settings tests/engine -p no:cacheprovider
	@$(PY) -m pytest -q --ds=tests.signon.settings tests/signon -p no:cacheprovider

# System checks and missing migrations, as a developer's machine sees them.
check: setup
	@$(DEV) $(PY) manage.py check
	@$(DEV) $(PY) manage.py makemigrations --check --dry-run

messages: setup
	@$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=locale --ignore=tests --ignore=bench --no-obsolete -v0
	@$(PY) manage.py compilemessages --ignore=.venv -v0

bench: setup
	@$(PY) bench/certificates.py

# Load benchmark of the pages (bench/web.py): waits for an idle machine,
# then on PostgreSQL (DATABASE_URL, else unionflow_bench at 127.0.0.1, grown once
# to 500 organisations and 10,000 cases) (a) latency below capacity with
# 2 x cores + 1 gunicorn workers, (b) decisions/s with 1 and 3 workers
# (see README, Benchmarks). BENCH_ARGS e.g. --rebuild, or --seconds 30.
bench-web: setup
	@$(PY) bench/web.py $(BENCH_ARGS)

clean:
	rm -rf var .pytest_cache
