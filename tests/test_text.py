"""Normalisation, article splitting and offset maps (self-written text and the seed page)."""
from __future__ import annotations

import random

import pytest

from ner.inputs import InputRecord
from ner.pipeline import extract_records
from ner.settings import corpus_path
from ner.text.articles import split_articles
from ner.text.charmap import normalize_chars, pair_straight_quotes
from ner.text.normalize import clean_region, is_byline, is_heading, should_join
from ner.text.offsets import OffsetMap

CLEAN_ARTICLE = (
    "湘江银行推出稻虾贷\n\n"
    "近日，湘江银行岳阳分行推出“稻虾贷”，面向稻虾养殖户提供信用贷款。\n"
    "该行行长陈立新介绍，今年将新增涉农贷款20亿元。\n"
)


def _squash(s: str) -> str:
    return "".join(s.split())


def test_clean_article_passes_unchanged() -> None:
    clean, omap = clean_region(CLEAN_ARTICLE)
    assert clean == CLEAN_ARTICLE
    assert list(omap.positions) == list(range(len(CLEAN_ARTICLE)))
    arts = split_articles(CLEAN_ARTICLE)
    assert len(arts) == 1 and arts[0].text == CLEAN_ARTICLE


def test_pdf_line_breaks_and_stray_spaces_removed() -> None:
    page = "近日，湘江银行岳阳分行联合市农业农村局推出专属信贷产 品，面向全市养殖户提供最高\n\n额度 50 万元的信用贷款，有效缓解融资难问题。\n"
    clean, omap = clean_region(page)
    assert "产品" in clean and "最高额度50万元" in clean
    start = clean.index("最高额度")
    s, e = omap.to_original(start, start + 8)
    assert page[s:e] == "最高\n\n额度 50 万元"


def test_titles_and_bylines_not_joined() -> None:
    assert not should_join("湘江银行推出稻虾贷", "本报记者 周明远 通讯员 刘晓岚")
    assert not should_join("稻虾产业迎来春天", "近日，湘江银行岳阳分行推出稻虾贷。")
    assert should_join("湘江银行岳阳分行党委高度重视金融服务工", "作,始终将支持农户作为重点")
    assert is_byline("本报记者 周明远 通讯员 刘晓岚")
    assert is_heading("湘江银行推出稻虾贷")


def test_byline_spaces_kept() -> None:
    page = "本报记者 周明远 通讯员 刘晓岚\n\n近日，湘江银行岳阳分行推出稻虾贷，面向全市稻虾养殖户提供信用贷款。\n"
    clean, _ = clean_region(page)
    assert "周明远 通讯员 刘晓岚" in clean


def test_spaces_between_listed_names_kept_artefact_spaces_dropped() -> None:
    page = (
        "经研究，以下同志拟确定为全省优秀共产党员，现予公示。名单如下：王建国 李明华 张晓燕（女） 刘德胜 "
        "帕巴拉·格列朗杰 周建军\n"
        "公示期间，如对公示对象有意见，请向市委组织部反映，联系电 话由市委组织部另行公布。\n"
    )
    clean, omap = clean_region(page)
    assert "王建国 李明华 张晓燕（女） 刘德胜 帕巴拉·格列朗杰 周建军" in clean
    assert "联系电话" in clean  # the stray space inside 电 话 still goes
    start = clean.index("刘德胜")
    assert page[slice(*omap.to_original(start, start + 3))] == "刘德胜"


def test_listed_names_stay_apart_for_the_entity_model(default_nlp) -> None:
    page = (
        "经研究，以下同志拟确定为全省优秀共产党员，现予公示。名单如下：王建国 李明华 张晓燕 刘德胜 陈志强 "
        "杨秀英 赵立新 周建军 吴桂芳\n"
    )
    (rec,) = extract_records(default_nlp, [InputRecord("names", page)])
    people = [e["text"] for e in rec["ents"] if e["label"] == "PERSON"]
    assert all(" " not in name for name in people)
    assert {"王建国", "刘德胜", "陈志强", "吴桂芳"} <= set(people)


def test_page_split_into_articles_with_titles() -> None:
    page = (
        "稻虾贷助农增收\n\n本报记者 周明远\n\n近日，湘江银行推出稻虾贷，支持农户发展。\n\n\n\n"
        "园区建设提速\n\n本报记者 刘晓岚\n\n岳阳经开区新签约项目12个，总投资80亿元。\n"
    )
    arts = split_articles(page)
    assert [a.title for a in arts] == ["稻虾贷助农增收", "园区建设提速"]
    assert [a.byline for a in arts] == ["本报记者 周明远", "本报记者 刘晓岚"]
    for a in arts:
        assert page[a.start : a.end].strip().startswith(a.title)


def test_offset_map_slice_and_bounds() -> None:
    m = OffsetMap.identity(10, 20)
    assert m.to_original(2, 5) == (12, 15)
    assert m.slice(3, 6).to_original(0, 3) == (13, 16)
    with pytest.raises(IndexError):
        m.to_original(5, 11)


def test_charmap_keeps_length() -> None:
    src = "交通銀行ＡＢＣ１２３　湖南"
    out = normalize_chars(src)
    assert len(out) == len(src)
    assert out == "交通银行abc123 湖南"


def test_seed_page_articles_map_back() -> None:
    page = corpus_path("corpora/seed/hunan-daily-page.txt").read_text(encoding="utf-8")
    arts = split_articles(page)
    assert len(arts) >= 7
    titles = " ".join(a.title or "" for a in arts)
    assert "长沙产业集群大放异彩" in titles and "湖南农信在行动" in titles
    rng = random.Random(0)
    for a in arts:
        assert _squash(page[a.start : a.end]) == _squash(a.text)
        for _ in range(300):
            s = rng.randrange(max(1, len(a.text)))
            e = min(len(a.text), s + rng.randrange(1, 12))
            os_, oe = a.to_original(s, e)
            assert _squash(page[os_:oe]) == _squash(a.text[s:e])


@pytest.mark.parametrize(
    "text, expected",
    [
        ('推行"三亲"工作法和"四下基层"制度', "推行“三亲”工作法和“四下基层”制度"),
        ('＂双减＂政策', "“双减”政策"),  # full-width straight quotes too
        ('第一行"甲"\n第二行只有一个"', '第一行“甲”\n第二行只有一个"'),  # an odd line is left alone
        ("没有引号", "没有引号"),
        ("“已是弯引号”", "“已是弯引号”"),
    ],
)
def test_straight_quotes_are_paired_as_curly_ones_line_by_line(text: str, expected: str) -> None:
    out = pair_straight_quotes(text)
    assert out == expected and len(out) == len(text)


def test_the_entity_model_reads_straight_quotes_as_curly_ones(default_nlp) -> None:
    """The same name in straight and in curly quotes gets the same entities at the same offsets."""
    curly = "衡南县推行“三亲”工作法，湖南银行推出“潇湘快贷”产品。"
    straight = curly.replace("“", '"').replace("”", '"')
    ents = lambda text: [(e.start_char, e.end_char, e.label_) for e in default_nlp(text).ents]  # noqa: E731
    assert ents(straight) == ents(curly)
    assert any(label == "PROGRAMME" for _, _, label in ents(curly))
