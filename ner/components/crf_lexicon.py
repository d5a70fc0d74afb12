"""Lexicon (gazetteer) features for the character CRF: entity names seen in training, with their reliability.

A character CRF sees two characters either side; whether ``小麦`` or ``湘江银行`` is a name it has met
before is beyond its window. :class:`Lexicon` holds every entity surface of the training data with, per
label, how often the surface *was* that entity out of how often it *occurred* in texts that annotate the
label (public corpora annotate PERSON/LOC/ORG only, so PROGRAMME/SECTOR/MONEY count over the gold
corpus alone). Each character covered by a match gets a feature naming the label, its position in the
match (B/I/E, S for one character) and a reliability bucket, so the model learns how far to trust a
bucket rather than a surface (``lx=SECTOR-B-h``).

A lexicon built from the very documents it is used on would look perfect in training, and the CRF
would lean on it too much. :func:`jackknife_lexicons` therefore builds one lexicon per fold from the
other folds (copies of one text fall into the same fold); the shipped lexicon uses all the data.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

import numpy as np

from ..text.charmap import normalize_chars
from .int_table import IntTable

Span = Tuple[int, int, str]
#: (text, entity spans, labels the text's corpus annotates)
LexDoc = Tuple[str, Sequence[Span], Sequence[str]]

#: reliability buckets: share of occurrences that were the entity (high, mid, low)
BUCKETS: Tuple[Tuple[float, str], ...] = ((0.7, "h"), (0.3, "m"), (0.0, "l"))
MIN_LEN, MAX_LEN = 2, 12
#: the lexicon's file name beside a trained ``model.crfsuite``
LEXICON_FILE = "lexicon.json.gz"


#: the second half of a scan key where there is no second character (above every code point)
_NO_CHAR = 0x1FFFFF


def _head_key(head: str) -> int:
    return (ord(head[0]) << 21) | (ord(head[1]) if len(head) > 1 else _NO_CHAR)


def _bucket(share: float) -> str:
    for bound, name in BUCKETS:
        if share >= bound:
            return name
    return BUCKETS[-1][1]


def _usable(surface: str) -> bool:
    return MIN_LEN <= len(surface) <= MAX_LEN and not any(c.isspace() for c in surface)


class Lexicon:
    """Surfaces (normalised characters) -> {label: reliability bucket}; matches give per-character features."""

    def __init__(self, entries: Optional[Dict[str, Dict[str, str]]] = None) -> None:
        self.entries: Dict[str, Dict[str, str]] = dict(entries or {})
        # every proper prefix of an entry: a scan from one position stops at the first miss
        self._prefixes = {s[:k] for s in self.entries for k in range(1, len(s))}
        # where a scan can start: the first two characters of an entry (or a one-character entry)
        self._heads = {s[:2] for s in self.entries if s}  # an empty entry never matches
        self._head_table: Optional[IntTable] = None  # built on the first scan
        self._single_heads = any(len(h) == 1 for h in self._heads)
        #: entry -> its matches' (offset, feature) pairs, built as entries are met (entries never change)
        self._offsets: Dict[str, Tuple[Tuple[int, str], ...]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def found(self, norm: str) -> List[Tuple[int, int]]:
        """Every ``(start, end)`` where an entry occurs in the normalised text ``norm`` (overlaps included)."""
        out: List[Tuple[int, int]] = []
        entries, prefixes, n = self.entries, self._prefixes, len(norm)
        # a scan starts at an entry's first two characters, so without one-character entries its first
        # character is a prefix and no entry: the scan may begin with two
        first = 1 if self._single_heads else 2
        for i in self._scan_starts(norm):
            j = i + first
            while j <= n:
                piece = norm[i:j]
                if piece in entries:
                    out.append((i, j))
                if piece not in prefixes:
                    break
                j += 1
        return out

    def _scan_starts(self, norm: str) -> List[int]:
        """The positions of ``norm`` where an entry's first two characters (or a one-character entry) begin."""
        if not self._heads:
            return []
        if self._head_table is None:
            keys = np.array([_head_key(h) for h in self._heads], dtype=np.int64)
            self._head_table = IntTable(keys, np.ones(len(keys), dtype=np.int64), 0)
        cps = np.frombuffer(norm.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        nxt = np.append(cps[1:], _NO_CHAR)
        hit = self._head_table.get((cps << 21) | nxt)
        if self._single_heads:
            hit |= self._head_table.get((cps << 21) | _NO_CHAR)
        return np.flatnonzero(hit).tolist()

    def matches(self, norm: str) -> List[Tuple[int, int, str, str]]:
        """Every ``(start, end, label, bucket)`` occurrence of an entry in the normalised text ``norm``."""
        entries = self.entries
        return [(i, j, label, bucket) for i, j in self.found(norm) for label, bucket in entries[norm[i:j]].items()]

    def feature_positions(self, norm: str) -> Set[Tuple[int, str]]:
        """``(position, lx=LABEL-POS-BUCKET)`` for every match of the normalised text ``norm`` and
        every character it covers (POS: B, I, E, or S for a one-character match)."""
        out: Set[Tuple[int, str]] = set()
        for start, end in self.found(norm):
            out.update((start + k, f) for k, f in self.surface_features(norm[start:end]))
        return out

    def surface_features(self, surface: str) -> Tuple[Tuple[int, str], ...]:
        """``(offset, feature)`` of every character of a match of the entry ``surface``, for each of its labels."""
        cached = self._offsets.get(surface)
        if cached is None:
            cached = self._offsets[surface] = self._features_of(surface)
        return cached

    def _features_of(self, surface: str) -> Tuple[Tuple[int, str], ...]:
        n = len(surface)
        out: List[Tuple[int, str]] = []
        for label, bucket in self.entries[surface].items():
            if n == 1:
                out.append((0, f"lx={label}-S-{bucket}"))
                continue
            out.append((0, f"lx={label}-B-{bucket}"))
            out.extend((k, f"lx={label}-I-{bucket}") for k in range(1, n - 1))
            out.append((n - 1, f"lx={label}-E-{bucket}"))
        return tuple(out)

    def features(self, norm: str) -> List[List[str]]:
        """Per character of ``norm``: its :meth:`feature_positions` features, sorted."""
        return per_character(len(norm), self.feature_positions(norm))

    def only(self, labels: Iterable[str]) -> "Lexicon":
        """The entries of ``labels`` alone (for texts from a corpus that annotates only those labels)."""
        keep = set(labels)
        picked = {s: {l: b for l, b in v.items() if l in keep} for s, v in self.entries.items()}
        return Lexicon({s: v for s, v in picked.items() if v})

    def merged(self, other: "Lexicon") -> "Lexicon":
        """This lexicon with the entries of ``other`` added (labels of both kept)."""
        entries = {k: dict(v) for k, v in self.entries.items()}
        for surface, labels in other.entries.items():
            entries.setdefault(surface, {}).update(labels)
        return Lexicon(entries)

    def to_dict(self) -> Dict[str, Dict[str, str]]:
        return self.entries

    @classmethod
    def from_dict(cls, data: Dict[str, Dict[str, str]]) -> "Lexicon":
        return cls({str(k): {str(l): str(b) for l, b in v.items()} for k, v in data.items()})


def per_character(n: int, positions: Iterable[Tuple[int, str]]) -> List[List[str]]:
    """``(position, feature)`` pairs as one sorted list of features per character of a text of ``n``."""
    feats: List[List[str]] = [[] for _ in range(n)]
    for k, f in positions:
        feats[k].append(f)
    return [sorted(f) if len(f) > 1 else f for f in feats]


def write_lexicon(lexicon: Lexicon, path: Union[str, Path]) -> None:
    """Save ``lexicon`` as gzipped JSON (sorted, so that the same lexicon gives the same bytes)."""
    data = json.dumps(lexicon.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    Path(path).write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))


