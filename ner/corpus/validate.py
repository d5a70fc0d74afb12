"""Validate gold JSONL and stand-off files, reporting EVERY problem with file and line.

Unlike the readers (which stop at the first error), :func:`validate_files` keeps going so that an
annotator sees all problems of a file in one run. Checks: bad JSON, malformed fields, missing or
changed source text, span text mismatch, spans outside the text or starting/ending on whitespace,
overlapping spans, unknown labels, duplicate span ids, unknown relation types, dangling span ids,
relation type rules of :mod:`ner.schema`, ``amount`` not a MONEY span, misplaced attributes, and
duplicate doc ids across all files.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from ..schema import ATTRIBUTE_KINDS, ENTITY_LABELS, RELATION_TYPES
from .gold import CorpusError, PathLike, Problem
from .standoff import expand_span_texts
from .sources import get_text, sha256_text


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def validate_record(rec: Any, file: str, line: int, data_root: Optional[PathLike] = None) -> List[Problem]:
    """All problems of one JSONL record (full gold or stand-off)."""
    problems: List[Problem] = []
    if not isinstance(rec, dict):
        return [Problem(file, line, f"a document must be a JSON object, got {type(rec).__name__}")]
    doc_id = rec.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        problems.append(Problem(file, line, "missing or non-string 'id'"))
        doc_id = None

    def bad(msg: str) -> None:
        problems.append(Problem(file, line, msg, doc_id))

    # -- the text: inline (gold) or from the data root (stand-off)
    text: Optional[str] = None
    if "text" in rec:
        if isinstance(rec["text"], str):
            text = rec["text"]
        else:
            bad("'text' must be a string")
    else:
        source, digest = rec.get("source"), rec.get("sha256")
        if not isinstance(source, str) or not isinstance(digest, str):
            bad("neither 'text' (gold) nor string 'source' and 'sha256' (stand-off) given")
        elif doc_id is not None:
            try:
                text = get_text(source, doc_id, data_root)
            except CorpusError as err:
                bad(f"source text missing: {err}")
            else:
                if sha256_text(text) != digest:
                    bad(f"source text changed: sha256 of {source} no longer matches the record")
                    text = None
                else:
                    rec = expand_span_texts(rec, text)  # long span texts are stored abbreviated
    meta = rec.get("meta", {})
    if not isinstance(meta, dict):
        bad("'meta' must be an object")

    # -- spans
    spans_raw = rec.get("spans", [])
    if not isinstance(spans_raw, list):
        bad("'spans' must be a list")
        spans_raw = []
    spans: Dict[str, Dict[str, Any]] = {}
    good: List[Dict[str, Any]] = []
    for i, s in enumerate(spans_raw):
        if not isinstance(s, dict):
            bad(f"span {i}: must be an object")
            continue
        sid, start, end, label, stext = (s.get(k) for k in ("id", "start", "end", "label", "text"))
        name = f"span {sid if isinstance(sid, str) else i}"
        if not isinstance(sid, str) or not sid:
            bad(f"span {i}: missing or non-string 'id'")
            continue
        if sid in spans:
            bad(f"{name}: duplicate span id")
            continue
        spans[sid] = s
        if label not in ENTITY_LABELS:
            bad(f"{name}: unknown label {label!r} (labels: {', '.join(ENTITY_LABELS)})")
        if not _is_int(start) or not _is_int(end):
            bad(f"{name}: 'start' and 'end' must be integers")
            continue
        if not 0 <= start < end:
            bad(f"{name}: bad offsets {start}-{end} (need 0 <= start < end)")
            continue
        if not isinstance(stext, str):
            bad(f"{name}: missing or non-string 'text'")
        if text is not None:
            if end > len(text):
                bad(f"{name}: offsets {start}-{end} run past the end of the text ({len(text)} chars)")
                continue
            if isinstance(stext, str) and text[start:end] != stext:
                bad(f"{name}: span text mismatch: text[{start}:{end}] is {text[start:end]!r}, the span says {stext!r}")
            elif text[start].isspace() or text[end - 1].isspace():
                bad(f"{name}: {text[start:end]!r} starts or ends on whitespace")
        good.append(s)
    good.sort(key=lambda s: (s["start"], s["end"]))
    for a, b in zip(good, good[1:]):
        if b["start"] < a["end"]:
            bad(f"overlapping spans {a['id']} ({a['start']}-{a['end']} {a.get('text')!r}) and {b['id']} ({b['start']}-{b['end']} {b.get('text')!r})")

    # -- relations
    rels_raw = rec.get("relations", [])
    if not isinstance(rels_raw, list):
        bad("'relations' must be a list")
        rels_raw = []
    for i, r in enumerate(rels_raw):
        where = f"relation {i}"
        if not isinstance(r, dict):
            bad(f"{where}: must be an object")
            continue
        label, head, tail = r.get("label"), r.get("head"), r.get("tail")
        where = f"relation {i} ({head} {label} {tail})"
        rt = RELATION_TYPES.get(label) if isinstance(label, str) else None
        if rt is None:
            bad(f"{where}: unknown relation type {label!r} (types: {', '.join(RELATION_TYPES)})")
        ok_ends = True
        for role, sid in (("head", head), ("tail", tail)):
            if sid not in spans:
                bad(f"{where}: dangling {role} {sid!r}: no span with that id")
                ok_ends = False
        if rt is not None and ok_ends:
            hl, tl = spans[head].get("label"), spans[tail].get("label")
            if hl in ENTITY_LABELS and tl in ENTITY_LABELS and not rt.allows(hl, tl):  # unknown: reported above
                bad(f"{where}: {label} does not allow {hl} -> {tl}")
        if ok_ends and head == tail:
            bad(f"{where}: head and tail are the same span")
        cross = r.get("cross_sentence", False)
        if not isinstance(cross, bool):
            bad(f"{where}: 'cross_sentence' must be true or false")
        attrs = r.get("attrs", {})
        if not isinstance(attrs, dict):
            bad(f"{where}: 'attrs' must be an object")
            continue
        for key, value in attrs.items():
            kind = ATTRIBUTE_KINDS.get(key)
            if kind is None:
                bad(f"{where}: unknown attribute {key!r} (known: {', '.join(ATTRIBUTE_KINDS)})")
                continue
            if rt is not None and key not in rt.attrs:
                bad(f"{where}: {label} takes no {key!r} attribute")
            if not isinstance(value, str):
                bad(f"{where}: attribute {key!r} must be a string")
            elif kind[0] == "span":
                if value not in spans:
                    bad(f"{where}: dangling {key} {value!r}: no span with that id")
                elif spans[value].get("label") != kind[1]:
                    bad(f"{where}: {key} {value} is {spans[value].get('label')}, not a {kind[1]} span")
    return problems


def validate_files(paths: Sequence[PathLike], data_root: Optional[PathLike] = None) -> List[Problem]:
    """Validate gold JSONL and/or stand-off files; return every problem (empty list = valid)."""
    problems: List[Problem] = []
    seen: Dict[str, str] = {}
    for path in paths:
        fname = str(path)
        try:
            fh = open(Path(path), encoding="utf-8")
        except OSError as err:
            problems.append(Problem(fname, 0, f"cannot read: {err.strerror or err}"))
            continue
        with fh:
            try:
                lines = list(fh)
            except UnicodeDecodeError as err:
                problems.append(Problem(fname, 0, f"not UTF-8 text ({err})"))
                continue
        for lineno, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError as err:
                problems.append(Problem(fname, lineno, f"bad JSON: {err.msg} (column {err.colno})"))
                continue
            problems.extend(validate_record(rec, fname, lineno, data_root))
            doc_id = rec.get("id") if isinstance(rec, dict) else None
            if isinstance(doc_id, str):
                if doc_id in seen:
                    problems.append(Problem(fname, lineno, f"duplicate doc id (first at {seen[doc_id]})", doc_id))
                else:
                    seen[doc_id] = f"{fname}:{lineno}"
    return problems


validate = validate_files
