"""Learned second stage of the relation extractor: a hashed-feature logistic regression.

Candidates are the rule proposals plus every pair of entities in one sentence that the schema
allows. Each (label, head, tail) gets sparse binary features (labels, order, distance, same
sentence, trigger hits between and around, character n-grams between, the rule that fired), hashed
with CRC32 into a fixed space. Training uses scikit-learn; prediction and serialisation need only
numpy: the weights are stored as JSON + ``.npz`` (never pickle).
"""
from __future__ import annotations

import json
import re
import zlib
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

import numpy as np

from ..schema import RELATION_TYPES, allowed_relations
from .relation_rules import MASK, Candidate, Ent, RuleSet, View

PairKey = Tuple[str, int, int]
#: relation types in schema order, and their positions (the columns of :meth:`PairScorer._hashes`)
_LABELS: Tuple[str, ...] = tuple(RELATION_TYPES)
_LABEL_INDEX = {label: i for i, label in enumerate(_LABELS)}
#: Entries of the feature-string hash cache (training, :meth:`PairScorer._index`) before it is emptied.
#: Feature strings hold entity suffixes and the characters between entities, so new text keeps adding
#: new ones: at 500,000 entries such a cache grew a long extract run's memory by about 0.6 MiB per 1,000
#: documents, to some 80 MiB (issue 7.2); 65,536 (about 10 MiB) keeps the frequent strings cached.
HASH_CACHE_MAX = 1 << 16
#: Entries of the cache of feature bodies that scoring uses (each holds one index per relation type,
#: several hundred bytes): half as many. RSS over 20,000 documents: docs/BENCHMARKS.md (speed section).
BODY_CACHE_MAX = HASH_CACHE_MAX // 2
_TRIGGER_KINDS: Tuple[Tuple[str, str], ...] = (
    ("trigger", "LENDS_TO"),
    ("trigger", "OFFERS"),
    ("trigger", "PARTNERS_WITH"),
    ("trigger", "TARGETS"),
    ("trigger", "IN_SECTOR"),
    ("trigger", "PART_OF"),
    ("location", "LOCATED_IN"),
    ("title", "HOLDS_POSITION"),
)


def _bucket(n: int) -> str:
    for b in (0, 1, 2, 4, 8, 16, 32, 64):
        if n <= b:
            return str(b)
    return "more"


def candidate_pairs(view: View, rule_cands: Sequence[Candidate], *, max_chars: int = 60) -> List[Candidate]:
    """Rule candidates plus all schema-allowed same-sentence pairs within ``max_chars``."""
    out: Dict[PairKey, Candidate] = {}
    for c in rule_cands:
        out[(c.label, c.head, c.tail)] = c
    ents = view.ents
    by_sent: Dict[int, List[Ent]] = {}
    for e in ents:
        by_sent.setdefault(e.sent, []).append(e)
    for a in ents:
        for b in by_sent[a.sent]:  # the same pairs, in the same order, as over all entities
            if a.i == b.i or abs(a.cs - b.cs) > max_chars:
                continue
            for label in allowed_relations(a.label, b.label):
                if RELATION_TYPES[label].symmetric and a.i > b.i:
                    continue
                key = (label, a.i, b.i)
                if key not in out:
                    out[key] = Candidate(label, a.i, b.i, "")
    return list(out.values())


