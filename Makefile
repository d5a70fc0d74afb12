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

# Rebuild the embedded pipeline from ../shared and corpus/ (about an hour on 2 CPU cores).
ASSETS := training/assets
OUTPUT := training/output
.PHONY: train corpus
corpus: install
	$(PY) -m ner.corpus.ann build corpus/ann/batch0.ann corpus/ann/batch1.ann corpus/ann/batch2.ann corpus/ann/batch3.ann corpus/ann/batch4.ann -o corpus/gold.jsonl
	$(VENV)/bin/xiang-ner validate corpus/gold.jsonl

train: install corpus
	$(PY) training/convert_public.py --output $(ASSETS) --corpus msra
	$(PY) training/prepare_ner_data.py --gold corpus/gold.jsonl --out $(ASSETS)
	$(PY) -m spacy train configs/ner_tagger.cfg --output $(OUTPUT)/ner --paths.train $(ASSETS)/ner_train --paths.dev $(ASSETS)/ner_dev
	$(PY) training/build_default.py --ner $(OUTPUT)/ner/model-best
