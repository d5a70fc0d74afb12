"""Spans no name can be (ner/components/span_limits.py): too long for their label, or across a sentence end."""
from typing import List

import numpy as np

import ner  # noqa: F401  (registers the factories)
from ner.components.crf_compiled import CompiledCRF
from ner.components.span_limits import invalid_spans, span_length, span_limits, tags_within_limits

LABELS = ["O"] + [f"{p}-{l}" for l in ("PROGRAMME", "PERSON") for p in "BILU"]


def _crf() -> CompiledCRF:
    return CompiledCRF.from_weights(LABELS, {}, {})


def _scores(n: int, programme: float, person: float) -> np.ndarray:
    """Emission scores of ``n`` characters: one PROGRAMME over all (score ``programme`` a character),
    or three-character PERSON names (``person``), or O (0)."""
    x = np.zeros((n, len(LABELS)))
    col = {t: k for k, t in enumerate(LABELS)}
    x[0, col["B-PROGRAMME"]] = x[n - 1, col["L-PROGRAMME"]] = programme
    x[1:n - 1, col["I-PROGRAMME"]] = programme
    for i in range(n):
        x[i, col[("B-PERSON", "I-PERSON", "L-PERSON")[i % 3]]] = person
    return x


def _spans(crf: CompiledCRF, text: str, ids: np.ndarray) -> List[tuple]:
    from ner.baselines.crf import sparse_tags_to_spans
    return sparse_tags_to_spans(crf.tagged(ids), text)


def test_lengths_count_a_latin_word_as_one() -> None:
    assert span_length("中国人民银行") == 6
    assert span_length("Francois Villeroy de Galhau") == 4
    assert span_length("ADP公司") == 3


def test_too_long_and_sentence_crossing_spans_are_invalid() -> None:
    limits, never, _ = span_limits()
    text = "甲" * (limits["PROGRAMME"] + 1) + "乙；丙"
    n = limits["PROGRAMME"] + 1
    assert invalid_spans(text, [(0, n, "PROGRAMME")]) == [(0, n, "PROGRAMME")]
    assert invalid_spans(text, [(0, n - 1, "PROGRAMME")]) == []
    assert invalid_spans(text, [(n, n + 3, "ORG")]) == [(n, n + 3, "ORG")]
    assert "；" in never and "。" in never


def test_a_name_list_read_as_one_programme_is_read_again_as_names() -> None:
    crf = _crf()
    text = "李" * 60  # the characters do not matter: the scores are given
    x = _scores(60, programme=1.0, person=0.9)
    best = crf.viterbi_one(x)
    assert _spans(crf, text, best) == [(0, 60, "PROGRAMME")]  # the best path: one 60-character programme
    fixed = tags_within_limits(crf, text, best, lambda: x)
    assert _spans(crf, text, fixed) == [(i, i + 3, "PERSON") for i in range(0, 60, 3)]


def test_a_valid_path_is_left_alone_and_scores_are_not_computed() -> None:
    crf = _crf()
    text = "李" * 12
    x = _scores(12, programme=1.0, person=0.9)
    best = crf.viterbi_one(x)

    def no_scores() -> np.ndarray:
        raise AssertionError("emissions computed for a valid path")

    assert tags_within_limits(crf, text, best, no_scores) is best


def test_a_name_is_not_read_across_a_sentence_end() -> None:
    crf = _crf()
    text = "甲乙丙丁；戊己庚辛"
    x = _scores(len(text), programme=1.0, person=-5.0)
    best = crf.viterbi_one(x)
    assert _spans(crf, text, best) == [(0, 9, "PROGRAMME")]
    fixed = _spans(crf, text, tags_within_limits(crf, text, best, lambda: x))
    assert all("；" not in text[s:e] for s, e, _ in fixed)


def test_the_pipeline_reads_an_unseparated_name_list_as_names() -> None:
    """Invented names printed without separators: the model's best path reads most of them as one
    PROGRAMME longer than any programme; with the limits (the default) they come out as names."""
    names = "王建国李红梅张志强刘德胜陈晓东杨光明赵文华黄海涛周立新吴春花徐国庆孙明辉马玉兰朱永强胡建平郭志刚林秀英何德明高峰罗志勇"
    text = "委员：" + names * 2 + "。"
    limits, _, _ = span_limits()
    plain = ner.load(config={"components": {"crf_ner": {"limits": False}}})
    assert plain.get_pipe("crf_ner").limits is False
    before = plain(text).ents
    assert any(len(e.text) > limits[e.label_] for e in before)  # what the setting is for
    nlp = ner.load()
    assert nlp.get_pipe("crf_ner").limits is True
    ents = nlp(text).ents
    assert all(span_length(e.text) <= limits[e.label_] for e in ents)
    assert sum(e.label_ == "PERSON" for e in ents) >= sum(e.label_ == "PERSON" for e in before) + 10
