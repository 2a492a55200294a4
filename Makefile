# Every target bootstraps what it needs from files in this repo: a fresh clone needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SPEC := spec/openapi.yaml
NODE_STAMP := node_modules/.installed-stamp

.PHONY: generate check test quick lint clean bench

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# The TypeScript compiler the tests check generated TypeScript with, pinned by package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

## generate: regenerate every SDK of sdkgen.yaml from spec/
generate: $(STAMP)
	$(BIN)/sdkgen generate

## check: the spec is valid, generated/ is what the generator renders (black-clean, the Go module gofmt-,
## build- and vet-clean with the pinned toolchain), the examples drift-free
check: $(STAMP)
	$(BIN)/sdkgen validate $(SPEC)
	$(BIN)/sdkgen generate --check
	$(BIN)/black --check --quiet generated
	$(BIN)/ruff check --isolated --no-cache --quiet --select I generated
	$(BIN)/python -m tests.support.go check generated/go-nethttp
	$(BIN)/sdkgen drift $(SPEC) spec/examples/get_invoice.json --operation getInvoice --fail-on warning --allow spec/drift-allow.yaml
	$(BIN)/sdkgen drift $(SPEC) spec/examples/mark_invoice_uncollectible.json --operation markInvoiceUncollectible --fail-on warning --allow spec/drift-allow.yaml

## lint: ruff and mypy --strict on the generator
lint: $(STAMP)
	$(BIN)/ruff check generator tests bench setup.py
	$(BIN)/ruff format --check generator tests bench setup.py
	$(BIN)/mypy generator
	$(BIN)/mypy --strict bench

# The suite runs on two workers (pytest-xdist): the machine CI runs on has two cores.
PYTEST_WORKERS ?= 2

## test: check, lint, then the test suite (the slow tests included)
test: check lint $(NODE_STAMP)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS)

## quick: lint and the tests without the slow ones (real specs, wheel, pre-commit): the inner loop
quick: lint $(NODE_STAMP)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) -m "not slow"

## bench: sdkgen next to its peers (pinned in bench/requirements-peers.txt, in .bench-venv/); writes docs/BENCHMARKS.md. Not a test.
bench: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .bench-venv node_modules .mypy_cache .pytest_cache .ruff_cache *.egg-info
