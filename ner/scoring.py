"""Entity and relation scorers (spec/GUIDELINES.md §4), registered for spaCy configs.

Relations: strict (label + exact head and tail spans), lenient (head and tail matched by overlap,
one-to-one) and same-sentence-only micro P/R/F, plus per-label P/R/F. ``PARTNERS_WITH`` (every
symmetric type of the schema) matches in either direction. All keys are flat
(``rel_micro_f``, ``rel_LENDS_TO_f``, ``ents_micro_f``, ``ents_ORG_p`` …).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Sequence, Tuple

from spacy.util import registry

from .schema import ENTITY_LABELS, RELATION_LABELS, RELATION_TYPES, SENTENCE_END

Offsets = Tuple[int, int]
#: (label, (head_start, head_end), (tail_start, tail_end), same_sentence)
RelTuple = Tuple[str, Offsets, Offsets, bool]


def _prf(tp: float, n_pred: int, n_gold: int) -> Tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _overlap(a: Offsets, b: Offsets) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _match(gold: RelTuple, pred: RelTuple, lenient: bool) -> bool:
    if gold[0] != pred[0]:
        return False
    same = (lambda x, y: _overlap(x, y)) if lenient else (lambda x, y: x == y)
    if same(gold[1], pred[1]) and same(gold[2], pred[2]):
        return True
    rt = RELATION_TYPES.get(gold[0])
    return bool(rt and rt.symmetric and same(gold[1], pred[2]) and same(gold[2], pred[1]))


def _count(gold: Sequence[RelTuple], pred: Sequence[RelTuple], lenient: bool) -> List[Tuple[str, bool]]:
    """Greedy one-to-one matching; returns (label, matched) for each predicted relation."""
    used = [False] * len(gold)
    out: List[Tuple[str, bool]] = []
    # exact matches first, so lenient matching never steals a gold relation from an exact one
    order = sorted(range(len(pred)), key=lambda k: 0 if any(g == pred[k] for g in gold) else 1)
    res: Dict[int, bool] = {}
    for k in order:
        hit = False
        for j, g in enumerate(gold):
            if not used[j] and _match(g, pred[k], lenient):
                used[j] = hit = True
                break
        res[k] = hit
    for k in range(len(pred)):
        out.append((pred[k][0], res[k]))
    return out


def _dedupe(rels: Iterable[RelTuple]) -> List[RelTuple]:
    seen = set()
    out = []
    for r in rels:
        key = (r[0], tuple(r[1]), tuple(r[2]))
        rt = RELATION_TYPES.get(r[0])
        if rt and rt.symmetric:
            key = (r[0],) + tuple(sorted([tuple(r[1]), tuple(r[2])]))  # type: ignore[assignment]
        if key not in seen:
            seen.add(key)
            out.append((r[0], (int(r[1][0]), int(r[1][1])), (int(r[2][0]), int(r[2][1])), bool(r[3])))
    return out


def score_relation_sets(
    gold: Iterable[Sequence[RelTuple]] | Sequence[RelTuple],
    pred: Iterable[Sequence[RelTuple]] | Sequence[RelTuple],
    *,
    labels: Sequence[str] = RELATION_LABELS,
    prefix: str = "rel",
) -> Dict[str, Any]:
    """Score plain offsets. ``gold``/``pred`` are one document's relation tuples
    ``(label, (hs, he), (ts, te), same_sentence)`` or a list of such lists (one per document,
    aligned). Returns flat ``{prefix}_micro_p/r/f``, ``{prefix}_lenient_micro_p/r/f``,
    ``{prefix}_same_sentence_micro_p/r/f``, ``{prefix}_{LABEL}_p/r/f`` and
    ``{prefix}_lenient_{LABEL}_p/r/f`` (plus counts)."""
    gdocs = _as_docs(gold)
    pdocs = _as_docs(pred)
    if len(gdocs) != len(pdocs):
        raise ValueError("gold and pred must hold the same number of documents")
    out: Dict[str, Any] = {}
    for mode, lenient, filt in (("", False, False), ("lenient_", True, False), ("same_sentence_", False, True)):
        tp = {l: 0 for l in labels}
        npred = {l: 0 for l in labels}
        ngold = {l: 0 for l in labels}
        for g, p in zip(gdocs, pdocs):
            g = [r for r in _dedupe(g) if r[0] in tp and (r[3] or not filt)]
            p = [r for r in _dedupe(p) if r[0] in tp and (r[3] or not filt)]
            for r in g:
                ngold[r[0]] += 1
            for label, hit in _count(g, p, lenient):
                npred[label] += 1
                tp[label] += int(hit)
        P, R, F = _prf(sum(tp.values()), sum(npred.values()), sum(ngold.values()))
        out[f"{prefix}_{mode}micro_p"], out[f"{prefix}_{mode}micro_r"], out[f"{prefix}_{mode}micro_f"] = P, R, F
        out[f"{prefix}_{mode}n_gold"] = sum(ngold.values())
        out[f"{prefix}_{mode}n_pred"] = sum(npred.values())
        out[f"{prefix}_{mode}n_correct"] = sum(tp.values())
        if mode != "same_sentence_":
            for l in labels:
                p_, r_, f_ = _prf(tp[l], npred[l], ngold[l])
                out[f"{prefix}_{mode}{l}_p"], out[f"{prefix}_{mode}{l}_r"], out[f"{prefix}_{mode}{l}_f"] = p_, r_, f_
                out[f"{prefix}_{mode}{l}_n_gold"] = ngold[l]
                out[f"{prefix}_{mode}{l}_n_pred"] = npred[l]
    # spaCy-style nested per-type dict as well (for printing tables)
    out[f"{prefix}_per_type"] = {
        l: {"p": out[f"{prefix}_{l}_p"], "r": out[f"{prefix}_{l}_r"], "f": out[f"{prefix}_{l}_f"]} for l in labels
    }
    return out


def _as_docs(x: Any) -> List[List[RelTuple]]:
    x = list(x)
    if not x:
        return [[]]
    first = x[0]
    if isinstance(first, (list, tuple)) and len(first) == 4 and isinstance(first[0], str):
        return [x]
    return [list(d) for d in x]


def _same_sentence(text: str, a: Offsets, b: Offsets) -> bool:
    lo, hi = min(a[1], b[1]), max(a[0], b[0])
    return lo >= hi or not any(c in SENTENCE_END for c in text[lo:hi])


def doc_relation_tuples(doc: Any) -> List[RelTuple]:
    """A doc's ``doc._.relations`` as plain tuples (same sentence judged from the doc's text)."""
    from .relation import get_relations

    out = []
    for r in get_relations(doc):
        h = (r.head.start_char, r.head.end_char)
        t = (r.tail.start_char, r.tail.end_char)
        out.append((r.label, h, t, _same_sentence(doc.text, h, t)))
    return out


def score_relations(examples: Iterable[Any], **kwargs: Any) -> Dict[str, Any]:
    """Score spaCy Examples: ``example.predicted`` vs ``example.reference`` ``doc._.relations``.

    Same-sentence is judged on the reference text (no 。！？!? between head and tail)."""
    gold, pred = [], []
    for eg in examples:
        ref = eg.reference
        gold.append(doc_relation_tuples(ref))
        ptuples = doc_relation_tuples(eg.predicted)
        pred.append([(l, h, t, _same_sentence(ref.text, h, t)) for l, h, t, _ in ptuples])
    if not gold:
        gold, pred = [[]], [[]]
    return score_relation_sets(gold, pred)


def score_entity_sets(gold: Iterable[Sequence[Tuple[int, int, str]]], pred: Iterable[Sequence[Tuple[int, int, str]]], *, labels: Sequence[str] = ENTITY_LABELS) -> Dict[str, Any]:
    """Strict entity P/R/F from per-document lists of ``(start, end, label)``."""
    tp = {l: 0 for l in labels}
    npred = {l: 0 for l in labels}
    ngold = {l: 0 for l in labels}
    for g, p in zip(gold, pred):
        gs = {tuple(x) for x in g}
        ps = {tuple(x) for x in p}
        for x in gs:
            if x[2] in ngold:
                ngold[x[2]] += 1
        for x in ps:
            if x[2] in npred:
                npred[x[2]] += 1
                tp[x[2]] += int(x in gs)
    out: Dict[str, Any] = {}
    P, R, F = _prf(sum(tp.values()), sum(npred.values()), sum(ngold.values()))
    out.update({"ents_micro_p": P, "ents_micro_r": R, "ents_micro_f": F, "ents_p": P, "ents_r": R, "ents_f": F})
    per: Dict[str, Dict[str, float]] = {}
    for l in labels:
        p_, r_, f_ = _prf(tp[l], npred[l], ngold[l])
        out[f"ents_{l}_p"], out[f"ents_{l}_r"], out[f"ents_{l}_f"] = p_, r_, f_
        per[l] = {"p": p_, "r": r_, "f": f_}
    out["ents_per_type"] = per
    return out


def score_entities(examples: Iterable[Any], **kwargs: Any) -> Dict[str, Any]:
    """Strict entity scores (exact span and label) of spaCy Examples, by char offsets."""
    gold, pred = [], []
    for eg in examples:
        gold.append([(e.start_char, e.end_char, e.label_) for e in eg.reference.ents])
        pred.append([(e.start_char, e.end_char, e.label_) for e in eg.predicted.ents])
    return score_entity_sets(gold, pred)


@registry.scorers("xiang.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., Dict[str, Any]]:
    """Config entry ``{"@scorers": "xiang.relation_scorer.v1"}``: returns :func:`score_relations`."""
    return score_relations


__all__ = [
    "doc_relation_tuples",
    "make_relation_scorer",
    "score_entities",
    "score_entity_sets",
    "score_relation_sets",
    "score_relations",
]
