# The two commands a fresh machine needs: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM ?= /usr/bin/chromium

# Locked dependencies (exact versions and hashes, Linux x86_64 / CPython 3.11): `.venv` gets
# exactly requirements/venv.txt (pyproject.toml with EXTRAS), `.venv-augly` requirements/augly.txt
# (from requirements/augly.in), `.venv-pywb` requirements/pywb.txt (from requirements/pywb.in).
# `make lock` rewrites them; the stamps follow the lock files, so a changed lock reinstalls. uv itself is bootstrapped with pip from requirements/uv.txt (hashed).
EXTRAS := dev descriptor
LOCK := requirements/venv.txt
UV_LOCK := requirements/uv.txt
AUGLY_LOCK := requirements/augly.txt
PYWB_LOCK := requirements/pywb.txt
UV := $(BIN)/uv
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) $(UV_LOCK) pyproject.toml | sha256sum | cut -c1-12)
AUGLY_VENV := .venv-augly
AUGLY_STAMP := $(AUGLY_VENV)/.installed-$(shell cat $(AUGLY_LOCK) | sha256sum | cut -c1-12)
PYWB_VENV := .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed-$(shell cat $(PYWB_LOCK) | sha256sum | cut -c1-12)
# What the locks are for: CI's platform, whichever machine runs `make lock`.
LOCK_TARGET := --python-version 3.11 --python-platform x86_64-manylinux_2_28
LOCK_FLAGS := $(LOCK_TARGET) --generate-hashes --quiet --custom-compile-command 'make lock'
LOCK_HEADER := \# Locked for Linux x86_64 (manylinux_2_28) and CPython 3.11, what CI runs: exact versions and hashes.

.PHONY: demo test lint install lock chromium redis-bin redis desk-assets clean opensearch opensearch-jars jdk augly-venv pywb-venv

demo: install chromium desk-assets  ## Run the whole job on the embedded default against the demo marketplace
	$(BIN)/ipwatch demo

test: install chromium redis-bin desk-assets opensearch-jars augly-venv pywb-venv  ## Install what the tests need, then lint and run the whole suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest

lint: install  ## ruff, the layer contracts (import-linter) and mypy, as `make test` runs them
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

install: $(STAMP)

# Bytecode compiled once here (pip does it, uv only when asked): with no .pyc (and
# PYTHONDONTWRITEBYTECODE set) every `ipwatch` process and detection worker compiles
# the whole stack from source again, seconds of CPU before its first request.
$(STAMP): $(LOCK) $(UV_LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "ipwatch needs Python 3.11+"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(UV_LOCK)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes --compile-bytecode $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m tests.lockcheck
	@rm -f $(VENV)/.installed-* && touch $@

# Re-resolve the locks on purpose (after editing pyproject.toml or requirements/augly.in).
# Versions already locked are kept when they still fit; `make lock UPGRADE=1` takes the newest.
# Then render the image set again if the imaging libraries moved (see bench/imageset.py).
lock:
	@test -x $(UV) || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(UV_LOCK); }
	$(UV) pip compile pyproject.toml $(foreach e,$(EXTRAS),--extra $(e)) $(LOCK_FLAGS) \
	  $(if $(UPGRADE),--upgrade) -o $(LOCK)
	echo "uv==$$(sed -n 's/^uv==\([^ ]*\).*/\1/p' $(LOCK))" \
	  | $(UV) pip compile - $(LOCK_FLAGS) --no-annotate -o $(UV_LOCK)
	$(UV) pip compile requirements/augly.in $(LOCK_FLAGS) $(if $(UPGRADE),--upgrade) -o $(AUGLY_LOCK)
	$(UV) pip compile requirements/pywb.in $(LOCK_FLAGS) $(if $(UPGRADE),--upgrade) -o $(PYWB_LOCK)
	for f in $(LOCK) $(UV_LOCK) $(AUGLY_LOCK) $(PYWB_LOCK); do sed -i '1i $(LOCK_HEADER)' $$f; done

