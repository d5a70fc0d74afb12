"""Readings no name can have, and the CRF's best path without them.

A linear-chain CRF scores one character against the next, so nothing stops its best path from
reading a 60-character stretch as one PROGRAMME (a list of names printed without separators) or
running a name across a sentence end. No gold name of any label is that long, and none holds a
sentence end (``data/span_limits.jsonl``). When the best path has such a span, that label is ruled
out over the span's characters, sentence ends out of every name, and the path is decoded again,
so the model's next best reading of the stretch (here: the names) comes out. Rare: most documents
are decoded once.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..baselines.crf import sparse_tags_to_spans
from .crf_compiled import CompiledCRF
from .data_files import data_settings

Span = Tuple[int, int, str]
#: the score given to a ruled-out tag (any path avoiding it wins)
RULED_OUT = -1.0e9
#: the units a span's length counts: a Han character or other sign, a run of Latin letters or digits
_UNITS = re.compile(r"[A-Za-z0-9]+|\S")


def span_length(text: str) -> int:
    """The length of a name as the limits count it: ``Francois Villeroy de Galhau`` is 4, 中国人民银行 is 6."""
    return len(_UNITS.findall(text))


@lru_cache(maxsize=1)
def span_limits() -> Tuple[Dict[str, int], str, int]:
    """``(max_chars per label, characters never inside a name, rounds of decoding at most)``."""
    settings = data_settings("span_limits.jsonl")
    limits = {str(k): int(v) for k, v in settings["max_chars"].items()}
    return limits, str(settings["never_inside"]), int(settings["max_rounds"])


@lru_cache(maxsize=1)
def _sentence_end() -> "re.Pattern[str]":
    return re.compile("[" + re.escape(span_limits()[1]) + "]")


def invalid_spans(text: str, spans: Sequence[Span]) -> List[Span]:
    """The spans of ``spans`` longer than their label's limit or holding a sentence end."""
    limits = span_limits()[0]
    stop = _sentence_end().search
    # a span is never longer in units than in characters: count units only past the limit
    return [(s, e, label) for s, e, label in spans
            if (e - s > limits.get(label, e - s) and span_length(text[s:e]) > limits[label]) or stop(text, s, e)]


def tags_within_limits(crf: CompiledCRF, text: str, ids: np.ndarray, scores: Callable[[], np.ndarray],
                       bad: Optional[List[Span]] = None) -> np.ndarray:
    """``ids`` (the best tags of ``text``) if they read no invalid span, else the best tags with each
    invalid span's label ruled out over its characters and sentence ends outside every name;
    ``scores()`` gives the text's emission scores (computed only when needed), ``bad`` the invalid
    spans of ``ids`` when the caller has them already. Only a window around each invalid span is
    decoded again (:func:`_windows`), joined to the path outside it by the transition scores, so a
    long document full of such spans costs about what it costs to tag."""
    if bad is None:
        bad = invalid_spans(text, sparse_tags_to_spans(crf.tagged(ids), text))
    if not bad:
        return ids
    rounds = span_limits()[2]
    x = np.array(scores(), dtype=float)
    outside = crf.labels.index("O")
    named = np.array([k for k in range(len(crf.labels)) if k != outside], dtype=np.int64)
    stops = np.array([m.start() for m in _sentence_end().finditer(text)], dtype=np.int64)
    if len(stops):
        x[np.ix_(stops, named)] = RULED_OUT
    columns: Dict[str, np.ndarray] = {}
    ids = np.array(ids, dtype=np.int64)
    n = len(ids)
    for _ in range(rounds):
        for s, e, label in bad:
            if label not in columns:
                columns[label] = np.array([k for k, t in enumerate(crf.labels) if t.partition("-")[2] == label], dtype=np.int64)
            x[s:e, columns[label]] = RULED_OUT
        for a, b in _windows(ids, bad, outside):
            part = x[a:b].copy()
            if a > 0:
                part[0] += crf.trans[ids[a - 1]]
            if b < n:
                part[-1] += crf.trans[:, ids[b]]
            ids[a:b] = crf.viterbi_one(part)
        bad = invalid_spans(text, sparse_tags_to_spans(crf.tagged(ids), text))
        if not bad:
            break
    return ids


#: characters decoded again on each side of an invalid span, at least (widened to the path's next O)
WINDOW = 64


def _windows(ids: np.ndarray, spans: Sequence[Span], outside: int) -> List[Tuple[int, int]]:
    """``[a, b)`` around each span, ``WINDOW`` characters wider on each side and then widened until the
    tag on each side of the window is ``outside`` (O); windows that meet are merged."""
    n = len(ids)
    out: List[Tuple[int, int]] = []
    for s, e, _ in sorted(spans):
        a, b = max(0, s - WINDOW), min(n, e + WINDOW)
        while a > 0 and ids[a - 1] != outside:
            a -= 1
        while b < n and ids[b] != outside:
            b += 1
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


__all__ = ["RULED_OUT", "WINDOW", "invalid_spans", "span_length", "span_limits", "tags_within_limits"]
