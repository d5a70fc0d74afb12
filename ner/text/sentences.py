"""Chinese sentence segmentation on plain strings, returning character offsets.

Sentences end at the guidelines' sentence-final marks (``schema.SENTENCE_END``: 。！？!?), with any
closing quotes or brackets that follow kept in the sentence. Line breaks end sentences as well;
``line_breaks="smart"`` keeps a break that a PDF put inside running text (the line before has clause
punctuation and no final mark, or the next line goes on with a one- or two-character fragment).
Clauses (sub-sentences for rules) also end at ，；：,;: and ….

All functions are pure, work on ``str`` only and never change offsets.
"""
from __future__ import annotations

import bisect
import re
from typing import Callable, Iterable, List, Literal, Sequence, Tuple

from ..schema import SENTENCE_END

Offsets = Tuple[int, int]
LineBreakMode = Literal["end", "smart", "ignore"]

#: Closing quotes and brackets that stay with the sentence they close.
CLOSERS = frozenset("”’」』）)】》〉\"'")
#: Clause punctuation (full- and half-width) that ends a sub-sentence for the rules.
CLAUSE_END = frozenset("，,；;：:…")
_LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")
_SOFT_PUNCT = frozenset("，,；;、：:")
_FINAL_OR_CLOSE = SENTENCE_END | CLOSERS | frozenset("…；;：:")


def _char_class(chars: Iterable[str]) -> "re.Pattern[str]":
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


# the characters where a sentence (or clause) can end
_SENTENCE_STOP = _char_class(SENTENCE_END | _LINE_BREAKS)
_CLAUSE_STOP = _char_class(SENTENCE_END | CLAUSE_END | _LINE_BREAKS)


def _continues(text: str, line_start: int, brk_start: int, brk_end: int) -> bool:
    """Whether the line break text[brk_start:brk_end] sits inside running text (PDF column wrap)."""
    prev = text[line_start:brk_start].strip()
    if not prev or prev[-1] in _FINAL_OR_CLOSE:
        return False
    nxt_end = brk_end
    n = len(text)
    while nxt_end < n and text[nxt_end] not in _LINE_BREAKS and text[nxt_end] not in _SOFT_PUNCT:
        if text[nxt_end] in SENTENCE_END:
            break
        nxt_end += 1
    frag = text[brk_end:nxt_end].strip()
    if nxt_end < n and text[nxt_end] in _SOFT_PUNCT and 0 < len(frag) <= 2:
        return True  # "产业集\n\n群，瞄准…": the next line finishes a word
    if prev[-1] in _SOFT_PUNCT:
        return True
    return len(prev) >= 16 and any(c in "，,；;" for c in prev)


def split_sentences(text: str, *, line_breaks: LineBreakMode = "end", clauses: bool = False) -> List[Offsets]:
    """Split ``text`` into sentences (or clauses) as ``(start, end)`` char offsets, end exclusive.

    Leading and trailing whitespace is left out of each piece; empty pieces are dropped.
    ``line_breaks``: "end" (every line break ends a sentence), "smart" (not a PDF wrap inside
    running text), "ignore" (only punctuation ends sentences). ``clauses=True`` also splits at
    clause punctuation (，；：…).
    """
    out: List[Offsets] = []
    n = len(text)
    start = 0
    line_start = 0
    i = 0

    def emit(a: int, b: int) -> None:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))

    stop = _CLAUSE_STOP if clauses else _SENTENCE_STOP
    while i < n:
        found = stop.search(text, i)  # the loop only acts at these characters: jump to the next one
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch in SENTENCE_END or (clauses and ch in CLAUSE_END):
            j = i + 1
            while j < n and (text[j] in SENTENCE_END or text[j] in CLOSERS or (clauses and text[j] in CLAUSE_END)):
                j += 1
            emit(start, j)
            start = i = j
            continue
        else:  # a line break
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            if line_breaks == "end" or (line_breaks == "smart" and not _continues(text, line_start, i, j)):
                emit(start, i)
                start = j
            line_start = j
            i = j
    emit(start, n)
    return out


def split_clauses(text: str, *, line_breaks: LineBreakMode = "end") -> List[Offsets]:
    """Sentences further split at clause punctuation (，；：,;:…)."""
    return split_sentences(text, line_breaks=line_breaks, clauses=True)


def guideline_sentences(text: str) -> List[Offsets]:
    """Sentences as the guidelines score them: split at 。！？!? only (line breaks ignored)."""
    return split_sentences(text, line_breaks="ignore")


def same_sentence(text: str, a: Offsets, b: Offsets) -> bool:
    """True when no sentence-final mark (。！？!?) lies between the spans ``a`` and ``b``."""
    lo = min(a[1], b[1])
    hi = max(a[0], b[0])
    if lo >= hi:
        return True
    return not any(c in SENTENCE_END for c in text[lo:hi])


def locate(offsets: Sequence[Offsets], char: int) -> int:
    """Index of the piece in ``offsets`` (sorted, non-overlapping) containing ``char``, else the
    piece just before it (-1 when ``char`` precedes every piece). For many lookups in the same
    offsets use :func:`locator`, which sorts them out once."""
    return locator(offsets)(char)


def locator(offsets: Sequence[Offsets]) -> Callable[[int], int]:
    """:func:`locate` over ``offsets`` for any ``char``, with the piece starts listed once."""
    starts = [s for s, _ in offsets]
    return lambda char: bisect.bisect_right(starts, char) - 1


def sentence_texts(text: str, offsets: Iterable[Offsets]) -> List[str]:
    """The substrings for a list of offsets (convenience for debugging and tests)."""
    return [text[a:b] for a, b in offsets]


__all__ = [
    "CLAUSE_END",
    "CLOSERS",
    "guideline_sentences",
    "locate",
    "locator",
    "same_sentence",
    "sentence_texts",
    "split_clauses",
    "split_sentences",
]
