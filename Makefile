# The two commands: `make run` serves the site, `make test` runs every test.
# Settings come from the environment or the command line (`make run PORT=9000`, `make run
# REGISTRY_SOURCE=../shared/registry-snapshot`); each is read, with its default, by
# registry_site/config.py and documented in docs/settings.md. Make passes on what it is given.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-postgres lint format browser screenshots bench mutants sync golden clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed .secret_key
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	@$(BIN)/python manage.py sync_registry --if-never-synced || true
	@SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" $(BIN)/python -m registry_site.serve

# A key kept across restarts (sessions survive them) for a SECRET_KEY nobody set; git-ignored.
.secret_key:
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

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
	$(BIN)/python -m mypy

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

$(BIN)/.installed-mutants: $(BIN)/.installed-dev requirements-mutants.txt
	$(BIN)/python -m pip install -q -r requirements-mutants.txt
	touch $@

bench: $(BIN)/.installed-dev
	$(BIN)/python bench/run.py
	$(MAKE) mutants

# Mutants, run from `make bench`, not `make test`: the hand-written ones of what the tests
# claim (bench/mutants.py, each applied to a scratch copy of the tree, every one must be
# killed), then mutmut over lwm2m/ and codegen/ with their fast tests (bench/mutation_score.py,
# its score in bench/RESULTS.md). MUTMUT=0 skips mutmut.
MUTMUT ?= 1
mutants: $(BIN)/.installed-mutants node_modules/.installed
	$(BIN)/python bench/mutants.py $(MUTANTS_ARGS)
	@if [ "$(MUTMUT)" != 0 ]; then $(BIN)/python bench/mutation_score.py; fi

clean:
	rm -rf $(VENV) staticfiles screenshots .pytest_cache node_modules mutants
