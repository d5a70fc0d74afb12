"""Train a spacy-pkuseg word-segmentation model offline (issue 4.2).

spacy-pkuseg ships no segmentation model and none can be downloaded here, so this
script builds one from People's Daily January 1998 (the PKU/PFR corpus, a stand-in for
the missing SIGHAN-2005 PKU training set) and evaluates it on the ICWB2 PKU test set.

Steps:
  1. Convert ../shared/corpora/people_daily_1998/199801.txt (GB18030, ``word/POS``
     tokens separated by two spaces, first token an id, ``[w1/n w2/n]nt`` compounds)
     into a pkuseg training file: one paragraph a line, words separated by one space.
  2. Convert the ICWB2 PKU test gold (two-space separated, CRLF) into the same format
     and use it as pkuseg's held-out test file (it reports F1 after every iteration).
  3. ``spacy_pkuseg.train(train_file, test_file, model_dir, train_iter=N)``.
  4. Load the model with ``spacy_pkuseg.pkuseg(model_name=model_dir)``, segment the raw
     ICWB2 PKU test text, score word spans (character offset pairs) against the gold
     (P/R/F1), measure chars/s and print the model size on disk.

Converted files go to training/assets/pkuseg/ and the model to training/output/pkuseg/
(both git-ignored). Corpus text is never written into tracked files.

Usage:
    .venv/bin/python training/train_pkuseg.py                 # convert, train 3 iters, evaluate
    .venv/bin/python training/train_pkuseg.py --iters 2
    .venv/bin/python training/train_pkuseg.py --eval-only     # evaluate an existing model
    .venv/bin/python training/train_pkuseg.py --data /path/to/shared --output training/output/pkuseg

Using the model in spaCy:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.initialize(pkuseg_model="training/output/pkuseg")
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRACKET_TAG = re.compile(r"\][A-Za-z]+$")


def pd98_words(line: str) -> list[str]:
    """Words of one People's Daily 1998 line: drop the id, brackets and /POS tags."""
    tokens = line.split()
    if not tokens:
        return []
    words = []
    for tok in tokens[1:]:  # first token is the paragraph id (YYYYMMDD-pp-aaa-ppp/m)
        if tok.startswith("[") and len(tok) > 1:
            tok = tok[1:]
        tok = BRACKET_TAG.sub("", tok)  # closing bracket of a compound: 电台/n]nt
        word = tok.rsplit("/", 1)[0] if "/" in tok[1:] else tok
        if word:
            words.append(word)
    return words


def convert_pd98(src: Path, dst: Path) -> tuple[int, int, int]:
    # newline=None: universal newlines handles CRLF and the bare CRs
    n_lines = n_words = n_chars = 0
    with open(src, encoding="gb18030", newline=None) as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            words = pd98_words(line)
            if not words:
                continue
            out.write(" ".join(words) + "\n")
            n_lines += 1
            n_words += len(words)
            n_chars += sum(map(len, words))
    return n_lines, n_words, n_chars


def read_gold(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline=None) as f:
        return [line.split() for line in f]


def convert_gold(gold: list[list[str]], dst: Path) -> None:
    with open(dst, "w", encoding="utf-8") as out:
        for words in gold:
            if words:
                out.write(" ".join(words) + "\n")


def spans(words: list[str]) -> set[tuple[int, int]]:
    out, i = set(), 0
    for w in words:
        out.add((i, i + len(w)))
        i += len(w)
    return out


def evaluate(model_dir: Path, raw_path: Path, gold: list[list[str]], user_dict) -> dict:
    import spacy_pkuseg

    seg = spacy_pkuseg.pkuseg(model_name=str(model_dir), user_dict=user_dict)
    with open(raw_path, encoding="utf-8", newline=None) as f:
        raw = [line.rstrip("\r\n") for line in f]
    assert len(raw) == len(gold), (len(raw), len(gold))
    t0 = time.perf_counter()
    pred = [seg.cut(line) if line.strip() else [] for line in raw]
    elapsed = time.perf_counter() - t0
    n_chars = sum(len(line) for line in raw)
    tp = n_pred = n_gold = 0
    for line, p, g in zip(raw, pred, gold):
        p = [w for w in p if w.strip()]
        g_text, p_text = "".join(g), "".join(p)
        if p_text != g_text:  # whitespace in raw text: compare on the non-space chars
            assert p_text.replace(" ", "") == g_text.replace(" ", ""), line
        ps, gs = spans(p), spans(g)
        tp += len(ps & gs)
        n_pred += len(ps)
        n_gold += len(gs)
    prec, rec = tp / n_pred, tp / n_gold
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"P": prec, "R": rec, "F1": f1, "chars": n_chars, "seconds": elapsed,
            "chars_per_s": n_chars / elapsed, "gold_words": n_gold, "pred_words": n_pred}


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared",
                    help="shared data root (default: ../shared)")
    ap.add_argument("--assets", type=Path, default=ROOT / "training/assets/pkuseg")
    ap.add_argument("--output", type=Path, default=ROOT / "training/output/pkuseg")
    ap.add_argument("--iters", type=int, default=3,
                    help="training iterations (3 takes about 10 min on one core)")
    ap.add_argument("--eval-only", action="store_true", help="skip conversion and training")
    args = ap.parse_args(argv)

    pd98 = args.data / "corpora/people_daily_1998/199801.txt"
    icwb = args.data / "corpora/icwb2_sighan2005"
    gold_path = icwb / "gold/pku_test_gold.utf8"
    raw_path = icwb / "testing/pku_test.utf8"
    train_file = args.assets / "pd98_train.txt"
    test_file = args.assets / "pku_test_gold.txt"
    gold = read_gold(gold_path)

    if not args.eval_only:
        args.assets.mkdir(parents=True, exist_ok=True)
        t0 = time.time()
        n_lines, n_words, n_chars = convert_pd98(pd98, train_file)
        convert_gold(gold, test_file)
        print(f"train: {train_file} ({n_lines:,} lines, {n_words:,} words, {n_chars:,} chars; "
              f"{time.time() - t0:.1f}s)")
        print(f"test:  {test_file} ({sum(1 for g in gold if g):,} lines)")

        import spacy_pkuseg

        args.output.mkdir(parents=True, exist_ok=True)
        t0 = time.time()
        spacy_pkuseg.train(str(train_file), str(test_file), str(args.output), train_iter=args.iters)
        print(f"trained {args.iters} iterations in {time.time() - t0:.0f}s -> {args.output}")

    print(f"\nICWB2 PKU test ({raw_path.name} vs {gold_path.name}), word spans:")
    for name, user_dict in (("user_dict='default' (spaCy's default)", "default"), ("user_dict=None", None)):
        r = evaluate(args.output, raw_path, gold, user_dict)
        print(f"  {name}: P={r['P']:.4f} R={r['R']:.4f} F1={r['F1']:.4f}  "
              f"{r['chars_per_s']:,.0f} chars/s ({r['chars']:,} chars in {r['seconds']:.1f}s)")
    print(f"model size: {dir_size(args.output) / 2**20:.1f} MiB ({args.output})")
    for p in sorted(args.output.iterdir()):
        print(f"  {p.name}: {p.stat().st_size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