def read_lexicon(path: Union[str, Path]) -> Lexicon:
    """Load a lexicon written by :func:`write_lexicon`."""
    try:
        return Lexicon.from_dict(json.loads(gzip.decompress(Path(path).read_bytes()).decode("utf-8")))
    except (OSError, ValueError) as err:
        raise ValueError(f"{path}: not a CRF lexicon ({err})") from err


#: pseudo-labels of general words by length (the word lexicon marks word boundaries, not entities)
WORD_LABELS: Tuple[str, ...] = ("W2", "W3", "W4")


def word_lexicon(words: Iterable[str], *, min_count: int = 2, frequent: int = 20) -> Lexicon:
    """A lexicon of general words (e.g. a segmented corpus's tokens): label ``W2``/``W3``/``W4`` by
    length (4 = four or more), bucket ``f`` (seen ``frequent`` times or more) or ``r``.

    Its features tell the CRF where words begin and end, which a two-character window cannot see.
    Words of one character, with digits or Latin letters, or seen fewer than ``min_count`` times are left out.
    """
    counts = Counter(normalize_chars(w) for w in words)
    entries: Dict[str, Dict[str, str]] = {}
    for word, n in counts.items():
        if n < min_count or not _usable(word) or len(word) > 8:
            continue
        if any(not ("\u4e00" <= c <= "\u9fff") for c in word):
            continue
        label = WORD_LABELS[min(len(word), 4) - 2]
        entries[word] = {label: "f" if n >= frequent else "r"}
    return Lexicon(entries)


