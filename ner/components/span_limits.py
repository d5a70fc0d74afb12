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
    spans of ``ids`` when the caller has them already."""
    if bad is None:
        bad = invalid_spans(text, sparse_tags_to_spans(crf.tagged(ids), text))
    if not bad:
        return ids
    _, never, rounds = span_limits()
    x = np.array(scores(), dtype=float)
    outside = crf.labels.index("O")
    named = np.array([k for k in range(len(crf.labels)) if k != outside], dtype=np.int64)
    stops = np.array([i for i, ch in enumerate(text) if ch in never], dtype=np.int64)
    if len(stops):
        x[np.ix_(stops, named)] = RULED_OUT
    columns = {label: np.array([k for k, t in enumerate(crf.labels) if t.partition("-")[2] == label], dtype=np.int64)
               for label in {label for *_, label in bad}}
    for _ in range(rounds):
        for s, e, label in bad:
            cols = columns.get(label)
            if cols is None:
                cols = columns[label] = np.array([k for k, t in enumerate(crf.labels) if t.partition("-")[2] == label], dtype=np.int64)
            x[s:e, cols] = RULED_OUT
        ids = crf.viterbi_one(x)
        bad = invalid_spans(text, sparse_tags_to_spans(crf.tagged(ids), text))
        if not bad:
            break
    return ids


__all__ = ["RULED_OUT", "invalid_spans", "span_length", "span_limits", "tags_within_limits"]
