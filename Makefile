# Two set-up commands for a fresh machine (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DATA ?= ../shared
SEED := $(DATA)/corpora/seed/hunan-daily-page.txt

.PHONY: demo test install install-test clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(VENV)/bin/activate
	$(PIP) install -q -e .

install-test: $(VENV)/bin/activate
	$(PIP) install -q -e '.[test]'

demo: install
	$(VENV)/bin/xiang-ner demo $(if $(wildcard $(SEED)),$(SEED),)

test: install-test
	$(PY) -m pytest

clean:
	rm -rf $(VENV) build *.egg-info
