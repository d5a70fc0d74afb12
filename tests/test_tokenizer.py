"""The character tokenizer: one token per character, whitespace runs as tokens, a single space trailing."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.vocab import Vocab

from ner.tokenizer import CharTokenizer, doc_text

_TOKENIZER = CharTokenizer(Vocab())
# characters, ASCII and other whitespace (the ideographic space, no-break space, line breaks, tabs)
_TEXT = st.text(alphabet=st.sampled_from(list("银行a1,“") + [" ", "\n", "\t", "\u3000", "\xa0", "\r"]), max_size=30)


def _tokens(text: str):
    return [(t.text, t.whitespace_) for t in _TOKENIZER(text)]


def test_examples() -> None:
    assert _tokens("长沙 银行") == [("长", ""), ("沙", " "), ("银", ""), ("行", "")]
    assert _tokens("长沙  银行\n") == [("长", ""), ("沙", " "), (" ", ""), ("银", ""), ("行", ""), ("\n", "")]
    assert _tokens(" 长沙\u3000\n记者") == [(" ", ""), ("长", ""), ("沙", ""), ("\u3000\n", ""), ("记", ""), ("者", "")]
    assert _tokens("a \n") == [("a", " "), ("\n", "")]
    assert _tokens("") == []


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_tokens_rebuild_the_text_and_split_every_character(text: str) -> None:
    doc = _TOKENIZER(text)
    assert doc.text == text and doc_text(doc) == text
    for tok in doc:
        assert len(tok.text) == 1 and not tok.text.isspace() or tok.text.isspace()  # a character or a whitespace run
        assert tok.whitespace_ in ("", " ")
        if tok.whitespace_:
            assert not tok.text.isspace()  # only a character carries a trailing space
    for a, b in zip(doc, doc[1:]):
        assert not (a.text.isspace() and b.text.isspace())  # whitespace runs are whole
        if not a.text.isspace() and not a.whitespace_:
            assert not b.text.startswith(" ")  # a space right after a character trails it
