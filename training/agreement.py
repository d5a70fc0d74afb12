"""Inter-annotator agreement between two annotation passes (issue 3.3).

    python training/agreement.py corpus/ann/second_pass.ann corpus/ann/batch*.ann [--markdown]

Documents present in both passes are compared by offsets: entities by exact span and label, relations
by label and exact head and tail spans (PARTNERS_WITH in either direction). F1 between the passes
(the first taken as reference) is symmetric, so the choice of reference does not matter.
"""
from __future__ import annotations

import argparse
from typing import Dict, List, Sequence, Set, Tuple

from ner.corpus.ann import load_ann
from ner.corpus.gold import GoldDoc
from ner.corpus.standoff import load_documents
from ner.schema import ENTITY_LABELS, RELATION_LABELS, RELATION_TYPES


def load(paths: Sequence[str]) -> Dict[str, GoldDoc]:
    ann = [p for p in paths if p.endswith(".ann")]
    other = [p for p in paths if not p.endswith(".ann")]
    docs: List[GoldDoc] = []
    if ann:
        res = load_ann(ann)
        if res.errors:
            raise SystemExit("\n".join(str(e) for e in res.errors[:20]))
        docs += res.docs
    if other:
        docs += load_documents(other)
    return {d.id: d for d in docs}


def ent_set(doc: GoldDoc) -> Set[Tuple[int, int, str]]:
    return {(s.start, s.end, s.label) for s in doc.spans}


def rel_set(doc: GoldDoc) -> Set[Tuple[str, int, int, int, int]]:
    spans = doc.span_by_id()
    out = set()
    for r in doc.relations:
        h, t = spans[r.head], spans[r.tail]
        a, b = (h.start, h.end), (t.start, t.end)
        if RELATION_TYPES[r.label].symmetric and b < a:
            a, b = b, a
        out.add((r.label, *a, *b))
    return out


def prf(tp: int, n_ref: int, n_other: int) -> Tuple[float, float, float]:
    p = tp / n_other if n_other else 0.0
    r = tp / n_ref if n_ref else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f



def table(title: str, labels: Sequence[str], ref: Set[tuple], other: Set[tuple], key: int) -> str:
    rows = [f"| {title} | first pass | second pass | agree | F1 |", "|---|---|---|---|---|"]
    for lab in list(labels) + ["micro"]:
        r = {x for x in ref if lab == "micro" or x[key] == lab}
        o = {x for x in other if lab == "micro" or x[key] == lab}
        rows.append(f"| {lab} | {len(r)} | {len(o)} | {len(r & o)} | {prf(len(r & o), len(r), len(o))[2]:.3f} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("second", help="the second pass (.ann or JSONL)")
    ap.add_argument("first", nargs="+", help="the first-pass files")
    ap.add_argument("--diff", help="write the disagreements, with context, to this file (for adjudication)")
    args = ap.parse_args()
    a, b = load([args.second]), load(args.first)
    common = sorted(set(a) & set(b))
    ents_ref: Set[tuple] = set()
    ents_oth: Set[tuple] = set()
    rels_ref: Set[tuple] = set()
    rels_oth: Set[tuple] = set()
    for doc_id in common:
        ents_ref |= {(doc_id, s, e, lab) for s, e, lab in ent_set(b[doc_id])}
        ents_oth |= {(doc_id, s, e, lab) for s, e, lab in ent_set(a[doc_id])}
        rels_ref |= {(r[0], doc_id) + r[1:] for r in rel_set(b[doc_id])}
        rels_oth |= {(r[0], doc_id) + r[1:] for r in rel_set(a[doc_id])}
    print(f"{len(common)} documents annotated in both passes\n")
    print(table("entities", ENTITY_LABELS, ents_ref, ents_oth, 3))
    print()
    print(table("relations", RELATION_LABELS, rels_ref, rels_oth, 0))
    if args.diff:
        write_diff(args.diff, a, b, ents_ref, ents_oth, rels_ref, rels_oth)


def write_diff(path: str, a: Dict[str, GoldDoc], b: Dict[str, GoldDoc], er: Set[tuple], eo: Set[tuple], rr: Set[tuple], ro: Set[tuple]) -> None:
    """List every disagreement: what only the first or only the second pass has, with context."""

    def ctx(doc_id: str, s: int, e: int) -> str:
        t = b[doc_id].text
        return f"{t[max(0, s - 12):s]}[{t[s:e]}]{t[e:e + 12]}".replace("\n", " ")

    lines = []
    for side, only in (("first only", er - eo), ("second only", eo - er)):
        for doc_id, s, e, lab in sorted(only):
            lines.append(f"{doc_id}\tENT {side}\t{lab}\t{b[doc_id].text[s:e]}\t{ctx(doc_id, s, e)}")
    for side, only in (("first only", rr - ro), ("second only", ro - rr)):
        for lab, doc_id, hs, he, ts, te in sorted(only, key=lambda x: (x[1], x[2])):
            t = b[doc_id].text
            lines.append(f"{doc_id}\tREL {side}\t{t[hs:he]} {lab} {t[ts:te]}\t{ctx(doc_id, min(hs, ts), max(he, te))}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(lines)) + "\n")


if __name__ == "__main__":
    main()
