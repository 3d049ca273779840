# Equitable: the two commands a fresh machine needs (see README.md).
#   make demo   set up and serve the demo council (SQLite, demo data) on http://127.0.0.1:$(PORT)
#   make test   set up and run every check: ruff, tests on SQLite, on PostgreSQL, in Chromium
PYTHON ?= python3.11
PORT ?= 8000
DATA_DIR ?= var
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup assets lint format bench clean

$(BIN)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/.installed assets

assets:
	bash scripts/build-assets.sh

demo: setup
	$(BIN)/equitable demo --port $(PORT) --data-dir $(DATA_DIR)

test: setup
	bash scripts/test.sh

lint: $(BIN)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python benchmarks/bench_compute.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_import_db.py
	$(BIN)/python benchmarks/bench_metrics_process.py
	$(BIN)/python benchmarks/bench_lifecycle.py
	$(BIN)/python benchmarks/bench_mentoring.py
	$(BIN)/python benchmarks/bench_training.py
	$(BIN)/python benchmarks/bench_release.py
	$(BIN)/python benchmarks/bench_load.py

clean:
	rm -rf $(VENV) node_modules equitable/static/build
