# frontwatch — two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= frontwatch.db

.PHONY: run test install lint typecheck bench clean lock

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	# Every dependency pinned by hash, the spaCy model's wheel included.
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/frontwatch --db $(DB) ingest examples --meta examples/meta.jsonl
	$(BIN)/frontwatch --db $(DB) info
	$(BIN)/frontwatch --db $(DB) events
	$(BIN)/frontwatch --db $(DB) report -o report.md
	@echo "Situation report written to report.md; database at $(DB)."

test: lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py --articles 500

# Regenerate the hash-pinned lock (needs pip-tools; network to PyPI).
lock:
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --extra dev --strip-extras \
		-o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