class PairScorer:
    """Binary scorer for (label, head, tail) candidates over hashed sparse features."""

    def __init__(self, rules: RuleSet, *, n_features: int = 1 << 18, weights: Optional[np.ndarray] = None, bias: float = 0.0) -> None:
        self._trigger_list: Optional[List[Tuple["re.Pattern[str]", str, str, str]]] = None
        #: one regex of every trigger lexicon's words, built with :attr:`_trigger_list`
        self._any_trigger: Optional["re.Pattern[str]"] = None
        self.rules = rules
        self.n_features = int(n_features)
        self.weights = weights if weights is not None else np.zeros(self.n_features, dtype=np.float32)
        self.bias = float(bias)
        self.trained = weights is not None
        self._hash_cache: Dict[str, int] = {}
        self._body_hashes: Dict[str, Tuple[int, ...]] = {}
        self._rule_hashes: Dict[str, List[Tuple[int, ...]]] = {}  # rule id -> its bodies' indices
        self._label_hashes = [self._hash(f"L={label}") for label in _LABELS]

    # ------------------------------------------------------------------ features
    # A candidate's features are ``L=<label>`` and ``<label>|<body>`` for the bodies of three parts:
    # the stretch between (and around) the two entities, the two entities in their roles, and the rule.
    # The parts do not depend on the label, so :meth:`score` builds each once per pair of entities and
    # looks up each body's indices under every label at once (:meth:`_hashes`).
    def _span_bodies(self, v: View, lo: Ent, hi: Ent) -> List[str]:
        """Bodies of the text between the entities ``lo`` (first) and ``hi`` and just around them."""
        between = v.C[lo.ce : hi.cs]
        # the view's entities are sorted by start: those between lie between the two indices
        n_between = sum(1 for e in v.ents[lo.i + 1:hi.i] if lo.ce <= e.cs and e.ce <= hi.cs)
        f = [
            f"dist={_bucket(len(between))}",
            f"same_sent={lo.sent == hi.sent}",
            f"same_clause={lo.clause == hi.clause}",
            f"nbetween={_bucket(n_between)}",
            f"punct={any(ch in between for ch in ',;:')}",
        ]
        if len(between) <= 4:
            f.append(f"gap={between}")
        left = v.C[max(0, lo.cs - 4) : lo.cs]
        right = v.C[hi.ce : hi.ce + 4]
        # one search of all the trigger words per stretch first: most stretches hold none, and then the
        # per-lexicon searches (eight of them, three stretches each) would find nothing either
        triggers = self._triggers()
        any_trigger = self._any_trigger
        in_between = any_trigger is not None and any_trigger.search(between) is not None
        on_the_left = any_trigger is not None and any_trigger.search(left) is not None
        on_the_right = any_trigger is not None and any_trigger.search(right) is not None
        if in_between or on_the_left or on_the_right:
            for rx, btw, on_left, on_right in triggers:
                if in_between:
                    for m in rx.finditer(between):
                        f.append(btw)
                        f.append("btw_word=" + m.group(0))
                if on_the_left and rx.search(left):
                    f.append(on_left)
                if on_the_right and rx.search(right):
                    f.append(on_right)
        seg = between[:24].replace(MASK, "#")
        f.extend(["bg1=" + ch for ch in seg])
        f.extend(["bg2=" + seg[k:k + 2] for k in range(len(seg) - 1)])
        f.append(f"l1={left[-1:]}")
        f.append(f"r1={right[:1]}")
        return f

    @property
    def rules(self) -> RuleSet:
        return self._rules

    @rules.setter
    def rules(self, rules: RuleSet) -> None:  # the extractor swaps rule sets (set_rules): drop what came from the old
        self._rules = rules
        self._trigger_list = None

    def _triggers(self) -> List[Tuple["re.Pattern[str]", str, str, str]]:
        """Per trigger lexicon: its regex and the bodies of a hit between, left of and right of the pair."""
        if self._trigger_list is None:
            self._trigger_list = [(rx, f"btw_{kind}_{name}", f"left_{kind}_{name}", f"right_{kind}_{name}")
                                  for kind, name in _TRIGGER_KINDS if (rx := self.rules.regex(kind, name)) is not None]
            # the lexicons' regexes are alternations of their words: one of all of them matches a
            # stretch exactly when one of them does (None: no trigger words at all)
            self._any_trigger = re.compile("|".join(rx.pattern for rx, *_ in self._trigger_list)) if self._trigger_list else None
        return self._trigger_list

    def _role_bodies(self, h: Ent, t: Ent) -> List[str]:
        """Bodies of the head ``h`` and tail ``t`` entities: labels, order, name endings, lender."""
        return [
            f"hl={h.label}|tl={t.label}",
            f"order={'ht' if h.cs <= t.cs else 'th'}",
            f"hsuf={h.text[-1:]}",
            f"tsuf={t.text[-1:]}",
            f"hsuf2={h.text[-2:]}",
            f"tsuf2={t.text[-2:]}",
            f"hlender={self.rules.is_lender(h.text)}",
        ]

    @staticmethod
    def _rule_bodies(c: Candidate) -> List[str]:
        return [f"rule={c.rule or 'none'}", f"rulefam={(c.rule or 'none').split('.')[0]}"]

    def _parts(self, v: View, c: Candidate) -> Tuple[List[str], List[str], List[str]]:
        h, t = v.ents[c.head], v.ents[c.tail]
        lo, hi = (h, t) if h.cs <= t.cs else (t, h)
        return self._span_bodies(v, lo, hi), self._role_bodies(h, t), self._rule_bodies(c)

    def features(self, v: View, c: Candidate) -> List[str]:
        """Feature strings of one candidate."""
        L = c.label
        return [f"L={L}", *(f"{L}|{body}" for part in self._parts(v, c) for body in part)]

    def _hash(self, s: str) -> int:
        return zlib.crc32(s.encode("utf-8")) % self.n_features

    def _index(self, feats: Iterable[str]) -> List[int]:
        cache = self._hash_cache
        out = set()
        for s in feats:
            h = cache.get(s)
            if h is None:
                if len(cache) >= HASH_CACHE_MAX:  # bounded: a long stream of documents never grows it further
                    cache.clear()
                h = cache[s] = self._hash(s)
            out.add(h)
        return sorted(out)

    def _hashes(self, bodies: List[str]) -> List[Tuple[int, ...]]:
        """Per body, the feature index of ``<label>|<body>`` for every relation type (schema order), cached:
        a pair of entities is scored under two or three labels, and most bodies recur across documents."""
        cache = self._body_hashes
        get = cache.get
        out = []
        for body in bodies:
            hs = get(body)
            if hs is None:
                if len(cache) >= BODY_CACHE_MAX:  # bounded, as the string cache
                    cache.clear()
                hs = cache[body] = tuple(self._hash(f"{label}|{body}") for label in _LABELS)
            out.append(hs)
        return out

    # ------------------------------------------------------------------ predict / fit
    def score(self, v: View, cands: Sequence[Candidate]) -> np.ndarray:
        """Probability for each candidate (0.5 everywhere when untrained)."""
        if not cands:
            return np.zeros(0, dtype=np.float32)
        spans: Dict[Tuple[int, int], List[Tuple[int, ...]]] = {}
        roles: Dict[Tuple[int, int], List[Tuple[int, ...]]] = {}
        rules = self._rule_hashes
        ents, weights, bias = v.ents, self.weights, self.bias
        flat: List[int] = []  # every candidate's sorted feature indices, one after the other
        starts: List[int] = []
        for c in cands:
            h, t = ents[c.head], ents[c.tail]
            lo, hi = (h, t) if h.cs <= t.cs else (t, h)
            span = spans.get((lo.i, hi.i))
            if span is None:
                span = spans[(lo.i, hi.i)] = self._hashes(self._span_bodies(v, lo, hi))
            role = roles.get((h.i, t.i))
            if role is None:
                role = roles[(h.i, t.i)] = self._hashes(self._role_bodies(h, t))
            rule = rules.get(c.rule)
            if rule is None:  # rule ids come from the shipped rule data: a few dozen
                rule = rules[c.rule] = self._hashes(self._rule_bodies(c))
            li = _LABEL_INDEX[c.label]
            idx = {hs[li] for hs in span}
            idx.update([hs[li] for hs in role])
            idx.update([hs[li] for hs in rule])
            idx.add(self._label_hashes[li])
            starts.append(len(flat))
            flat.extend(sorted(idx))
        # one gather and one segmented sum for all candidates (reduceat adds each segment in order,
        # where a per-candidate .sum() adds pairwise: the two differ in float32 rounding only, ~1e-7)
        sums = np.add.reduceat(weights[np.array(flat, dtype=np.intp)], np.array(starts, dtype=np.intp))
        z = (sums + bias).astype(np.float64)
        return 1.0 / (1.0 + np.exp(-z))

    def fit(self, data: Iterable[Tuple[Any, ...]], *, C: float = 1.0, max_iter: int = 2000) -> Dict[str, Any]:
        """Train from (view, candidates, 0/1 labels, ...) tuples with scikit-learn's LogisticRegression."""
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression

        rows: List[int] = []
        cols: List[int] = []
        y: List[int] = []
        r = 0
        for v, cands, labels, *_ in data:
            for c, lab in zip(cands, labels):
                idx = self._index(self.features(v, c))
                rows.extend([r] * len(idx))
                cols.extend(idx)
                y.append(int(lab))
                r += 1
        if r == 0 or len(set(y)) < 2:
            raise ValueError("need positive and negative candidates to train the relation scorer")
        X = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(r, self.n_features))
        clf = LogisticRegression(C=C, max_iter=max_iter, class_weight="balanced", solver="liblinear")
        clf.fit(X, np.array(y))
        self.weights = clf.coef_[0].astype(np.float32)
        self.bias = float(clf.intercept_[0])
        self.trained = True
        return {"n_candidates": r, "n_positive": int(sum(y))}

    # ------------------------------------------------------------------ serialisation (no pickle)
    def to_dict(self) -> Dict[str, Any]:
        nz = np.nonzero(self.weights)[0]
        return {
            "n_features": self.n_features,
            "bias": self.bias,
            "indices": nz.astype(np.int64).tolist(),
            "values": self.weights[nz].astype(float).tolist(),
        }

    @classmethod
    def from_dict(cls, rules: RuleSet, d: Dict[str, Any]) -> "PairScorer":
        n = int(d["n_features"])
        w = np.zeros(n, dtype=np.float32)
        w[np.asarray(d["indices"], dtype=np.int64)] = np.asarray(d["values"], dtype=np.float32)
        return cls(rules, n_features=n, weights=w, bias=float(d["bias"]))

    def to_disk(self, path: Union[str, Path]) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        nz = np.nonzero(self.weights)[0]
        (path / "model.json").write_text(json.dumps({"n_features": self.n_features, "bias": self.bias, "format": 1}), encoding="utf-8")
        np.savez_compressed(path / "model.npz", indices=nz.astype(np.int64), values=self.weights[nz].astype(np.float32))

    @classmethod
    def from_disk(cls, rules: RuleSet, path: Union[str, Path]) -> "PairScorer":
        path = Path(path)
        meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
        with np.load(path / "model.npz", allow_pickle=False) as z:
            d = {"n_features": meta["n_features"], "bias": meta["bias"], "indices": z["indices"], "values": z["values"]}
        return cls.from_dict(rules, d)


