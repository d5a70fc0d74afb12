"""People after a title, and a document's repeated names (``ner.components.person_names``), on self-written text."""
from __future__ import annotations

from typing import Any, List, Tuple

import pytest

from ner.components.person_names import titled_names, with_named_people


def names_after_titles(text: str) -> List[str]:
    return [text[s:e] for s, e in titled_names(text)]


@pytest.mark.parametrize("text, expected", [
    ("市财政局局长笪乘胜，副局长王明出席会议。", ["笪乘胜", "王明"]),
    ("最高人民检察院检察长应勇作报告。", ["应勇"]),
    ("该公司董事长欧阳晓峰表示，将扩大投资。", ["欧阳晓峰"]),
    ("县委书记李红在会上说。", ["李红"]),
])
def test_a_name_after_a_title(text: str, expected: List[str]) -> None:
    assert names_after_titles(text) == expected


@pytest.mark.parametrize("text", [
    "总书记强调，要抓好落实。",           # a verb after the title, not a name (not_names)
    "该行行长表示，贷款已发放。",         # 表 is no surname
    "其他成员国一道推动合作。",           # 成员 is left out of the titles
    "镇长王小明华在开会",                 # no character that follows names within three characters
    "局长",                               # the text ends at the title
    "学习总书记关于加强作风建设的论述。",   # 关 is a surname, but 关于 a common word (word_stoplists)
    "看到总书记来了，群众欢呼。",         # 来 is mostly a verb, never a name's first character here
    "请有关部门负责人和专家，介绍情况。", # 和 is mostly a conjunction
    "这几天，记者来到一家企业。",
])
def test_no_name_after_a_title(text: str) -> None:
    assert names_after_titles(text) == []


def span_of(text: str, surface: str, label: str, nth: int = 0) -> Tuple[int, int, str]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return (start, start + len(surface), label)


def test_a_tagged_name_is_a_person_at_its_other_mentions() -> None:
    text = "馆长方勤介绍了情况。方勤带着同事值守，方勤还组织直播。"
    tagged = [span_of(text, "方勤", "PERSON", 1)]
    out = with_named_people(text, tagged)
    assert [(text[s:e], l) for s, e, l in out] == [("方勤", "PERSON")] * 3
    assert out == sorted(out)


def test_names_do_not_spread_over_other_entities_or_latin_names() -> None:
    text = "张华集团宣布，张华出席。Nufarm表示，Nufarm将扩产。"
    tagged = [span_of(text, "张华集团", "ORG"), span_of(text, "张华", "PERSON", 1), span_of(text, "Nufarm", "PERSON")]
    out = with_named_people(text, tagged)
    # the ORG keeps its characters; a Latin name stays where the model put it
    assert out == sorted(tagged)


def test_a_common_word_tagged_person_is_not_spread() -> None:
    """A stray PERSON that is a common word (the model's error) stays one error, not one per mention."""
    text = "人大代表发言。代表们表示，代表建议很好。"
    tagged = [span_of(text, "代表", "PERSON", 1)]
    assert with_named_people(text, tagged) == tagged


def test_the_stoplists_are_read_off_people_daily_and_keep_real_surnames() -> None:
    from ner.components.person_names import _data
    d = _data()
    assert {"和", "都", "来", "向"} <= d.ambiguous_surnames
    assert not {"王", "李", "应", "信", "曾", "于"} & d.ambiguous_surnames  # 检察长应勇, 副委员长信春鹰
    assert {"关于", "代表", "来到", "单位"} <= d.common_words
    assert names_after_titles("全国人大常委会副委员长信春鹰主持会议。") == ["信春鹰"]


def test_nothing_to_add_returns_the_spans_sorted() -> None:
    text = "银行发放贷款。"
    spans = [(4, 6, "SECTOR"), (0, 2, "ORG")]
    assert with_named_people(text, spans) == sorted(spans)


def test_crf_ner_adds_people_unless_told_not_to(default_nlp: Any, crf_ents: Any) -> None:
    """The ``people`` setting of ``crf_ner``: on by default, off keeps the model's tags."""
    text = "县长李红介绍，李红表示要加快发展。"
    assert default_nlp.get_pipe("crf_ner").people is True
    assert crf_ents(text, []) == [(2, "李红", "PERSON"), (7, "李红", "PERSON")]
    assert crf_ents(text, [], people=False) == []


def test_the_shipped_stoplists_are_what_the_builder_writes(tmp_path: Any) -> None:
    """``data/word_stoplists.jsonl`` is reproduced from People's Daily by its script (one source)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "stop.jsonl"
    subprocess.run([sys.executable, str(root / "training/build_name_stoplists.py"), "-o", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (root / "ner/components/data/word_stoplists.jsonl").read_bytes()
