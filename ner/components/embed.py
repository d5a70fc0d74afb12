"""Character embeddings with a bigram feature, for character-level NER.

Each character is embedded from its normalised form, its shape and the (previous character,
character) bigram, all hashed (``HashEmbed``), then mixed by a Maxout layer — spaCy's
``MultiHashEmbed`` plus a bigram column. Bigrams give a character model some of the word-boundary
knowledge a segmenter would, at the cost of one more table lookup per character.
"""
from typing import Callable, List, Tuple

import numpy
from spacy.attrs import NORM, SHAPE
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d, Ragged

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


@registry.architectures("xiang.CharBigramEmbed.v1")
def char_bigram_embed(width: int, norm_rows: int, shape_rows: int, bigram_rows: int) -> Model[List[Doc], List[Floats2d]]:
    """Embed characters from NORM, SHAPE and the left bigram (see module docstring)."""
    embeds = [
        HashEmbed(width, norm_rows, column=0, seed=11, dropout=0.0),
        HashEmbed(width, shape_rows, column=1, seed=12, dropout=0.0),
        HashEmbed(width, bigram_rows, column=2, seed=13, dropout=0.0),
    ]
    return chain(
        _bigram_features(),
        list2ragged(),
        with_array(concatenate(*embeds)),
        with_array(Maxout(width, 3 * width, nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
