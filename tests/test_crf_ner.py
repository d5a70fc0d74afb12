"""The ``crf_ner`` component: a character CRF as the pipeline's entity recogniser (tiny model trained here)."""
from __future__ import annotations

from pathlib import Path

from typing import Any, List, Tuple

import pytest
import spacy

from ner.baselines.crf import spans_to_tags, train
from ner.components.crf_ner import CRFEntityRecognizer

# sentences written for this test: one bank and one city in several frames
_BANK, _CITY = "湘南农商银行", "衡阳"
_FRAMES = ["{b}今年向种植户发放贷款。", "记者从{b}了解到，新增网点三个。", "{c}的{b}推出了新的信贷产品。",
           "{b}在{c}召开工作会议。", "据{b}介绍，涉农贷款持续增长。", "{c}市民可到{b}办理业务。"]


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = []
    for frame in _FRAMES:
        text = frame.format(b=_BANK, c=_CITY)
        spans = [(text.index(s), text.index(s) + len(s), lab) for s, lab in ((_BANK, "ORG"), (_CITY, "LOC")) if s in text]
        data.append((text, spans_to_tags(len(text), sorted(spans), "biluo")))
    path = tmp_path_factory.mktemp("crf") / "model.crfsuite"
    train(data * 3, path, max_iterations=60)
    return path


def _nlp() -> spacy.Language:
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})


