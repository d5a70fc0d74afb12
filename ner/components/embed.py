"""Character embeddings with a bigram feature, for character-level NER.

Each character is embedded from its normalised form, its shape and the (previous character,
character) bigram, all hashed (``HashEmbed``), then mixed by a Maxout layer — spaCy's
``MultiHashEmbed`` plus a bigram column. Bigrams give a character model some of the word-boundary
knowledge a segmenter would, at the cost of one more table lookup per character.

``xiang.CharBigramEmbed.v2`` adds a bracket-context column: whether the character lies inside
《…》, inside quotes (“…”, ‘…’, 「…」) or inside parentheses. A CNN of depth 6 sees six characters
either side, fewer than most titles and quoted programme names are long; one scan per document gives
every character of them that long-range fact (issue 4: PROGRAMME names).
"""
from typing import Callable, List, Tuple

import numpy
from spacy.attrs import NORM, SHAPE
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d

_MULT = numpy.uint64(1000003)
_BOS = numpy.uint64(0x9E3779B97F4A7C15)


def _bigram_features() -> Model[List[Doc], List[Ints2d]]:
    """Docs -> per-doc uint64 arrays with columns NORM, SHAPE, BIGRAM(prev, this)."""

    def forward(model: Model, docs: List[Doc], is_train: bool) -> Tuple[List[Ints2d], Callable]:
        out = []
        for doc in docs:
            arr = doc.to_array([NORM, SHAPE]).astype("uint64")
            norm = arr[:, 0]
            prev = numpy.empty_like(norm)
            if len(norm):
                prev[0] = _BOS
                prev[1:] = norm[:-1]
            with numpy.errstate(over="ignore"):
                bigram = (prev * _MULT) ^ norm
            out.append(model.ops.asarray2i(numpy.column_stack([norm, arr[:, 1], bigram]) if len(norm) else numpy.zeros((0, 3), dtype="uint64")))
        return out, lambda d: []

    return Model("xiang_bigram_features", forward)


#: bracket pairs -> bit of the context feature
_PAIRS = {"《": ("》", 1), "“": ("”", 2), "‘": ("’", 2), "「": ("」", 2), "（": ("）", 4), "(": (")", 4)}
_MAX_SPAN = 80  # an opening bracket without its closing one within this many characters is ignored


def bracket_context(text: str) -> List[int]:
    """Per character of ``text``: bit 1 inside 《》, 2 inside quotes, 4 inside parentheses."""
    flags = [0] * len(text)
    for i, ch in enumerate(text):
        pair = _PAIRS.get(ch)
        if pair is None:
            continue
        close, bit = pair
        j = text.find(close, i + 1, i + 1 + _MAX_SPAN)
        if j < 0:
            continue
        for k in range(i + 1, j):
            flags[k] |= bit
    return flags


def _context_features() -> Model[List[Doc], List[Ints2d]]:
    """Docs -> per-doc uint64 arrays with columns NORM, SHAPE, BIGRAM, BRACKET CONTEXT."""
    base = _bigram_features()

    def forward(model: Model, docs: List[Doc], is_train: bool) -> Tuple[List[Ints2d], Callable]:
        arrays, _ = base(docs, is_train)
        out = []
        for doc, arr in zip(docs, arrays):
            flags = bracket_context(doc.text)
            ctx = numpy.asarray([flags[t.idx] for t in doc], dtype="uint64") if len(doc) else numpy.zeros((0,), dtype="uint64")
            out.append(model.ops.asarray2i(numpy.column_stack([model.ops.to_numpy(arr), ctx]) if len(doc) else numpy.zeros((0, 4), dtype="uint64")))
        return out, lambda d: []

    return Model("xiang_context_features", forward)


def _embed(features: Model[List[Doc], List[Ints2d]], width: int, rows: List[int]) -> Model[List[Doc], List[Floats2d]]:
    """One HashEmbed per feature column (seeds 11, 12, ...), concatenated and mixed by a Maxout layer."""
    embeds = [HashEmbed(width, n, column=k, seed=11 + k, dropout=0.0) for k, n in enumerate(rows)]
    return chain(
        features,
        list2ragged(),
        with_array(concatenate(*embeds)),
        with_array(Maxout(width, len(rows) * width, nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )


@registry.architectures("xiang.CharBigramEmbed.v2")
def char_context_embed(width: int, norm_rows: int, shape_rows: int, bigram_rows: int, context_rows: int = 16) -> Model[List[Doc], List[Floats2d]]:
    """v1 plus the bracket-context column (see module docstring)."""
    return _embed(_context_features(), width, [norm_rows, shape_rows, bigram_rows, context_rows])


@registry.architectures("xiang.CharBigramEmbed.v1")
def char_bigram_embed(width: int, norm_rows: int, shape_rows: int, bigram_rows: int) -> Model[List[Doc], List[Floats2d]]:
    """Embed characters from NORM, SHAPE and the left bigram (see module docstring)."""
    return _embed(_bigram_features(), width, [norm_rows, shape_rows, bigram_rows])
