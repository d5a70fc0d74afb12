"""Enumerations: untagged items of a 、 list after a tagged SECTOR take its label."""
from __future__ import annotations

from typing import Any, List, Tuple

import pytest

from ner.components.list_items import complete_lists, list_labels


def span_of(text: str, surface: str, label: str) -> Tuple[int, int, str]:
    start = text.index(surface)
    return (start, start + len(surface), label)


def completed(text: str, tagged: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    spans = sorted(span_of(text, s, l) for s, l in tagged)
    return [(text[s:e], l) for s, e, l in complete_lists(text, spans)]


def test_the_shipped_labels_are_sector() -> None:
    assert list_labels() == frozenset({"SECTOR"})


@pytest.mark.parametrize(
    "text, tagged, expected",
    [
        # items after the tagged one, up to 等
        ("该市发展光伏、储能、氢燃料电池等产业。", [("光伏", "SECTOR")],
         [("光伏", "SECTOR"), ("储能", "SECTOR"), ("氢燃料电池", "SECTOR")]),
        # a list closed by 和: the final item too
        ("贷款投向茶叶、油茶和中药材。", [("茶叶", "SECTOR")],
         [("茶叶", "SECTOR"), ("油茶", "SECTOR"), ("中药材", "SECTOR")]),
        # a tagged item in the middle: walking on from it
        ("支持稻谷、小麦、玉米，保障供应。", [("稻谷", "SECTOR"), ("小麦", "SECTOR")],
         [("稻谷", "SECTOR"), ("小麦", "SECTOR"), ("玉米", "SECTOR")]),
    ],
)
def test_untagged_items_take_the_label(text: str, tagged: List[Tuple[str, str]], expected: List[Tuple[str, str]]) -> None:
    assert completed(text, tagged) == expected


@pytest.mark.parametrize(
    "text, tagged",
    [
        # an item of another label stops the walk and keeps its label
        ("覆盖农户、湘潭、小微企业等。", [("农户", "SECTOR"), ("湘潭", "LOC")]),
        # an item with a function word is not a name
        ("服务农户、帮助他们的产业发展。", [("农户", "SECTOR")]),
        # no 、 after the tagged item: not a list
        ("支持农户发展生产，银行很积极。", [("农户", "SECTOR")]),
        # the next item has no certain right edge within eight characters
        ("支持农户、种植大户新型农业经营主体专业合作社发展。", [("农户", "SECTOR")]),
        # items before the tagged one have no certain left edge
        ("大力发展新材料、光伏。", [("光伏", "SECTOR")]),
        # labels outside the list labels are left as they are
        ("长沙、株洲、湘潭三市。", [("长沙", "LOC")]),
    ],
)
def test_nothing_is_added(text: str, tagged: List[Tuple[str, str]]) -> None:
    assert completed(text, tagged) == sorted(((s, l) for s, l in tagged), key=lambda x: text.index(x[0]))


def test_spans_are_returned_sorted_and_unchanged_when_nothing_is_added() -> None:
    text = "新能源、新材料等产业"
    spans = [(0, 3, "SECTOR"), (4, 7, "SECTOR")]
    assert complete_lists(text, spans) == spans


def test_crf_ner_completes_lists_unless_told_not_to(default_nlp: Any, crf_ents: Any) -> None:
    """The ``lists`` setting of ``crf_ner``: on by default, off keeps the model's tags."""
    text = "贷款投向茶叶、油茶等产业。"
    assert default_nlp.get_pipe("crf_ner").lists is True
    tags = [(4, "B-SECTOR"), (5, "L-SECTOR")]
    assert [(t, label) for _, t, label in crf_ents(text, tags)] == [("茶叶", "SECTOR"), ("油茶", "SECTOR")]
    assert [t for _, t, _ in crf_ents(text, tags, lists=False)] == ["茶叶"]
