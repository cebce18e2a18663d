# Two jobs on a fresh machine: `make app` (install, then open the app on the default scenario) and `make test`.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install app test bench screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

app: $(STAMP)
	$(BIN)/streamlit run app.py

test: $(STAMP)
	$(BIN)/python -m pytest

# The README's screenshots (docs/screenshots), made by the browser tests; `make test` writes them to artifacts/.
screenshots: $(STAMP)
	REMBUG_SCREENSHOTS=docs $(BIN)/python -m pytest tests/test_app_browser.py tests/test_room_browser.py

bench: $(STAMP)
	$(BIN)/python benchmarks/negotiation.py