def gold_labels(v: View, cands: Sequence[Candidate], gold: Set[PairKey]) -> List[int]:
    """1 for candidates in ``gold`` ((label, head, tail) ent indices; symmetric types either way)."""
    out = []
    for c in cands:
        hit = (c.label, c.head, c.tail) in gold
        if not hit and RELATION_TYPES[c.label].symmetric:
            hit = (c.label, c.tail, c.head) in gold
        out.append(int(hit))
    return out


__all__ = ["PairScorer", "candidate_pairs", "gold_labels"]


def _tp_fp(pairs: Sequence[Tuple[float, int]], threshold: float) -> Tuple[int, int]:
    """True and false positives of held-out (probability, is_gold) ``pairs`` proposed at ``threshold``."""
    tp = sum(1 for p, y in pairs if y and p >= threshold)
    fp = sum(1 for p, y in pairs if not y and p >= threshold)
    return tp, fp


def choose_thresholds(
    scored: Dict[str, List[Tuple[float, int]]],
    n_gold: Dict[str, int],
    *,
    min_precision: float = 0.85,
    grid: Sequence[float] = tuple(round(0.30 + 0.02 * k, 2) for k in range(34)),
) -> Dict[str, Tuple[float, float, float, float]]:
    """Per relation type, the threshold with the best F1 among those reaching ``min_precision``
    (the best F1 overall when none does), from held-out (probability, is_gold) pairs and the number
    of gold relations (candidates never proposed count as misses). Returns label -> (threshold, P, R, F)."""
    out: Dict[str, Tuple[float, float, float, float]] = {}
    for label, pairs in scored.items():
        total = n_gold.get(label, 0)
        if not total:
            continue
        best: Optional[Tuple[bool, float, float, float, float]] = None
        for thr in grid:
            tp, fp = _tp_fp(pairs, thr)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / total
            f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            key = (prec >= min_precision, f, prec, rec, thr)
            if best is None or key[:2] > best[:2]:
                best = key
        assert best is not None
        out[label] = (best[4], best[2], best[3], best[1])
    return out


