"""Score CRF training outputs through the pipeline on the gold-train holdout fold (issue 4 tuning).

    python training/eval_holdout.py training/output/tune/RUN [RUN2 ...] [--fold 0] [--gold training/assets/gold_train.jsonl] [--without quoted people]

``train_crf.py --holdout-fold K`` reports the CRF alone on the fold; this builds each output into the
pipeline's entity part (``crf_ner`` with its span post-processing, then ``money_rules``) and scores
the same texts, with and without the quote completion of :func:`ner.components.crf_ner.trim_quotes`,
so post-processing is judged on text the model never saw. ``--without`` adds rows with each named
``crf_ner`` setting turned off (``quoted``, ``people``, ``lists`` …), all else as shipped.
"""
from __future__ import annotations

import argparse
from typing import List

import spacy

import ner.components.crf_ner as crf_ner
from ner.components.crf_lexicon import text_fold
from ner.corpus.standoff import load_documents
from ner.scoring import score_entity_sets


def main(argv: List[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="+", help="train_crf.py output directories")
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--gold", default="training/assets/gold_train.jsonl", help="gold train JSONL (prepare_ner_data.py)")
    ap.add_argument("--without", nargs="*", default=[], help="crf_ner settings to also score turned off, one row each")
    args = ap.parse_args(argv)
    docs = [d for d in load_documents([args.gold]) if text_fold("holdout:" + d.text, 5) == args.fold]
    gold = [[(s.start, s.end, s.label) for s in d.spans] for d in docs]
    complete = crf_ner._complete_quotes
    print("| run | setting off | quote completion | docs | micro F | " + " | ".join(ner_labels()) + " |")
    for path, off in ((p, o) for p in args.runs for o in [None, *args.without]):
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
        nlp.add_pipe("crf_ner", config={off: False} if off else {}).initialize(model_path=path)
        nlp.add_pipe("money_rules")
        for name, fn in (("off", lambda text, s, e: (s, e)), ("on", complete)):
            crf_ner._complete_quotes = fn
            try:
                pred = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(d.text for d in docs)]
            finally:
                crf_ner._complete_quotes = complete
            s = score_entity_sets(gold, pred)
            per = " | ".join(f"{s['ents_per_type'][k]['f']:.3f}" for k in ner_labels())
            print(f"| {path} | {off or '-'} | {name} | {len(docs)} | {s['ents_f']:.4f} | {per} |", flush=True)


def ner_labels() -> List[str]:
    from ner.schema import ENTITY_LABELS

    return list(ENTITY_LABELS)


if __name__ == "__main__":
    main()
