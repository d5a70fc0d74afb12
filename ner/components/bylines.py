"""People named in bylines and credits, found by their layout (GUIDELINES: "bylines and credits count").

A newspaper page names its reporters after a role word, one name after another separated by spaces
(``湖南日报全媒体记者 张福芳 万丽君 通讯员 聂凯 欧阳倩``), and a photographer before a credit word
(``吴勇兵 摄``, or ``吴勇兵摄(湖南图片库)`` once a page's text is cleaned). The character model, trained
mostly on running text, misses names in these lists or runs them together; the layout itself is
reliable: a name of two to four Chinese characters that stands alone between spaces (or a bracket, or
the end of the line) right after a role word or another such name. The role and credit words are data (``data/bylines.jsonl``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Tuple

from .data_files import data_rows

_HAN_RUN = re.compile("[\u4e00-\u9fff]+")
_SPACE = " \u3000\t"
_CLOSERS = ")）]】"


@lru_cache(maxsize=1)
def _words() -> Dict[str, Tuple[str, ...]]:
    rows = data_rows("bylines.jsonl")
    return {key: tuple(sorted({w for row in rows for w in row.get(key, ())}, key=len, reverse=True)) for key in ("roles", "credits")}


@lru_cache(maxsize=1)
def _patterns() -> Tuple["re.Pattern[str]", "re.Pattern[str]"]:
    words = _words()
    roles = "|".join(map(re.escape, words["roles"]))
    credits = "|".join(map(re.escape, words["credits"]))
    role = re.compile(f"(?:{roles})(?=[{_SPACE}])")
    # a name before a credit word, after a space, a bracket or a sentence's end: "吴勇兵 摄", or "吴勇兵摄(图片库)"
    # where cleaned text has lost the space (then only 摄 right before a bracket)
    credit = re.compile(f"(?:(?<=[{_SPACE}\n(（。！？；])|^)([\u4e00-\u9fff]{{2,4}})"
                        f"(?:[{_SPACE}]+(?:{credits})(?![\u4e00-\u9fff])|摄(?=[(（]))", re.M)
    return role, credit


def _is_name(token: str, words: Tuple[str, ...]) -> bool:
    return 2 <= len(token) <= 4 and not any(w in token for w in words)


def byline_people(text: str) -> List[Tuple[int, int]]:
    """``(start, end)`` of each name in a byline or photo credit of ``text``, in order."""
    roles, credits = _words()["roles"], _words()["credits"]
    if not any(w in text for w in roles + credits):
        return []
    role, credit = _patterns()
    words = roles + credits
    found = set()
    for m in role.finditer(text):
        pos = m.end()
        while True:  # after the role word: names and further role words, each standing between spaces
            while pos < len(text) and text[pos] in _SPACE:
                pos += 1
            token = _HAN_RUN.match(text, pos)
            if token is None:
                break
            end = token.end()
            if end < len(text) and not (text[end] in _SPACE or text[end] in _CLOSERS or text[end] == "\n"):
                break  # running text (记者了解到，…), not a list of names
            if token.group(0) not in roles:
                if not _is_name(token.group(0), words):
                    break  # 摄影报道, a place and 报道, a longer word: the byline is over
                found.add((pos, end))
            pos = end
    for m in credit.finditer(text):
        if _is_name(m.group(1), words):
            found.add(m.span(1))
    return sorted(found)


__all__ = ["byline_people"]
