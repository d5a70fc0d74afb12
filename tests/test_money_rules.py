"""MONEY rules (``ner/components/data/money_patterns.jsonl``) on self-written sentences."""
from typing import List, Tuple

import pytest
import spacy
from spacy.tokens import Doc

import ner  # noqa: F401  (registers the tokenizer and components)


def _nlp(**cfg: object) -> spacy.Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
    nlp.add_pipe("money_rules", config=cfg)
    return nlp


def _money(text: str) -> List[str]:
    return [e.text for e in _nlp()(text).ents if e.label_ == "MONEY"]


@pytest.mark.parametrize("text, want", [
    ("该行向茶农发放贷款2000万元。", ["2000万元"]),
    ("全年营收达５９９２.７亿元。", ["５９９２.７亿元"]),  # full-width digits
    ("公司市值增加了约1,900亿美元。", ["1,900亿美元"]),
    ("每吨价格上涨3-5千元，部分涨到33万元。", ["3-5千元", "33万元"]),
    ("诈骗数额达数十亿元，装修花了几万元。", ["数十亿元", "几万元"]),
    ("去年收入5000多亿元，人均增收2万余元。", ["5000多亿元", "2万余元"]),
    ("一笔贷款 2000 万元到账。", ["2000 万元"]),
    ("培育千亿元级产业集群，打造万亿元级赛道。", []),  # scale labels are not MONEY (decision 36)
    ("占比达到35%，同比增长3个百分点。", []),
    # a full-width comma ends a clause: it is never a thousands separator (the review of session 5)
    ("营收12亿元，300万元用于研发。", ["12亿元", "300万元"]),
    ("该县排名第9，300万元奖补资金到位。", ["300万元"]),
    ("贷款1,000 万元到账，另有2,500万元。", ["1,000 万元", "2,500万元"]),
    ("损失近千元，年收入突破千亿元。", ["千元", "千亿元"]),
    ("每年带来2万—5万元收入，涨至33万~34万元/吨。", ["2万", "5万元", "33万", "34万元"]),
    ("一个卖3块钱，一斤5毛钱，现在8万块钱一吨。", ["3块钱", "5毛钱", "8万块钱"]),
    ("大豆期货一度涨至6.18-1/2美元。", ["6.18-1/2美元"]),
    ("建成120万块太阳能板，划成179块。", []),  # 块 as a measure word
    # no magnitude, a scale label or a unit name: not MONEY (decisions 36 and 50)
    ("三元锂电池产能扩大，破除城乡二元结构。", []),
    ("70个亿元以上项目集中签约，培育亿元强村12个，昔日万元户。", []),
])
def test_money_patterns(text: str, want: List[str]) -> None:
    assert _money(text) == want


def _with_model_ents(nlp: spacy.Language, text: str, ents: List[Tuple[int, int, str]]) -> Doc:
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(s, e, label=l) for s, e, l in ents]
    return nlp.get_pipe("money_rules")(doc)


def test_rules_replace_overlapping_model_entities_but_keep_a_wider_model_money() -> None:
    nlp = _nlp()
    text = "报价6.18-1/2美元，农发行贷款3亿元。"
    wide = (text.index("6.18"), text.index("美元") + 2, "MONEY")
    wrong = (text.index("3亿元") - 2, text.index("3亿元") + 1, "ORG")  # a model entity cut across the amount
    doc = _with_model_ents(nlp, text, [wide, wrong])
    got = [(e.text, e.label_) for e in doc.ents]
    assert got == [("6.18-1/2美元", "MONEY"), ("3亿元", "MONEY")]


def test_a_wider_model_money_with_words_or_two_amounts_is_replaced() -> None:
    nlp = _nlp()
    text = "农发行贷款3亿元和5亿元。"
    a, b = text.index("3亿元"), text.index("5亿元")
    for wide in [(a - 2, a + 3, "MONEY"), (a, b + 3, "MONEY")]:  # 贷款3亿元 / 3亿元和5亿元
        doc = _with_model_ents(nlp, text, [wide])
        assert [e.text for e in doc.ents] == ["3亿元", "5亿元"], wide


def test_fill_gaps_only_leaves_model_entities() -> None:
    nlp = _nlp(overwrite_ents=False)
    text = "贷款3亿元用于生产。"
    doc = _with_model_ents(nlp, text, [(0, 4, "PROGRAMME")])
    assert [(e.text, e.label_) for e in doc.ents] == [("贷款3亿", "PROGRAMME")]


def test_patterns_round_trip(tmp_path) -> None:
    nlp = _nlp()
    rules = nlp.get_pipe("money_rules")
    rules.set_patterns([{"id": "only-yuan", "regex": "[0-9]+元"}])
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    assert [e.text for e in again("花了300元和5万元。").ents] == ["300元"]
    assert again.get_pipe("money_rules").patterns == [{"id": "only-yuan", "regex": "[0-9]+元"}]


def test_a_text_without_any_required_string_is_not_searched() -> None:
    """``requires`` lets the rules skip texts that cannot hold a match; a row without it always searches."""
    rules = _nlp().get_pipe("money_rules")
    nlp = _nlp()
    for rows, want in [
        ([{"id": "dots", "regex": "[0-9]+点", "requires": ["点"]}], ["3点"]),
        ([{"id": "dots", "regex": "[0-9]+点", "requires": ["元"]}], []),  # 元 is not in the text: skipped
        ([{"id": "dots", "regex": "[0-9]+点", "requires": ["元"]}, {"id": "any", "regex": "x{9}"}], ["3点"]),
    ]:
        rules.set_patterns(rows)
        assert [s.text for s in rules.find(nlp.make_doc("涨了3点。"))] == want, rows
    with pytest.raises(ValueError, match="'requires' must be a non-empty list"):
        rules.set_patterns([{"id": "bad", "regex": "元", "requires": "元"}])


_AMOUNTS = ["2000万元", "５９９２.７亿元", "1,900亿美元", "3-5千元", "数十亿元", "5000多亿元", "2000 万元", "2万—5万元",
            "33万~34万元", "3块钱", "两块钱", "8万块钱", "6.18-1/2美元", "七千五百元", "十亿英镑", "3亿港元", "50万欧元"]


@pytest.mark.parametrize("amount", _AMOUNTS)
def test_every_shipped_pattern_declares_the_strings_it_needs(amount: str) -> None:
    """Each shipped row's ``requires`` holds for what it matches: a match (and the unit its lookahead reads)
    has one of the strings; with them gone from the text, the row matches nothing."""
    import re

    from ner.components.money import default_patterns
    from ner.text.charmap import normalize_chars

    text = normalize_chars(f"去年该行发放贷款{amount}，比上年多。")
    hits = 0
    for row in default_patterns():
        assert row.get("requires"), row["id"]
        rx = re.compile(row["regex"])
        for m in rx.finditer(text):
            hits += 1
            assert any(r in text[m.start():m.end() + 12] for r in row["requires"]), (row["id"], m.group(0))
        stripped = text
        for r in row["requires"]:
            stripped = stripped.replace(r, "")
        assert not rx.search(stripped), (row["id"], stripped)
    assert hits, amount
