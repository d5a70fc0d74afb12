"""Parse the ``.ann`` surface-form markup (corpus/ANN_FORMAT.md) into gold documents.

Annotators list surface forms (ENT), exceptions (SKIP) and relations (REL); this module finds the
surfaces in the article text (read from the data root, whitespace-insensitively), builds gold
documents, and reports every problem with ``file:line`` and the doc id, all at once.

Command line::

    python -m ner.corpus.ann check FILE... [--show] [--text ID=PATH]
    python -m ner.corpus.ann build FILE... -o corpus/NAME.jsonl [--text ID=PATH]
"""
from __future__ import annotations


import argparse
import bisect
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from ..schema import ATTRIBUTE_KINDS, ENTITY_LABELS, RELATION_TYPES, SENTENCE_END
from .gold import CorpusError, GoldDoc, GoldRelation, GoldSpan, PathLike, Problem
from .sources import get_text, relative_source, selection, sha256_text, source_for_id

Occ = Tuple[int, int]  # (start, end) character offsets, end exclusive


# --------------------------------------------------------------------------- markup records


@dataclass
class Ref:
    """A reference to a tagged occurrence: ``surface`` or ``surface#N``."""

    surface: str
    n: Optional[int]
    raw: str


@dataclass
class EntLine:
    label: str
    surface: str
    line: int


@dataclass
class SkipLine:
    surface: str
    n: int
    line: int


@dataclass
class RelLine:
    head: Ref
    label: str
    tail: Ref
    amount: Optional[Ref]
    title: Optional[str]
    cross: bool
    line: int


@dataclass
class AnnDoc:
    """The markup of one document (one ``### id=`` block)."""

    id: str
    line: int
    ents: List[EntLine] = field(default_factory=list)
    skips: List[SkipLine] = field(default_factory=list)
    rels: List[RelLine] = field(default_factory=list)


@dataclass
class Occurrence:
    """One place where an ENT surface occurs, with its fate (tagged, skipped, inside a longer name)."""

    start: int
    end: int
    visible: int = 0  # 1-based number among occurrences not inside a longer tagged name (SKIP numbers)
    tagged: int = 0  # 1-based number among tagged occurrences (#N numbers); 0 = not tagged
    inside: Optional[str] = None  # the longer surface it lies inside
    skipped: bool = False


@dataclass
class Resolved:
    """A parsed and resolved document: the gold doc plus what ``--show`` needs."""

    doc: GoldDoc
    ann: AnnDoc
    source: str
    occurrences: Dict[str, List[Occurrence]]
    rel_lines: List[Tuple[RelLine, GoldRelation]]


ELLIPSIS = "…"


def _priority(surface: str) -> int:
    """Longer surfaces win; an ``A…B`` surface stands for a long name and wins over plain ones."""
    return 10**6 + len(surface) if ELLIPSIS in surface.strip(ELLIPSIS) else len(surface)


def compact(s: str) -> str:
    """``s`` without whitespace (surfaces and text are matched whitespace-insensitively)."""
    return "".join(ch for ch in s if not ch.isspace())


def parse_ref(token: str) -> Ref:
    """``长沙#7`` -> Ref("长沙", 7); ``长沙`` -> Ref("长沙", None)."""
    surface, sep, num = token.rpartition("#")
    if sep and surface and num.isdigit():
        return Ref(compact(surface), int(num), token)
    return Ref(compact(token), None, token)


