"""Property test: whatever the text, cleaned articles map back to the original characters."""
from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ner.text.articles import split_articles

ALPHABET = st.sampled_from(list("湘江银行贷款万元，。！？、：；“”（）() \n\n\t\u3000记者通讯员摄讯1234５６ABc-—") + ["\r\n", "  ", "\n\n\n"])


@settings(max_examples=150, deadline=None)
@given(st.lists(ALPHABET, max_size=120).map("".join))
def test_articles_map_back_to_original(text: str) -> None:
    arts = split_articles(text)
    for a in arts:
        assert len(a.offsets) == len(a.text)
        prev = -1
        for i, ch in enumerate(a.text):
            s, e = a.to_original(i, i + 1)
            assert text[s:e] == ch  # every kept character is the original one
            assert s > prev  # in order, never duplicated
            prev = s
        assert a.start <= (a.offsets.positions[0] if len(a.text) else a.start)
    # articles do not overlap and keep their order
    for x, y in zip(arts, arts[1:]):
        assert x.end <= y.start


@settings(max_examples=40, deadline=None)
@given(st.lists(ALPHABET | st.characters(codec="utf-8"), max_size=80).map("".join))
def test_pipeline_offsets_valid_on_any_text(default_nlp: Any, text: str) -> None:
    from ner.inputs import InputRecord
    from ner.pipeline import extract_records

    (rec,) = list(extract_records(default_nlp, [InputRecord("x", text)]))
    assert rec["text"] == text
    for e in rec["ents"]:
        assert text[e["start"] : e["end"]] == e["text"] and e["start"] < e["end"]
    for r in rec["relations"]:
        for side in ("head", "tail"):
            assert text[r[side]["start"] : r[side]["end"]] == r[side]["text"]
