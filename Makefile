# Two commands on a fresh machine: `make run` and `make test`. Neither needs root.
# uv is bootstrapped into .tools/ with the system Python; it never downloads a Python.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check export pdf bench browser accessibility routes clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-extras --quiet
	touch $@

run: .venv/.synced  ## serve the guide on http://127.0.0.1:8000; the open page reloads on every edit
	.venv/bin/metro serve --host $(HOST) --port $(PORT) --reload

# The source documents, when they lie beside the checkout: then the check holds every quotation to them.
BRONNEN := $(if $(wildcard ../shared/sources/0*.txt),--bronnen ../shared/sources)

check: .venv/.synced  ## validate content/: every problem as file:line: message
	.venv/bin/metro check $(BRONNEN)

lint: .venv/.synced  ## ruff (lint and format) and mypy: the gate every change passes
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

# Chromium drives the browser tests and prints the PDFs: $ZEVENSTOPS_CHROMIUM, Playwright's
# own, or one on the PATH; when there is none, Playwright installs its own (no root needed).
browser: .venv/.synced
	.venv/bin/python -m app.browser --install

test: .venv/.synced lint browser  ## every test, browser tests included
	.venv/bin/metro check $(BRONNEN)
	.venv/bin/pytest

export: .venv/.synced
	.venv/bin/metro export build/site

pdf: .venv/.synced browser
	.venv/bin/metro pdf build/pdf

# The benchmark compares against nginx serving the export and loads with wrk.
bench: .venv/.synced browser
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { \
	  echo "The benchmark needs wrk and nginx (Debian packages wrk and nginx-light)."; exit 1; }
	.venv/bin/python -m bench

# docs/routes.md, the table of every path the guide answers (tests/test_route_table.py checks it is current).
routes: .venv/.synced
	.venv/bin/metro routes > docs/routes.md

# The WCAG 2.2 AA conformance record: runs the tests each criterion names, writes docs/accessibility.md.
accessibility: .venv/.synced browser
	.venv/bin/python -m audit

clean:
	rm -rf .tools .venv build .pytest_cache
