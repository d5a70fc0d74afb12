"""Cluster character bigrams by the contexts they occur in, over raw news of the data root (issue 4.2).

    python training/build_clusters.py -o training/output/clusters/bigram_clusters.npz [--bigrams 60000 --k 256]

The CRF sees two characters either side; a bigram's cluster tells it which *kind* of bigram it is
(crop names, bank suffixes, policy nouns ...) also for bigrams that its training data never labelled.
Unlabelled text only: CCTV news (minus the gold dev articles), fincuge finna/finnl texts (minus gold
dev), MSRA train characters. Each bigram is described by the characters and bigrams right before and
after it (positive PMI, context counts smoothed by 0.75), reduced by truncated SVD and cut by k-means
(fixed seeds). The output is :class:`ner.components.crf_clusters.BigramClusters` data.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, TextIO

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ner.components.crf_clusters import BigramClusters, is_han  # noqa: E402
from ner.settings import data_root  # noqa: E402
from ner.text.charmap import normalize_chars  # noqa: E402


def raw_texts(root: Path, exclude: set) -> Iterator[str]:
    """Unlabelled texts of the data root (gold dev articles left out)."""
    with open(root / "corpora/cctv_xwlb_news/xwlb_domestic_2022_2026.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] not in exclude:
                yield d["text"]
    fin = root / "corpora/fincuge_finnews"
    for i, (_summary, text) in enumerate(json.load(open(fin / "finna/eval_list.json", encoding="utf-8"))):
        if f"finna-eval-{i}" not in exclude:
            yield text
    for name in ("finnl/train_list.json", "finnl/eval_list.json"):
        for item in json.load(open(fin / name, encoding="utf-8")):
            yield item[0]
    sent: List[str] = []
    with open(root / "corpora/msra_ner/bio/msra_train_bio", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if sent:
                    yield "".join(sent)
                sent = []
            else:
                sent.append(line.split("\t")[0])
    if sent:
        yield "".join(sent)


def cluster_bigrams(texts: Sequence[str], *, n_bigrams: int = 60000, n_contexts: int = 20000, dims: int = 100,
                    k: int = 256, coarse: int = 0, seed: int = 0, log: Optional[TextIO] = None) -> BigramClusters:
    """Cluster the ``n_bigrams`` most frequent Han bigrams of the (normalised) ``texts`` into ``k`` clusters
    by the characters and bigrams right before and after them (PPMI, truncated SVD, k-means); with
    ``coarse``, also cut the clusters' centroids into that many groups (k-means again), so each cluster
    belongs to a group. The clusters are the same with and without groups."""
    from scipy import sparse
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    t0 = time.time()
    bigram_counts: Counter = Counter()
    for t in texts:
        bigram_counts.update(t[i:i + 2] for i in range(len(t) - 1))
    han = [b for b, _ in bigram_counts.most_common() if is_han(b[0]) and is_han(b[1])]
    vocab = han[:n_bigrams]
    row = {b: i for i, b in enumerate(vocab)}
    col: Dict[str, int] = {}
    for ch in sorted({ch for t in texts for ch in t}):
        col["L" + ch] = len(col)
        col["R" + ch] = len(col)
    for b, _ in bigram_counts.most_common(n_contexts):
        col["LL" + b] = len(col)
        col["RR" + b] = len(col)
    if log:
        print(f"{len(texts):,} texts, {sum(map(len, texts)):,} chars; {len(vocab):,} bigrams, {len(col):,} context columns", file=log)
    rows: List[int] = []
    cols: List[int] = []
    for t in texts:
        n = len(t)
        for i in range(n - 1):
            r = row.get(t[i:i + 2])
            if r is None:
                continue
            ctx = []
            if i > 0:
                ctx.append(col["L" + t[i - 1]])
                if i > 1 and "LL" + t[i - 2:i] in col:
                    ctx.append(col["LL" + t[i - 2:i]])
            if i + 2 < n:
                ctx.append(col["R" + t[i + 2]])
                if i + 3 < n and "RR" + t[i + 2:i + 4] in col:
                    ctx.append(col["RR" + t[i + 2:i + 4]])
            rows.extend([r] * len(ctx))
            cols.extend(ctx)
    m = sparse.coo_matrix((np.ones(len(rows)), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
                          shape=(len(vocab), len(col))).tocsr()
    m.sum_duplicates()
    # positive PMI, context counts smoothed by 0.75
    total = m.sum()
    pw = np.asarray(m.sum(axis=1)).ravel() / total
    pc = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    pc /= pc.sum()
    coo = m.tocoo()
    pmi = np.log(coo.data / total / (pw[coo.row] * pc[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=m.shape)
    dims = max(1, min(dims, min(ppmi.shape) - 1))
    vecs = normalize(TruncatedSVD(n_components=dims, random_state=seed).fit_transform(ppmi))
    k = min(k, len(vocab))
    km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3).fit(vecs)
    labels = km.labels_
    groups = None
    if coarse:
        from sklearn.cluster import KMeans

        centres = normalize(km.cluster_centers_)
        groups = KMeans(n_clusters=min(coarse, k), random_state=seed, n_init=10).fit(centres).labels_.tolist()
    if log:
        print(f"matrix {m.shape}, {m.nnz:,} non-zero; clustered in {time.time() - t0:.0f} s", file=log)
    return BigramClusters({b: int(c) for b, c in zip(vocab, labels.tolist())}, groups)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=Path("training/output/clusters/bigram_clusters.npz"))
    ap.add_argument("--bigrams", type=int, default=60000, help="the most frequent Han bigrams to cluster")
    ap.add_argument("--contexts", type=int, default=20000, help="context bigrams kept (by frequency)")
    ap.add_argument("--dims", type=int, default=100)
    ap.add_argument("--k", type=int, default=256)
    ap.add_argument("--coarse", type=int, default=0, help="also group the clusters into this many coarse groups (0: none)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--split", type=Path, default=Path("corpus/split.json"), help="its dev ids are left out")
    args = ap.parse_args()
    dev = set(json.loads(args.split.read_text(encoding="utf-8"))["dev"])
    texts = [normalize_chars(t) for t in raw_texts(data_root(), dev)]
    clusters = cluster_bigrams(texts, n_bigrams=args.bigrams, n_contexts=args.contexts, dims=args.dims, k=args.k,
                               coarse=args.coarse, seed=args.seed, log=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    clusters.to_disk(args.output)
    members: Dict[int, List[str]] = {}
    for b, c in clusters.mapping.items():
        members.setdefault(c, []).append(b)
    sizes = sorted(len(v) for v in members.values())
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KiB): {len(members)} clusters of "
          f"{sizes[0]}-{sizes[-1]} bigrams", file=sys.stderr)
    for c in range(0, args.k, max(1, args.k // 12)):
        print(c, " ".join(members.get(c, [])[:15]), file=sys.stderr)
    if clusters.coarse is not None:
        for g in range(int(clusters.coarse.max()) + 1):
            inside = [c for c in range(clusters.n_clusters) if clusters.coarse[c] == g]
            print(f"group {g}: {len(inside)} clusters;", " ".join(b for c in inside[:4] for b in members.get(c, [])[:4]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
