"""People the character model misses: a name right after a title, and a document's names repeated.

News writes a person's title and then the name (检察长应勇作报告, 市财政局局长笪乘胜，…); the CRF sees
two characters either side and misses names whose characters it rarely met. The layout is reliable:
a title word (the relation extractor's title lexicon, ``data/relation_titles.jsonl``), a surname, one
or two more Chinese characters, then a punctuation mark or a word that follows names (作, 表示, 在 …).
An article also names a person many times (方勤 … 方勤还 …) and the model tags some mentions only;
a name the document tags as PERSON is PERSON at its other, untagged occurrences. Surnames, the
characters that may follow a name and the exceptions are data (``data/person_names.jsonl``); so are the
words a name does not start with and the surname characters that are mostly function words, read off
People's Daily by ``training/build_name_stoplists.py`` (``data/word_stoplists.jsonl``: 总书记关于加强,
负责人和专家 hold no name, and a stray PERSON 代表 is not spread).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import FrozenSet, List, Sequence, Tuple

from .data_files import data_rows, data_settings

Span = Tuple[int, int, str]
_HAN = re.compile("^[\u4e00-\u9fff]+$")
#: names that spread through a document: Chinese characters only, two to four of them
_SPREAD_LEN = (2, 4)


class _Data:
    """The rows of ``data/person_names.jsonl`` and the title words, read once."""

    def __init__(self) -> None:
        merged = data_settings("person_names.jsonl")
        self.surnames: FrozenSet[str] = frozenset(str(merged["surnames"]))
        self.double_surnames: FrozenSet[str] = frozenset(merged["double_surnames"])  # type: ignore[arg-type]
        self.after_name: FrozenSet[str] = frozenset(str(merged["after_name"]))
        stop = data_settings("word_stoplists.jsonl")
        #: words (关于, 来到, 代表 …) a name after a title does not start with, and names that are not spread
        self.common_words: FrozenSet[str] = frozenset(stop["common_words"])  # type: ignore[arg-type]
        #: surname characters that are mostly function words (和, 向, 都 …): no name after a title starts with one
        self.ambiguous_surnames: FrozenSet[str] = frozenset(str(stop["ambiguous_surnames"]))
        self.not_names: FrozenSet[str] = frozenset(merged["not_names"]) | self.common_words  # type: ignore[arg-type]
        excluded = set(merged["titles_excluded"])  # type: ignore[arg-type]
        titles = {w for row in data_rows("relation_titles.jsonl") if row.get("kind") == "title" for w in row["words"]}
        self.titles: FrozenSet[str] = frozenset(titles - excluded)
        self.longest_title = max(map(len, self.titles))
        finals = "".join(sorted({t[-1] for t in self.titles}))
        starts = "".join(sorted(self.surnames | {d[0] for d in self.double_surnames}))
        # the last character of a title right before a surname's first: found in C, checked in Python
        self.seam = re.compile(f"[{re.escape(finals)}](?=[{re.escape(starts)}])")


@lru_cache(maxsize=1)
def _data() -> _Data:
    return _Data()


def titled_names(text: str) -> List[Tuple[int, int]]:
    """``(start, end)`` of each name right after a title word in ``text``."""
    d = _data()
    out: List[Tuple[int, int]] = []
    n = len(text)
    for m in d.seam.finditer(text):
        i = m.end()
        if not any(text[i - k:i] in d.titles for k in range(1, min(d.longest_title, i) + 1)):
            continue
        if text[i:i + 2] in d.not_names:
            continue
        surname = (2 if text[i:i + 2] in d.double_surnames
                   else 1 if text[i] in d.surnames and text[i] not in d.ambiguous_surnames else 0)
        if not surname:
            continue
        for length in (surname + 1, surname + 2):
            j = i + length
            if j > n or not _HAN.match(text[i:j]):
                break
            if j < n and text[j] in d.after_name:
                out.append((i, j))
                break
    return out


def _spreads(name: str) -> bool:
    """May a PERSON ``name`` be spread to its other mentions? Not when it is a common word (代表, 单位,
    班子): such a PERSON is the model's error, and spreading it would repeat the error."""
    return name not in _data().common_words


def with_named_people(text: str, spans: Sequence[Span]) -> List[Span]:
    """``spans`` plus PERSON for each untagged name after a title (:func:`titled_names`), and for each
    untagged occurrence of a name the spans tag as PERSON (two to four Chinese characters)."""
    found = sorted(spans)
    added: List[Span] = []
    # the characters any span covers: a name is added only where none is (a set of flags, not a scan
    # of every span per candidate, which made a roster of thousands of names quadratic)
    taken = bytearray(len(text) + 1)
    for a, b, _ in found:
        taken[a:b] = b"\x01" * (b - a)

    def free(s: int, e: int) -> bool:
        return taken.find(1, s, e) < 0

    def add(s: int, e: int) -> None:
        added.append((s, e, "PERSON"))
        taken[s:e] = b"\x01" * (e - s)

    for s, e in titled_names(text):
        if free(s, e):
            add(s, e)
    lo, hi = _SPREAD_LEN
    names = {text[s:e] for s, e, label in [*found, *added]
             if label == "PERSON" and lo <= e - s <= hi and _HAN.match(text[s:e]) and _spreads(text[s:e])}
    for name in sorted(names, key=len, reverse=True):
        pos = text.find(name)
        while pos >= 0:
            if free(pos, pos + len(name)):
                add(pos, pos + len(name))
            pos = text.find(name, pos + len(name))
    return sorted(found + added) if added else found


__all__ = ["titled_names", "with_named_people"]
