"""Loading the pipeline and turning input documents into extract records.

The flow (spec/ARCHITECTURE.md): input text -> articles (cleaned, with OffsetMaps) -> chunks at
sentence ends -> ``nlp.pipe`` -> entities and relations mapped back to offsets in the input text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import relation as _relation  # noqa: F401  (registers doc._.relations)
from .inputs import InputRecord
from .text.articles import Article, split_articles

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "xiang_zh_default"
_SENT_END = re.compile(r"[。！？!?；;]+[”’」』\"]?|\n+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def model_text(text: str) -> str:
    """The text given to the model: lone surrogates (a Python ``str`` may hold them, UTF-8 cannot,
    and spaCy's StringStore hashes UTF-8) become U+FFFD, one character for one, so offsets hold."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def load(path: Optional[Union[str, Path]] = None, **kwargs: Any) -> Language:
    """Load a pipeline (the embedded default when ``path`` is None); docs carry ents and relations."""
    target = Path(path) if path else DEFAULT_MODEL
    if not target.exists():
        raise FileNotFoundError(f"model not found: {target}")
    return spacy.load(target, **kwargs)


@dataclass
class Segment:
    """A piece of one article small enough for the model, with its offset inside the article."""

    record: int
    article: Article
    offset: int
    text: str


def chunk_text(text: str, max_chars: int) -> List[Tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``max_chars`` at sentence ends (hard cut if none)."""
    if len(text) <= max_chars:
        return [(0, text)]
    out: List[Tuple[int, str]] = []
    start = 0
    ends = [m.end() for m in _SENT_END.finditer(text)]
    while len(text) - start > max_chars:
        limit = start + max_chars
        cut = max((e for e in ends if start < e <= limit), default=limit)
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


def segments(index: int, text: str, max_chars: int) -> List[Segment]:
    return [
        Segment(index, art, off, piece)
        for art in split_articles(text)
        for off, piece in chunk_text(art.text, max_chars)
    ]


def _span_json(original: str, seg: Segment, start: int, end: int, label: Optional[str] = None) -> Dict[str, Any]:
    s, e = seg.article.to_original(seg.offset + start, seg.offset + end)
    out: Dict[str, Any] = {"start": s, "end": e}
    if label is not None:
        out["label"] = label
    out["text"] = original[s:e]
    return out


def doc_to_parts(original: str, seg: Segment, doc: Doc) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Entities and relations of one segment's doc, with offsets into the original text."""
    ents = [_span_json(original, seg, e.start_char, e.end_char, e.label_) for e in doc.ents]
    rels = []
    for r in doc._.relations:
        item: Dict[str, Any] = {
            "label": r.label,
            "head": _span_json(original, seg, r.head.start_char, r.head.end_char, r.head.label_),
            "tail": _span_json(original, seg, r.tail.start_char, r.tail.end_char, r.tail.label_),
        }
        attrs: Dict[str, Any] = {}
        if r.amount is not None:
            attrs["amount"] = _span_json(original, seg, r.amount.start_char, r.amount.end_char)
        if r.title:
            attrs["title"] = r.title
        if attrs:
            item["attrs"] = attrs
        item["cross_sentence"] = bool(r.cross_sentence)
        rels.append(item)
    return ents, rels


def make_record(rec: InputRecord, ents: List[Dict[str, Any]], rels: List[Dict[str, Any]]) -> Dict[str, Any]:
    out: Dict[str, Any] = {"id": rec.id, "text": rec.text, "ents": ents, "relations": rels}
    if rec.meta:
        out["meta"] = rec.meta
    return out


def extract_records(
    nlp: Language,
    records: Iterable[InputRecord],
    *,
    batch_size: int = 64,
    n_process: int = 1,
    max_chars: Optional[int] = None,
) -> Iterator[Dict[str, Any]]:
    """Run the pipeline over input records and yield one extract record per input, in order.

    Streams: only the segments of records still in flight are held in memory.
    """
    max_chars = max_chars or min(nlp.max_length, 100_000)
    # per record in flight: the input, its segments, and the (ents, rels) of the segments done so far
    pending: Dict[int, Tuple[InputRecord, List[Segment], List[Tuple[List[Any], List[Any]]]]] = {}
    next_out = 0

    def gen() -> Iterator[Tuple[str, Tuple[int, int]]]:
        for i, rec in enumerate(records):
            segs = segments(i, rec.text, max_chars)
            pending[i] = (rec, segs, [])
            for k, seg in enumerate(segs):
                yield model_text(seg.text), (i, k)

    def flush() -> Iterator[Dict[str, Any]]:
        nonlocal next_out
        while next_out in pending and len(pending[next_out][2]) >= len(pending[next_out][1]):
            rec, _, parts = pending.pop(next_out)
            yield make_record(rec, [e for p in parts for e in p[0]], [r for p in parts for r in p[1]])
            next_out += 1

    for doc, (i, k) in nlp.pipe(gen(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        rec, segs, parts = pending[i]
        parts.append(doc_to_parts(rec.text, segs[k], doc))
        yield from flush()
    yield from flush()
    yield from flush()
