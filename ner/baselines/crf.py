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
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ..components.crf_features import char_features, char_type, read_clusters, read_companions  # noqa: F401 (char_type re-exported)
from ..components.crf_lexicon import Lexicon

Span = Tuple[int, int, str]
PathLike = Union[str, Path]

SCHEMES = ("bio", "biluo")


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
    return sparse_tags_to_spans(((i, t) for i, t in enumerate(tags) if t != "O"), text)


def sparse_tags_to_spans(tagged: Iterable[Tuple[int, str]], text: Optional[str] = None) -> List[Span]:
    """:func:`tags_to_spans` of tags given as the ``(position, tag)`` of those that are not ``O`` (in
    order; every position left out is ``O``): a character model tags most characters ``O``, and only
    the others need a look."""
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

    after = 0  # the position after the last tag seen
    for i, tag in tagged:
        if i > after:  # an O at ``after`` closes what is open
            close(after)
        prefix, _, lab = tag.partition("-")
        if prefix == "O" or not lab:
            close(i)
        elif prefix in ("B", "U") or lab != label or start < 0:
            close(i)
            start, label = i, lab
        if prefix in ("L", "U"):
            close(i + 1)
        after = i + 1
    close(after)
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
    lexicons: Optional[Sequence[Optional[Lexicon]]] = None,
    brackets: bool = False,
    window: int = 2,
    clusters: Optional[Any] = None,
    cues: bool = False,
) -> Any:
    """Train an L-BFGS CRF on ``(text, per-character tags)`` pairs and save it to ``model_path``.

    ``lexicons`` (one per pair, e.g. the jackknifed fold lexicons) add lexicon features, ``brackets``
    the inside-quotes features, ``cues`` the heads and triggers within reach, ``window`` 3 the characters three away (:func:`ner.components.crf_features.char_features`).
    """
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
    if lexicons is not None and len(lexicons) != len(pairs):
        raise ValueError(f"{len(lexicons)} lexicons for {len(pairs)} texts")
    items = [(t, lexicons[i] if lexicons is not None else None) for i, (t, _) in enumerate(pairs)]
    crf.fit(_Lazy(items, lambda item: char_features(*item, brackets=brackets, window=window, clusters=clusters, cues=cues)), [list(tags) for _, tags in pairs])
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

    def __init__(self, model_path: PathLike, lexicon: Optional[Lexicon] = None) -> None:
        """``lexicon``: the one the model was trained with (default: ``lexicon.json.gz`` beside the model)."""
        import pycrfsuite

        self.path = Path(model_path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no CRF model at {self.path} (train one with training/train_crf.py)")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self.labels = sorted({t.partition("-")[2] for t in self._tagger.labels()} - {""})
        beside, self.features = read_companions(self.path)
        self.lexicon = lexicon if lexicon is not None else beside
        self.clusters = read_clusters(self.path, self.features)

    def tags(self, text: str) -> List[str]:
        if not text:
            return []
        return list(self._tagger.tag(char_features(text, self.lexicon, **{**self.features, "clusters": self.clusters})))

    def __call__(self, text: str) -> List[Span]:
        return tags_to_spans(self.tags(text), text)

    def pipe(self, texts: Iterable[str]) -> Iterator[List[Span]]:
        for text in texts:
            yield self(text)
