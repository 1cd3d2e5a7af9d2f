# zhizao — the two front-door commands are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= zhizao.duckdb

.PHONY: install demo test lint system-deps bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	touch $@

# Builds the demo warehouse (synthetic data, labelled so) if it is missing, then runs the main job.
demo: install
	$(BIN)/zhizao demo --db $(DB)

# Installs the Debian packages the suite needs when they are missing, checks lint and format, then runs every test.
test: install system-deps lint
	$(BIN)/python -m pytest -n 2 -q

# ruff's rules are in pyproject.toml; any finding fails `make test` before a test runs.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

system-deps:
	bash scripts/system-deps.sh

# Every benchmark (benchmarks/run_all.py): writes benchmarks/results/*.json with the machine's description and
# rewrites the README's table. Large warehouses are built once in /tmp/zhizao-bench (BENCH_DIR) and kept.
BENCH_DIR ?= /tmp/zhizao-bench
bench: install
	$(BIN)/python benchmarks/run_all.py --dir $(BENCH_DIR)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