def parse_ann(path: PathLike) -> Tuple[List[AnnDoc], List[Problem]]:
    """Parse the markup lines of ``path`` (no text lookup yet); return docs and syntax problems."""
    fname = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise CorpusError(f"{fname}: cannot read: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise CorpusError(f"{fname}: not UTF-8 text ({err})") from err
    docs: List[AnnDoc] = []
    problems: List[Problem] = []
    cur: Optional[AnnDoc] = None

    def bad(lineno: int, msg: str) -> None:
        problems.append(Problem(fname, lineno, msg, cur.id if cur else None))

    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("###"):
            fields = dict(f.split("=", 1) for f in line[3:].split() if "=" in f)
            doc_id = fields.get("id", "").strip()
            if not doc_id:
                cur = None
                bad(lineno, "document header needs an id: '### id=DOC_ID'")
                cur = AnnDoc("?", lineno)
            else:
                cur = AnnDoc(doc_id, lineno)
            docs.append(cur)
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        rest = rest.strip()
        if cur is None:
            bad(lineno, f"{keyword} before the first '### id=' line")
            continue
        if keyword == "ENT":
            label, _, surface = rest.partition(" ")
            surface = compact(surface)
            if not surface:
                bad(lineno, "ENT needs a label and a surface: 'ENT LABEL surface'")
            elif label not in ENTITY_LABELS:
                bad(lineno, f"unknown entity label {label!r} (labels: {', '.join(ENTITY_LABELS)})")
            else:
                cur.ents.append(EntLine(label, surface, lineno))
        elif keyword == "SKIP":
            surface, _, num = rest.rpartition(" ")
            if not surface.strip() or not num.isdigit() or int(num) < 1:
                bad(lineno, "SKIP needs a surface and an occurrence number >= 1: 'SKIP surface N'")
            else:
                cur.skips.append(SkipLine(compact(surface), int(num), lineno))
        elif keyword == "REL":
            parts = rest.split()
            if len(parts) < 3:
                bad(lineno, "REL needs 'REL head LABEL tail [amount=X] [title=T] [cross]'")
                continue
            head, label, tail, opts = parts[0], parts[1], parts[2], parts[3:]
            amount: Optional[Ref] = None
            title: Optional[str] = None
            cross = False
            ok = True
            for opt in opts:
                if opt == "cross":
                    cross = True
                elif opt.startswith("amount=") and len(opt) > 7:
                    amount = parse_ref(opt[7:])
                elif opt.startswith("title=") and len(opt) > 6:
                    title = opt[6:]
                else:
                    bad(lineno, f"unknown REL option {opt!r} (expected amount=X, title=T or cross)")
                    ok = False
            if label not in RELATION_TYPES:
                bad(lineno, f"unknown relation type {label!r} (types: {', '.join(RELATION_TYPES)})")
                ok = False
            if ok:
                cur.rels.append(RelLine(parse_ref(head), label, parse_ref(tail), amount, title, cross, lineno))
        else:
            bad(lineno, f"unknown line {keyword!r} (expected ENT, SKIP, REL, '# comment' or '### id=')")
    return docs, problems


# --------------------------------------------------------------------------- matching


class TextIndex:
    """Whitespace-free view of a text with a map back to original offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = [i for i, ch in enumerate(text) if not ch.isspace()]
        self.compact = "".join(text[i] for i in self.pos)
        ends = [0] * (len(text) + 1)
        count = 0
        for i, ch in enumerate(text):
            if ch in SENTENCE_END:
                count += 1
            ends[i + 1] = count
        self._sent_prefix = ends

    def find_all(self, surface: str) -> List[Occ]:
        """Every (possibly overlapping) occurrence of the whitespace-free ``surface``, in text order.

        ``A…B`` stands for a long name written by its ends: each B with the nearest A before it in the
        same sentence. Long names are article text, which stays out of the repository.
        """
        out: List[Occ] = []
        if not surface:
            return out
        head, ell, tail = surface.partition(ELLIPSIS)
        if ell and head and tail:
            # each occurrence of the tail, with the nearest head before it in the same sentence
            j = self.compact.find(tail)
            while j >= 0:
                i = self.compact.rfind(head, 0, j)
                if i >= 0 and not any(ch in SENTENCE_END for ch in self.compact[i:j]):
                    out.append((self.pos[i], self.pos[j + len(tail) - 1] + 1))
                j = self.compact.find(tail, j + 1)
            return out
        i = self.compact.find(surface)
        while i >= 0:
            out.append((self.pos[i], self.pos[i + len(surface) - 1] + 1))
            i = self.compact.find(surface, i + 1)
        return out

    def same_sentence(self, a: Occ, b: Occ) -> bool:
        """True when no sentence-final mark lies between the two spans."""
        lo, hi = (a, b) if a[0] <= b[0] else (b, a)
        return self._sent_prefix[hi[0]] == self._sent_prefix[lo[1]]


def _distance(a: Occ, b: Occ) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _ctx(text: str, start: int, end: int, width: int = 8) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return f"{left}[{text[start:end]}]{right}".replace("\n", "⏎")


def resolve(ann: AnnDoc, text: str, source: str, file: str) -> Tuple[Optional[Resolved], List[Problem], List[Problem]]:
    """Match the markup of ``ann`` against ``text``; return (result, errors, warnings)."""
    errors: List[Problem] = []
    warnings: List[Problem] = []

    def err(line: int, msg: str) -> None:
        errors.append(Problem(file, line, msg, ann.id))

    idx = TextIndex(text)
    # -- ENT surfaces (one label per surface)
    label_of: Dict[str, str] = {}
    line_of: Dict[str, int] = {}
    for e in ann.ents:
        if e.surface in label_of:
            if label_of[e.surface] != e.label:
                err(e.line, f"surface {e.surface!r} is already ENT {label_of[e.surface]} (line {line_of[e.surface]})")
            else:
                warnings.append(Problem(file, e.line, f"duplicate ENT {e.label} {e.surface} (line {line_of[e.surface]})", ann.id))
            continue
        label_of[e.surface] = e.label
        line_of[e.surface] = e.line
    raw: Dict[str, List[Occ]] = {}
    for s in label_of:
        raw[s] = idx.find_all(s)
        if not raw[s]:
            err(line_of[s], f"surface not found in the text: {s!r}")
    skips: Dict[str, Dict[int, int]] = {}
    for sk in ann.skips:
        if sk.surface not in label_of:
            err(sk.line, f"SKIP of {sk.surface!r}, which is not an ENT surface")
            continue
        skips.setdefault(sk.surface, {})[sk.n] = sk.line

    # -- longest surface first; an occurrence inside a tagged longer one is not tagged
    occs: Dict[str, List[Occurrence]] = {s: [] for s in label_of}
    accepted: List[Tuple[int, int, str]] = []  # sorted by start
    for s in sorted(label_of, key=lambda x: (-_priority(x), line_of[x])):
        visible = 0
        for start, end in raw[s]:
            o = Occurrence(start, end)
            occs[s].append(o)
            container = next((a for a in accepted if a[0] <= start and end <= a[1]), None)
            if container is not None:
                o.inside = container[2]
                continue
            visible += 1
            o.visible = visible
            if visible in skips.get(s, {}):
                o.skipped = True
                continue
            clash = next((a for a in accepted if a[0] < end and start < a[1]), None)
            if clash is not None:
                err(
                    line_of[s],
                    f"partial overlap: {s!r} at {_ctx(text, start, end)} overlaps {clash[2]!r} "
                    f"(ENT line {line_of[clash[2]]}) at {_ctx(text, clash[0], clash[1])}; use SKIP {s} {visible} "
                    f"or a longer surface",
                )
                o.skipped = True
                continue
            bisect.insort(accepted, (start, end, s))
        for n, sline in sorted(skips.get(s, {}).items()):
            if n > visible:
                err(sline, f"SKIP {s} {n}: out of range, {s!r} has {visible} occurrence(s) outside longer names")
    for s in label_of:
        tagged = [o for o in occs[s] if not o.inside and not o.skipped]
        for n, o in enumerate(tagged, 1):
            o.tagged = n
        if raw[s] and not tagged:
            warnings.append(Problem(file, line_of[s], f"ENT {label_of[s]} {s}: every occurrence is skipped or inside a longer name", ann.id))

    spans: List[GoldSpan] = []
    span_id: Dict[Occ, str] = {}
    for i, (start, end, s) in enumerate(accepted, 1):
        spans.append(GoldSpan(f"T{i}", start, end, label_of[s], text[start:end]))
        span_id[(start, end)] = f"T{i}"

    # -- relations
    def tagged_of(ref: Ref, line: int, what: str) -> Optional[List[Occ]]:
        if ref.surface not in label_of:
            err(line, f"unresolved reference: {what} {ref.raw!r} is not an ENT surface of this document")
            return None
        cands = [(o.start, o.end) for o in occs[ref.surface] if o.tagged]
        if not cands:
            err(line, f"unresolved reference: {what} {ref.raw!r} has no tagged occurrence")
            return None
        if ref.n is not None:
            if not 1 <= ref.n <= len(cands):
                err(line, f"{what} {ref.raw!r}: #{ref.n} out of range, {ref.surface!r} has {len(cands)} tagged occurrence(s)")
                return None
            return [cands[ref.n - 1]]
        return cands

    def nearest(cands: List[Occ], anchor: Occ) -> Occ:
        return min(cands, key=lambda c: (_distance(c, anchor), c[0]))

    rel_lines: List[Tuple[RelLine, GoldRelation]] = []
    relations: List[GoldRelation] = []
    seen: Dict[Tuple[str, str, str], int] = {}
    for r in ann.rels:
        hs = tagged_of(r.head, r.line, "head")
        ts = tagged_of(r.tail, r.line, "tail")
        ams = tagged_of(r.amount, r.line, "amount") if r.amount else None
        if hs is None or ts is None or (r.amount and ams is None):
            continue
        if len(hs) == 1:
            h = hs[0]
            t = nearest(ts, h)
        elif len(ts) == 1:
            t = ts[0]
            h = nearest(hs, t)
        else:
            h, t = min(((a, b) for a in hs for b in ts), key=lambda p: (_distance(*p), p[0][0], p[1][0]))
        hl, tl = label_of[r.head.surface], label_of[r.tail.surface]
        rt = RELATION_TYPES[r.label]
        ok = True
        if not rt.allows(hl, tl):
            err(
                r.line,
                f"{r.label} does not allow {hl} -> {tl} (head {'/'.join(sorted(rt.heads))}, "
                f"tail {'/'.join(sorted(rt.tails))})",
            )
            ok = False
        if h == t:
            err(r.line, f"head and tail are the same span {_ctx(text, *h)}")
            ok = False
        attrs: Dict[str, str] = {}
        if ams is not None and r.amount is not None:
            if "amount" not in rt.attrs:
                err(r.line, f"{r.label} takes no amount= (only {', '.join(x.label for x in RELATION_TYPES.values() if 'amount' in x.attrs)})")
                ok = False
            a = nearest(ams, t)
            want = ATTRIBUTE_KINDS["amount"][1]
            if label_of[r.amount.surface] != want:
                err(r.line, f"amount {r.amount.raw!r} is {label_of[r.amount.surface]}, not a {want} span")
                ok = False
            attrs["amount"] = span_id.get(a, "")
        if r.title is not None:
            if "title" not in rt.attrs:
                err(r.line, f"{r.label} takes no title= (only {', '.join(x.label for x in RELATION_TYPES.values() if 'title' in x.attrs)})")
                ok = False
            attrs["title"] = r.title
        if not ok:
            continue
        same = idx.same_sentence(h, t)
        if r.cross and same:
            warnings.append(Problem(file, r.line, f"marked cross but head {_ctx(text, *h)} and tail {_ctx(text, *t)} are in one sentence", ann.id))
        elif not r.cross and not same:
            warnings.append(Problem(file, r.line, f"head {_ctx(text, *h)} and tail {_ctx(text, *t)} are in different sentences: add 'cross'?", ann.id))
        rel = GoldRelation(span_id[h], span_id[t], r.label, attrs, r.cross)
        key = (rel.head, rel.tail, rel.label)
        if key in seen:
            warnings.append(Problem(file, r.line, f"duplicate relation (same as line {seen[key]})", ann.id))
        seen.setdefault(key, r.line)
        relations.append(rel)
        rel_lines.append((r, rel))

    doc = GoldDoc(ann.id, text, {"source": source}, spans, relations, file=file, line=ann.line)
    return Resolved(doc, ann, source, occs, rel_lines), errors, warnings


# --------------------------------------------------------------------------- files


def parse_overrides(items: Sequence[str]) -> Dict[str, str]:
    """``["ID=PATH", ...]`` -> {id: source}; PATH is a file path or a path under the data root."""
    out: Dict[str, str] = {}
    for item in items:
        doc_id, sep, path = item.partition("=")
        if not sep or not doc_id or not path:
            raise CorpusError(f"--text {item!r}: expected ID=PATH")
        out[doc_id] = relative_source(path) if Path(path).exists() else path
    return out


@dataclass
class AnnResult:
    """All documents of some .ann files, with every error and warning found."""

    resolved: List[Resolved] = field(default_factory=list)
    errors: List[Problem] = field(default_factory=list)
    warnings: List[Problem] = field(default_factory=list)

    @property
    def docs(self) -> List[GoldDoc]:
        return [r.doc for r in self.resolved]


def load_ann(
    paths: Sequence[PathLike],
    overrides: Optional[Dict[str, str]] = None,
    data_root: Optional[PathLike] = None,
) -> AnnResult:
    """Parse and resolve .ann files; every problem is collected (nothing raises for bad markup)."""
    res = AnnResult()
    first_seen: Dict[str, str] = {}
    for path in paths:
        n_err, n_warn = len(res.errors), len(res.warnings)
        _load_one(path, res, first_seen, overrides, data_root)
        res.errors[n_err:] = sorted(res.errors[n_err:], key=lambda p: p.line)
        res.warnings[n_warn:] = sorted(res.warnings[n_warn:], key=lambda p: p.line)
    return res


def _load_one(
    path: PathLike,
    res: AnnResult,
    first_seen: Dict[str, str],
    overrides: Optional[Dict[str, str]],
    data_root: Optional[PathLike],
) -> None:
    """Parse and resolve one .ann file into ``res``."""
    fname = str(path)
    try:
        anns, problems = parse_ann(path)
    except CorpusError as e:
        res.errors.append(Problem(fname, 0, str(e)))
        return
    res.errors.extend(problems)
    for ann in anns:
        if ann.id == "?":
            continue
        if ann.id in first_seen:
            res.errors.append(Problem(fname, ann.line, f"duplicate document id (first at {first_seen[ann.id]})", ann.id))
            continue
        first_seen[ann.id] = f"{fname}:{ann.line}"
        try:
            source = source_for_id(ann.id, overrides)
            text = get_text(source, ann.id, data_root)
        except CorpusError as e:
            res.errors.append(Problem(fname, ann.line, f"text not found: {e}", ann.id))
            continue
        row = selection().get(ann.id)
        if row and row.get("sha256") and not (overrides and ann.id in overrides):
            if sha256_text(text) != row["sha256"]:
                res.errors.append(Problem(fname, ann.line, f"text of {source} changed since corpus/selection.jsonl (sha256 differs)", ann.id))
                continue
        resolved, errs, warns = resolve(ann, text, source, fname)
        res.errors.extend(errs)
        res.warnings.extend(warns)
        if resolved is not None:
            res.resolved.append(resolved)


# --------------------------------------------------------------------------- rendering


def render(r: Resolved) -> str:
    """A review view: the text with [spans]LABEL, the occurrences of each surface, the relations."""
    doc, text = r.doc, r.doc.text
    out: List[str] = [f"=== {doc.id}  ({r.source}, {len(text)} chars, {len(doc.spans)} spans, {len(doc.relations)} relations)"]
    parts: List[str] = []
    pos = 0
    for s in doc.spans:
        parts.append(text[pos : s.start])
        parts.append(f"[{text[s.start:s.end]}]{s.label}")
        pos = s.end
    parts.append(text[pos:])
    out.append("".join(parts))
    out.append("")
    out.append("--- surfaces (#N = tagged occurrence for REL; occ K = number for SKIP)")
    label_line = {e.surface: (e.label, e.line) for e in reversed(r.ann.ents)}
    for surface, occs in sorted(r.occurrences.items(), key=lambda kv: label_line[kv[0]][1]):
        label, line = label_line[surface]
        out.append(f"{label} {surface}  (ENT line {line})")
        for o in occs:
            where = _ctx(text, o.start, o.end, 10)
            if o.inside:
                out.append(f"      inside {o.inside}: {where}")
            elif o.skipped:
                out.append(f"      occ {o.visible} SKIPPED: {where}")
            else:
                out.append(f"  #{o.tagged:<3} occ {o.visible:<3} @{o.start}: {where}")
    out.append("")
    out.append("--- relations")
    by_id = doc.span_by_id()
    name = {(o.start, o.end): f"{surf}#{o.tagged}" for surf, occs in r.occurrences.items() for o in occs if o.tagged}
    for line, rel in r.rel_lines:
        h, t = by_id[rel.head], by_id[rel.tail]
        extra = ""
        if "amount" in rel.attrs:
            a = by_id[rel.attrs["amount"]]
            extra += f" amount={name[(a.start, a.end)]}"
        if "title" in rel.attrs:
            extra += f" title={rel.attrs['title']}"
        if rel.cross_sentence:
            extra += " cross"
        out.append(
            f"  line {line.line}: {name[(h.start, h.end)]} {rel.label} {name[(t.start, t.end)]}{extra}\n"
            f"      head {_ctx(text, h.start, h.end, 10)} @{h.start}\n"
            f"      tail {_ctx(text, t.start, t.end, 10)} @{t.start}"
        )
    return "\n".join(out)


# --------------------------------------------------------------------------- command line


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``check`` / ``build`` entry point; returns the exit code (0 ok, 1 problems, 2 usage)."""
    ap = argparse.ArgumentParser(prog="python -m ner.corpus.ann", description="Check or build .ann annotation files.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("check", "build"):
        p = sub.add_parser(name)
        p.add_argument("files", nargs="+", metavar="FILE")
        p.add_argument("--text", action="append", default=[], metavar="ID=PATH", help="text of ID from PATH")
        p.add_argument("--data-root", default=None, help="data root (default: XIANG_NER_DATA or ../shared)")
        p.add_argument("--quiet-warnings", action="store_true", help="do not print warnings")
        if name == "check":
            p.add_argument("--show", action="store_true", help="render each document for review")
        else:
            p.add_argument("-o", "--output", required=True, help="stand-off JSONL to write")
    args = ap.parse_args(argv)
    try:
        overrides = parse_overrides(args.text)
    except CorpusError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    res = load_ann(args.files, overrides, args.data_root)
    if args.cmd == "check" and args.show:
        for r in res.resolved:
            print(render(r))
            print()
    if not args.quiet_warnings:
        for w in res.warnings:
            print(f"warning: {w}", file=sys.stderr)
    for e in res.errors:
        print(f"{e}", file=sys.stderr)
    n_spans = sum(len(d.spans) for d in res.docs)
    n_rels = sum(len(d.relations) for d in res.docs)
    summary = f"{len(res.docs)} document(s), {n_spans} spans, {n_rels} relations; {len(res.errors)} error(s), {len(res.warnings)} warning(s)"
    if res.errors:
        print(summary + ("; nothing written" if args.cmd == "build" else ""), file=sys.stderr)
        return 1
    if args.cmd == "build":
        from .standoff import write_standoff

        write_standoff(res.docs, args.output)
        print(f"{summary}; wrote {args.output}", file=sys.stderr)
    else:
        print(summary, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
