# Two jobs on a fresh machine: `make app` (install, then open the app on the default scenario) and `make test`.
#   make app PORT=8600        serve the app on another port (default 8501)
#   make test PYTHON=python3  build the environment with another interpreter (Python 3.12 or newer)
PYTHON ?= python3.12
PORT ?= 8501
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install app test bench screenshots docs-figures

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) was not found. Rembug needs Python 3.12 or newer:" \
		"install it, or name another interpreter, e.g. make $(or $(MAKECMDGOALS),install) PYTHON=python3" >&2; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { echo "make: $(PYTHON) is" \
		"Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); Rembug needs 3.12 or newer" \
		"(name another with PYTHON=...)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@echo "Compiling the negotiation's turn loop into numba's cache (two or three minutes, once)..."
	$(BIN)/python -c "from sim.negotiation import kernels; kernels.warm()"
	touch $(STAMP)

install: $(STAMP)

app: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

# The README's screenshots (docs/screenshots), made by the browser tests; `make test` writes them to artifacts/.
screenshots: $(STAMP)
	REMBUG_SCREENSHOTS=docs $(BIN)/python -m pytest tests/test_app_browser.py tests/test_room_browser.py

# The generated figures of docs/validation.md: the pattern catalogue and the robustness screen on fresh seeds (about
# an hour on two cores). The test suite never rewrites them.
docs-figures: $(STAMP)
	$(BIN)/rembug patterns --seeds 30 --out artifacts/patterns --readme docs/validation.md
	$(BIN)/rembug robustness --seeds 30 --out docs/robustness --docs docs/validation.md

bench: $(STAMP)
	$(BIN)/python benchmarks/negotiation.py
