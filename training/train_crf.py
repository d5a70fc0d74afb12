"""Train the character CRF baseline (issue 6) on the NER training DocBins and score it on dev.

    python training/train_crf.py [--train training/assets/ner_train] [--dev training/assets/ner_dev]
        [--output training/output/crf] [--c1 0.1] [--c2 0.01] [--max-iterations 100]
        [--scheme bio|biluo] [--missing drop|o] [--sample N] [--min-freq 0]

Reads the same ``.spacy`` files as the spaCy NER (training/prepare_ner_data.py: MSRA train minus the
2,000-sentence dev sample, plus the gold train split repeated 6 times), one CRF sequence per doc,
features from ``ner.baselines.crf.char_features``. A CRF has no notion of a *missing* label, so the
MSRA characters that convert_public.py marked missing (likely PROGRAMME/SECTOR/MONEY) either drop
their sentence (``--missing drop``, the default) or count as O (``--missing o``). ``--sample N``
trains on a random N of the docs (seeded). Writes ``OUTPUT/model.crfsuite`` and ``OUTPUT/meta.json``
(parameters, data sizes, times, dev scores), and prints strict P/R/F per label on dev.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import spacy
from spacy.tokens import Doc, DocBin

from ner.baselines.crf import SCHEMES, CRFTagger, spans_to_tags, train
from ner.components.crf_features import WINDOWS, write_feature_config
from ner.components.crf_clusters import CLUSTERS_FILE, BigramClusters
from ner.components.crf_lexicon import (LEXICON_FILE, Lexicon, jackknife_lexicons, text_fold, word_lexicon,
                                       write_lexicon)
from ner.components.crf_ner import join_place_abbreviations
from ner.components.gazetteer import gazetteer_places, with_gazetteer
from ner.corpus.public import PUBLIC_LABELS
from ner.text.charmap import normalize_chars
from ner.schema import ENTITY_LABELS
from ner.scoring import score_entity_sets
from word_vectors import expand_sectors, load_vectors  # noqa: E402  (training/, beside this script)

Ent = Tuple[int, int, str]


def spacy_files(path: Path) -> List[Path]:
    files = sorted(path.rglob("*.spacy")) if path.is_dir() else [path]
    if not files:
        raise SystemExit(f"error: no .spacy files under {path}")
    return files


def load_docs(path: Path, sources: Optional[List[str]] = None) -> List[Doc]:
    """The docs of every ``.spacy`` file under ``path``; ``sources`` gets each doc's file name."""
    vocab = spacy.blank("zh").vocab
    docs: List[Doc] = []
    for f in spacy_files(path):
        got = list(DocBin().from_disk(f).get_docs(vocab))
        docs += got
        if sources is not None:
            sources += [f.name] * len(got)
    return docs


def people_daily_words(exclude_test: bool = True) -> List[str]:
    """The word tokens of People's Daily 1998 (../shared), for :func:`word_lexicon`.

    Paragraphs sharing a clause (10+ characters) with the MSRA test set are left out, so that the word
    boundaries of test sentences do not reach the model through the lexicon.
    """
    import re

    from ner.corpus.converters import SPLITS, overlap_key
    from ner.corpus.public.people_daily import iter_paragraphs, parse_line
    from ner.settings import corpus_path

    cut = r"[，。！？；：、,;:!?]"
    test_clauses: set = set()
    if exclude_test:
        msra = next(sp for sp in SPLITS if sp.name == "msra_test")
        for text, _ in msra.reader(msra.path()):
            test_clauses.update(c for c in re.split(cut, overlap_key(text)) if len(c) >= 10)
    words: List[str] = []
    dropped = 0
    for line in iter_paragraphs(corpus_path("corpora/people_daily_1998/199801.txt")):
        _pid, text, toks, _brackets = parse_line(line)
        if test_clauses and any(c in test_clauses for c in re.split(cut, overlap_key(text)) if len(c) >= 10):
            dropped += 1
            continue
        words += [text[a:b] for a, b, _tag, _br in toks]
    print(f"People's Daily words: {len(words):,} tokens ({dropped} paragraphs sharing a clause with MSRA test left out)", file=sys.stderr)
    return words


def annotated_labels(source: str) -> Tuple[str, ...]:
    """The labels a training file annotates: the gold corpus all, the public corpora PERSON/LOC/ORG."""
    return tuple(ENTITY_LABELS) if is_gold(source) else tuple(PUBLIC_LABELS)


