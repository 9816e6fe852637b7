# The two commands: `make run` serves the site, `make test` runs every test.
# The site is served by Granian (registry_site/serve.py): its event loop reads every request's
# headers and body before a thread sees it, so slow or half-open connections hold no thread.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# Python threads per worker that run the views. Few: the answers are CPU work under one GIL
# (more threads only queue there); an answer is handed to Granian's event loop, and a client
# that takes none of it for SEND_TIMEOUT seconds is let go (registry_site/front.py).
THREADS ?= 2
ifdef REGISTRY_SOURCE
export REGISTRY_SOURCE
endif
ifdef DATABASE_URL
export DATABASE_URL
endif

.PHONY: run test test-postgres lint format browser screenshots bench mutants sync golden clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	@$(BIN)/python manage.py sync_registry --if-never-synced || true
	@echo "Serving http://$(HOST):$(PORT)/"
	HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) THREADS=$(THREADS) \
		$(BIN)/python -m registry_site.serve

sync: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py sync_registry

# TypeScript's compiler for the generated types.ts (tests/codegen), from npm's lock file.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Debian's Chromium for the browser tests (never a browser download of Playwright's own).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
				|| echo "chromium could not be installed"; \
		else echo "chromium is missing: install Debian's chromium package for the browser tests"; fi; \
	fi

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(BIN)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(BIN)/.installed-dev node_modules/.installed browser lint
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(BIN)/.installed-dev
	.ci/postgres $(MAKE) test PYTEST_ARGS="-p no:cacheprovider"

# Record every answer's hash for the full snapshot (tests/golden.py) after a change of
# behaviour; a move or a rename must leave tests/golden/answers.json as it is.
golden: $(BIN)/.installed-dev
	GOLDEN_UPDATE=1 $(BIN)/python -m pytest tests/test_golden.py -q

screenshots: $(BIN)/.installed-dev browser
	$(BIN)/python -m tests.screenshots

bench: $(BIN)/.installed-dev
	$(BIN)/python bench/run.py
	$(BIN)/python bench/mutants.py $(MUTANTS_ARGS)

# Hand-written mutants of what the tests claim (bench/mutants.py), each applied to a scratch
# copy of the tree: every one must make its tests fail. Run from `make bench`, not `make test`.
mutants: $(BIN)/.installed-dev
	$(BIN)/python bench/mutants.py $(MUTANTS_ARGS)

clean:
	rm -rf $(VENV) staticfiles screenshots .pytest_cache node_modules
