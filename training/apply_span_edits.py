"""Apply span-level corrections (add or remove one occurrence's tag) to the `.ann` files of `corpus/ann/`.

    python training/apply_span_edits.py EDITS.jsonl corpus/ann/batch*.ann [--dry-run]

Each line of EDITS.jsonl is ``{"doc", "start", "end", "label", "action": "add"|"remove"}`` with offsets
into the article text (those of `corpus/gold.jsonl`). A consistency pass decides occurrences one by one;
the `.ann` markup tags every occurrence of a surface and SKIPs by number, and relations refer to
occurrences by number or by nearness, so a hand edit easily moves other tags. This tool instead
computes, per touched document, the span set wanted (the old one plus and minus the edits), writes the
SKIP lines that give exactly that set (adding an ``ENT`` line for a surface new to the document, dropping
one that no longer tags anything), pins with ``#N`` every relation whose head, tail or amount would
otherwise resolve elsewhere, and checks that the document then resolves to the wanted spans and to the
same relations. An edit is refused (and reported) when it would remove a span that a relation uses, or
give a surface a second label in one document.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ner.corpus.ann import AnnDoc, RelLine, Resolved, TextIndex, _priority, compact, parse_ann, resolve  # noqa: E402
from ner.corpus.sources import get_text, source_for_id  # noqa: E402

Span = Tuple[int, int, str]  # start, end, label
RelKey = Tuple[str, Tuple[int, int], Tuple[int, int], Optional[Tuple[int, int]]]


def _resolve(ann: AnnDoc, text: str, source: str, fname: str) -> Resolved:
    res, errors, _warnings = resolve(ann, text, source, fname)
    if errors or res is None:
        raise ValueError("; ".join(f"line {p.line}: {p.message}" for p in errors) or "does not resolve")
    return res


def _spans(res: Resolved) -> Set[Span]:
    return {(s.start, s.end, s.label) for s in res.doc.spans}


def _rel_keys(res: Resolved) -> Dict[int, RelKey]:
    """REL line number -> (type, head offsets, tail offsets, amount offsets) as resolved."""
    by_id = {s.id: (s.start, s.end) for s in res.doc.spans}
    out: Dict[int, RelKey] = {}
    for line, rel in res.rel_lines:
        amount = by_id.get(rel.attrs.get("amount", "")) if rel.attrs.get("amount") else None
        out[line.line] = (rel.label, by_id[rel.head], by_id[rel.tail], amount)
    return out


def plan_skips(ann: AnnDoc, text: str, wanted: Set[Span]) -> Tuple[Dict[str, str], Set[Tuple[str, int]]]:
    """The ENT surfaces (surface -> label) and SKIP (surface, n) lines that tag exactly ``wanted``,
    mirroring :func:`ner.corpus.ann.resolve`: longest surface first, an occurrence inside a tagged longer
    one is not visible, every other occurrence is numbered and tagged unless skipped."""
    idx = TextIndex(text)
    label_of: Dict[str, str] = {}
    line_of: Dict[str, int] = {}
    for e in ann.ents:
        label_of.setdefault(e.surface, e.label)
        line_of.setdefault(e.surface, e.line)
    for start, end, label in sorted(wanted):  # a wanted span that no ENT surface gives: its own surface
        surface = compact(text[start:end])
        if not any((start, end) in idx.find_all(s) and label_of[s] == label for s in label_of):
            if surface in label_of and label_of[surface] != label:
                raise ValueError(f"{surface!r} is ENT {label_of[surface]} in this document, not {label}")
            label_of.setdefault(surface, label)
            line_of.setdefault(surface, 10**9 + len(line_of))
    skips: Set[Tuple[str, int]] = set()
    accepted: List[Tuple[int, int]] = []
    tagged_any: Dict[str, bool] = {}
    for s in sorted(label_of, key=lambda x: (-_priority(x), line_of[x])):
        visible = 0
        tagged_any[s] = False
        for start, end in idx.find_all(s):
            if any(a <= start and end <= b for a, b in accepted):
                continue
            visible += 1
            if (start, end, label_of[s]) in wanted and not any(a < end and start < b for a, b in accepted):
                accepted.append((start, end))
                tagged_any[s] = True
            else:
                skips.add((s, visible))
    keep = {s: label_of[s] for s in label_of if tagged_any[s]}
    return keep, {(s, n) for s, n in skips if s in keep}


def edit_doc(ann: AnnDoc, lines: List[str], edits: List[dict], text: str, source: str, fname: str,
             report: List[str]) -> None:
    """Rewrite the lines of one document block of ``lines`` (0-based list of the file's lines) in place."""
    old = _resolve(ann, text, source, fname)
    spans = _spans(old)
    rels = _rel_keys(old)
    used = {o for _t, h, t, a in rels.values() for o in (h, t, a) if o}
    wanted = set(spans)
    for e in sorted(edits, key=lambda x: x["action"] != "remove"):  # removals first: an add may replace one
        sp = (e["start"], e["end"], e["label"])
        if e["action"] == "remove":
            if sp not in wanted:
                report.append(f"{ann.id} {text[sp[0]:sp[1]]}@{sp[0]}: remove, but not tagged {sp[2]}: skipped")
            elif (sp[0], sp[1]) in used:
                report.append(f"{ann.id} {text[sp[0]:sp[1]]}@{sp[0]}: remove refused, a relation uses it")
            else:
                wanted.discard(sp)
        elif sp not in wanted:  # (adding a span already there is a no-op)
            clash = [w for w in wanted if w[0] < sp[1] and sp[0] < w[1]]
            other = next((x.label for x in ann.ents if x.surface == compact(text[sp[0]:sp[1]]) and x.label != sp[2]), None)
            if other:
                report.append(f"{ann.id} {text[sp[0]:sp[1]]}@{sp[0]}: add refused, the surface is ENT {other} here")
            elif clash:
                report.append(f"{ann.id} {text[sp[0]:sp[1]]}@{sp[0]}: add refused, overlaps {clash[0]}")
            else:
                wanted.add(sp)
    if wanted == spans:
        return
    keep, skips = plan_skips(ann, text, wanted)
    # -- line edits: ENT lines dropped/added, SKIP lines replaced, at the block's own places
    ent_lines = {e.surface: e.line for e in ann.ents}
    last_ent = max(ent_lines.values())
    drop: Set[int] = {e.line for e in ann.ents if e.surface not in keep}
    drop |= {sk.line for sk in ann.skips if (sk.surface, sk.n) not in skips}  # SKIP lines still right stay put
    new_ents = [f"ENT {keep[s]} {s}" for s in keep if s not in ent_lines]
    old_skips = {(sk.surface, sk.n) for sk in ann.skips}
    new_skips = [f"SKIP {s} {n}" for s, n in sorted(skips) if (s, n) not in old_skips]
    anchor = max([last_ent] + [sk.line for sk in ann.skips])  # 1-based line after which to insert
    for ln in sorted(drop, reverse=True):
        lines[ln - 1] = None  # type: ignore[call-overload]
    insert = new_ents + new_skips
    lines.insert(anchor, "\n".join(insert) if insert else None)  # type: ignore[arg-type]


def _pin(res: Resolved, offsets: Tuple[int, int], surface: str) -> str:
    tagged = [(o.start, o.end) for o in res.occurrences[surface] if o.tagged]
    return f"{surface}#{tagged.index(offsets) + 1}"


def _repin(line: str, rl: RelLine, key: RelKey, res: Resolved, *, numbered_only: bool) -> str:
    """The REL ``line`` with its head, tail and amount written ``surface#N`` for the occurrences of ``key``
    under ``res``: only the references that already carry a number, or all of them."""
    _t, h, t, a = key
    parts = line.split()
    if rl.head.n is not None or not numbered_only:
        parts[1] = _pin(res, h, rl.head.surface)
    if rl.tail.n is not None or not numbered_only:
        parts[3] = _pin(res, t, rl.tail.surface)
    if a and rl.amount and (rl.amount.n is not None or not numbered_only):
        parts = [p if not p.startswith("amount=") else "amount=" + _pin(res, a, rl.amount.surface) for p in parts]
    return line if parts == line.split() else " ".join(parts)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("edits", type=Path)
    ap.add_argument("ann", type=Path, nargs="+")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    by_doc: Dict[str, List[dict]] = defaultdict(list)
    for line in args.edits.read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            by_doc[e["doc"]].append(e)
    report: List[str] = []
    done: Set[str] = set()
    for path in args.ann:
        anns, problems = parse_ann(path)
        if problems:
            print(f"{path}: syntax problems, left alone", file=sys.stderr)
            continue
        touched = [a for a in anns if a.id in by_doc]
        if not touched:
            continue
        lines: List[Optional[str]] = path.read_text(encoding="utf-8").split("\n")
        texts = {}
        olds = {}
        for ann in touched:
            source = source_for_id(ann.id)
            texts[ann.id] = (get_text(source, ann.id), source)
            olds[ann.id] = _resolve(ann, texts[ann.id][0], source, str(path))
        for ann in sorted(touched, key=lambda a: -a.line):  # bottom up: earlier line numbers stay valid
            edit_doc(ann, lines, by_doc[ann.id], texts[ann.id][0], texts[ann.id][1], str(path), report)
            done.add(ann.id)
        new_text = "\n".join(x for x in lines if x is not None)
        # -- pin relations that now resolve elsewhere, then verify
        tmp = path.with_suffix(".ann.tmp")
        tmp.write_text(new_text, encoding="utf-8")
        flines = new_text.split("\n")
        # first renumber the references that carry #N (their numbers count tagged occurrences, which the
        # edits changed), from a resolution of the spans alone; then pin the bare ones that moved.
        # Relations keep their order: the i-th REL line of a block is the i-th of the old block.
        for ann in parse_ann(tmp)[0]:
            if ann.id in olds:
                text, source = texts[ann.id]
                spans_only = _resolve(AnnDoc(ann.id, ann.line, ann.ents, ann.skips, []), text, source, str(tmp))
                for rl, key in zip(ann.rels, _rel_keys(olds[ann.id]).values()):
                    flines[rl.line - 1] = _repin(flines[rl.line - 1], rl, key, spans_only, numbered_only=True)
        tmp.write_text("\n".join(flines), encoding="utf-8")
        for ann in parse_ann(tmp)[0]:
            if ann.id in olds:
                text, source = texts[ann.id]
                res = _resolve(ann, text, source, str(tmp))
                new_keys = _rel_keys(res)
                for rl, key in zip(ann.rels, _rel_keys(olds[ann.id]).values()):
                    if new_keys.get(rl.line) != key:
                        flines[rl.line - 1] = _repin(flines[rl.line - 1], rl, key, res, numbered_only=False)
        new_text = "\n".join(flines)
        tmp.write_text(new_text, encoding="utf-8")
        anns3, _ = parse_ann(tmp)
        ok = True
        for ann in anns3:
            if ann.id not in olds:
                continue
            text, source = texts[ann.id]
            try:
                new = _resolve(ann, text, source, str(tmp))
            except ValueError as err:
                print(f"{path} {ann.id}: does not resolve after the edits: {err}", file=sys.stderr)
                ok = False
                continue
            if list(_rel_keys(new).values()) != list(_rel_keys(olds[ann.id]).values()):
                print(f"{path} {ann.id}: relations changed after the edits", file=sys.stderr)
                ok = False
        if not ok:
            tmp.unlink()
            return 1
        if args.dry_run:
            tmp.unlink()
        else:
            tmp.replace(path)
    missing = set(by_doc) - done
    for m in sorted(missing):
        report.append(f"{m}: no .ann block found")
    for r in report:
        print(r)
    print(f"{len(done)} documents edited{' (dry run)' if args.dry_run else ''}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