# Debian's Chromium drives Playwright (no `playwright install`: browsers are not downloaded).
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "installing Chromium and CJK fonts from apt"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# The desk's third-party scripts (Cytoscape.js for the seller network graph) come from the npm
# registry at build time, exactly as ipwatch/web/frontend/package-lock.json pins them (with their
# integrity hashes), into git-ignored folders; the stamp follows the lock.
FRONTEND := ipwatch/web/frontend
VENDOR := ipwatch/web/static/vendor
DESK_STAMP := $(VENDOR)/.installed-$(shell cat $(FRONTEND)/package-lock.json | sha256sum | cut -c1-12)

desk-assets: $(DESK_STAMP)  ## Fetch the desk's scripts from npm (npm ci against the lock)

$(DESK_STAMP): $(FRONTEND)/package-lock.json $(FRONTEND)/package.json
	@command -v npm >/dev/null || { \
	  echo "installing Node.js and npm from apt"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	cd $(FRONTEND) && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cp $(FRONTEND)/node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/
	@touch $@

# Debian's redis-server for distributed crawling and its tests (they start their own on a free port).
redis-bin:
	@command -v redis-server >/dev/null || { \
	  echo "installing redis-server from apt"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server >/dev/null; }

REDIS_PORT ?= 6379

redis: install redis-bin  ## Run one Redis in the foreground on 127.0.0.1:$(REDIS_PORT) for development
	$(BIN)/python -m tests.services.redis --port $(REDIS_PORT)

# AugLy's own virtualenv (it wants Pillow < 9), used only by bench/imageset.py to make the
# labelled image set, installed from $(AUGLY_LOCK); Pillow 8 is built from source, hence the
# dev headers. A changed lock makes the virtualenv again from scratch.
augly-venv: $(AUGLY_STAMP)

$(AUGLY_STAMP): $(AUGLY_LOCK)
	@command -v cc >/dev/null && test -e /usr/include/jpeglib.h && test -e /usr/include/zlib.h && test -e /usr/include/freetype2/ft2build.h || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    build-essential libjpeg-dev zlib1g-dev libfreetype-dev libmagic1 >/dev/null; }
	rm -rf $(AUGLY_VENV)
	PYTHON=$(PYTHON) bash bench/augly_venv.sh $(AUGLY_VENV)
	@touch $@

# pywb's own virtualenv (it pins pyOpenSSL<26.2, which would move .venv's cryptography), used by
# tests/evidence/export/test_evidence_wacz_replay.py to replay an exported WACZ; installed from
# $(PYWB_LOCK). A changed lock makes the virtualenv again from scratch.
pywb-venv: $(PYWB_STAMP)  ## pywb (wb-manager, wayback) for the WACZ replay test

$(PYWB_STAMP): $(PYWB_LOCK)
	rm -rf $(PYWB_VENV)
	$(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(PYWB_LOCK)
	$(PYWB_VENV)/bin/wb-manager --help >/dev/null
	@touch $@

# A real OpenSearch for development and the test suite: Maven copies the runner's jars once into
# .cache/opensearch (or $IPWATCH_OPENSEARCH_HOME); needs `mvn` and Java 17+.
OPENSEARCH_PORT ?= 9200

opensearch-jars: install jdk  ## Resolve the OpenSearch runner jars with Maven (once; skipped when cached)
	$(BIN)/python -m tests.services.opensearch resolve

jdk:  ## Java 17+ and Maven from apt when missing
	@command -v java >/dev/null && command -v mvn >/dev/null || { \
	  echo "installing a JDK and Maven from apt"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jdk-headless maven >/dev/null; }

opensearch: opensearch-jars  ## Run one OpenSearch node in the foreground on 127.0.0.1:$(OPENSEARCH_PORT); Ctrl-C stops it
	$(BIN)/python -m tests.services.opensearch start --port $(OPENSEARCH_PORT)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
