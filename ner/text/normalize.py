"""Newspaper text normalisation: join lines broken inside sentences, drop stray PDF spaces.

Text copied out of a newspaper PDF breaks sentences across lines and puts spaces between Chinese
characters (``企 业``). :func:`clean_region` undoes both for one region of the original text and
returns the cleaned text with an :class:`~ner.text.offsets.OffsetMap` back to the original. Text
that has no such artefacts (a clean article: paragraphs ending in 。, titles on their own line)
passes through unchanged. Character normalisation for the model (full-width, traditional) is not
done here: it lives in :mod:`ner.text.charmap` and never changes the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Tuple

from .offsets import OffsetMap, OffsetMapBuilder

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff〇]")
FINAL = set("。！？!?；;…:：")
CONTINUATION_START = set("，,、。．；;：:）)」』】》")
INNER_PUNCT = re.compile(r"[，,。；;：:！？!?]")
PUNCT = set("，,、。；;：:！？!?（）()“”\"《》…")
OPENERS = {"(": ")", "（": "）", "《": "》", "“": "”", "「": "」", "【": "】"}
_OPENER = re.compile("[" + re.escape("".join(OPENERS)) + "]")
HEADING_MAX = 40
BODY_MIN = 25
_BYLINE = re.compile(
    r"(全媒体记者|本报记者|特约记者|见习记者|记者|通讯员|实习生|特约撰稿人?)\s*[\u4e00-\u9fff]{2,4}"
    r"|[\u4e00-\u9fff]{2,4}\s*(摄影报道|摄)\s*([(（].*[)）])?\s*$"
)
_PHOTO_CREDIT = re.compile(r"(摄影报道|摄)\s*([(（][^)）]*[)）])?\s*$")
_DATELINE = re.compile(r"^\s*[\u4e00-\u9fff]{2,12}(\d{1,2}月\d{1,2}日)?(讯|电)")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def _is_wordish(ch: str) -> bool:
    return is_cjk(ch) or ch.isdigit()


def _squeezable(x: str, y: str) -> bool:
    """A space between x and y is a PDF artefact: both sides Chinese, digits or CJK punctuation."""
    if x.isdigit() and y.isdigit():
        return False
    xs = _is_wordish(x) or x in PUNCT
    ys = _is_wordish(y) or y in PUNCT
    return xs and ys and (is_cjk(x) or is_cjk(y))


def is_byline(line: str) -> bool:
    """A byline or credit line (记者 … 通讯员 …, … 摄) or a dateline (湖南日报10月23日讯)."""
    s = line.strip()
    return bool(s) and len(s) < 80 and "。" not in s and bool(_BYLINE.search(s) or _DATELINE.match(s))


def is_dateline(line: str) -> bool:
    """A dateline opening an article (湖南日报10月23日讯, 新华社长沙10月23日电)."""
    return bool(_DATELINE.match(line))


def is_photo_credit(line: str) -> bool:
    """A credit closing a photo or report (… 摄, … 摄影报道): it ends the piece before it."""
    return bool(_PHOTO_CREDIT.search(line.strip()))


def is_heading(line: str) -> bool:
    """A line without sentence punctuation inside: a title, kicker or sub-heading."""
    s = line.strip()
    return 0 < len(s) <= HEADING_MAX and not INNER_PUNCT.search(s.rstrip("。！？!?"))


def _unbalanced(line: str) -> bool:
    if not _OPENER.search(line):
        return False
    depth = 0
    for ch in line:
        if ch in OPENERS:
            depth += 1
        elif ch in OPENERS.values() and depth:
            depth -= 1
    return depth > 0


def should_join(prev: str, nxt: str) -> bool:
    """Decide whether the line break between two non-empty lines falls inside a sentence."""
    p, n = prev.rstrip(), nxt.lstrip()
    if not p or not n:
        return False
    x, y = p[-1], n[0]
    if _unbalanced(p) and not is_byline(nxt):
        return True
    if x in FINAL or (x in "”’」』\"" and len(p) > 1 and p[-2] in FINAL):
        return False
    if is_byline(prev) or is_byline(nxt) or y in "-—":
        return False
    first_punct = INNER_PUNCT.search(n[:3])
    if y in CONTINUATION_START:
        return True
    if is_heading(prev):
        # a heading is joined only when the next line continues a word cut in two (群,瞄准…)
        return bool(first_punct) and first_punct.start() <= 1 and _is_wordish(x)
    return (_is_wordish(x) or x in "“\"《（(、") and (_is_wordish(y) or y in "“\"《（(")


_SQUEEZE_SPACE = re.compile("[ \u3000]")
_BRACKET_CREDIT = re.compile(r"[(（][^)）]*(记者|通讯员|摄)[^)）]*[)）]?")
# One item of a space-separated list of names: 2-4 Han characters (a name, a county), a minority name
# joined by · (帕巴拉·格列朗杰), and a bracketed note after it (陈慕华（女）).
_LIST_ITEM = r"[\u4e00-\u9fff]{2,4}(?:·[\u4e00-\u9fff]{2,8})?(?:[（(][\u4e00-\u9fff]{1,4}[）)])?"
# Four or more such items in a row, separated by spaces only: a list of names (名单如下：王建国 李明华 …),
# whose spaces are the only separators. PDF artefact spaces cut running text into longer pieces.
_SPACED_LIST = re.compile(
    rf"(?<![\u4e00-\u9fff·]){_LIST_ITEM}(?:[ \u3000]+{_LIST_ITEM}){{3,}}(?![\u4e00-\u9fff·])"
)


def _keep_line(b: OffsetMapBuilder, text: str, start: int, end: int, squeeze: bool) -> None:
    """Copy text[start:end] into the builder, dropping stray spaces between CJK/digits if ``squeeze``.

    Spaces inside a bracketed credit (全媒体记者 黄利飞 通讯员 唐扬) and between the items of a
    space-separated list of names (王建国 李明华 张晓燕 刘德胜) separate names and are kept.
    """
    if not squeeze:
        b.keep_range(start, end)
        return
    protected = [(m.start(), m.end()) for pat in (_BRACKET_CREDIT, _SPACED_LIST) for m in pat.finditer(text, start, end)]
    i = start
    while i < end:
        space = _SQUEEZE_SPACE.search(text, i, end)  # the characters up to the next space are kept as they are
        nxt = space.start() if space else end
        b.keep_range(i, nxt)
        i = nxt
        if i >= end:
            break
        if i > start and not any(a <= i < z for a, z in protected):
            j = i
            while j < end and text[j] in " \u3000":
                j += 1
            if j - i <= 2 and j < end:
                x, y = text[i - 1], text[j]
                if _squeezable(x, y):
                    i = j
                    continue
            b.keep_range(i, j)
            i = j
            continue
        b.keep(i)
        i += 1


@dataclass(frozen=True)
class Line:
    start: int  # original offset of the first character
    end: int  # original offset just past the last character (newline excluded)

    def text(self, original: str) -> str:
        return original[self.start : self.end]


def split_lines(text: str, start: int = 0, end: int | None = None) -> List[Line]:
    """Lines of text[start:end] with their original offsets (``\\r`` counts as line content)."""
    end = len(text) if end is None else end
    out: List[Line] = []
    i = start
    while i < end:
        j = text.find("\n", i, end)
        if j < 0:
            j = end
        out.append(Line(i, j))
        i = j + 1
    if end > start and text[end - 1] == "\n":
        out.append(Line(end, end))
    return out


def clean_region(text: str, start: int = 0, end: int | None = None) -> Tuple[str, OffsetMap]:
    """Clean text[start:end]; return the cleaned text and its map to offsets in ``text``."""
    end = len(text) if end is None else end
    b = OffsetMapBuilder(text)
    lines = split_lines(text, start, end)
    prev: Line | None = None
    for line in lines:
        body = line.text(text)
        if not body.strip():
            continue
        if prev is not None:
            # trailing whitespace of the previous line and the break itself
            pstripped = text[prev.start : prev.end].rstrip()
            content_end = prev.start + len(pstripped)
            lead = len(body) - len(body.lstrip())
            if should_join(text[prev.start : prev.end], body):
                # the break is dropped, and with it the previous line's trailing whitespace
                b.drop_from(content_end)
                _keep_line(b, text, line.start + lead, line.end, _squeeze(body))
                prev = line
                continue
            b.keep_range(prev.end, line.start)
        else:
            b.keep_range(start, line.start)
        _keep_line(b, text, line.start, line.end, _squeeze(body))
        prev = line
    tail_from = prev.end if prev is not None else start
    b.keep_range(tail_from, end)
    return b.build(end)


def _squeeze(line: str) -> bool:
    """Stray spaces are removed only in body lines of PDF text, never in bylines or headings."""
    s = line.strip()
    return (len(s) >= BODY_MIN or bool(INNER_PUNCT.search(s))) and not is_byline(s)
