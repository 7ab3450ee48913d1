# Two commands on a fresh machine: `make run` and `make test`.
# uv is bootstrapped into .tools/ with the system Python; it never downloads a Python.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check export pdf bench browser clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

run: .venv/.synced  ## serve the guide on http://127.0.0.1:8000, reloading on content edits
	.venv/bin/metro serve --host $(HOST) --port $(PORT) --reload

check: .venv/.synced  ## validate content/: every problem as file:line: message
	.venv/bin/metro check

# Debian's Chromium drives the browser tests and PDFs; Playwright's own download cannot work here.
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium and poppler-utils…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }

test: .venv/.synced browser  ## every test, browser tests included
	.venv/bin/metro check
	.venv/bin/pytest

export: .venv/.synced
	.venv/bin/metro export build/site

pdf: .venv/.synced browser
	.venv/bin/metro pdf build/pdf

# The benchmark compares against nginx serving the export and loads with wrk (Debian packages).
bench: .venv/.synced browser
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { \
	  echo "Installing Debian's wrk and nginx-light for the benchmark…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; }
	.venv/bin/python -m bench

clean:
	rm -rf .tools .venv build .pytest_cache
