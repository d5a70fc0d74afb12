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

# Rebuild the embedded pipeline from ../shared and corpus/ (about 1.5 hours on 2 CPU cores).
ASSETS := training/assets
OUTPUT := training/output
GOLD_ANN := $(sort $(wildcard corpus/ann/batch*.ann))
.PHONY: train corpus
corpus: install
	$(PY) -m ner.corpus.ann build $(GOLD_ANN) -o corpus/gold.jsonl
	$(PY) training/make_split.py --from corpus/gold.jsonl
	$(VENV)/bin/xiang-ner validate corpus/gold.jsonl

train: install
	$(PY) training/convert_public.py --output $(ASSETS) --corpus msra
	$(PY) training/prepare_ner_data.py --gold corpus/gold.jsonl --out $(ASSETS)
	$(PY) -m spacy train configs/ner_tagger.cfg --output $(OUTPUT)/ner --paths.train $(ASSETS)/ner_train --paths.dev $(ASSETS)/ner_dev
	$(PY) -m spacy train configs/ner_finetune.cfg --training.max_steps 1600 --output $(OUTPUT)/ner_ft --paths.source $(OUTPUT)/ner/model-best --paths.train $(ASSETS)/gold_train.spacy --paths.dev $(ASSETS)/ner_dev
	$(PY) training/train_relations.py $(ASSETS)/gold_train.jsonl -o $(OUTPUT)/relations --dev $(ASSETS)/gold_dev.jsonl --threshold 0.74 --C 0.3
	$(PY) training/build_default.py --ner $(OUTPUT)/ner_ft/model-best --relations $(OUTPUT)/relations

# Train the spacy-pkuseg word-segmentation model offline from People's Daily 1998 and score it on
# ICWB2 PKU test (issue 4.2; about 10-12 minutes on one core). Model: training/output/pkuseg.
.PHONY: pkuseg
pkuseg: install
	$(PY) training/train_pkuseg.py --data $(DATA) --output $(OUTPUT)/pkuseg
