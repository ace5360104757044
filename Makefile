# UnionFlow: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup sysdeps migrate demo worker messages bench clean

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

migrate: setup
	@$(PY) manage.py migrate --noinput -v0

demo: migrate
	@$(PY) manage.py seed_demo

# The web server and the background worker (certificate rendering, batch
# printing) side by side; Ctrl-C stops both.
run: demo
	@$(PY) manage.py db_worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: migrate
	@$(PY) manage.py db_worker

# On SQLite by default; with DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) on PostgreSQL.
# Then the engine on its own: a toy process, without awards or evaluations installed.
test: setup
	@$(PY) -m pytest -q $(PYTEST_ARGS)
	@$(PY) -m pytest -q --ds=tests.engine.settings tests/engine -p no:cacheprovider

messages: setup
	@$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=locale --ignore=tests --ignore=bench --no-obsolete -v0
	@$(PY) manage.py compilemessages --ignore=.venv -v0

bench: setup
	@$(PY) bench/certificates.py

clean:
	rm -rf var .pytest_cache
