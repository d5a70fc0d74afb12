"""Evaluation of a pipeline against gold documents: entities, relations, confusion, error lists.

The model runs through the same path as ``extract`` (normalisation, article split, offsets mapped
back), so scores describe what users get. With ``gold_ents`` the relation extractor runs on the gold
entities instead, which isolates relation quality.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence, Tuple

from spacy.language import Language

from .corpus.gold import GoldDoc
from .inputs import InputRecord
from .pipeline import extract_records
from .schema import ENTITY_LABELS, RELATION_LABELS
from .scoring import score_entity_sets, score_relation_sets
from .text.sentences import guideline_sentences, same_sentence

Ent = Tuple[int, int, str]
Rel = Tuple[str, Tuple[int, int], Tuple[int, int], bool]
MISSED, SPURIOUS = "(missed)", "(spurious)"


@dataclass
class Predicted:
    ents: List[Ent]
    rels: List[Rel]


@dataclass
class EvalResult:
    scores: Dict[str, Any]
    confusion: Counter = field(default_factory=Counter)
    errors: List[Dict[str, Any]] = field(default_factory=list)


def gold_ents(doc: GoldDoc) -> List[Ent]:
    return [(s.start, s.end, s.label) for s in doc.spans]


def gold_rels(doc: GoldDoc) -> List[Rel]:
    by = doc.span_by_id()
    out = []
    for r in doc.relations:
        h, t = by[r.head], by[r.tail]
        hs, ts = (h.start, h.end), (t.start, t.end)
        out.append((r.label, hs, ts, same_sentence(doc.text, hs, ts)))
    return out


def predict(nlp: Language, docs: Sequence[GoldDoc], *, use_gold_ents: bool = False, batch_size: int = 32) -> List[Predicted]:
    """Predictions for each gold doc, offsets into the gold text."""
    out: List[Predicted] = []
    if use_gold_ents:
        from .corpus.examples import gold_to_doc

        rel = nlp.get_pipe("relation_extractor")
        for g in docs:
            doc = gold_to_doc(g, nlp)
            doc._.relations = []
            doc = rel(doc)
            rels = [
                (r.label, (r.head.start_char, r.head.end_char), (r.tail.start_char, r.tail.end_char), False)
                for r in doc._.relations
            ]
            out.append(Predicted(gold_ents(g), [(l, h, t, same_sentence(g.text, h, t)) for l, h, t, _ in rels]))
        return out
    recs = extract_records(nlp, (InputRecord(g.id, g.text) for g in docs), batch_size=batch_size)
    for g, rec in zip(docs, recs):
        ents = [(e["start"], e["end"], e["label"]) for e in rec["ents"]]
        rels = []
        for r in rec["relations"]:
            h, t = (r["head"]["start"], r["head"]["end"]), (r["tail"]["start"], r["tail"]["end"])
            rels.append((r["label"], h, t, same_sentence(g.text, h, t)))
        out.append(Predicted(ents, rels))
    return out


def _lenient_entities(gold: List[List[Ent]], pred: List[List[Ent]], labels: Sequence[str]) -> Dict[str, float]:
    tp_p = tp_r = n_p = n_g = 0
    for g, p in zip(gold, pred):
        g = [x for x in g if x[2] in labels]
        p = [x for x in p if x[2] in labels]
        n_g += len(g)
        n_p += len(p)
        tp_p += sum(any(a[2] == b[2] and a[0] < b[1] and b[0] < a[1] for b in g) for a in p)
        tp_r += sum(any(a[2] == b[2] and a[0] < b[1] and b[0] < a[1] for b in p) for a in g)
    P = tp_p / n_p if n_p else 0.0
    R = tp_r / n_g if n_g else 0.0
    return {"ents_lenient_micro_p": P, "ents_lenient_micro_r": R, "ents_lenient_micro_f": 2 * P * R / (P + R) if P + R else 0.0}


def _sentence_of(text: str, start: int, end: int) -> str:
    for s, e in guideline_sentences(text):
        if s <= start < e or (s < end <= e):
            return text[s:e]
    return text[max(0, start - 30) : end + 30]


def evaluate(
    nlp: Language,
    docs: Sequence[GoldDoc],
    *,
    labels: Sequence[str] = ENTITY_LABELS,
    use_gold_ents: bool = False,
    relations: bool = True,
) -> EvalResult:
    """Score predictions on ``docs``; entity labels outside ``labels`` are ignored on both sides."""
    preds = predict(nlp, docs, use_gold_ents=use_gold_ents)
    g_ents = [[x for x in gold_ents(d) if x[2] in labels] for d in docs]
    p_ents = [[x for x in p.ents if x[2] in labels] for p in preds]
    scores = score_entity_sets(g_ents, p_ents, labels=labels)
    scores.update(_lenient_entities(g_ents, p_ents, labels))
    if relations:
        scores.update(score_relation_sets([gold_rels(d) for d in docs], [p.rels for p in preds]))
    result = EvalResult(scores)
    for d, g, p, pr in zip(docs, g_ents, p_ents, preds):
        by_off = {(s, e): lab for s, e, lab in p}
        gold_off = {(s, e): lab for s, e, lab in g}
        for s, e, lab in g:
            result.confusion[(lab, by_off.get((s, e), MISSED))] += 1
            if by_off.get((s, e)) != lab:
                result.errors.append({"doc": d.id, "kind": "entity_fn", "label": lab, "text": d.text[s:e], "start": s, "end": e, "sentence": _sentence_of(d.text, s, e)})
        for s, e, lab in p:
            if (s, e) not in gold_off:
                result.confusion[(SPURIOUS, lab)] += 1
            if gold_off.get((s, e)) != lab:
                result.errors.append({"doc": d.id, "kind": "entity_fp", "label": lab, "text": d.text[s:e], "start": s, "end": e, "sentence": _sentence_of(d.text, s, e)})
        if relations:
            gk = {(r[0], r[1], r[2]) for r in gold_rels(d)}
            pk = {(r[0], r[1], r[2]) for r in pr.rels}
            sym = lambda k: {k, (k[0], k[2], k[1])} if k[0] == "PARTNERS_WITH" else {k}  # noqa: E731
            for k in gk:
                if not (sym(k) & pk):
                    result.errors.append(_rel_error(d, "relation_fn", k))
            for k in pk:
                if not (sym(k) & gk):
                    result.errors.append(_rel_error(d, "relation_fp", k))
    return result


def _rel_error(d: GoldDoc, kind: str, k: Tuple[str, Tuple[int, int], Tuple[int, int]]) -> Dict[str, Any]:
    (hs, he), (ts, te) = k[1], k[2]
    lo, hi = min(hs, ts), max(he, te)
    return {
        "doc": d.id, "kind": kind, "label": k[0], "head": d.text[hs:he], "tail": d.text[ts:te],
        "head_span": [hs, he], "tail_span": [ts, te], "sentence": d.text[max(0, lo - 20) : hi + 20],
    }  # fmt: skip


def format_report(result: EvalResult, labels: Sequence[str] = ENTITY_LABELS, relations: bool = True) -> str:
    s = result.scores
    lines = ["Entities (strict)", "label       P      R      F", "---------- ------ ------ ------"]
    for lab in labels:
        lines.append(f"{lab:<10} {s[f'ents_{lab}_p']:6.3f} {s[f'ents_{lab}_r']:6.3f} {s[f'ents_{lab}_f']:6.3f}")
    lines.append(f"{'micro':<10} {s['ents_micro_p']:6.3f} {s['ents_micro_r']:6.3f} {s['ents_micro_f']:6.3f}")
    lines.append(f"{'lenient':<10} {s['ents_lenient_micro_p']:6.3f} {s['ents_lenient_micro_r']:6.3f} {s['ents_lenient_micro_f']:6.3f}")
    if relations:
        lines += ["", "Relations (strict)", "label            P      R      F", "--------------- ------ ------ ------"]
        for lab in RELATION_LABELS:
            lines.append(f"{lab:<15} {s[f'rel_{lab}_p']:6.3f} {s[f'rel_{lab}_r']:6.3f} {s[f'rel_{lab}_f']:6.3f}")
        for name, key in (("micro", "rel_micro"), ("lenient", "rel_lenient_micro"), ("same-sentence", "rel_same_sentence_micro")):
            lines.append(f"{name:<15} {s[key + '_p']:6.3f} {s[key + '_r']:6.3f} {s[key + '_f']:6.3f}")
    cols = list(labels) + [MISSED]
    rows = list(labels) + [SPURIOUS]
    lines += ["", "Entity confusion (rows: gold, columns: predicted, exact offsets)"]
    lines.append(" " * 11 + "".join(f"{c[:10]:>11}" for c in cols))
    for r in rows:
        lines.append(f"{r[:10]:<11}" + "".join(f"{result.confusion.get((r, c), 0):>11}" for c in cols))
    return "\n".join(lines)
