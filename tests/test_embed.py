"""Character embedding features: the bracket-context column of xiang.CharBigramEmbed.v2."""
from __future__ import annotations

from ner.components.embed import bracket_context, char_context_embed
from ner.tokenizer import CharTokenizer

import spacy


def test_bracket_context_marks_inside_titles_quotes_and_parentheses() -> None:
    text = "印发《关于A的意见》，推出“一企一策”（试行）。"
    flags = dict(zip(range(len(text)), bracket_context(text)))
    assert flags[text.index("关")] == 1 and flags[text.index("见")] == 1
    assert flags[text.index("《")] == 0 and flags[text.index("》")] == 0
    assert flags[text.index("企")] == 2
    assert flags[text.index("试")] == 4
    assert flags[text.index("推")] == 0


def test_nested_and_unclosed_brackets() -> None:
    text = "《关于“双碳”的方案》“未闭合"
    flags = bracket_context(text)
    assert flags[text.index("双")] == 1 | 2  # inside both
    assert flags[text.index("未")] == 0  # an opening quote that never closes marks nothing


def test_v2_embedding_shapes() -> None:
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    docs = [nlp("工商银行推出“信用贷”。"), nlp("")]
    model = char_context_embed(width=8, norm_rows=50, shape_rows=10, bigram_rows=50, context_rows=8)
    model.initialize(X=docs)
    out = model.predict(docs)
    assert out[0].shape == (len(docs[0]), 8) and out[1].shape == (0, 8)


def test_doc_text_copy_is_used_and_checked() -> None:
    from ner.tokenizer import TEXT_KEY, doc_text

    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    doc = nlp("湘江银行 向  小微企业\n放贷。")
    assert doc.user_data[TEXT_KEY] == doc.text and doc_text(doc) == doc.text
    doc.user_data[TEXT_KEY] = "短"  # a stale copy is never used
    assert doc_text(doc) == doc.text
