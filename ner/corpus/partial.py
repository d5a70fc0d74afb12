"""The partial-label problem: public corpora never mark PROGRAMME, SECTOR or MONEY.

Their tokens are "O" in those corpora although many are mentions of our other labels. Training on
them as "O" teaches the model to ignore such mentions, so :func:`mark_missing` marks the tokens of
likely PROGRAMME/SECTOR/MONEY mentions as *missing* (unknown) instead; spaCy's NER then neither
rewards nor penalises predictions there. Cues (money units, suffixes, words) live in
``data/partial_cues.jsonl``; the mention boundaries are deliberately generous (missing is cheap).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Optional, Set, Tuple

from spacy.tokens import Doc, Span

from ..schema import ENTITY_LABELS
from .public import PUBLIC_LABELS

#: The labels the public corpora never annotate (PROGRAMME, SECTOR, MONEY).
PARTIAL_LABELS: Tuple[str, ...] = tuple(label for label in ENTITY_LABELS if label not in PUBLIC_LABELS)
_QUOTES = "“”\"‘’'「」"


@dataclass
class Cues:
    """Compiled cue data (see ``data/partial_cues.jsonl``)."""

    max_prefix: int = 8
    stop: Set[str] = field(default_factory=set)
    money: Optional[re.Pattern] = None
    #: (label, cue, not_followed_by, max_prefix)
    suffixes: List[Tuple[str, str, str, int]] = field(default_factory=list)
    words: List[Tuple[str, str]] = field(default_factory=list)  # (label, word)
    quoted: List[Tuple[str, str, str, int]] = field(default_factory=list)  # (label, open, close, max_inside)


def load_cues(text: Optional[str] = None) -> Cues:
    """Compile cue records from JSON Lines ``text`` (default: the packaged cue file)."""
    if text is None:
        text = resources.files("ner.corpus").joinpath("data/partial_cues.jsonl").read_text(encoding="utf-8")
    cues = Cues()
    numerals = decimals = ""
    magnitudes: List[str] = []
    currencies: List[str] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        rec: Dict = json.loads(line)
        kind = rec["kind"]
        label = rec.get("label")
        if label is not None and label not in PARTIAL_LABELS:
            raise ValueError(f"partial cues line {lineno}: label {label!r} is not one of {PARTIAL_LABELS}")
        if kind == "setting":
            cues.max_prefix = int(rec.get("max_prefix", cues.max_prefix))
        elif kind == "stop":
            cues.stop |= set(rec["chars"])
        elif kind == "numeral":
            numerals += rec["chars"]
        elif kind == "decimal":
            decimals += rec["chars"]
        elif kind == "magnitude":
            magnitudes.append(rec["cue"])
        elif kind == "currency":
            currencies.append(rec["cue"])
        elif kind == "suffix":
            cues.suffixes.append((label, rec["cue"], rec.get("not_followed_by", ""), int(rec.get("max_prefix", 0))))
        elif kind == "word":
            cues.words.append((label, rec["cue"]))
        elif kind == "quoted":
            cues.quoted.append((label, rec["open"], rec["close"], int(rec.get("max_inside", 30))))
        else:
            raise ValueError(f"partial cues line {lineno}: unknown kind {kind!r}")
    if numerals and currencies:
        num = f"[{re.escape(numerals)}]"
        body = f"[{re.escape(numerals + decimals)}{''.join(re.escape(m) for m in magnitudes)}]*"
        cur = "|".join(re.escape(c) for c in sorted(currencies, key=len, reverse=True))
        cues.money = re.compile(f"{num}{body}(?:{cur})")
    return cues


@lru_cache(maxsize=1)
def default_cues() -> Cues:
    """The packaged cues, compiled once."""
    return load_cues()


def _prefix_start(text: str, cue_start: int, blocked: List[bool], cues: Cues, max_prefix: int) -> int:
    """Walk left from ``cue_start`` over the modifier of a suffix cue; return its start."""
    i = cue_start
    while i > 0 and cue_start - i < (max_prefix or cues.max_prefix):
        ch = text[i - 1]
        if blocked[i - 1] or ch in cues.stop or not (ch.isalnum() or ch in _QUOTES):
            break
        i -= 1
    return i


def find_candidates(
    text: str, blocked: Optional[List[bool]] = None, cues: Optional[Cues] = None
) -> List[Tuple[int, int, str]]:
    """Character ranges ``(start, end, label)`` of likely PROGRAMME/SECTOR/MONEY mentions.

    ``blocked[i]`` marks characters inside gold entities: a suffix cue's modifier never extends
    into them.
    """
    cues = cues or default_cues()
    blocked = blocked if blocked is not None else [False] * len(text)
    found: List[Tuple[int, int, str]] = []
    if cues.money is not None:
        found += [(m.start(), m.end(), "MONEY") for m in cues.money.finditer(text)]
    for label, word in cues.words:
        found += [(m.start(), m.end(), label) for m in re.finditer(re.escape(word), text)]
    for label, cue, not_followed, max_prefix in cues.suffixes:
        for m in re.finditer(re.escape(cue), text):
            if not_followed and m.end() < len(text) and text[m.end()] in not_followed:
                continue
            start = _prefix_start(text, m.start(), blocked, cues, max_prefix)
            if start < m.start():  # a suffix cue needs a modifier ("…产业", not bare 产业)
                found.append((start, m.end(), label))
    for label, opening, closing, max_inside in cues.quoted:
        pattern = f"{re.escape(opening)}([^{re.escape(opening + closing)}]{{1,{max_inside}}}){re.escape(closing)}"
        found += [(m.start(1), m.end(1), label) for m in re.finditer(pattern, text)]
    return sorted(found)


def mark_missing(doc: Doc, cues: Optional[Cues] = None) -> List[Span]:
    """Mark the tokens of likely PROGRAMME/SECTOR/MONEY mentions as missing; return the spans marked.

    Gold entities already on ``doc`` are kept and never marked; every other token keeps its
    annotation ("O" stays "O"). Uses ``doc.set_ents(ents, missing=spans, default="unmodified")``.
    """
    blocked = [False] * len(doc.text)
    for ent in doc.ents:
        for i in range(ent.start_char, ent.end_char):
            blocked[i] = True
    in_ent = {t.i for ent in doc.ents for t in ent}
    tokens: Set[int] = set()
    for start, end, _label in find_candidates(doc.text, blocked, cues):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        tokens.update(t.i for t in span if t.i not in in_ent and not t.is_space)
    spans: List[Span] = []
    for i in sorted(tokens):
        if spans and spans[-1].end == i:
            spans[-1] = doc[spans[-1].start : i + 1]
        else:
            spans.append(doc[i : i + 1])
    if spans:
        doc.set_ents(list(doc.ents), missing=spans, default="unmodified")
    return spans
