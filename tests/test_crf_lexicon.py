"""Lexicon features of the character CRF: counts, reliability buckets, jackknife folds, serialisation."""
from __future__ import annotations

from pathlib import Path

import pytest

from ner.baselines.crf import CRFTagger, spans_to_tags, train
from ner.components.crf_features import char_features, read_feature_config, write_feature_config
from ner.components.crf_lexicon import LEXICON_FILE, Lexicon, jackknife_lexicons, read_lexicon, write_lexicon

ALL = ("PERSON", "LOC", "ORG", "PROGRAMME", "SECTOR", "MONEY")
PUBLIC = ("PERSON", "LOC", "ORG")

# sentences written for these tests
DOCS = [
    ("湘江银行向小麦种植户放贷。", [(0, 4, "ORG"), (5, 7, "SECTOR")], ALL),
    ("小麦丰收，湘江银行支持。", [(5, 9, "ORG")], PUBLIC),  # a public-corpus text: SECTOR not annotated
    ("小麦价格上涨。", [], ALL),
]


def test_reliability_counts_only_texts_that_annotate_the_label() -> None:
    full, _, _ = jackknife_lexicons(DOCS, folds=2)
    # 湘江银行 was ORG both times it occurred; 小麦 was SECTOR once out of two texts that annotate SECTOR
    # (the public text, which never marks SECTOR, does not count against it)
    assert full.entries == {"湘江银行": {"ORG": "h"}, "小麦": {"SECTOR": "m"}}


def test_jackknife_lexicon_of_a_fold_never_contains_only_that_folds_entities() -> None:
    docs = DOCS + [("今天衡阳市召开会议。", [(2, 5, "LOC")], ALL)]
    full, per_fold, fold_of = jackknife_lexicons(docs * 3, folds=3)  # copies share a fold
    assert len(fold_of) == len(docs) * 3 and fold_of[: len(docs)] == fold_of[len(docs):2 * len(docs)]
    for k, lexicon in enumerate(per_fold):
        others = {text[s:e] for (text, spans, _), f in zip(docs, fold_of) if f != k for s, e, _ in spans}
        assert set(lexicon.entries) <= others
    assert "衡阳市" in full.entries



def test_docs_with_one_fold_key_share_a_fold_and_miss_each_others_names() -> None:
    """Sentences of one article (one key) never see the names of that article in their lexicon."""
    article = [("张三到长沙。", [(0, 2, "PERSON"), (3, 5, "LOC")], ALL), ("张三又去株洲。", [(0, 2, "PERSON"), (4, 6, "LOC")], ALL)]
    others = [(f"李{n}在衡阳工作。", [(0, 2, "PERSON"), (3, 5, "LOC")], ALL) for n in "一二三四五六七八"]
    docs = article + others
    keys = ["article-1", "article-1"] + [t for t, _, _ in others]
    _, per_fold, fold_of = jackknife_lexicons(docs, folds=3, fold_keys=keys)
    assert fold_of[0] == fold_of[1]
    assert "张三" not in per_fold[fold_of[0]].entries
    # by text alone the two sentences may fall into different folds and see each other's name
    _, per_text, fold_text = jackknife_lexicons(docs, folds=3)
    if fold_text[0] != fold_text[1]:
        assert "张三" in per_text[fold_text[0]].entries
    with pytest.raises(ValueError, match="fold keys"):
        jackknife_lexicons(docs, folds=3, fold_keys=keys[:-1])

def test_features_mark_every_character_of_a_match() -> None:
    lex = Lexicon({"湘江银行": {"ORG": "h"}, "银行": {"ORG": "l"}})
    feats = lex.features("在湘江银行")
    assert feats[0] == [] and feats[1] == ["lx=ORG-B-h"] and feats[2] == ["lx=ORG-I-h"]
    assert feats[3] == ["lx=ORG-B-l", "lx=ORG-I-h"] and feats[4] == ["lx=ORG-E-h", "lx=ORG-E-l"]
    full = char_features("在湘江银行", lex)
    assert full[1][-1] == "lx=ORG-B-h" and len(full) == 5
    assert lex.only(["LOC"]).entries == {}


def test_lexicon_round_trips_and_bad_file_is_named(tmp_path: Path) -> None:
    lex = Lexicon({"小麦": {"SECTOR": "m"}, "湘江银行": {"ORG": "h", "LOC": "l"}})
    write_lexicon(lex, tmp_path / LEXICON_FILE)
    assert read_lexicon(tmp_path / LEXICON_FILE).entries == lex.entries
    (tmp_path / "bad.gz").write_bytes(b"not gzip")
    with pytest.raises(ValueError, match="bad.gz: not a CRF lexicon"):
        read_lexicon(tmp_path / "bad.gz")


