"""MONEY rules: regular expressions shipped as data (``data/money_patterns.jsonl``).

The ``money_rules`` component matches the patterns on the model-normalised text (full-width digits
become ASCII, so ``１２万元`` matches) and adds MONEY entities; with ``overwrite_ents`` it replaces
overlapping model entities (except a model MONEY span that contains the match and is written as an
amount: 6.18-1/2美元), otherwise it only fills gaps. A regex pass over the text is several times
faster than a token Matcher over character tokens.
"""

import json
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import SimpleFrozenList, ensure_path, filter_spans

from ..tokenizer import doc_text
from ..text.charmap import normalize_chars
from .data_files import data_rows

PATTERNS_FILE = "patterns.jsonl"
# A full-width comma is a clause break, never a thousands separator (排名第9，300万元): it is hidden
# from the character normalisation (which makes it ASCII) behind a private-use character.
_FW_COMMA, _HIDDEN = "\uff0c", "\ue000"
# What a MONEY span of the model may hold besides the rule's match for the model's wider span to be
# kept: digits, numerals, range and fraction marks, approximations and units (6.18-1/2美元), never
# words (贷款3亿元) or a coordination (3亿元和5亿元).
_AMOUNT_CHARS = frozenset("0123456789.,/-~～—–至 一二三四五六七八九十百千万亿两〇零数几多余元美欧港日英镑澳")


def default_patterns() -> List[Dict[str, Any]]:
    """The MONEY patterns shipped with the package."""
    return data_rows("money_patterns.jsonl")


def _is_amount(text: str) -> bool:
    """Whether ``text`` is written with amount characters only (digits, numerals, range marks, units)."""
    return all(c in _AMOUNT_CHARS for c in normalize_chars(text))


class MoneyRules:
    """Regex-based MONEY entities over character tokens."""

    def __init__(self, nlp: Language, name: str, *, overwrite_ents: bool, label: str) -> None:
        self.name = name
        self.overwrite_ents = overwrite_ents
        self.label = label
        self.patterns: List[Dict[str, Any]] = []
        self._regex: Optional["re.Pattern[str]"] = None
        self._requires: Optional[Tuple[str, ...]] = None
        self.set_patterns(default_patterns())

    def set_patterns(self, patterns: Iterable[Dict[str, Any]]) -> None:
        """Use ``patterns``: rows with a ``regex`` and optionally ``requires``, strings of which the
        (normalised) text must hold one for the regex to match (its currency units). When every row
        says, a text with none of them is not searched: about half of the news text has no amount."""
        self.patterns = [dict(p) for p in patterns]
        for p in self.patterns:
            req = p.get("requires")
            if req is not None and (not isinstance(req, list) or not req or not all(isinstance(r, str) and r for r in req)):
                raise ValueError(f"MONEY pattern {p.get('id', p.get('regex'))!r}: 'requires' must be a non-empty list of non-empty strings, got {req!r}")
        self._regex = re.compile("|".join(f"(?:{p['regex']})" for p in self.patterns)) if self.patterns else None
        needs = [p.get("requires") for p in self.patterns]
        self._requires = tuple(sorted({r for rs in needs for r in rs})) if needs and all(needs) else None

    def initialize(self, get_examples: Optional[Callable[[], Iterable[Any]]] = None, *, nlp: Optional[Language] = None, patterns: Optional[List[Dict[str, Any]]] = None) -> None:
        """Load patterns (the shipped ones unless given), so the saved pipeline needs no paths."""
        self.set_patterns(patterns if patterns is not None else default_patterns())

    def find(self, doc: Doc) -> List[Span]:
        if self._regex is None:
            return []
        raw = doc_text(doc)
        if _FW_COMMA in raw:
            text = normalize_chars(raw.replace(_FW_COMMA, _HIDDEN)).replace(_HIDDEN, _FW_COMMA)
        else:
            text = normalize_chars(raw)
        if self._requires is not None and not any(r in text for r in self._requires):
            return []
        spans = []
        for m in self._regex.finditer(text):
            span = doc.char_span(m.start(), m.end(), label=self.label, alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
        return spans

    def __call__(self, doc: Doc) -> Doc:
        found = self.find(doc)
        if not found:
            return doc
        if self.overwrite_ents:
            # a MONEY entity of the model that contains the match and is itself written as an amount is
            # kept: the model may have seen more of it than a pattern does (a range written 6.18-1/2美元)
            # per token: the held amount covering it (doc.ents never overlap), and whether a match covers it
            owner = [-1] * (len(doc) + 1)
            for k, e in enumerate(x for x in doc.ents if x.label_ == self.label and _is_amount(x.text)):
                owner[e.start:e.end] = [k] * (e.end - e.start)
            found = [f for f in found if not (owner[f.start] >= 0 and owner[f.start] == owner[f.end - 1])]
            matched = bytearray(len(doc) + 1)
            for f in found:
                matched[f.start:f.end] = b"\x01" * (f.end - f.start)
            keep = [e for e in doc.ents if matched.find(1, e.start, e.end) < 0]
            doc.ents = filter_spans(keep + found)
        else:
            taken = {i for e in doc.ents for i in range(e.start, e.end)}
            new = [f for f in found if not any(i in taken for i in range(f.start, f.end))]
            doc.ents = list(doc.ents) + new
        return doc

    def to_disk(self, path: Any, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        with (path / PATTERNS_FILE).open("w", encoding="utf-8") as f:
            for p in self.patterns:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")

    def from_disk(self, path: Any, *, exclude: Iterable[str] = SimpleFrozenList()) -> "MoneyRules":
        path = ensure_path(path) / PATTERNS_FILE
        if path.exists():
            self.set_patterns(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        return self

    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        return json.dumps(self.patterns, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()) -> "MoneyRules":
        self.set_patterns(json.loads(data.decode("utf-8")))
        return self


@Language.factory(
    "money_rules",
    default_config={"overwrite_ents": True, "label": "MONEY"},
    assigns=["doc.ents"],
)
def make_money_rules(nlp: Language, name: str, *, overwrite_ents: bool, label: str) -> MoneyRules:
    return MoneyRules(nlp, name, overwrite_ents=overwrite_ents, label=label)
