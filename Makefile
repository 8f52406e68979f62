# keshi — two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := keshi/web/static/vendor

.PHONY: run test install lint format vendor bench clean serve audit

$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	KESHI_DEBUG=$${KESHI_DEBUG:-1} $(BIN)/keshi migrate --noinput
	KESHI_DEBUG=$${KESHI_DEBUG:-1} $(BIN)/keshi demo-data
	KESHI_DEBUG=$${KESHI_DEBUG:-1} $(BIN)/keshi runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/ruff check keshi
	$(BIN)/keshi makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check keshi
	$(BIN)/ruff format --check keshi

format: $(STAMP)
	$(BIN)/ruff format keshi
	$(BIN)/ruff check --fix keshi

# Known vulnerabilities in the pinned dependencies (needs network access to the PyPI/OSV
# advisory database, so it is not part of `make test`).
audit: $(STAMP)
	$(BIN)/python -m pip_audit -r requirements.lock --no-deps --disable-pip --strict --progress-spinner off

# Re-vendor front-end files from npm (versions pinned in frontend/package.json).
vendor:
	cd frontend && npm ci --silent || npm install --silent
	mkdir -p $(VENDOR)
	cp frontend/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp frontend/node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/
	cp frontend/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	cp frontend/node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	# No source maps are vendored: drop their references so collectstatic's manifest resolves.
	sed -i '/sourceMappingURL=/d' $(VENDOR)/*.js $(VENDOR)/*.css

clean:
	rm -rf $(VENV) var/test.sqlite3
