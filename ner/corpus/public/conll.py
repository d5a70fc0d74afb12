"""Readers for the character-per-line corpora: MSRA (BIO), Weibo (BIO, .NAM/.NOM), Resume (BMES)."""
from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterator, Mapping, Optional

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


def _read_char_tags(
    path: PathLike,
    sep: str,
    scheme: str,
    mapping: Mapping[str, str],
    source_labels: bool,
    stats: Optional[Counter],
    char_of: Callable[[str], str] = lambda c: c,
) -> Iterator[Sentence]:
    """One character and its tag per line: decode the tags, map them to our labels (unless asked not to)."""
    for rows in read_conll_columns(path, sep):
        spans = decode_tags([t for _, t in rows], scheme, stats)
        text, char_spans = tokens_to_sentence([char_of(c) for c, _ in rows], spans)
        yield text, (char_spans if source_labels else map_spans(char_spans, mapping, stats))


def read_msra_bio(
    path: PathLike, *, source_labels: bool = False, stats: Optional[Counter] = None
) -> Iterator[Sentence]:
    """Read MSRA ``char<TAB>BIO`` (msra_train_bio / msra_test_bio)."""
    return _read_char_tags(path, "\t", "BIO", MSRA_LABELS, source_labels, stats)


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
    return _read_char_tags(path, "\t", "BIO", WEIBO_LABELS, source_labels, stats, weibo_char)


def read_resume(
    path: PathLike, *, source_labels: bool = False, stats: Optional[Counter] = None
) -> Iterator[Sentence]:
    """Read Resume NER ``char<SPACE>BMES-tag`` (*.char.bmes)."""
    return _read_char_tags(path, " ", "BMES", RESUME_LABELS, source_labels, stats)
