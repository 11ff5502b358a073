# Two commands: `make run` and `make test` (README). Everything else here serves them.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
VENDOR := marketplace/static/vendor/.stamp
export PYTHONDONTWRITEBYTECODE := 1
# Test processes (pytest-xdist); each has its own test database and live server.
PYTEST_WORKERS ?= 2

.PHONY: run test test-sqlite test-postgres lint bench install static messages clean production-check

install: $(STAMP) $(VENDOR)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $@

$(VENDOR): package.json package-lock.json scripts/vendor_static.sh
	scripts/vendor_static.sh

static: $(VENDOR)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --once
	scripts/run_all.sh

test: install lint test-sqlite test-postgres

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test-sqlite: install
	@echo "== Test suite on SQLite =="
	CELERY_TASK_ALWAYS_EAGER=1 DATABASE_URL= $(VENV)/bin/pytest -n $(PYTEST_WORKERS)

test-postgres: install
	@echo "== Test suite on PostgreSQL =="
	@url=$$(scripts/postgres_url.sh) || { \
	  echo "PostgreSQL half did NOT run: no PostgreSQL server could be reached or started."; \
	  if [ "$$CI" = "true" ]; then exit 1; else exit 0; fi; }; \
	CELERY_TASK_ALWAYS_EAGER=1 DATABASE_URL="$$url" $(VENV)/bin/pytest -n $(PYTEST_WORKERS)

bench: install
	$(PY) -m tests.bench $(BENCH)

messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

production-check: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-only-$$(date +%s)-not-a-real-key-0123456789abcdef \
	  AUDIT_SIGNING_KEY=$$($(PY) -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())") \
	  DJANGO_ALLOWED_HOSTS=zhongjie.example.cn $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules marketplace/static/vendor staticfiles