class _Counts:
    """Entity and occurrence counts over a set of documents."""

    def __init__(self) -> None:
        self.entity: Counter = Counter()  # (surface, label) -> times annotated
        self.occurs: Counter = Counter()  # (surface, label) -> times present in a text annotating label

    def __isub__(self, other: "_Counts") -> "_Counts":
        self.entity.subtract(other.entity)
        self.occurs.subtract(other.occurs)
        return self

    def __iadd__(self, other: "_Counts") -> "_Counts":
        self.entity.update(other.entity)
        self.occurs.update(other.occurs)
        return self

    def lexicon(self, min_count: int) -> Lexicon:
        entries: Dict[str, Dict[str, str]] = {}
        for (surface, label), n in self.entity.items():
            if n < min_count:
                continue
            seen = max(self.occurs[(surface, label)], n)
            entries.setdefault(surface, {})[label] = _bucket(n / seen)
        return Lexicon(entries)


def _entities(norm: str, spans: Sequence[Span], labels: Optional[Set[str]]) -> Iterable[Tuple[str, str]]:
    """``(surface, label)`` of the spans that can be lexicon entries (of ``labels``, usable length)."""
    for s, e, label in spans:
        if (labels is None or label in labels) and _usable(norm[s:e]):
            yield norm[s:e], label


def _surfaces(docs: Sequence[LexDoc], labels: Optional[Set[str]]) -> Set[str]:
    return {surface for text, spans, _ in docs for surface, _ in _entities(normalize_chars(text), spans, labels)}


def _count(text: str, spans: Sequence[Span], annotated: Sequence[str], probe: Lexicon,
           labels: Optional[Set[str]]) -> _Counts:
    counts = _Counts()
    norm = normalize_chars(text)
    counts.entity.update(_entities(norm, spans, labels))
    present = Counter(norm[s:e] for s, e in probe.found(norm))
    for surface, n in present.items():
        for label in annotated:
            if labels is None or label in labels:
                counts.occurs[(surface, label)] += n
    return counts


def text_fold(text: str, folds: int) -> int:
    """A text's fold: a hash of the text, so that copies of one text share it."""
    return int.from_bytes(hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()[:4], "big") % folds


def jackknife_lexicons(docs: Sequence[LexDoc], *, folds: int = 5, min_count: int = 1,
                       labels: Optional[Iterable[str]] = None,
                       fold_keys: Optional[Sequence[str]] = None) -> Tuple[Lexicon, List[Lexicon], List[int]]:
    """The lexicon of all ``docs``, one lexicon per fold built without that fold, and each doc's fold.

    Identical texts (an upsampled corpus) count once and share a fold. ``fold_keys`` (one per doc,
    default: the text) decide the fold: docs with one key share a fold, so that the sentences of one
    article (neighbours in a public corpus) do not see each other's names in their lexicon.
    """
    wanted = set(labels) if labels is not None else None
    if fold_keys is not None and len(fold_keys) != len(docs):
        raise ValueError(f"{len(fold_keys)} fold keys for {len(docs)} docs")
    keys = list(fold_keys) if fold_keys is not None else [d[0] for d in docs]
    key_of: Dict[str, str] = {}
    unique: List[LexDoc] = []
    for d, key in zip(docs, keys):
        if d[0] not in key_of:
            key_of[d[0]] = key
            unique.append(d)
    probe = Lexicon({s: {} for s in _surfaces(unique, wanted)})
    total, per_fold = _Counts(), [_Counts() for _ in range(folds)]
    for text, spans, annotated in unique:
        c = _count(text, spans, annotated, probe, wanted)
        total += c
        per_fold[text_fold(key_of[text], folds)] += c
    full = total.lexicon(min_count)
    lexicons = []
    for k in range(folds):
        rest = _Counts()
        rest += total
        rest -= per_fold[k]
        lexicons.append(rest.lexicon(min_count))
    return full, lexicons, [text_fold(key_of[d[0]], folds) for d in docs]


__all__ = ["WORD_LABELS", "word_lexicon", "BUCKETS", "LEXICON_FILE", "Lexicon", "jackknife_lexicons", "per_character",
           "read_lexicon", "text_fold", "write_lexicon"]
