"""Silver word boundaries for an auxiliary training objective (issue 4.2).

    python training/add_word_boundaries.py --pkuseg training/output/pkuseg \
        --train training/assets/ner_train --out training/assets/ner_train_wb [--news 3000]

The pkuseg model (``make pkuseg``, 77 MiB) is too big and too slow to run at extraction time, so its
knowledge enters the character model only in training: every character token of the NER training
docs gets a word-position tag (``B``/``M``/``E``/``S``, whitespace ``S``) in ``Token.tag_``, which an
auxiliary ``tagger`` sharing the tok2vec learns (``configs/ner_tagger_wb.cfg``); the shipped
pipeline drops that tagger. With ``--news N``, N raw CCTV articles (never the dev split) are added
with tags only: their entities stay *missing*, so they train the shared encoder through the
boundary objective alone.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Iterable, List

import spacy
from spacy.tokens import Doc, DocBin

from ner.corpus.examples import make_nlp, write_docbin
from ner.corpus.sources import selection
from ner.corpus.stats import load_split
from ner.settings import data_root

NEWS_SOURCE = "corpora/cctv_xwlb_news/xwlb_domestic_2022_2026.jsonl"


def word_tags(doc: Doc, words: Iterable[str]) -> List[str]:
    """B/M/E/S tag of each token of ``doc`` from a segmentation of its text (spaces ignored)."""
    pos_tag = {}  # char offset -> tag
    text = doc.text
    i = 0
    for w in words:
        w = "".join(w.split())
        if not w:
            continue
        start = text.find(w[0], i)
        # walk through the word's characters, skipping whitespace in the text
        offs = []
        j = start
        for ch in w:
            while j < len(text) and text[j] != ch:
                j += 1
            if j >= len(text):
                break
            offs.append(j)
            j += 1
        if not offs:
            continue
        i = offs[-1] + 1
        if len(offs) == 1:
            pos_tag[offs[0]] = "S"
        else:
            pos_tag[offs[0]] = "B"
            for o in offs[1:-1]:
                pos_tag[o] = "M"
            pos_tag[offs[-1]] = "E"
    return [pos_tag.get(t.idx, "S") for t in doc]


def tag_docs(docs: List[Doc], seg) -> List[Doc]:
    texts = [d.text for d in docs]
    for doc, text in zip(docs, texts):
        words = seg.cut(text) if text.strip() else []
        for tok, tag in zip(doc, word_tags(doc, words)):
            tok.tag_ = tag
    return docs


#: the word-boundary tags travel in TAG
WB_ATTRS = ["ORTH", "TAG", "ENT_IOB", "ENT_TYPE"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pkuseg", type=Path, default=Path("training/output/pkuseg"))
    ap.add_argument("--train", type=Path, default=Path("training/assets/ner_train"))
    ap.add_argument("--out", type=Path, default=Path("training/assets/ner_train_wb"))
    ap.add_argument("--news", type=int, default=0, help="add N raw news articles with boundary tags only")
    ap.add_argument("--news-out", type=Path, default=Path("training/assets/news_wb"))
    args = ap.parse_args()
    import spacy_pkuseg

    seg = spacy_pkuseg.pkuseg(model_name=str(args.pkuseg), user_dict=None)  # the model alone (best PKU F1)
    blank = spacy.blank("zh")
    done = {}
    for path in sorted(args.train.glob("*.spacy")):
        docs = list(DocBin().from_disk(path).get_docs(blank.vocab))
        key = path.name.rsplit("_", 1)[0] if path.name.startswith("gold_train_") else path.name
        if key not in done:
            done[key] = tag_docs(docs, seg)
        write_docbin(done[key], args.out / path.name, attrs=WB_ATTRS)
        print(f"{path.name}: {len(docs)} docs tagged")
    if args.news:
        split = load_split()
        dev = set(split["dev"]) | set(split["train"]) | set(selection())
        nlp = make_nlp()
        docs = []
        with open(data_root() / NEWS_SOURCE, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if rec["id"] in dev or not rec.get("text"):
                    continue  # never the gold articles (dev above all)
                docs.append(nlp.make_doc(rec["text"]))
                if len(docs) >= args.news:
                    break
        write_docbin(tag_docs(docs, seg), args.news_out / "news_wb.spacy", attrs=WB_ATTRS)
        print(f"news: {len(docs)} docs, {sum(len(d.text) for d in docs)} chars -> {args.news_out}")


if __name__ == "__main__":
    main()
