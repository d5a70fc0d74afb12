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

# Rebuild the embedded pipeline from ../shared and corpus/ (about 1.5 hours on 2 free CPU cores).
ASSETS := training/assets
OUTPUT := training/output
GOLD_ANN := $(shell ls corpus/ann/batch*.ann | sort -V)
.PHONY: train corpus
corpus: install
	$(PY) -m ner.corpus.ann build $(GOLD_ANN) -o corpus/gold.jsonl
	$(PY) training/make_split.py --from corpus/gold.jsonl
	$(VENV)/bin/xiang-ner validate corpus/gold.jsonl

train: install
	$(PY) training/convert_public.py --output $(ASSETS) --corpus msra
	$(PY) training/prepare_ner_data.py --gold corpus/gold.jsonl --out $(ASSETS)
	$(PY) -m spacy train configs/ner_tagger.cfg --output $(OUTPUT)/ner --paths.train $(ASSETS)/ner_train --paths.dev $(ASSETS)/ner_dev
	$(PY) training/train_relations.py $(ASSETS)/gold_train.jsonl -o $(OUTPUT)/relations --dev $(ASSETS)/gold_dev.jsonl --C 0.3 --cv 5 --min-precision 0
	$(PY) training/build_default.py --ner $(OUTPUT)/ner/model-best --relations $(OUTPUT)/relations

# Train the spacy-pkuseg word-segmentation model offline from People's Daily 1998 and score it on
# ICWB2 PKU test (issue 4.2; about 10-12 minutes on one core). Model: training/output/pkuseg.
.PHONY: pkuseg
pkuseg: install
	$(PY) training/train_pkuseg.py --data $(DATA) --output $(OUTPUT)/pkuseg
