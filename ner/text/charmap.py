"""Model-side character normalisation: one character in, one character out.

Full-width ASCII becomes half-width, the ideographic space a plain space, traditional characters
simplified (OpenCC's single-character table, shipped as ``data/t2s_chars.tsv``) and Latin letters
lower-cased. Because the mapping never changes the length of a string, offsets computed on the
normalised form are offsets into the text the user gave; the pipeline feeds it to the model through
``Token.norm_`` and never changes ``Doc.text``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Dict


@lru_cache(maxsize=1)
def _table() -> Dict[int, str]:
    table: Dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "
    text = resources.files("ner.text").joinpath("data/t2s_chars.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        src, tgt = line.split("\t")
        table[ord(src)] = tgt
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    for cp in range(0xFF21, 0xFF3B):  # full-width capitals go straight to lower case
        table[cp] = chr(cp - 0xFEE0 + 32)
    return table


def char_table() -> Dict[int, str]:
    """The normalisation as a ``str.translate`` table: code point -> character (others map to themselves)."""
    return _table()


def normalize_char(ch: str) -> str:
    """Normalise one character (returns exactly one character)."""
    return _table().get(ord(ch), ch) if len(ch) == 1 else ch


def normalize_chars(text: str) -> str:
    """Normalise every character of ``text``; the result has the same length."""
    return text.translate(_table())


_STRAIGHT_QUOTE = re.compile('["\uff02]')
_LINE = re.compile(r"[^\n]+")


def pair_straight_quotes(text: str) -> str:
    """Straight double quotes (``"``, full-width ``＂``) as ``“`` and ``”``, by turns, in each line that
    holds an even number of them (others are left alone); the result has the same length. Newspaper
    PDF text writes names in straight quotes (``"三亲"工作法``) where the training text has curly ones,
    and the entity model reads a name's quotes as part of its pattern."""
    if '"' not in text and "\uff02" not in text:
        return text
    chars = list(text)
    for line in _LINE.finditer(text):
        found = [m.start() for m in _STRAIGHT_QUOTE.finditer(text, line.start(), line.end())]
        if len(found) % 2:
            continue
        for k, i in enumerate(found):
            chars[i] = "\u201c" if k % 2 == 0 else "\u201d"
    return "".join(chars)
