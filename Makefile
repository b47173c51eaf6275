# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PYTHON ?= python3
HOST ?= 127.0.0.1:8000
ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)

BENCH_CARRIERS ?= 200000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/baomi_scale
# Benchmarks that write make (and drop and remake) databases of their own, never baomi_scale.
STOCKTAKE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/baomi_bench_stocktake
IMPORT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/baomi_bench_import

.PHONY: bench run test venv assets system-deps browser-deps lint format check-migrations clean

run: venv assets
	$(BIN)/baomi migrate --noinput -v0
	$(BIN)/baomi demo
	@echo "打开 http://$(HOST)/   API 文档 http://$(HOST)/api/v1/docs"
	@# The audit sequencer seals the log every second beside the server and stops with it
	@# (a background job of a script ignores Ctrl-C, hence the TERM from the trap).
	$(BIN)/baomi audit seal & sealer=$$!; \
	trap 'kill -TERM $$sealer 2>/dev/null; wait $$sealer' EXIT INT TERM; \
	$(BIN)/baomi runserver $(HOST)

test: venv assets browser-deps
	$(BIN)/pytest

venv: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11+"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

# Front-end assets come from the npm registry at build time and are served by the app (SEC-6).
assets: system-deps
	$(PYTHON) scripts/build_assets.py

# pango, harfbuzz-subset and a CJK font for PDFs (WeasyPrint); pdftotext for reading PDFs back;
# pg_dump/psql for `baomi backup`/`restore` on PostgreSQL.
# Node.js/npm (for the assets) only when no npm is on the PATH: a NodeSource node ships its own.
# cpio, p7zip-full, ncompress, genisoimage, gcab, lz4, zstd: the real tools that build the
# scanner's reading set in the tests (tests/scanner/heldout/reading); libgl1 for OpenCV (OCR).
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-zenhei poppler-utils \
  postgresql-client-15 ripgrep cpio p7zip-full ncompress genisoimage gcab lz4 zstd libgl1
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  if [ -n "$(ROOT)" ]; then echo "apt-get install $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "缺少系统软件包：$$missing（请以 root 运行 apt-get install）"; command -v npm >/dev/null || exit 1; fi; fi

# Browser tests drive Debian's chromium; without it (and without root to install it) they skip.
browser-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi 'wqy\|noto.*cjk'; then \
	  if [ -n "$(ROOT)" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	  else echo "chromium 未安装：浏览器测试将跳过"; fi; fi

lint: venv
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

check-migrations: venv
	$(BIN)/baomi check --fail-level WARNING
	$(BIN)/baomi makemigrations --check --dry-run

format: venv
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

clean:
	rm -rf $(VENV) node_modules var src/baomi/web/static/vendor

# Scale benchmarks (README "规模"): a generated ledger of $(BENCH_CARRIERS) carriers in its own
# PostgreSQL database (made once, kept between runs), then one line per figure beside its goal.
bench: venv
	@psql "$(BENCH_DATABASE_URL)" -Atc "select count(*) from carriers_carrier" >/dev/null 2>&1 || { \
	  psql "$(dir $(BENCH_DATABASE_URL))postgres" -qc "create database $(notdir $(BENCH_DATABASE_URL))"; \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/baomi migrate -v0; \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/baomi bench generate --carriers $(BENCH_CARRIERS); \
	  psql "$(BENCH_DATABASE_URL)" -qc "vacuum analyze"; }
	cd bench && DATABASE_URL=$(BENCH_DATABASE_URL) ../$(BIN)/python ledger_lists.py
	cd bench && DATABASE_URL=$(BENCH_DATABASE_URL) ../$(BIN)/python carrier_page.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/custody_throughput.py
	DATABASE_URL=$(dir $(BENCH_DATABASE_URL))postgres $(BIN)/python bench/audit_throughput.py
	DATABASE_URL=$(dir $(BENCH_DATABASE_URL))postgres $(BIN)/python bench/audit_verify.py --rows 50000 --runs 5
	DATABASE_URL=$(STOCKTAKE_DATABASE_URL) $(BIN)/python bench/stocktake_reconcile.py --carriers 100000
	DATABASE_URL=$(IMPORT_DATABASE_URL) $(BIN)/python bench/import_carriers.py --rows 100000 --runs 1
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/exports.py
	@# Its own generated database (20,000 carriers), gunicorn and locust: 4–5 minutes.
	$(BIN)/python bench/api_load.py
