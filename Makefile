PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@bash scripts/demo.sh

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# The gettext catalogs: extract every message id from the code into the template, bring the
# Swedish catalog up to date with it (new ids untranslated, changed ones marked fuzzy), compile.
# Translate what the update left empty or fuzzy in the .po, then run this again.
LOCALE := src/trappa/locale
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k P_:1,2 --no-location --sort-output \
		--project trappa --copyright-holder "trappa's authors" -o $(LOCALE)/trappa.pot .
	$(BIN)/pybabel update -i $(LOCALE)/trappa.pot -d $(LOCALE) -D trappa -l sv \
		--ignore-obsolete --no-wrap
	@# One creation date, not today's: the files change only when a message does.
	sed -i.bak -e 's/^"POT-Creation-Date: .*/"POT-Creation-Date: 2026-11-30 00:00+0000\\n"/' \
		$(LOCALE)/trappa.pot $(LOCALE)/sv/LC_MESSAGES/trappa.po
	rm -f $(LOCALE)/trappa.pot.bak $(LOCALE)/sv/LC_MESSAGES/trappa.po.bak
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D trappa

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist
