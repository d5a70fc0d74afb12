"""Quoted programme names (``ner.components.quoted_names``), on self-written text."""
from __future__ import annotations

from typing import Any, List

import pytest

from ner.components.quoted_names import quoted_programmes, titled_programmes, with_quoted_programmes
from ner.text.charmap import pair_straight_quotes


def names(text: str) -> List[str]:
    return [text[s:e] for s, e in quoted_programmes(text)]


@pytest.mark.parametrize("text, expected", [
    ("县里推行“三访三问”工作法，效果明显。", ["“三访三问”工作法"]),
    ("镇上开展“邻里守望”活动和“一村一品”行动。", ["“邻里守望”活动", "“一村一品”行动"]),
    ("为企业量身定制“一企一策”的数字化转型方案。", ["“一企一策”的数字化转型方案"]),  # 的 and modifiers
    ("构建“校、企、银”三方合作体系。", ["“校、企、银”三方合作体系"]),  # a 、 inside the quotes
])
def test_a_quoted_name_with_a_programme_head(text: str, expected: List[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "推广“露营+咖啡”等新模式。",           # 等: examples of a kind, not a name
    "编制“十五五”实施方案。",               # a five-year period (decision 4)
    "打造“金名片”，吸引游客。",             # no programme head
    "他说“要抓紧”，随后召开会议。",          # a quote ends the clause
    "坚持“增收致富”这一长期坚持的重要政策。",  # more than six characters between the quote and the head
])
def test_no_quoted_programme(text: str) -> None:
    assert names(text) == []


def titles(text: str) -> List[str]:
    return [text[s:e] for s, e in titled_programmes(text)]


@pytest.mark.parametrize("text, expected", [
    ("省政府印发《关于支持县域特色产业发展的若干措施》。", ["关于支持县域特色产业发展的若干措施"]),
    ("市里出台《优化营商环境实施方案》和《乡村振兴五年规划》。", ["优化营商环境实施方案", "乡村振兴五年规划"]),
    ("《关于做好“一村一品”工作的通知》要求各地落实。", ["关于做好“一村一品”工作的通知"]),
])
def test_a_policy_title(text: str, expected: List[str]) -> None:
    assert titles(text) == expected


@pytest.mark.parametrize("text", [
    "审议《城市绿化条例》。",            # a regulation
    "听取《政府工作报告》。",            # a report (decision 20)
    "学习《纲要》精神。",                # the five-year outline (decision 4)
    "简称《方案》。",                    # too short to stand alone: the model decides (decision 3)
    "他在《人民日报》发表文章。",        # a newspaper
])
def test_no_policy_title(text: str) -> None:
    assert titles(text) == []


def test_a_title_replaces_the_names_inside_it() -> None:
    text = "国务院印发《国务院关于促进外贸稳定增长的意见》。"
    inner = [(text.index("国务院关于"), text.index("国务院关于") + 3, "ORG"), (0, 3, "ORG")]
    out = with_quoted_programmes(text, inner)
    start = text.index("《") + 1
    assert out == [(0, 3, "ORG"), (start, text.index("》"), "PROGRAMME")]


def test_straight_quotes_pair_up_first() -> None:
    text = pair_straight_quotes('该县创新推行"三亲"工作法,成效明显。')
    assert names(text) == ["“三亲”工作法"]


def test_spans_inside_give_way_and_crossing_spans_win() -> None:
    text = "县里推行“三访三问”工作法，开展“邻里守望”活动。"
    inner = (text.index("三访"), text.index("三访") + 4, "PROGRAMME")  # the model kept the quoted part only
    place = (0, 1, "LOC")
    first = text.index("“三访")
    second = text.index("“邻里")
    crossing = (second + 1, second + 9, "SECTOR")  # 邻里守望”活动。: runs past the name's end
    out = with_quoted_programmes(text, [crossing, inner, place])
    assert (first, first + 9, "PROGRAMME") in out and inner not in out
    assert crossing in out and all(s != second for s, _, _ in out)
    assert place in out and out == sorted(out)


def test_crf_ner_adds_quoted_names_unless_told_not_to(default_nlp: Any, crf_ents: Any) -> None:
    """The ``quoted`` setting of ``crf_ner``: on by default, off keeps the model's tags."""
    text = "县里推行“三访三问”工作法，效果明显。"
    assert default_nlp.get_pipe("crf_ner").quoted is True
    assert crf_ents(text, []) == [(4, "“三访三问”工作法", "PROGRAMME")]
    assert crf_ents(text, [], quoted=False) == []
