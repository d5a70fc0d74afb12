"""A character CRF baseline for NER (issue 6): sklearn-crfsuite over hand-made character features.

Each character is one CRF item; its features are the (normalised) character, its neighbours within
two positions, the four character bigrams around it, and the character type (Han, Chinese numeral,
digit, Latin, space, punctuation) of the character and its neighbours. Tags are BIO or BILUO
(``B-ORG``, ``I-ORG``, ... ``O``); the decoder turns any tag sequence into ``(start, end, label)``
spans with offsets into the text given, so a :class:`CRFTagger` plugs into ``xiang-ner benchmark``
(``--crf PATH``) like the other systems. Training: ``training/train_crf.py``.

Needs ``sklearn-crfsuite`` (the ``bench`` and ``test`` extras): ``pip install -e '.[bench]'``.
"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ..text.charmap import normalize_chars

Span = Tuple[int, int, str]
PathLike = Union[str, Path]

SCHEMES = ("bio", "biluo")
_PAD_LEFT = ("<s2>", "<s1>")
_PAD_RIGHT = ("</s1>", "</s2>")
_CN_NUMERALS = set("零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")


def char_type(ch: str) -> str:
    """A coarse class of one character: H(an), N(umeral, Chinese), D(igit), L(atin), S(pace), P(unct), O(ther)."""
    if ch in _CN_NUMERALS:
        return "N"
    if ch.isspace():
        return "S"
    if ch.isdigit():
        return "D"
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff":
        return "H"
    if ch.isalpha():
        return "L"
    if unicodedata.category(ch)[0] in "PS":
        return "P"
    return "O"


def _shown(ch: str) -> str:
    # whitespace runs of any kind look alike to the model (one feature value, printable)
    return "_" if ch.isspace() else ch


def char_features(text: str) -> List[List[str]]:
    """The CRF features of every character of ``text`` (one list of feature strings per character)."""
    chars = [_shown(c) for c in normalize_chars(text)]
    types = [char_type(c) for c in text]
    n = len(chars)
    c = [*_PAD_LEFT, *chars, *_PAD_RIGHT]
    t = ["^", "^", *types, "$", "$"]
    out: List[List[str]] = []
    for i in range(2, n + 2):
        cm2, cm1, c0, cp1, cp2 = c[i - 2], c[i - 1], c[i], c[i + 1], c[i + 2]
        tm1, t0, tp1 = t[i - 1], t[i], t[i + 1]
        out.append(
            [
                "bias",
                "c0=" + c0,
                "c-1=" + cm1,
                "c+1=" + cp1,
                "c-2=" + cm2,
                "c+2=" + cp2,
                "b-2=" + cm2 + cm1,
                "b-1=" + cm1 + c0,
                "b0=" + c0 + cp1,
                "b+1=" + cp1 + cp2,
                "c-1c+1=" + cm1 + cp1,
                "t0=" + t0,
                "t-1=" + tm1,
                "t+1=" + tp1,
                "t3=" + tm1 + t0 + tp1,
            ]
        )
    return out


def spans_to_tags(length: int, spans: Iterable[Span], scheme: str = "bio") -> List[str]:
    """Per-character tags of non-overlapping ``spans`` in a text of ``length`` characters."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    tags = ["O"] * length
    for start, end, label in spans:
        if not 0 <= start < end <= length:
            raise ValueError(f"span {start}-{end} {label} outside a text of {length} characters")
        if scheme == "biluo" and end - start == 1:
            tags[start] = f"U-{label}"
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
        if scheme == "biluo":
            tags[end - 1] = f"L-{label}"
    return tags


def tags_to_spans(tags: Sequence[str], text: Optional[str] = None) -> List[Span]:
    """Entity spans from BIO or BILUO tags, leniently (a stray ``I-X`` starts an entity, as conlleval).

    With ``text``, spans are trimmed of leading/trailing whitespace (and dropped if nothing is left),
    so that they always fall on character-token boundaries.
    """
    spans: List[Span] = []
    start, label = -1, ""

    def close(end: int) -> None:
        nonlocal start, label
        if start >= 0:
            s, e = start, end
            if text is not None:
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
            if s < e:
                spans.append((s, e, label))
        start, label = -1, ""

    for i, tag in enumerate(tags):
        prefix, _, lab = tag.partition("-")
        if prefix == "O" or not lab:
            close(i)
        elif prefix in ("B", "U") or lab != label or start < 0:
            close(i)
            start, label = i, lab
        if prefix in ("L", "U"):
            close(i + 1)
    close(len(tags))
    return spans


def train(
    data: Iterable[Tuple[str, Sequence[str]]],
    model_path: PathLike,
    *,
    c1: float = 0.1,
    c2: float = 0.01,
    max_iterations: int = 100,
    min_freq: float = 0,
    verbose: bool = False,
) -> Any:
    """Train an L-BFGS CRF on ``(text, per-character tags)`` pairs and save it to ``model_path``."""
    import sklearn_crfsuite
    from sklearn_crfsuite.trainer import LinePerIterationTrainer

    class _Trainer(LinePerIterationTrainer):
        # one line per L-BFGS iteration (only when verbose), flushed so that a log file follows along
        def on_iteration(self, log: Any, info: Any) -> None:
            super().on_iteration(log, info)
            sys.stdout.flush()

    model_path = Path(model_path)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    crf = sklearn_crfsuite.CRF(
        algorithm="lbfgs",
        c1=c1,
        c2=c2,
        max_iterations=max_iterations,
        min_freq=min_freq,
        all_possible_transitions=True,
        model_filename=str(model_path),
        trainer_cls=_Trainer,
        verbose=verbose,
    )
    # CRF.fit(X, y) zips X with y and appends each pair to crfsuite, so features made lazily, one text
    # at a time, keep Python's memory flat (crfsuite holds its own compact copy).
    pairs = list(data)
    for text, tags in pairs:
        if len(tags) != len(text):
            raise ValueError(f"{len(tags)} tags for a text of {len(text)} characters")
    crf.fit(_Lazy([t for t, _ in pairs], char_features), [list(tags) for _, tags in pairs])
    return crf


class _Lazy:
    """``fn`` of each item, computed while iterating (has a length, for the progress bar)."""

    def __init__(self, items: Sequence[Any], fn: Any) -> None:
        self.items, self.fn = items, fn

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return (self.fn(x) for x in self.items)


class CRFTagger:
    """A trained character CRF as an entity recogniser: ``tagger(text) -> [(start, end, label), ...]``."""

    def __init__(self, model_path: PathLike) -> None:
        import pycrfsuite

        self.path = Path(model_path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no CRF model at {self.path} (train one with training/train_crf.py)")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self.labels = sorted({t.partition("-")[2] for t in self._tagger.labels()} - {""})

    def tags(self, text: str) -> List[str]:
        return list(self._tagger.tag(char_features(text))) if text else []

    def __call__(self, text: str) -> List[Span]:
        return tags_to_spans(self.tags(text), text)

    def pipe(self, texts: Iterable[str]) -> Iterator[List[Span]]:
        for text in texts:
            yield self(text)
