"""Split a newspaper page into articles, each cleaned and mapped back to the page.

Pages interleave pieces: titles, bylines (湖南日报全媒体记者 …), datelines (湖南日报10月23日讯),
photo captions (… 摄). A new article starts after two or more blank lines, or at the heading lines
right before a byline or dateline. Each :class:`Article` keeps its span in the original text, its
cleaned text (see :mod:`ner.text.normalize`) and the map back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from .normalize import Line, clean_region, is_byline, is_dateline, is_heading, is_photo_credit, split_lines
from .offsets import OffsetMap

_HARD_BREAK = re.compile(r"\n[ \t\r\u3000]*\n[ \t\r\u3000]*\n")
MAX_TITLE_LINES = 4


@dataclass
class Article:
    """One article of an input: original span, cleaned text and the map back to the input."""

    start: int
    end: int
    text: str
    offsets: OffsetMap
    title: Optional[str] = None
    byline: Optional[str] = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.to_original(start, end)


def _blocks(text: str) -> List[tuple[int, int]]:
    out, pos = [], 0
    for m in _HARD_BREAK.finditer(text):
        out.append((pos, m.start() + 1))
        pos = m.start() + 1
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _starts(text: str, lines: List[Line]) -> List[int]:
    """Indices (into ``lines``) where an article starts, besides the block's first line."""
    content = [i for i, ln in enumerate(lines) if ln.text(text).strip()]
    starts: List[int] = []
    for k, i in enumerate(content):
        line = lines[i].text(text)
        if k and is_photo_credit(lines[content[k - 1]].text(text)):
            starts.append(i)  # the line after a photo credit opens a new piece
            continue
        opener = (is_byline(line) and not is_photo_credit(line)) or is_dateline(line)
        if not opener or (k and is_byline(lines[content[k - 1]].text(text))):
            continue
        j = k
        while j > 0 and k - j < MAX_TITLE_LINES and is_heading(lines[content[j - 1]].text(text)):
            j -= 1
        if j > 0 and (not starts or content[j] > starts[-1]):
            starts.append(content[j])
    return starts


def split_articles(text: str) -> List[Article]:
    """Split ``text`` into cleaned articles; offsets of every article map into ``text``."""
    articles: List[Article] = []
    for a, b in _blocks(text):
        lines = split_lines(text, a, b)
        cuts = [a] + [lines[i].start for i in _starts(text, lines)] + [b]
        for s, e in zip(cuts, cuts[1:]):
            if not text[s:e].strip():
                continue
            clean, omap = clean_region(text, s, e)
            articles.append(Article(s, e, clean, omap, *_title_byline(text, s, e)))
    if not articles:
        clean, omap = clean_region(text, 0, len(text))
        articles.append(Article(0, len(text), clean, omap))
    return articles


def _title_byline(text: str, start: int, end: int) -> tuple[Optional[str], Optional[str]]:
    title_lines: List[str] = []
    byline = None
    for ln in split_lines(text, start, end):
        s = ln.text(text).strip()
        if not s:
            continue
        if is_byline(s) or is_dateline(s):
            byline = s if is_byline(s) else s[: s.find("讯") + 1 or s.find("电") + 1]
            break
        if is_heading(s) and len(title_lines) < MAX_TITLE_LINES:
            title_lines.append(s)
            continue
        break
    return (" ".join(title_lines) or None), byline
