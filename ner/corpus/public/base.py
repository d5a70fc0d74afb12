"""Shared types and helpers for the public-corpus readers.

A reader yields sentences as ``(text, [(start, end, label)])`` with Python character offsets
(end exclusive). With ``source_labels=True`` the labels are the corpus' own; otherwise they are
mapped to :data:`ner.schema.ENTITY_LABELS` and spans of unmapped types are dropped.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from ...schema import ENTITY_LABELS

SpanT = Tuple[int, int, str]
Sentence = Tuple[str, List[SpanT]]
PathLike = Union[str, Path]


class CorpusFormatError(ValueError):
    """A line of a corpus file does not follow the documented format."""


def require_file(path: PathLike) -> Path:
    """Return ``path`` as a Path, or raise FileNotFoundError with a clear message."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(
            f"corpus file not found: {p} (set XIANG_NER_DATA or pass --data-root; see ner/settings.py)"
        )
    return p


def check_mapping(mapping: Mapping[str, str]) -> Mapping[str, str]:
    """Assert every target label of a source->ours mapping is one of the schema's labels."""
    bad = sorted(set(mapping.values()) - set(ENTITY_LABELS))
    if bad:
        raise ValueError(f"mapping targets unknown labels: {bad}")
    return mapping


def map_spans(
    spans: Iterable[SpanT], mapping: Mapping[str, str], stats: Optional[Counter] = None
) -> List[SpanT]:
    """Map source labels to ours; spans whose label is not in ``mapping`` are dropped (counted)."""
    out: List[SpanT] = []
    for start, end, label in spans:
        target = mapping.get(label)
        if target is None:
            if stats is not None:
                stats[f"dropped:{label}"] += 1
            continue
        out.append((start, end, target))
    return out


def read_conll_columns(path: PathLike, sep: Optional[str]) -> Iterator[List[Tuple[str, str]]]:
    """Yield sentences of a one-token-per-line file as ``[(column0, tag)]``; blank lines separate.

    ``sep=None`` splits on the last run of whitespace.
    """
    p = require_file(path)
    current: List[Tuple[str, str]] = []
    with p.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                if current:
                    yield current
                    current = []
                continue
            parts = line.rsplit(None, 1) if sep is None else line.split(sep)
            if len(parts) != 2 or not parts[0]:
                raise CorpusFormatError(f"{p}:{lineno}: expected 'char{sep or ' '}tag', got {line!r}")
            current.append((parts[0], parts[1]))
    if current:
        yield current


def decode_tags(
    tags: Sequence[str], scheme: str = "BIO", stats: Optional[Counter] = None
) -> List[Tuple[int, int, str]]:
    """Decode BIO or BMES tags (``B-X``, ``I-X``/``M-X``/``E-X``, ``S-X``, ``O``) to token spans.

    An inside tag that does not continue a span of the same type starts a new span (the
    conlleval convention); each such repair is counted in ``stats`` as ``repaired:<type>``.
    """
    spans: List[Tuple[int, int, str]] = []
    start: Optional[int] = None
    label = ""

    def close(end: int) -> None:
        nonlocal start
        if start is not None:
            spans.append((start, end, label))
        start = None

    for i, tag in enumerate(tags):
        if tag == "O":
            close(i)
            continue
        prefix, _, typ = tag.partition("-")
        if not typ or prefix not in ("B", "I", "M", "E", "S"):
            raise CorpusFormatError(f"unknown tag {tag!r} at token {i}")
        if prefix in ("B", "S"):
            close(i)
            start, label = i, typ
        elif start is None or label != typ:
            close(i)
            start, label = i, typ
            if stats is not None:
                stats[f"repaired:{typ}"] += 1
        if prefix in ("S", "E") and scheme == "BMES":
            close(i + 1)
    close(len(tags))
    return spans


def tokens_to_sentence(chars: Sequence[str], token_spans: Iterable[Tuple[int, int, str]]) -> Sentence:
    """Join token strings into a text and turn token-index spans into character spans."""
    offsets = [0]
    for ch in chars:
        offsets.append(offsets[-1] + len(ch))
    text = "".join(chars)
    return text, [(offsets[s], offsets[e], lab) for s, e, lab in token_spans]


def resolve_overlaps(spans: Iterable[SpanT]) -> Tuple[List[SpanT], int]:
    """Keep non-overlapping spans, longest first (ties: earlier start); return (kept, n_dropped).

    Exact duplicates (same start, end and label) are merged silently and not counted as dropped.
    """
    unique = sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0], s[2]))
    kept: List[SpanT] = []
    dropped = 0
    for span in unique:
        if any(span[0] < k[1] and k[0] < span[1] for k in kept):
            dropped += 1
        else:
            kept.append(span)
    return sorted(kept), dropped