def choose_thresholds_micro(
    scored: Dict[str, List[Tuple[float, int]]],
    n_gold: Dict[str, int],
    *,
    min_micro_precision: float = 0.85,
    grid: Sequence[float] = tuple(round(0.30 + 0.02 * k, 2) for k in range(34)),
) -> Dict[str, Tuple[float, float, float, float]]:
    """Per-type thresholds for the best *micro* F1 whose micro precision reaches ``min_micro_precision``.

    Starts from each type's best-F1 threshold, then, while micro precision is short of the target,
    raises one type's threshold to a higher grid value: the move that keeps the most micro F1 per point
    of precision gained. So the types that cost the most false positives per true one are tightened first,
    instead of holding every type to the same precision. Returns label -> (threshold, P, R, F) per type.
    """
    labels = [label for label in scored if n_gold.get(label, 0)]
    # per label and grid step: (tp, fp) at that threshold
    counts = {label: [_tp_fp(scored[label], t) for t in grid] for label in labels}
    total = sum(n_gold[label] for label in labels)

    def micro(at: Dict[str, int]) -> Tuple[float, float]:
        tp = sum(counts[label][at[label]][0] for label in labels)
        fp = sum(counts[label][at[label]][1] for label in labels)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / total if total else 0.0
        return prec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)

    start = choose_thresholds(scored, n_gold, min_precision=0.0, grid=grid)
    at = {label: grid.index(start[label][0]) for label in labels}
    prec, f = micro(at)
    while prec < min_micro_precision:
        best: Optional[Tuple[float, str, int]] = None
        for label in labels:
            for step in range(at[label] + 1, len(grid)):
                p2, f2 = micro({**at, label: step})
                if p2 <= prec:
                    continue
                cost = (f - f2) / (p2 - prec)
                if best is None or cost < best[0]:
                    best = (cost, label, step)
        if best is None:
            break
        at[best[1]] = best[2]
        prec, f = micro(at)
    out: Dict[str, Tuple[float, float, float, float]] = {}
    for label in labels:
        tp, fp = counts[label][at[label]]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / n_gold[label]
        out[label] = (grid[at[label]], p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def cross_validated_thresholds(
    data: Sequence[Tuple[Any, ...]], rules: RuleSet, *, folds: int = 5, C: float = 1.0, min_precision: float = 0.85, seed: int = 0,
    min_micro_precision: Optional[float] = None,
) -> Dict[str, Tuple[float, float, float, float]]:
    """K-fold over documents: fit on K-1 folds, score the held-out one, then :func:`choose_thresholds`
    (or, with ``min_micro_precision``, :func:`choose_thresholds_micro`).
    ``data`` is :meth:`RelationExtractor.training_data` output (view, candidates, labels, gold counts)."""
    return cross_validated_choice(data, rules, folds=folds, C=C, min_precision=min_precision, seed=seed,
                                  min_micro_precision=min_micro_precision)[0]


def cross_validated_choice(
    data: Sequence[Tuple[Any, ...]], rules: RuleSet, *, folds: int = 5, C: float = 1.0, min_precision: float = 0.85, seed: int = 0,
    min_micro_precision: Optional[float] = None,
) -> Tuple[Dict[str, Tuple[float, float, float, float]], Tuple[float, float, float]]:
    """:func:`cross_validated_thresholds`, and the held-out micro (P, R, F) at those thresholds: what the
    regularisation ``C`` is chosen by (``training/train_relations.py --C`` with several values)."""
    scored, n_gold = cross_validated_scores(data, rules, folds=folds, C=C, seed=seed)
    if min_micro_precision is not None:
        chosen = choose_thresholds_micro(scored, n_gold, min_micro_precision=min_micro_precision)
    else:
        chosen = choose_thresholds(scored, n_gold, min_precision=min_precision)
    return chosen, held_out_micro(scored, n_gold, {label: v[0] for label, v in chosen.items()})


def held_out_micro(scored: Dict[str, List[Tuple[float, int]]], n_gold: Dict[str, int],
                   thresholds: Dict[str, float]) -> Tuple[float, float, float]:
    """Micro (P, R, F) of held-out (probability, is_gold) pairs at per-type ``thresholds`` (a type without
    one proposes nothing); every gold relation counts, so candidates never proposed are misses."""
    counts = [_tp_fp(pairs, thresholds[label]) for label, pairs in scored.items() if label in thresholds]
    tp, fp = sum(c[0] for c in counts), sum(c[1] for c in counts)
    total = sum(n_gold.values())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / total if total else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def cross_validated_scores(
    data: Sequence[Tuple[Any, ...]], rules: RuleSet, *, folds: int = 5, C: float = 1.0, seed: int = 0
) -> Tuple[Dict[str, List[Tuple[float, int]]], Dict[str, int]]:
    """Held-out (probability, is_gold) pairs per relation type, and gold counts per type."""
    order = list(range(len(data)))
    np.random.RandomState(seed).shuffle(order)
    scored: Dict[str, List[Tuple[float, int]]] = {}
    n_gold: Dict[str, int] = {}
    for k in range(folds):
        held = set(order[k::folds])
        model = PairScorer(rules)
        model.fit([d for i, d in enumerate(data) if i not in held], C=C)
        for i in held:
            v, cands, labels, counts = data[i][:4]
            for c, p, y in zip(cands, model.score(v, cands), labels):
                scored.setdefault(c.label, []).append((float(p), int(y)))
            for label, n in counts.items():
                n_gold[label] = n_gold.get(label, 0) + n
    return scored, n_gold
