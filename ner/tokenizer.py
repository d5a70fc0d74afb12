"""Character tokenizer: every non-space character is a token, so entity boundaries are exact.

A single ASCII space after a character becomes that token's trailing whitespace; any other run of
whitespace (line breaks, several spaces, the ideographic space) becomes one whitespace token, as in
spaCy's own tokenizers. ``Token.norm_`` carries the model-side normalised character (see
:mod:`ner.text.charmap`), set through the vocab's NORM getter so that it costs nothing per token.
"""
from __future__ import annotations

import re
from typing import Any, Callable, List

from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .text.charmap import normalize_char, normalize_chars


# ``\s`` in a str pattern is exactly ``str.isspace``
_WHITESPACE = re.compile(r"\s")
_WHITESPACE_RUN = re.compile(r"(\s+)")

#: ``doc.user_data`` key of the text the tokenizer was given (see :func:`doc_text`)
TEXT_KEY = "xiang.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, from the copy the character tokenizer keeps: spaCy rebuilds ``doc.text`` from every
    token on each access, which cost three components about a tenth of extraction time. Tokens never
    change a Doc's text (retokenizing keeps it), so the copy stays right; other docs fall back."""
    text = doc.user_data.get(TEXT_KEY)
    if isinstance(text, str) and len(doc) and len(text) == doc[-1].idx + len(doc[-1].text_with_ws):
        return text
    return doc.text


def _norm(string: str) -> str:
    return normalize_chars(string)


class CharTokenizer:
    """Split text into single-character tokens and whitespace tokens."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        vocab.lex_attr_getters[NORM] = _norm

    def __call__(self, text: str) -> Doc:
        words: List[str] = []
        spaces: List[bool] = []
        # runs of characters at even places, whitespace runs (maximal) at odd places
        for k, piece in enumerate(_WHITESPACE_RUN.split(text) if _WHITESPACE.search(text) else (text,)):
            if not piece:
                continue
            if k % 2 == 0:
                words.extend(piece)
                spaces.extend([False] * len(piece))
            elif piece[0] == " " and words:  # one ASCII space after a character is its trailing whitespace
                spaces[-1] = True
                if len(piece) > 1:
                    words.append(piece[1:])
                    spaces.append(False)
            else:
                words.append(piece)
                spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Any, batch_size: int = 1000) -> Any:
        for text in texts:
            yield self(text)

    # The tokenizer has no state of its own; these keep spaCy's serialisation happy.
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> "CharTokenizer":
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> "CharTokenizer":
        return self


@registry.tokenizers("xiang.char_tokenizer.v1")
def create_char_tokenizer() -> Callable[[Language], CharTokenizer]:
    """Config entry: ``[nlp.tokenizer] @tokenizers = "xiang.char_tokenizer.v1"``."""

    def make(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return make


__all__ = ["CharTokenizer", "create_char_tokenizer", "normalize_char"]