def test_crf_ner_sets_entities_and_round_trips(model_file: Path, tmp_path: Path) -> None:
    nlp = _nlp()
    nlp.add_pipe("crf_ner").initialize(model_path=model_file)
    nlp.add_pipe("money_rules")
    doc = nlp("今年衡阳的湘南农商银行 发放贷款3亿元。")
    got = {(e.text, e.label_) for e in doc.ents}
    assert {(_BANK, "ORG"), (_CITY, "LOC"), ("3亿元", "MONEY")} <= got
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "crf_ner" / "model.npz").is_file()  # the compiled form, not crfsuite bytes
    assert not (tmp_path / "pipe" / "crf_ner" / "model.crfsuite.gz").exists()
    again = spacy.load(tmp_path / "pipe")
    assert [(e.start_char, e.end_char, e.label_) for e in again(doc.text).ents] == [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    comp = CRFEntityRecognizer(None).from_bytes(nlp.get_pipe("crf_ner").to_bytes())
    assert comp.labels == ["LOC", "ORG"]


def test_crf_ner_without_model_says_so() -> None:
    nlp = _nlp()
    nlp.add_pipe("crf_ner")
    with pytest.raises(ValueError, match="no model"):
        nlp("衡阳")
    with pytest.raises(FileNotFoundError, match="no CRF model"):
        nlp.get_pipe("crf_ner").initialize(model_path="/nonexistent/model.crfsuite")


def test_bad_model_bytes_are_rejected() -> None:
    with pytest.raises(ValueError, match="not a crfsuite model"):
        CRFEntityRecognizer(None).set_model(b"not a model")


@pytest.mark.parametrize("text,kept", [
    ("“潇湘贷", "潇湘贷"), ("潇湘贷”", "潇湘贷"), ("“潇湘贷”", "潇湘贷"), ("《三年行动计划》", "三年行动计划"),
    ("“三亲”工作法", "“三亲”工作法"), ("“A”与“B”", "“A”与“B”"), ("”", ""),
])
def test_quotes_that_pair_with_nothing_inside_the_span_are_trimmed(text: str, kept: str) -> None:
    from ner.components.crf_ner import trim_quotes

    start, end = trim_quotes("前" + text + "后", 1, 1 + len(text))
    assert ("前" + text + "后")[start:end] == kept


@pytest.mark.parametrize("text,span,kept", [
    ("开展“春暖农民工”服务行动。", "春暖农民工”服务行动", "“春暖农民工”服务行动"),  # the model started after the opener
    ("推广《天下九嶷》大型演艺。", "天下九嶷》大型演艺", "《天下九嶷》大型演艺"),
    ("上线湘企“一网通”。", "湘企“一网通", "湘企“一网通”"),  # an opener left open, its closer right after
    ("推出“潇湘贷”产品。", "潇湘贷”", "潇湘贷"),  # a dangling closer at the end is still trimmed
    ("他说：服务行动”开始。", "服务行动”", "服务行动"),
])
def test_a_quote_pair_cut_by_the_span_is_completed_from_outside(text: str, span: str, kept: str) -> None:
    from ner.components.crf_ner import trim_quotes

    s = text.index(span)
    start, end = trim_quotes(text, s, s + len(span))
    assert text[start:end] == kept


def test_surfaces_the_decisions_never_tag_are_dropped(default_nlp: Any) -> None:
    """华 in 来华 is LOC in MSRA but never in our corpus (decision 7): the component drops it, and the
    list is data shipped with the package."""
    from ner.components.crf_ner import not_entities

    assert "LOC" in not_entities()["华"]
    crf = default_nlp.get_pipe("crf_ner")
    text = "他欢迎外国企业来华投资，也到北京考察。"
    doc = default_nlp.make_doc(text)
    tags = [(text.index("华"), "S-LOC"), (text.index("北京"), "B-LOC"), (text.index("北京") + 1, "L-LOC")]
    crf._set_ents(doc, text, tags)
    assert [(e.text, e.label_) for e in doc.ents] == [("北京", "LOC")]


def test_a_party_group_or_system_stays_with_its_org(default_nlp: Any) -> None:
    """Decision 8: 国家发展改革委党组, 人民银行系统 are one ORG; the model often stops before the word."""
    from ner.components.crf_ner import span_extensions

    assert "党组" in span_extensions()["ORG"] and "系统" in span_extensions()["ORG"]
    crf = default_nlp.get_pipe("crf_ner")
    text = "湘江集团党组书记在人民银行系统会议上讲话。"
    doc = default_nlp.make_doc(text)
    a, b = text.index("湘江集团"), text.index("人民银行")
    tags = [(a, "B-ORG"), (a + 1, "I-ORG"), (a + 2, "I-ORG"), (a + 3, "L-ORG"),
            (b, "B-ORG"), (b + 1, "I-ORG"), (b + 2, "I-ORG"), (b + 3, "L-ORG")]
    crf._set_ents(doc, text, tags)
    assert [e.text for e in doc.ents] == ["湘江集团党组", "人民银行系统"]


def test_touching_one_character_places_become_one_loc(crf_ents: Any) -> None:
    """Decisions 7 and 51: 港澳 and 川渝 are one LOC each; a run led by 中 (中美, 中方) is not tagged;
    a one-character place on its own (在京) stays. MSRA tags each character, and ``join_places=False``
    keeps that convention."""
    from ner.components.crf_ner import join_place_abbreviations, untagged_run_leads

    assert "中" in untagged_run_leads()
    text = "港澳和川渝企业在京参加中美论坛。"
    singles = [(i, i + 1, "LOC") for i, ch in enumerate(text) if ch in "港澳川渝京中美"]
    got = join_place_abbreviations(text, singles)
    assert [(text[s:e], label) for s, e, label in got] == [("港澳", "LOC"), ("川渝", "LOC"), ("京", "LOC")]
    # other labels and longer places are left alone, even when they touch
    mixed = [(0, 1, "LOC"), (1, 2, "ORG"), (3, 5, "LOC"), (5, 6, "LOC")]
    assert join_place_abbreviations(text, mixed) == mixed

    tags = [(s, "U-LOC") for s, _, _ in singles]
    assert [t for _, t, _ in crf_ents(text, tags)] == ["港澳", "川渝", "京"]
    assert [t for _, t, _ in crf_ents(text, tags, join_places=False)] == list("港澳川渝京中美")


def test_the_place_gazetteer_completes_the_lexicon_when_tagging(default_nlp: Any, tmp_path: Path) -> None:
    """Prefecture-level cities the training entities missed are looked up as LOC (data/places_cn.jsonl);
    the lexicon saved with the model stays the model's own, and ``gazetteer=False`` tags with it alone."""
    from ner.components.gazetteer import GAZETTEER_BUCKET, county_short_forms, gazetteer_places

    crf = default_nlp.get_pipe("crf_ner")
    assert {"汕尾", "汕尾市", "广东省", "新疆维吾尔自治区"} <= set(gazetteer_places())
    own = crf.lexicon
    tagging = crf.tagging_lexicon()
    assert tagging is crf.tagging_lexicon()  # built once
    missing = [n for n in gazetteer_places() if n not in own.entries]
    shorts = set(county_short_forms())  # county short forms: less reliable (test_county_gazetteer.py)
    assert "承德" not in shorts  # a prefecture-level city, though 承德县 is a county too
    assert missing and all(tagging.entries[n] == {"LOC": GAZETTEER_BUCKET} for n in missing if n not in shorts)
    assert all(tagging.entries[n] == e for n, e in own.entries.items())  # the model's entries win
    crf.to_disk(tmp_path / "crf")
    from ner.components.crf_lexicon import read_lexicon
    from ner.components.crf_ner import LEXICON_FILE

    assert read_lexicon(tmp_path / "crf" / LEXICON_FILE).entries == own.entries
    crf.gazetteer = False
    try:
        assert crf.tagging_lexicon() is own
    finally:
        crf.gazetteer = True


def test_a_place_and_its_government_or_bank_are_one_org(default_nlp: Any) -> None:
    """A place tagged alone before its 政府, 央行 or 农商银行 becomes one ORG with it (and then takes the
    ORG's own extensions: 系统); with ``place_orgs`` off (MSRA's convention) the place stays LOC."""
    crf = default_nlp.get_pipe("crf_ner")
    text = "湘潭政府和加拿大央行表态，韶山农商银行与醴陵农信系统放贷，湘潭大学"
    places = ["湘潭", "加拿大", "韶山", "醴陵"]
    tags = []
    for p in places:
        a = text.index(p)
        tags += [(a, "B-LOC"), *[(a + i, "I-LOC") for i in range(1, len(p) - 1)], (a + len(p) - 1, "L-LOC")]
    a = text.rindex("湘潭")  # 湘潭大学: no such word after it
    tags += [(a, "B-LOC"), (a + 1, "L-LOC")]
    doc = default_nlp.make_doc(text)
    crf._set_ents(doc, text, tags)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("湘潭政府", "ORG"), ("加拿大央行", "ORG"), ("韶山农商银行", "ORG"), ("醴陵农信系统", "ORG"), ("湘潭", "LOC")]
    crf.place_orgs = False
    try:
        doc = default_nlp.make_doc(text)
        crf._set_ents(doc, text, tags)
        assert [(e.text, e.label_) for e in doc.ents] == [(p, "LOC") for p in places] + [("湘潭", "LOC")]
    finally:
        crf.place_orgs = True


