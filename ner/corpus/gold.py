"""Gold documents and the gold JSONL format of spec/GUIDELINES.md §3.

One article a line: ``{"id", "text", "meta", "spans": [...], "relations": [...]}``. Every reader
error names the file and the line, because annotators fix these files by hand.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

PathLike = Union[str, Path]


class CorpusError(ValueError):
    """A corpus file is missing, malformed or inconsistent; the message names file, line and doc."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a corpus file, reported as ``file:line: [doc] message``."""

    file: str
    line: int
    message: str
    doc_id: Optional[str] = None

    def __str__(self) -> str:
        doc = f"[{self.doc_id}] " if self.doc_id else ""
        return f"{self.file}:{self.line}: {doc}{self.message}"


@dataclass
class GoldSpan:
    """An entity span: character offsets into the article text (end exclusive)."""

    id: str
    start: int
    end: int
    label: str
    text: str

    def to_dict(self) -> Dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "label": self.label, "text": self.text}


@dataclass
class GoldRelation:
    """A directed relation between two span ids; ``attrs`` may hold ``amount`` (span id) and ``title``."""

    head: str
    tail: str
    label: str
    attrs: Dict[str, str] = field(default_factory=dict)
    cross_sentence: bool = False

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"head": self.head, "tail": self.tail, "label": self.label}
        if self.attrs:
            out["attrs"] = dict(self.attrs)
        if self.cross_sentence:
            out["cross_sentence"] = True
        return out


@dataclass
class GoldDoc:
    """One annotated article. ``file``/``line`` record where it was read from (for error messages)."""

    id: str
    text: str
    meta: Dict[str, Any] = field(default_factory=dict)
    spans: List[GoldSpan] = field(default_factory=list)
    relations: List[GoldRelation] = field(default_factory=list)
    file: str = field(default="", compare=False, repr=False)
    line: int = field(default=0, compare=False, repr=False)

    def span_by_id(self) -> Dict[str, GoldSpan]:
        return {s.id: s for s in self.spans}

    def where(self) -> str:
        """``file:line`` of this document, or its id when it was not read from a file."""
        return f"{self.file}:{self.line}" if self.file else f"<{self.id}>"

    def to_dict(self) -> Dict[str, Any]:
        """The §3 JSON object (keys in the guidelines' order)."""
        return {
            "id": self.id,
            "text": self.text,
            "meta": dict(self.meta),
            "spans": [s.to_dict() for s in self.spans],
            "relations": [r.to_dict() for r in self.relations],
        }


def _need(d: Dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in d:
        raise CorpusError(f"{where}: missing field {key!r}")
    value = d[key]
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise CorpusError(f"{where}: field {key!r} must be {kind.__name__}, got {value!r}")
    return value


def span_from_dict(d: Any, where: str) -> GoldSpan:
    """Build a span from its JSON object; raise :class:`CorpusError` naming ``where`` when malformed."""
    if not isinstance(d, dict):
        raise CorpusError(f"{where}: a span must be an object, got {d!r}")
    return GoldSpan(
        id=str(_need(d, "id", str, where)),
        start=_need(d, "start", int, where),
        end=_need(d, "end", int, where),
        label=_need(d, "label", str, where),
        text=_need(d, "text", str, where),
    )


def relation_from_dict(d: Any, where: str) -> GoldRelation:
    """Build a relation from its JSON object; raise :class:`CorpusError` naming ``where`` when malformed."""
    if not isinstance(d, dict):
        raise CorpusError(f"{where}: a relation must be an object, got {d!r}")
    attrs = d.get("attrs") or {}
    if not isinstance(attrs, dict) or not all(isinstance(v, str) for v in attrs.values()):
        raise CorpusError(f"{where}: relation attrs must be an object of strings, got {attrs!r}")
    cross = d.get("cross_sentence", False)
    if not isinstance(cross, bool):
        raise CorpusError(f"{where}: cross_sentence must be true or false, got {cross!r}")
    return GoldRelation(
        head=_need(d, "head", str, where),
        tail=_need(d, "tail", str, where),
        label=_need(d, "label", str, where),
        attrs=dict(attrs),
        cross_sentence=cross,
    )


def doc_from_dict(d: Any, file: str = "", line: int = 0, *, text: Optional[str] = None) -> GoldDoc:
    """Build a :class:`GoldDoc` from a §3 object (``text`` may be supplied separately, for stand-off)."""
    where = f"{file}:{line}" if file else "<doc>"
    if not isinstance(d, dict):
        raise CorpusError(f"{where}: a document must be a JSON object, got {type(d).__name__}")
    doc_id = _need(d, "id", str, where)
    where = f"{where}: [{doc_id}]"
    if text is None:
        text = _need(d, "text", str, where)
    meta = d.get("meta") or {}
    if not isinstance(meta, dict):
        raise CorpusError(f"{where}: meta must be an object")
    spans_raw = d.get("spans", [])
    rels_raw = d.get("relations", [])
    if not isinstance(spans_raw, list) or not isinstance(rels_raw, list):
        raise CorpusError(f"{where}: spans and relations must be lists")
    spans = [span_from_dict(s, f"{where} span {i}") for i, s in enumerate(spans_raw)]
    rels = [relation_from_dict(r, f"{where} relation {i}") for i, r in enumerate(rels_raw)]
    return GoldDoc(doc_id, text, dict(meta), spans, rels, file=file, line=line)


def iter_jsonl(path: PathLike) -> Iterator[Tuple[int, Any]]:
    """Yield ``(line number, parsed object)`` for each non-blank line; bad JSON raises CorpusError."""
    p = Path(path)
    try:
        fh = open(p, encoding="utf-8")
    except OSError as err:
        raise CorpusError(f"{p}: cannot read: {err.strerror or err}") from err
    with fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                yield lineno, json.loads(raw)
            except json.JSONDecodeError as err:
                raise CorpusError(f"{p}:{lineno}: bad JSON: {err.msg} (column {err.colno})") from err


def read_gold(path: PathLike) -> List[GoldDoc]:
    """Read a full gold JSONL file (every line has ``text``)."""
    return [doc_from_dict(obj, str(path), lineno) for lineno, obj in iter_jsonl(path)]


def dump_line(obj: Dict[str, Any]) -> str:
    """One JSONL line: UTF-8 kept readable, no trailing spaces."""
    return json.dumps(obj, ensure_ascii=False)


def write_gold(docs: Iterable[GoldDoc], path: PathLike) -> None:
    """Write full gold JSONL (§3), one article a line."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(dump_line(doc.to_dict()) + "\n")


def span_key(span: GoldSpan) -> Tuple[int, int, str]:
    """Identity of a span independent of its id: offsets and label."""
    return (span.start, span.end, span.label)


def relation_keys(doc: GoldDoc) -> List[Tuple[Any, ...]]:
    """Relations of ``doc`` keyed by span offsets (not ids), for comparing two annotations."""
    by_id = doc.span_by_id()

    def key(sid: Optional[str]) -> Any:
        s = by_id.get(sid) if sid else None
        return span_key(s) if s else sid

    out = []
    for r in doc.relations:
        attrs = tuple(sorted((k, key(v) if k == "amount" else v) for k, v in r.attrs.items()))
        out.append((r.label, key(r.head), key(r.tail), attrs, r.cross_sentence))
    return out
