"""Assemble the embedded default pipeline in ner/models/xiang_zh_default.

    python training/build_default.py [--ner training/output/ner/model-best] [--relations DIR] [--out DIR]

Components: the character tokenizer, the entity recogniser (the character CRF ``crf_ner`` from
``--crf``, or the trained ``tok2vec``+``biluo_ner`` sourced from ``--ner``), the MONEY rules shipped in
the package, and the relation extractor.
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import spacy

import ner
from ner.pipeline import DEFAULT_MODEL
from ner.schema import ENTITY_LABELS, RELATION_LABELS

LICENCES = {
    "msra_ner": "MSRA NER (SIGHAN 2006): research use, no licence stated",
    "people_daily_1998": "People's Daily 1998 (PKU): research use, no licence stated",
    "corpus": "xiang-ner gold annotations (stand-off) over CCTV 新闻联播 and FinCUGE texts: research use",
    "bigram_clusters": "cluster numbers of 60,000 character bigrams counted over CCTV 新闻联播, FinCUGE and MSRA train "
                       "texts (training/build_clusters.py): derived statistics, no text; the texts are research-use",
    "places_gazetteer": "ner/components/data/places_cn.jsonl: China's province-level divisions and prefecture-level cities, "
                        "written for this project from the public administrative division list",
}


def build(ner_path: Path | None, out: Path, scores: dict | None = None, relations: Path | None = None, crf: Path | None = None) -> None:
    if crf:
        # the character CRF (training/train_crf.py) as the entity recogniser
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
        nlp.add_pipe("crf_ner").initialize(model_path=crf)
    elif ner_path:
        src = spacy.load(ner_path)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
        for name in src.pipe_names:
            nlp.add_pipe(name, source=src)
    else:
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
    nlp.add_pipe("money_rules")
    if relations:
        # a relation extractor trained by training/train_relations.py (rules + learned scorer)
        cfg = json.loads((relations / "cfg.json").read_text(encoding="utf-8"))
        rel = nlp.add_pipe("relation_extractor", config=cfg)
        rel.from_disk(relations)
    else:
        nlp.add_pipe("relation_extractor")
    nlp.meta.update(
        {
            "name": "xiang_zh_default",
            "version": ner.__version__,
            "description": "xiang-ner default pipeline: character tokens, entity recogniser (CRF or tagger), MONEY rules, relation extractor",
            "labels": {"ner": list(ENTITY_LABELS), "relation_extractor": list(RELATION_LABELS)},
            "sources": LICENCES,
            "performance": scores or {},
        }
    )
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    print(f"wrote {out} with pipes {nlp.pipe_names}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ner", type=Path, help="a trained spaCy NER pipeline (tok2vec + biluo_ner)")
    ap.add_argument("--crf", type=Path, help="a trained character CRF (training/train_crf.py), used instead of --ner")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--relations", type=Path, help="a trained relation_extractor directory")
    ap.add_argument("--scores", type=Path, help="JSON file of scores to record in meta")
    args = ap.parse_args()
    scores = json.loads(args.scores.read_text()) if args.scores else None
    build(args.ner, args.out, scores, args.relations, args.crf)


if __name__ == "__main__":
    main()
