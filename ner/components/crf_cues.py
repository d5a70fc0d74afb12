"""Long-range cue features for the character CRF: which heads and triggers lie within ten characters.

The CRF sees two characters either side. At the first character of 普惠金融三年筑基行动 the head 行动
is eight characters away; at 装 in 支持装配式建筑等领域 the list closer 等领域 is five away. For each
character, :func:`cue_positions` names every right cue (a head or list closer, ``data/crf_cues.jsonl``)
that starts within ten characters after it, and every left cue (a trigger verb or preposition) that
ends within ten characters before it, in the same clause, with the distance in four buckets
(``cue=R:行动:4``). The CRF learns which of them start or continue which names.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import List, Set, Tuple

from .crf_lexicon import per_character
from .data_files import data_rows

#: how far a cue reaches (characters)
REACH = 10
#: distance -> bucket (1; 2-3; 4-6; 7-10)
_BUCKETS = [""] + ["1"] + ["2"] * 2 + ["3"] * 3 + ["4"] * 4


@lru_cache(maxsize=1)
def _cues() -> Tuple["re.Pattern[str]", frozenset, frozenset, frozenset, int]:
    rows = data_rows("crf_cues.jsonl")
    right = frozenset(w for row in rows for w in row.get("right", ()))
    left = frozenset(w for row in rows for w in row.get("left", ()))
    words = sorted(right | left, key=len, reverse=True)
    # the leftmost occurrence from any position (cue_reaches also looks inside each one for overlaps)
    return re.compile("|".join(map(re.escape, words))), right, left, right | left, len(words[0])


_BOUNDARY = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

#: one reach of a cue word: (side ``R``/``L``, word, first, end, anchor); the characters ``first`` …
#: ``end - 1`` see the word at distance ``anchor - i`` (R: the word starts at the anchor) or ``i - anchor``
#: (L: the word ends just before ``anchor + 1``)
CueReach = Tuple[str, str, int, int, int]


def cue_feature(side: str, word: str, distance: int) -> str:
    """The feature string of a cue word seen at ``distance`` (1 … :data:`REACH`) on ``side``."""
    return f"cue={side}:{word}:{_BUCKETS[distance]}"


def cue_reaches(norm: str) -> List[CueReach]:
    """Every cue word of the normalised text ``norm`` with the run of characters it reaches, in its clause."""
    pattern, right, left, both, longest = _cues()
    out: List[CueReach] = []
    if not norm:
        return out
    # Where a cue word starts: each occurrence the scan finds, and inside it (overlapping occurrences,
    # which the scan steps over) every later position where one starts. Between two found occurrences
    # none starts, or the scan would have found it.
    starts: List[Tuple[int, List[str]]] = []
    for m in pattern.finditer(norm):
        s, e = m.span()
        for q in range(s, e):
            words = _words_at(norm, q, both, longest)  # every cue word that starts here, shorter ones too
            if words:
                starts.append((q, words))
    if not starts:
        return out
    bounds = [m.start() for m in _BOUNDARY.finditer(norm)]
    n = len(norm)
    for s, words in starts:
        for word in words:
            e = s + len(word)
            if word in right:
                k = bisect_left(bounds, s)  # the clause edge before s: bounds[k - 1]
                out.append(("R", word, max(s - REACH, bounds[k - 1] + 1 if k else 0), s, s))
            if word in left:
                k = bisect_left(bounds, e)  # the clause edge at or after e: bounds[k]
                out.append(("L", word, e, min(e + REACH, n, bounds[k] if k < len(bounds) else n), e - 1))
    return out


def cue_positions(norm: str) -> Set[Tuple[int, str]]:
    """``(position, cue=SIDE:WORD:BUCKET)`` for every character of the normalised text ``norm``."""
    return {(i, cue_feature(side, word, anchor - i if side == "R" else i - anchor))
            for side, word, first, end, anchor in cue_reaches(norm) for i in range(first, end)}


def _words_at(text: str, start: int, words: frozenset, longest: int) -> List[str]:
    """The cue words (of at most ``longest`` characters) that start at ``start``."""
    return [text[start:start + k] for k in range(1, longest + 1) if text[start:start + k] in words]


def cue_features(norm: str) -> List[List[str]]:
    """Per character of ``norm``: its :func:`cue_positions` features, sorted."""
    return per_character(len(norm), cue_positions(norm))


__all__ = ["REACH", "CueReach", "cue_feature", "cue_features", "cue_positions", "cue_reaches"]
