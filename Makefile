# Every target bootstraps what it needs from files in this repo: a fresh clone needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SPEC := spec/openapi.yaml

.PHONY: generate check test lint clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

## generate: regenerate every SDK of sdkgen.yaml from spec/
generate: $(STAMP)
	$(BIN)/sdkgen generate

## check: the spec is valid, generated/ is exactly what the generator renders, and black-clean
check: $(STAMP)
	$(BIN)/sdkgen validate $(SPEC)
	$(BIN)/sdkgen generate --check
	$(BIN)/black --check --quiet generated

## lint: ruff and mypy --strict on the generator
lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy generator

## test: check, lint, then the test suite
test: check lint
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache *.egg-info
