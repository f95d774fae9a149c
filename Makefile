# Two commands do all set-up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/pybabel compile -d web/translations
	touch $@

.PHONY: serve test lint screenshots
# Serve the API on the embedded SQLite default (var/tracker.sqlite3); DEMO=1 loads the demo projects first
# and, unless TRACKER_TODAY is given, takes the day the demo lives on as today (its months have happened by then).
DEMO_TODAY := 2027-03-15
serve: $(BIN)/.installed
	$(if $(DEMO),TRACKER_TODAY=$(or $(TRACKER_TODAY),$(DEMO_TODAY))) $(BIN)/flask --app wsgi serve $(if $(DEMO),--demo) --port $(or $(PORT),8000)

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .

# The main pages in both languages, as the right person sees them, into docs/screenshots/ (Debian's chromium).
screenshots: $(BIN)/.installed
	$(BIN)/python -m tests.browser.screenshots
