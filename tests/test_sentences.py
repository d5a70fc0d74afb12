"""Sentence and clause segmentation (ner.text.sentences)."""
from __future__ import annotations

from ner.text.sentences import guideline_sentences, locate, same_sentence, sentence_texts, split_clauses, split_sentences


def test_final_marks_and_closing_quotes() -> None:
    text = "他说：“今年贷款增长很快。”随后离开了会场！真的吗?是的"
    assert sentence_texts(text, split_sentences(text)) == ["他说：“今年贷款增长很快。”", "随后离开了会场！", "真的吗?", "是的"]


def test_offsets_are_into_the_original_string() -> None:
    text = "  第一句。  第二句！"
    for a, b in split_sentences(text):
        assert text[a:b].strip() == text[a:b]
    assert sentence_texts(text, split_sentences(text)) == ["第一句。", "第二句！"]


def test_line_breaks_end_sentences_by_default() -> None:
    text = "标题一行\n正文第一句，没有句号\n第二行"
    assert sentence_texts(text, split_sentences(text)) == ["标题一行", "正文第一句，没有句号", "第二行"]
    assert len(split_sentences(text, line_breaks="ignore")) == 1


def test_smart_line_breaks_keep_wrapped_running_text() -> None:
    text = "短标题\n\n某某银行今年以来持续加大投入，为当地企业提供\n\n资金支持。下一句。"
    got = sentence_texts(text, split_sentences(text, line_breaks="smart"))
    assert got[0] == "短标题"
    assert got[1].startswith("某某银行") and got[1].endswith("资金支持。")
    # a one-character fragment before a comma finishes the word of the previous line
    text2 = "某某产业集\n\n群，发展很快。"
    assert len(split_sentences(text2, line_breaks="smart")) == 1


def test_clauses_and_brackets() -> None:
    text = "一是加大投放；二是优化服务，提升效率（试点）。"
    assert sentence_texts(text, split_clauses(text)) == ["一是加大投放；", "二是优化服务，", "提升效率（试点）。"]
    assert sentence_texts(text, split_sentences(text)) == [text]


def test_same_sentence_and_locate() -> None:
    text = "甲银行向乙企业放贷。丙公司也获益。"
    assert same_sentence(text, (0, 3), (5, 7))
    assert not same_sentence(text, (0, 3), (10, 13))
    sents = guideline_sentences(text)
    assert locate(sents, 11) == 1 and locate(sents, 0) == 0


def test_empty_and_whitespace() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []
