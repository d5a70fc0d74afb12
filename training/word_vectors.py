"""Word vectors from the raw news, and the SECTOR lexicon expansion they give (issue 4, training only).

    python training/word_vectors.py -o training/output/clusters/word_vectors.npz

The CRF finds a SECTOR its lexicon knows (recall 0.92 on dev) and almost none it does not (0.10):
crops, industries and groups of people are open classes. Words that occur in the same contexts as
known sector words (核桃 beside 青稞/猕猴桃, 服装 beside 纺织/家具) are likely sector words too. This
script segments the raw news of the data root with jieba (the same texts as the bigram clusters: gold
dev articles left out), describes each word of 2-8 Han characters seen five times or more by the words
one and two places before and after it (positive PMI, context counts smoothed by 0.75) and reduces that
to 128 dimensions (truncated SVD, fixed seed). Vectors are a training resource: they never ship.

:func:`expand_sectors` then adds to a lexicon, with bucket ``x``, the words a logistic regression on
these vectors (positives: the lexicon's SECTOR entries of bucket h/m; everything else: unlabelled)
scores as sector-like. ``train_crf.py --sector-vectors`` applies it to each jackknife fold's lexicon
(so a fold's own sector words are found only by their vectors, as new text's are) and to the shipped
lexicon, whose ``x`` entries are ordinary lexicon entries at tagging time.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ner.components.crf_lexicon import Lexicon  # noqa: E402
from ner.settings import data_root  # noqa: E402
from ner.text.charmap import normalize_chars  # noqa: E402

#: the words that get a vector: 2-8 Han characters
_WORD = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
#: the bucket of the entries :func:`expand_sectors` adds
EXPANDED = "x"


def segment(texts: Iterable[str]) -> List[List[str]]:
    """jieba's words of each (normalised) text."""
    import jieba

    jieba.setLogLevel(60)
    return [list(jieba.cut(normalize_chars(t))) for t in texts]


def word_vectors(docs: Sequence[Sequence[str]], *, min_count: int = 5, n_contexts: int = 20000, dims: int = 128,
                 seed: int = 0) -> Tuple[List[str], np.ndarray]:
    """The vocabulary (words of :data:`_WORD` seen ``min_count`` times) and unit-length vectors for it."""
    from scipy import sparse
    from sklearn.utils.extmath import randomized_svd

    counts = Counter(w for d in docs for w in d)
    vocab = sorted((w for w, n in counts.items() if n >= min_count and _WORD.match(w)), key=lambda w: (-counts[w], w))
    contexts = sorted(counts, key=lambda w: (-counts[w], w))[:n_contexts]
    vi = {w: i for i, w in enumerate(vocab)}
    ci = {w: i for i, w in enumerate(contexts)}
    n_ctx = len(contexts)
    rows: List[int] = []
    cols: List[int] = []
    for d in docs:
        for j, w in enumerate(d):
            i = vi.get(w)
            if i is None:
                continue
            for slot, off in enumerate((-1, 1, -2, 2)):
                k = j + off
                if 0 <= k < len(d):
                    c = ci.get(d[k])
                    if c is not None:
                        rows.append(i)
                        cols.append(slot * n_ctx + c)
    m = sparse.coo_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(vocab), 4 * n_ctx)).tocsr()
    m.sum_duplicates()
    m = m.tocoo()
    total = m.data.sum()
    row_p = np.asarray(m.sum(axis=1)).ravel() / total
    col_p = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    col_p /= col_p.sum()
    pmi = np.log(m.data / total / row_p[m.row] / col_p[m.col])
    pos = pmi > 0
    ppmi = sparse.csr_matrix((pmi[pos], (m.row[pos], m.col[pos])), shape=m.shape)
    u, s, _ = randomized_svd(ppmi, dims, random_state=seed)
    vecs = u * np.sqrt(s)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    return vocab, vecs.astype(np.float32)


def save_vectors(path: Path, vocab: Sequence[str], vecs: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, vocab=np.array(vocab), vectors=vecs.astype(np.float16))


def load_vectors(path: Path) -> Tuple[List[str], np.ndarray]:
    try:
        data = np.load(path)
        return [str(w) for w in data["vocab"]], data["vectors"].astype(np.float32)
    except (OSError, KeyError, ValueError) as err:
        raise SystemExit(f"{path}: not a word-vector file of training/word_vectors.py ({err})") from err


def expand_sectors(lexicon: Lexicon, vocab: Sequence[str], vecs: np.ndarray, *, threshold: float = 0.7,
                   C: float = 1.0) -> Lexicon:
    """``lexicon`` plus ``{SECTOR: x}`` for each vocabulary word that is not already a SECTOR entry and that a
    logistic regression on the vectors, trained on the lexicon's SECTOR entries of bucket h/m against every
    other word, scores at ``threshold`` or more. The lexicon's other labels of a word are kept."""
    from sklearn.linear_model import LogisticRegression

    index = {w: i for i, w in enumerate(vocab)}
    known = {s for s, labels in lexicon.entries.items() if "SECTOR" in labels}
    positive = {index[s] for s, labels in lexicon.entries.items() if labels.get("SECTOR") in ("h", "m") and s in index}
    if len(positive) < 2:
        return lexicon
    y = np.zeros(len(vocab), dtype=np.int64)
    y[sorted(positive)] = 1
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
    clf.fit(vecs, y)
    prob = clf.predict_proba(vecs)[:, 1]
    added: Dict[str, Dict[str, str]] = {vocab[i]: {"SECTOR": EXPANDED} for i in np.flatnonzero(prob >= threshold)
                                        if vocab[i] not in known}
    return lexicon.merged(Lexicon(added))


def main() -> int:
    from build_clusters import raw_texts

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=Path("training/output/clusters/word_vectors.npz"))
    ap.add_argument("--split", type=Path, default=Path("corpus/split.json"), help="its dev ids are left out")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--dims", type=int, default=128)
    args = ap.parse_args()
    dev = set(json.loads(args.split.read_text(encoding="utf-8"))["dev"])
    t0 = time.perf_counter()
    docs = segment(raw_texts(data_root(), dev))
    vocab, vecs = word_vectors(docs, min_count=args.min_count, dims=args.dims)
    save_vectors(args.output, vocab, vecs)
    print(f"{len(vocab):,} word vectors from {len(docs):,} texts in {time.perf_counter() - t0:.0f} s -> {args.output}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
