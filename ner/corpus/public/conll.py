"""Readers for the character-per-line corpora: MSRA (BIO), Weibo (BIO, .NAM/.NOM), Resume (BMES)."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator, Mapping, Optional

from .base import PathLike, Sentence, check_mapping, decode_tags, map_spans, read_conll_columns, tokens_to_sentence

#: MSRA source type -> our label.
MSRA_LABELS: Mapping[str, str] = check_mapping({"PER": "PERSON", "LOC": "LOC", "ORG": "ORG"})
#: Weibo: only named mentions (.NAM) are kept; nominal mentions (.NOM) are dropped.
WEIBO_LABELS: Mapping[str, str] = check_mapping(
    {"PER.NAM": "PERSON", "ORG.NAM": "ORG", "LOC.NAM": "LOC", "GPE.NAM": "LOC"}
)
#: Resume: CONT (country) is a place; RACE, TITLE, EDU, PRO are dropped.
RESUME_LABELS: Mapping[str, str] = check_mapping(
    {"NAME": "PERSON", "ORG": "ORG", "LOC": "LOC", "CONT": "LOC"}
)

_WEIBO_CHAR = re.compile(r"(.+?)(\d+)")


def read_msra_bio(
    path: PathLike, *, source_labels: bool = False, stats: Optional[Counter] = None
) -> Iterator[Sentence]:
    """Read MSRA ``char<TAB>BIO`` (msra_train_bio / msra_test_bio)."""
    for rows in read_conll_columns(path, "\t"):
        chars = [c for c, _ in rows]
        spans = decode_tags([t for _, t in rows], "BIO", stats)
        text, char_spans = tokens_to_sentence(chars, spans)
        yield text, (char_spans if source_labels else map_spans(char_spans, MSRA_LABELS, stats))


def weibo_char(column: str) -> str:
    """Strip the word-position digits from Weibo's first column (``科0`` -> ``科``, ``310`` -> ``3``).

    The position can exceed 9 inside long words, so all trailing digits after the first character
    are stripped. A run of U+FFFD (an emoji lost in the source's encoding) is one character.
    """
    m = _WEIBO_CHAR.fullmatch(column)
    if m is None:
        raise ValueError(f"weibo character column without a position digit: {column!r}")
    char = m.group(1)
    if len(char) > 1 and set(char) == {"\ufffd"}:
        char = "\ufffd"
    return char


def read_weibo(
    path: PathLike, *, source_labels: bool = False, stats: Optional[Counter] = None
) -> Iterator[Sentence]:
    """Read Weibo NER ``char<digit><TAB>tag`` (weiboNER_2nd_conll.*)."""
    for rows in read_conll_columns(path, "\t"):
        chars = [weibo_char(c) for c, _ in rows]
        spans = decode_tags([t for _, t in rows], "BIO", stats)
        text, char_spans = tokens_to_sentence(chars, spans)
        yield text, (char_spans if source_labels else map_spans(char_spans, WEIBO_LABELS, stats))


def read_resume(
    path: PathLike, *, source_labels: bool = False, stats: Optional[Counter] = None
) -> Iterator[Sentence]:
    """Read Resume NER ``char<SPACE>BMES-tag`` (*.char.bmes)."""
    for rows in read_conll_columns(path, " "):
        chars = [c for c, _ in rows]
        spans = decode_tags([t for _, t in rows], "BMES", stats)
        text, char_spans = tokens_to_sentence(chars, spans)
        yield text, (char_spans if source_labels else map_spans(char_spans, RESUME_LABELS, stats))