def test_a_crf_with_lexicon_features_uses_them(tmp_path: Path) -> None:
    """Trained where the lexicon is reliable, the CRF tags an entry in a context it never saw."""
    lex = Lexicon({"油茶": {"SECTOR": "h"}, "竹笋": {"SECTOR": "h"}, "茶叶": {"SECTOR": "h"}})
    frames = ["银行支持{s}产业发展。", "县里重点扶持{s}种植。", "今年{s}丰收了。"]
    data, lexicons = [], []
    for frame in frames:
        for sector in ("油茶", "竹笋"):
            text = frame.format(s=sector)
            start = text.index(sector)
            data.append((text, spans_to_tags(len(text), [(start, start + 2, "SECTOR")])))
            lexicons.append(lex)
    path = tmp_path / "model.crfsuite"
    train(data * 4, path, max_iterations=50, lexicons=lexicons * 4)
    write_lexicon(lex, tmp_path / LEXICON_FILE)
    tagger = CRFTagger(path)  # finds the lexicon beside the model
    assert tagger.lexicon is not None and len(tagger.lexicon) == 3
    text = "农户说茶叶的行情不错。"
    assert (3, 5, "SECTOR") in tagger(text)
    with pytest.raises(ValueError, match="2 lexicons for 1 texts"):
        train(data[:1], path, max_iterations=1, lexicons=lexicons[:2])


def test_crf_ner_component_keeps_its_lexicon(tmp_path: Path) -> None:
    """The component finds the lexicon beside the trained model and saves it with the pipeline."""
    import spacy

    from ner.components.crf_ner import CRFEntityRecognizer

    lex = Lexicon({"油茶": {"SECTOR": "h"}, "竹笋": {"SECTOR": "h"}})
    data = []
    for sector in ("油茶", "竹笋"):
        text = f"银行支持{sector}产业发展。"
        data.append((text, spans_to_tags(len(text), [(4, 6, "SECTOR")])))
    train(data * 4, tmp_path / "m" / "model.crfsuite", max_iterations=30, lexicons=[lex] * 8, brackets=True)
    write_lexicon(lex, tmp_path / "m" / LEXICON_FILE)
    write_feature_config({"brackets": True}, tmp_path / "m")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
    nlp.add_pipe("crf_ner").initialize(model_path=tmp_path / "m")
    assert nlp.get_pipe("crf_ner").lexicon.entries == lex.entries
    assert nlp.get_pipe("crf_ner").features == {"brackets": True, "window": 2, "clusters": False, "cues": False}
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "crf_ner" / LEXICON_FILE).is_file()
    again = spacy.load(tmp_path / "pipe")
    assert again.get_pipe("crf_ner").lexicon.entries == lex.entries
    assert again.get_pipe("crf_ner").features == {"brackets": True, "window": 2, "clusters": False, "cues": False}
    text = "银行支持竹笋产业发展。"
    assert [(e.text, e.label_) for e in again(text).ents] == [(e.text, e.label_) for e in nlp(text).ents]
    comp = CRFEntityRecognizer(None).from_bytes(nlp.get_pipe("crf_ner").to_bytes())
    assert comp.lexicon is not None and comp.lexicon.entries == lex.entries and comp.features == {"brackets": True, "window": 2, "clusters": False, "cues": False}
    with pytest.raises(ValueError, match="unknown feature settings"):
        (tmp_path / "m" / "features.json").write_text('{"trigrams": true}')
        read_feature_config(tmp_path / "m")


def test_word_lexicon_labels_by_length_and_frequency() -> None:
    from ner.components.crf_lexicon import word_lexicon

    words = ["银行"] * 25 + ["种植户"] * 3 + ["乡村振兴"] * 2 + ["一次"] + ["ABC"] * 5 + ["的"] * 40
    lex = word_lexicon(words, min_count=2, frequent=20)
    assert lex.entries == {"银行": {"W2": "f"}, "种植户": {"W3": "r"}, "乡村振兴": {"W4": "r"}}
    merged = Lexicon({"银行": {"ORG": "l"}}).merged(lex)
    assert merged.entries["银行"] == {"ORG": "l", "W2": "f"} and len(merged) == 3


def test_bracket_features_mark_the_inside_of_closed_pairs() -> None:
    from ner.components.crf_features import bracket_features, char_features

    text = "推出“潇湘贷”，《三年行动计划》发布。他说“好"
    marks = bracket_features(text)
    inside = [text[i] for i, m in enumerate(marks) if m]
    assert "".join(inside) == "潇湘贷三年行动计划"
    assert marks[text.index("贷")] == "in=“>" and marks[text.index("三")] == "in=《"
    assert all(not m for m in marks[text.index("他"):]), "an opener never closed marks nothing"
    # a pair cut by a sentence end does not count
    assert not any(bracket_features("“第一句。第二句”"))
    feats = char_features(text, brackets=True)
    assert "in=“" in feats[text.index("潇")] and not any(f.startswith("in=") for f in feats[0])
    assert not any(f.startswith("in=") for row in char_features(text) for f in row)


def test_an_empty_entry_never_matches() -> None:
    lex = Lexicon({"": {"ORG": "h"}, "长沙": {"LOC": "h"}})
    assert lex.found("去长沙") == [(1, 3)]


def test_one_character_entries_match_beside_longer_ones() -> None:
    """With a one-character entry a scan starts at every character that begins one; without, at two."""
    lex = Lexicon({"湘": {"LOC": "h"}, "湘江": {"LOC": "h"}, "湘江银行": {"ORG": "h"}})
    assert sorted(lex.found("湘江银行在湘")) == [(0, 1), (0, 2), (0, 4), (5, 6)]
    assert sorted(Lexicon({"湘江": {"LOC": "h"}, "湘江银行": {"ORG": "h"}}).found("湘江银行在湘")) == [(0, 2), (0, 4)]