def test_a_region_keeps_the_word_diqu(default_nlp: Any) -> None:
    """GUIDELINES (中部地区) and the gold train split: a region keeps 地区; other labels do not take it."""
    from ner.components.crf_ner import span_extensions

    assert set(span_extensions()["LOC"]) == {"地区", "流域", "平原", "新区", "片区", "经济特区"}
    assert span_extensions()["LOC"].index("经济特区") < span_extensions()["LOC"].index("地区")  # longest first
    crf = default_nlp.get_pipe("crf_ner")
    text = "东北地区和湘江集团地区总部，资江流域"
    a, b, c = text.index("东北"), text.index("湘江集团"), text.index("资江")
    tags = [(a, "B-LOC"), (a + 1, "L-LOC"), (b, "B-ORG"), (b + 1, "I-ORG"), (b + 2, "I-ORG"), (b + 3, "L-ORG"),
            (c, "B-LOC"), (c + 1, "L-LOC")]
    doc = default_nlp.make_doc(text)
    crf._set_ents(doc, text, tags)
    assert [(e.text, e.label_) for e in doc.ents] == [("东北地区", "LOC"), ("湘江集团", "ORG"), ("资江流域", "LOC")]


@pytest.mark.parametrize(
    "text, parts",
    [
        ("财政部 税务总局 国家发展改革委", ["财政部", "税务总局", "国家发展改革委"]),
        ("湘江银行 长沙市农业农村局", ["湘江银行", "长沙市农业农村局"]),
        ("交通银行湖南省 分行", ["交通银行湖南省 分行"]),  # a stray PDF space inside one name
        ("湖南 农信系统", ["湖南 农信系统"]),
        ("财政部 局", ["财政部 局"]),  # a part of one character is no name
        ("长沙银行", ["长沙银行"]),
    ],
)
def test_a_space_separated_list_of_organisations_is_split(text: str, parts: List[str]) -> None:
    from ner.components.crf_ner import split_org_list

    assert [text[s:e] for s, e in split_org_list(text, 0, len(text))] == parts


