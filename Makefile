# The two commands a fresh machine needs: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test lint install chromium clean opensearch opensearch-jars jdk augly-venv

demo: install chromium  ## Run the whole job on the embedded default against the demo marketplace
	$(BIN)/ipwatch demo

test: install chromium opensearch-jars augly-venv  ## Install what the tests need, then lint and run the whole suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "ipwatch needs Python 3.11+"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,descriptor]'
	@rm -f $(VENV)/.installed-* && touch $@

# Debian's Chromium drives Playwright (no `playwright install`: browsers are not downloaded).
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "installing Chromium and CJK fonts from apt"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# AugLy's own virtualenv (it wants Pillow < 9), used only by bench/imageset.py to make the
# labelled image set; Pillow 8 is built from source, hence the dev headers.
augly-venv:
	@test -x .venv-augly/bin/python || { \
	  command -v cc >/dev/null && test -e /usr/include/jpeglib.h && test -e /usr/include/zlib.h && test -e /usr/include/freetype2/ft2build.h || { \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	      build-essential libjpeg-dev zlib1g-dev libfreetype-dev libmagic1 >/dev/null; }; \
	  bash bench/augly_venv.sh; }

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
