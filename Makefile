# keshi — two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := keshi/web/static/vendor

.PHONY: run test install lint format vendor bench clean serve audit messages

$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	KESHI_DEBUG=$${KESHI_DEBUG:-1} $(BIN)/keshi migrate --noinput
	KESHI_DEBUG=$${KESHI_DEBUG:-1} $(BIN)/keshi demo-data
	KESHI_DEBUG=$${KESHI_DEBUG:-1} $(BIN)/keshi serve 127.0.0.1:8000

# The English catalog (keshi/locale/en): pick up new strings, then compile. Translate what
# keshi/tests/test_catalog.py lists as untranslated (empty msgstr, or fuzzy: the text changed).
messages: $(STAMP)
	cd keshi && ../$(BIN)/keshi makemessages -l en --no-location -i "web/static/vendor/*"
	cd keshi && ../$(BIN)/keshi compilemessages -l en

# The suite runs in TEST_JOBS processes (pytest-xdist; each has its own test database), one
# test file per process at a time. TEST_JOBS=0 runs it in this process.
TEST_JOBS ?= 2
test: $(STAMP)
	$(BIN)/ruff check keshi
	$(BIN)/keshi makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest -q -n $(TEST_JOBS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check keshi
	$(BIN)/ruff format --check keshi

format: $(STAMP)
	$(BIN)/ruff format keshi
	$(BIN)/ruff check --fix keshi

# Known vulnerabilities in the pinned dependencies (needs network access to the PyPI/OSV
# advisory database, so it is not part of `make test`). Exit 1: a vulnerability; exit 3: some
# dependency could not be checked (AUDIT_FLAGS=--allow-unchecked makes that a warning). See
# keshi/ops/audit.py and docs/security.md.
audit: $(STAMP)
	$(BIN)/python -m keshi.ops.audit -r requirements.lock $(AUDIT_FLAGS)

# Back up the database and uploads (docs/operations.md); restore with `keshi restore FILE`.
.PHONY: backup
backup: $(STAMP)
	$(BIN)/keshi backup

# Re-vendor front-end files from npm (versions pinned in frontend/package.json).
vendor:
	cd frontend && npm ci --silent || npm install --silent
	mkdir -p $(VENDOR)
	cp frontend/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp frontend/node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/
	cp frontend/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	cp frontend/node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	cp frontend/node_modules/tom-select/dist/js/tom-select.complete.min.js $(VENDOR)/
	cp frontend/node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css $(VENDOR)/
	# No source maps are vendored: drop their references so collectstatic's manifest resolves.
	sed -i '/sourceMappingURL=/d' $(VENDOR)/*.js $(VENDOR)/*.css

clean:
	rm -rf $(VENV) var/test-*.sqlite3*

# The load test, not part of `make test` (docs/load.md): the demo district scaled to 50 schools
# on a scratch PostgreSQL database, gunicorn, locust: 200 users for 5 minutes. A smoke run:
# make load LOAD_ARGS="--schools 5 --users 20 --duration 20"
.PHONY: load
load: $(STAMP)
	$(BIN)/keshi bench load $(LOAD_ARGS)