@pytest.mark.parametrize(
    "text, parts",
    [
        ("湘江银行长沙分行联合市农业农村局", [("湘江银行长沙分行", "ORG"), ("市农业农村局", "ORG")]),
        ("星城科技退出麓山物流", [("星城科技", "ORG")]),  # no organisation head after the verb: dropped
        ("湖南推动湘中产业联盟", [("湖南", "LOC"), ("湘中产业联盟", "ORG")]),  # a gazetteer place before it
        ("中国联合网络通信集团有限公司", [("中国联合网络通信集团有限公司", "ORG")]),  # 联合 inside a name
        ("联合国", [("联合国", "ORG")]),
        ("长沙银行", [("长沙银行", "ORG")]),
        ("长沙市推动办", [("长沙市推动办", "ORG")]),  # one character after the verb is no name
    ],
)
def test_an_org_is_cut_before_a_verb_inside_it(text: str, parts: List[Tuple[str, str]]) -> None:
    from ner.components.crf_ner import split_org_at_verb

    assert [(text[s:e], label) for s, e, label in split_org_at_verb(text, 0, len(text))] == parts


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        # places right before a body are part of its name
        ("江西省抚州市科学技术协会", [(0, 3, "LOC"), (3, 6, "LOC"), (6, 12, "ORG")], [(0, 12, "ORG")]),
        ("湖南省长沙银行", [(0, 3, "LOC"), (3, 7, "ORG")], [(0, 7, "ORG")]),
        # a village's party branch keeps its county apart; so does a national body, and a run led by 中国
        ("四川小金县冒水村党支部", [(0, 2, "LOC"), (2, 5, "LOC"), (5, 11, "ORG")], [(0, 2, "LOC"), (2, 5, "LOC"), (5, 11, "ORG")]),
        ("辽宁省国家机器人创新中心", [(0, 3, "LOC"), (3, 12, "ORG")], [(0, 3, "LOC"), (3, 12, "ORG")]),
        ("中国东盟", [(0, 2, "LOC"), (2, 4, "ORG")], [(0, 2, "LOC"), (2, 4, "ORG")]),
        # only touching spans join
        ("湖南省的长沙银行", [(0, 3, "LOC"), (4, 8, "ORG")], [(0, 3, "LOC"), (4, 8, "ORG")]),
        ("长沙银行湖南", [(0, 4, "ORG"), (4, 6, "LOC")], [(0, 4, "ORG"), (4, 6, "LOC")]),
    ],
)
def test_places_before_an_org_join_its_name(text: str, spans: List[Tuple[int, int, str]], expected: List[Tuple[int, int, str]]) -> None:
    from ner.components.crf_ner import join_place_prefixed_orgs

    assert join_place_prefixed_orgs(text, spans) == expected


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        # the model cut the name at the bracket: the head's span runs on past it
        ("中国（福建）自由贸易试验区", [(0, 2, "LOC"), (3, 13, "LOC")], [(0, 13, "LOC")]),
        ("中国工商银行（巴西）股份有限公司", [(0, 6, "ORG"), (7, 16, "ORG")], [(0, 16, "ORG")]),
        # the place in the brackets tagged on its own, the head right after them
        ("中国（上海）自由贸易试验区", [(0, 2, "LOC"), (3, 5, "LOC"), (6, 13, "LOC")], [(0, 13, "LOC")]),
        # a remark in brackets after a name is not part of it; nothing after the brackets joins
        ("谷少辉（化名）认为", [(0, 3, "PERSON")], [(0, 3, "PERSON")]),
        ("北京（化名）认为", [(0, 2, "LOC"), (3, 5, "ORG")], [(0, 2, "LOC"), (3, 5, "ORG")]),
        # a span after the brackets that does not touch them stays apart
        ("中国（福建）的试验区", [(0, 2, "LOC"), (7, 10, "LOC")], [(0, 2, "LOC"), (7, 10, "LOC")]),
        # no name ends inside a bracket it opens: cut before it (dropped when under two characters)
        ("市场监管总局（标准委）发布", [(0, 10, "ORG")], [(0, 6, "ORG")]),
        ("国（标准委）", [(0, 5, "ORG")], []),
        ("中国（福建）自由贸易试验区", [(0, 13, "LOC")], [(0, 13, "LOC")]),
    ],
)
def test_a_name_around_a_bracketed_place_is_one_span(text: str, spans: List[Tuple[int, int, str]],
                                                     expected: List[Tuple[int, int, str]]) -> None:
    from ner.components.crf_ner import join_bracketed_names

    assert join_bracketed_names(text, spans) == expected


