"""Reader for People's Daily January 1998 (PKU/Fujitsu ``199801.txt``).

GB18030, CRLF with some bare CR; one paragraph a line; the first token is the id
(``19980101-01-001-001/m``), the rest are ``word/POS`` separated by whitespace (two spaces, a few
times one). ``[w1/t1 w2/t2]nt`` is a bracketed compound. Words are joined without separators, so
full-width characters stay as written.

Mapping (outermost span only): ``[...]nt`` -> ORG and ``[...]ns`` -> LOC over the whole bracket
(tags inside are ignored); outside such brackets ``nt`` -> ORG, ``ns`` -> LOC and runs of ``nr``
tokens -> PERSON, where a surname token (1-2 characters) directly followed by a given-name token
(1-2 characters) makes one PERSON (``江/nr 泽民/nr`` -> 江泽民; ``杜/nr 中武/nr 孙/nr 传刚/nr`` -> two
names). ``nz``, ``nx`` and the ``]nz``, ``]i``, ``]l`` brackets are dropped (entities inside those
brackets are kept).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator, List, Mapping, Optional, Tuple

from .base import CorpusFormatError, PathLike, Sentence, SpanT, check_mapping, require_file

#: Token / bracket POS tags -> our labels (bracket tags are written ``[nt]``).
PEOPLE_DAILY_LABELS: Mapping[str, str] = check_mapping(
    {"nr": "PERSON", "ns": "LOC", "nt": "ORG", "[nt]": "ORG", "[ns]": "LOC"}
)
#: Source tags reported with ``source_labels=True``.
ENTITY_TAGS = ("nr", "ns", "nt", "nz", "nx")

_TOKEN = re.compile(r"(\[?)(.+)/([A-Za-z]+)(?:\]([A-Za-z]+))?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def parse_line(line: str) -> Tuple[str, str, List[Tuple[int, int, str, int]], List[Tuple[int, int, str]]]:
    """Parse one paragraph: return (id, text, words as (start, end, tag, bracket), brackets as (start, end, tag))."""
    tokens = line.split()
    if not tokens:
        raise CorpusFormatError("empty line")
    pid = tokens[0].rsplit("/", 1)[0]
    words: List[Tuple[int, int, str, int]] = []
    brackets: List[Tuple[int, int, str]] = []
    pieces: List[str] = []
    pos = 0
    open_at: Optional[int] = None
    for tok in tokens[1:]:
        m = _TOKEN.fullmatch(tok)
        if m is None:
            raise CorpusFormatError(f"{pid}: token {tok!r} is not word/POS")
        opening, word, tag, closing = m.groups()
        if opening:
            if open_at is not None:
                raise CorpusFormatError(f"{pid}: nested bracket at {tok!r}")
            open_at = pos
        start, pos = pos, pos + len(word)
        pieces.append(word)
        words.append((start, pos, tag, len(brackets) if open_at is not None else -1))
        if closing:
            if open_at is None:
                raise CorpusFormatError(f"{pid}: closing bracket without opening at {tok!r}")
            brackets.append((open_at, pos, closing))
            open_at = None
    if open_at is not None:
        raise CorpusFormatError(f"{pid}: unclosed bracket")
    return pid, "".join(pieces), words, brackets


def _persons(run: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Pair consecutive nr tokens: surname (1-2 chars) + given name (1-2 chars) -> one name."""
    out: List[Tuple[int, int]] = []
    i = 0
    while i < len(run):
        s, e = run[i]
        if i + 1 < len(run) and e - s <= 2 and run[i + 1][1] - run[i + 1][0] <= 2:
            out.append((s, run[i + 1][1]))
            i += 2
        else:
            out.append((s, e))
            i += 1
    return out


def paragraph_spans(
    words: List[Tuple[int, int, str, int]], brackets: List[Tuple[int, int, str]]
) -> List[SpanT]:
    """Entity spans of one parsed paragraph in our labels (see the module docstring)."""
    spans: List[SpanT] = []
    entity_brackets = set()
    for b, (start, end, tag) in enumerate(brackets):
        label = PEOPLE_DAILY_LABELS.get(f"[{tag}]")
        if label:
            spans.append((start, end, label))
            entity_brackets.add(b)
    run: List[Tuple[int, int]] = []
    for start, end, tag, b in words + [(0, 0, "", -1)]:
        inside = b in entity_brackets
        if tag == "nr" and not inside:
            run.append((start, end))
            continue
        if run:
            spans.extend((s, e, "PERSON") for s, e in _persons(run))
            run = []
        if not inside and tag in ("ns", "nt"):
            spans.append((start, end, PEOPLE_DAILY_LABELS[tag]))
    return sorted(spans)


def iter_paragraphs(path: PathLike) -> Iterator[str]:
    """Yield the non-empty lines of 199801.txt (GB18030; CRLF, CR or LF line ends)."""
    p = require_file(path)
    text = p.read_bytes().decode("gb18030")
    for line in _LINE_BREAK.split(text):
        if line.strip():
            yield line


def iter_tagged_words(path: PathLike) -> Iterator[Tuple[str, str]]:
    """Every ``(word, tag)`` token of 199801.txt, paragraph after paragraph (a person's name comes as two
    ``nr`` tokens, surname and given name: 江/nr 泽民/nr)."""
    for line in iter_paragraphs(path):
        _pid, text, words, _brackets = parse_line(line)
        for start, end, tag, _bracket in words:
            yield text[start:end], tag


def read_people_daily(
    path: PathLike,
    *,
    source_labels: bool = False,
    stats: Optional[Counter] = None,
) -> Iterator[Sentence]:
    """Read 199801.txt: one sentence per paragraph.

    ``source_labels=True`` yields every ``nr/ns/nt/nz/nx`` token as its own span and every bracket
    as a span labelled ``[tag]`` (nested, for counting against the corpus README).
    """
    for line in iter_paragraphs(path):
        _pid, text, words, brackets = parse_line(line)
        if source_labels:
            spans = [(s, e, t) for s, e, t, _ in words if t in ENTITY_TAGS]
            spans += [(s, e, f"[{t}]") for s, e, t in brackets]
            spans.sort()
        else:
            spans = paragraph_spans(words, brackets)
            if stats is not None:
                for s, e, t in brackets:
                    if f"[{t}]" not in PEOPLE_DAILY_LABELS:
                        stats[f"dropped:[{t}]"] += 1
                for s, e, t, b in words:
                    if t in ("nz", "nx"):
                        stats[f"dropped:{t}"] += 1
        yield text, spans