def is_gold(source: str) -> bool:
    """Is this training file (name) from the gold corpus? (prepare_ner_data.py names them gold_*.spacy)"""
    return source.startswith("gold")


def has_missing(doc: Doc) -> bool:
    """Does any non-space token have an unknown entity annotation (``ent_iob == 0``)?"""
    return any(t.ent_iob == 0 and not t.is_space for t in doc)


def doc_ents(doc: Doc) -> List[Ent]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def subset(keep: List[int], *lists: List[Any]) -> Tuple[List[Any], ...]:
    """The items at the indices ``keep`` of each of ``lists`` (parallel lists: docs, their sources, their fold keys)."""
    return tuple([items[i] for i in keep] for items in lists)


def per_view(views: List[Any], change: Callable[[Any], Any]) -> List[Any]:
    """``change`` applied once per distinct lexicon view (a fold's view is shared by all its docs), in doc order."""
    done = {id(lx): change(lx) for lx in {id(lx): lx for lx in views}.values()}
    return [done[id(lx)] for lx in views]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=Path("training/assets/ner_train"))
    ap.add_argument("--dev", type=Path, default=Path("training/assets/ner_dev"))
    ap.add_argument("--output", type=Path, default=Path("training/output/crf"))
    ap.add_argument("--c1", type=float, default=0.1, help="L1 penalty")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 penalty")
    ap.add_argument("--max-iterations", type=int, default=100)
    ap.add_argument("--min-freq", type=float, default=0, help="drop features seen fewer times")
    ap.add_argument("--scheme", choices=SCHEMES, default="bio")
    ap.add_argument("--missing", choices=("drop", "o"), default="drop", help="docs with missing labels: drop them, or read missing as O")
    ap.add_argument("--sample", type=int, default=0, help="train on a random N docs (0: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lexicon-folds", type=int, default=0,
                    help="add lexicon features from the training entities, jackknifed over this many folds (0: none)")
    ap.add_argument("--holdout-fold", type=int, default=-1, choices=range(-1, 5),
                    help="hold out this fifth (0-4) of the gold training texts and score on it (-1: train on all)")
    ap.add_argument("--also", type=Path, nargs="*", default=[],
                    help="more .spacy files to score (PERSON/LOC/ORG only, e.g. training/assets/msra_dev.spacy)")
    ap.add_argument("--drop-public-matches", action="store_true",
                    help="also drop public-corpus docs where a PROGRAMME/SECTOR lexicon entry (reliability h/m) occurs")
    ap.add_argument("--words", action="store_true",
                    help="add word-boundary features from a word lexicon of People's Daily 1998 (../shared)")
    ap.add_argument("--brackets", action="store_true", help="add inside-quotation/title-mark features")
    ap.add_argument("--cues", action="store_true", help="add long-range cue features (heads and triggers within ten characters)")
    ap.add_argument("--window", type=int, choices=WINDOWS, default=2, help="context characters either side")
    ap.add_argument("--clusters", type=Path, default=None,
                    help="add bigram cluster features from this file (training/build_clusters.py); copied beside the model")
    ap.add_argument("--gazetteer", action="store_true",
                    help="train with the gazetteers in each fold's lexicon (crf_ner.with_gazetteer: places, sector terms, organisations, people), as crf_ner tags")
    ap.add_argument("--corpus-places", action="store_true",
                    help="relabel the public texts' one-character places to corpus decision 51 before training")
    ap.add_argument("--public-empty-share", type=float, default=1.0,
                    help="keep this share of the public texts without any entity (1: all; a fixed sample by --seed)")
    ap.add_argument("--lexicon-fold-block", type=int, default=0,
                    help="jackknife the public texts by blocks of this many neighbouring sentences (one article's "
                         "sentences share names; 0: each sentence by its hash)")
    ap.add_argument("--sector-vectors", type=Path, default=None,
                    help="word vectors of training/word_vectors.py: add sector-like words to each lexicon (bucket x)")
    ap.add_argument("--sector-threshold", type=float, default=0.7, help="the expansion's probability threshold")
    ap.add_argument("--lexicon-min-count", type=int, default=1, help="entries seen fewer times as an entity are left out")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    sources: List[str] = []
    docs = load_docs(args.train, sources)
    n_all = len(docs)
    n_missing = sum(1 for d in docs if has_missing(d))
    # the lexicon fold of each doc: its text, or for a public sentence its block of neighbours in its file
    position: Dict[str, int] = {}
    fold_keys: List[str] = []
    block = args.lexicon_fold_block
    for d, src in zip(docs, sources):
        k = position[src] = position.get(src, -1) + 1
        fold_keys.append(d.text if is_gold(src) or block <= 0 else f"{src}#{k // block}")
    keep = [i for i, d in enumerate(docs) if args.missing != "drop" or not has_missing(d)]
    if args.sample and args.sample < len(keep):
        keep = random.Random(args.seed).sample(keep, args.sample)
    docs, sources, fold_keys = subset(keep, docs, sources, fold_keys)
    if args.corpus_places:
        # public texts relabelled to corpus decision 51: touching one-character LOCs joined, runs led by 中 dropped
        n_changed = 0
        for d, src in zip(docs, sources):
            if is_gold(src):
                continue
            spans = [(e.start_char, e.end_char, e.label_) for e in d.ents]
            new = join_place_abbreviations(d.text, spans)
            if new != spans:
                d.set_ents([d.char_span(a, b, label=lab) for a, b, lab in new])
                n_changed += 1
        print(f"decision 51: {n_changed:,} public docs relabelled", file=sys.stderr)
    if args.public_empty_share < 1.0:
        # public texts without a name teach "O" for everything; fewer of them shift the model towards recall
        rng = random.Random(args.seed)
        keep = [i for i, (d, src) in enumerate(zip(docs, sources))
                if is_gold(src) or len(d.ents) or rng.random() < args.public_empty_share]
        print(f"public texts without entities: kept {args.public_empty_share:.0%}, {len(docs) - len(keep):,} dropped", file=sys.stderr)
        docs, sources, fold_keys = subset(keep, docs, sources, fold_keys)
    held: List[Doc] = []
    if args.holdout_fold >= 0:
        # a fold of the gold training texts (copies together) is neither trained on nor in the lexicon:
        # settings are chosen on it, so that dev stays a test set
        out = [i for i, (d, src) in enumerate(zip(docs, sources)) if is_gold(src) and text_fold("holdout:" + d.text, 5) == args.holdout_fold]
        seen = set()
        held = [docs[i] for i in out if not (docs[i].text in seen or seen.add(docs[i].text))]
        drop = set(out)
        docs, sources, fold_keys = subset([i for i in range(len(docs)) if i not in drop], docs, sources, fold_keys)
    data = [(d.text, spans_to_tags(len(d.text), doc_ents(d), args.scheme)) for d in docs]
    lexicons = None
    full: Optional[Lexicon] = None  # the lexicon shipped with the model
    args.output.mkdir(parents=True, exist_ok=True)
    if args.lexicon_folds:
        lex_labels = [label for label in ENTITY_LABELS if label != "MONEY"]  # MONEY: rules and the model do well
        full, per_fold, fold_of = jackknife_lexicons(
            [(d.text, doc_ents(d), annotated_labels(src)) for d, src in zip(docs, sources)],
            folds=args.lexicon_folds, min_count=args.lexicon_min_count, labels=lex_labels, fold_keys=fold_keys)
        if args.sector_vectors is not None:
            # each fold's lexicon learns its expansion from its own SECTOR entries, so a fold's sector words
            # reach it through their vectors alone, as a new text's do
            vocab, vecs = load_vectors(args.sector_vectors)
            before = len(full)
            per_fold = [expand_sectors(lx, vocab, vecs, threshold=args.sector_threshold) for lx in per_fold]
            full = expand_sectors(full, vocab, vecs, threshold=args.sector_threshold)
            print(f"sector expansion: {len(full) - before:,} words added (bucket x)", file=sys.stderr)
        # a text from a corpus that leaves a label unannotated gets no features of that label: there, its
        # O tags say nothing about the lexicon's reliability
        views = {(k, labs): per_fold[k].only(labs) for k in set(fold_of) for labs in set(map(annotated_labels, sources))}
        lexicons = [views[(k, annotated_labels(src))] for k, src in zip(fold_of, sources)]
        if args.drop_public_matches:
            drop_labels = set(ENTITY_LABELS) - set(PUBLIC_LABELS)
            strong = full.only(drop_labels)
            strong = type(full)({s: v for s, v in strong.entries.items() if set(v.values()) & {"h", "m"}})
            kept = [i for i, src in enumerate(sources) if is_gold(src) or not strong.found(normalize_chars(data[i][0]))]
            print(f"dropped {len(data) - len(kept):,} public docs with a likely {'/'.join(sorted(drop_labels))} mention", file=sys.stderr)
            data, lexicons = [data[i] for i in kept], [lexicons[i] for i in kept]
        print(f"lexicon: {len(full):,} entries ({args.lexicon_folds} jackknife folds)", file=sys.stderr)
    if args.gazetteer and lexicons is not None:
        # train with the lexicon crf_ner tags with: each fold's view plus the place gazetteer (the shipped
        # lexicon stays the training entities'; the component adds the gazetteer when it loads)
        lexicons = per_view(lexicons, with_gazetteer)
        print(f"gazetteer: {len(gazetteer_places()):,} places and the name lists of crf_ner.NAME_LISTS in each fold's lexicon", file=sys.stderr)
    if args.words:
        words = word_lexicon(people_daily_words())
        print(f"word lexicon: {len(words):,} words", file=sys.stderr)
        views = lexicons or [None] * len(data)
        lexicons = per_view(views, lambda lx: words if lx is None else lx.merged(words))
        full = words if full is None else full.merged(words)
    if full is not None:
        write_lexicon(full, args.output / LEXICON_FILE)
    elif (args.output / LEXICON_FILE).exists():
        (args.output / LEXICON_FILE).unlink()
    write_feature_config({"brackets": args.brackets, "window": args.window, "clusters": args.clusters is not None,
                          "cues": args.cues}, args.output)
    clusters = None
    if args.clusters is not None:
        clusters = BigramClusters.from_disk(args.clusters)
        clusters.to_disk(args.output / CLUSTERS_FILE)
        print(f"bigram clusters: {len(clusters):,} bigrams, {clusters.n_clusters} clusters", file=sys.stderr)
    elif (args.output / CLUSTERS_FILE).exists():
        (args.output / CLUSTERS_FILE).unlink()
    n_chars = sum(len(t) for t, _ in data)
    print(f"train: {n_all} docs from {args.train}, {n_missing} with missing labels ({args.missing}); "
          f"training on {len(data)} docs, {n_chars:,} characters", file=sys.stderr)
    del docs
    t1 = time.perf_counter()
    model_path = args.output / "model.crfsuite"
    train(data, model_path, c1=args.c1, c2=args.c2, max_iterations=args.max_iterations,
          min_freq=args.min_freq, verbose=not args.quiet, lexicons=lexicons, brackets=args.brackets, window=args.window, clusters=clusters,
          cues=args.cues)
    t2 = time.perf_counter()

    tagger = CRFTagger(model_path)
    results = {}
    sets = [("holdout", held, ENTITY_LABELS)] if held else []
    sets.append(("dev", load_docs(args.dev), ENTITY_LABELS))
    sets += [(p.stem, load_docs(p), PUBLIC_LABELS) for p in args.also]
    speed = 0.0
    for name, eval_docs, labels in sets:
        gold = [[e for e in doc_ents(d) if e[2] in labels] for d in eval_docs]
        t3 = time.perf_counter()
        pred = [[e for e in tagger(d.text) if e[2] in labels] for d in eval_docs]
        t4 = time.perf_counter()
        if name == "dev":
            speed = sum(len(d.text) for d in eval_docs) / (t4 - t3)
        scores = score_entity_sets(gold, pred, labels=labels)
        results[name] = {k: v for k, v in scores.items() if k.startswith("ents_micro") or k == "ents_per_type"}
        print(f"\n{name} ({len(eval_docs)} docs), strict P / R / F:")
        for label, sc in scores["ents_per_type"].items():
            print(f"  {label:10s} {sc['p']:.3f} / {sc['r']:.3f} / {sc['f']:.3f}")
        print(f"  {'micro':10s} {scores['ents_micro_p']:.3f} / {scores['ents_micro_r']:.3f} / {scores['ents_micro_f']:.3f}")
    print(f"train {t2 - t1:.0f} s (data {t1 - t0:.0f} s); dev tagging {speed:,.0f} chars/s; "
          f"model {model_path} ({model_path.stat().st_size / 2**20:.1f} MiB)")
    meta = {
        "params": {k: (str(v) if isinstance(v, Path) else [str(x) for x in v] if isinstance(v, list) else v) for k, v in vars(args).items()},
        "train_docs": len(data), "train_chars": n_chars, "train_docs_in_files": n_all, "docs_with_missing": n_missing,
        "train_seconds": round(t2 - t1, 1), "holdout_docs": len(held),
        **results,
    }
    (args.output / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