def test_place_orgs_setting_keeps_msra_convention_when_off(default_nlp: Any, crf_ents: Any) -> None:
    """``place_orgs``: on by default; off, a place before a body stays a LOC (MSRA's convention)."""
    assert default_nlp.get_pipe("crf_ner").place_orgs is True
    text = "湖南省长沙银行发布公告"
    tags = [(0, "B-LOC"), (1, "I-LOC"), (2, "L-LOC"), (3, "B-ORG"), (4, "I-ORG"), (5, "I-ORG"), (6, "L-ORG")]
    assert [(t, label) for _, t, label in crf_ents(text, tags)] == [("湖南省长沙银行", "ORG")]
    assert [(t, label) for _, t, label in crf_ents(text, tags, place_orgs=False)] == [("湖南省", "LOC"), ("长沙银行", "ORG")]


def test_an_event_loses_its_leading_year_and_a_plan_keeps_it() -> None:
    """Corpus decisions 4 and 59: a year written before an event's name stays outside; plans keep theirs,
    and a year inside a name (论坛2026年年会) is not at its start."""
    from ner.components.crf_ner import trim_event_year

    text = "湘江新区举办2025年毕业生就业招聘会，发布2025年稳岗行动方案，召开湘江论坛2026年年会，2026湘江机器人运动会"
    a, b = text.index("2025年毕业"), text.index("，发布")
    assert text[trim_event_year(text, a, b, "PROGRAMME"):b] == "毕业生就业招聘会"
    assert trim_event_year(text, a, b, "ORG") == a  # other labels are left alone
    c, d = text.index("2025年稳岗"), text.index("，召开")
    assert trim_event_year(text, c, d, "PROGRAMME") == c  # a plan keeps its year
    e, f = text.index("湘江论坛"), text.index("，2026")
    assert trim_event_year(text, e, f, "PROGRAMME") == e
    g = text.index("2026湘江")
    assert text[trim_event_year(text, g, len(text), "PROGRAMME"):] == "湘江机器人运动会"


def test_a_party_group_before_a_title_chain_goes_into_the_title() -> None:
    """Corpus decision 68: 农业农村部党组书记、部长 names the ministry (title=党组书记、部长); a party group that acts
    keeps its 党组 (decision 8), and so does a span that is only the word."""
    from ner.components.crf_ner import without_title_chain_suffix

    text = "湘江集团党组书记、董事长李明说，湘江集团党组成员、副总经理王强到会，湘江集团党组召开会议，党组书记、主任"
    a = text.index("湘江集团党组书记")
    assert text[a:without_title_chain_suffix(text, a, a + 6, "ORG")] == "湘江集团"
    b = text.index("湘江集团党组成员")
    assert text[b:without_title_chain_suffix(text, b, b + 6, "ORG")] == "湘江集团"
    c = text.index("湘江集团党组召开")
    assert without_title_chain_suffix(text, c, c + 6, "ORG") == c + 6  # the party group acts
    assert without_title_chain_suffix(text, a, a + 6, "LOC") == a + 6  # other labels are left alone
    d = text.rindex("党组书记")
    assert without_title_chain_suffix(text, d, d + 2, "ORG") == d + 2  # only the word: kept
