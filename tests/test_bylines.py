"""Names in bylines and photo credits (GUIDELINES: bylines and credits count)."""
from __future__ import annotations

from typing import Any, List

import pytest

from ner.components.bylines import byline_people


def names(text: str) -> List[str]:
    return [text[s:e] for s, e in byline_people(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("湘江日报全媒体记者 李明远 王小燕 通讯员 周凯 欧阳倩\n正文开始", ["李明远", "王小燕", "周凯", "欧阳倩"]),
        ("(全媒体记者 赵一鸣 通讯员 钱多 孙静)银行业是支柱", ["赵一鸣", "钱多", "孙静"]),
        ("陈立新 摄(湘江图片库)", ["陈立新"]),
        ("游客前来观赏。陈立新摄(湘江图片库)", ["陈立新"]),  # cleaned text has lost the space
        ("本报记者 王伟 北京报道", ["王伟"]),  # 北京报道 ends the byline
        ("记者 张三 李四 通讯员 刘五 摄影报道  引导青年", ["张三", "李四", "刘五"]),
    ],
)
def test_names_in_bylines_and_credits_are_found(text: str, expected: List[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "记者 了解到，今年全省新增贷款3000亿元。",  # running text after the role word
        "记者从省工信厅获悉，新政策下月实施。",
        "他在记者会上说 张三 李四 都来了",  # no role word right before the names
        "记者 张三李四王五赵六",  # not a name of two to four characters
        "他们正在拍摄(见图)",
    ],
)
def test_running_text_is_not_a_byline(text: str) -> None:
    assert names(text) == []


def test_the_component_puts_byline_names_in_place_of_what_the_model_made_of_them(crf_ents: Any) -> None:
    text = "湘江日报全媒体记者 李明远 欧阳倩 通讯员 周凯\n湘江银行今年放贷3亿元。"
    o = text.index("欧阳倩")
    tags = [(o, "B-LOC"), (o + 1, "L-LOC")]  # the model read 欧阳 as a place
    assert [(t, label) for _, t, label in crf_ents(text, tags)] == [("李明远", "PERSON"), ("欧阳倩", "PERSON"), ("周凯", "PERSON")]
    assert [(t, label) for _, t, label in crf_ents(text, tags, bylines=False)] == [("欧阳", "LOC")]
