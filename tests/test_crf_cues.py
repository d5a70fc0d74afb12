"""Long-range cue features of the character CRF (heads and triggers within reach, same clause)."""
from __future__ import annotations

from ner.components.crf_cues import REACH, cue_features, cue_positions
from ner.components.crf_features import char_features


def test_a_right_cue_reaches_back_with_its_distance() -> None:
    text = "推出普惠金融三年筑基行动"
    feats = cue_features(text)
    head = text.index("行动")
    assert "cue=R:行动:1" in feats[head - 1]
    assert "cue=R:行动:2" in feats[head - 2] and "cue=R:行动:2" in feats[head - 3]
    assert "cue=R:行动:3" in feats[head - 4]
    assert "cue=R:行动:4" in feats[head - 7]
    assert not any(f.startswith("cue=R:行动") for f in feats[head])  # not on the head itself


def test_a_left_cue_reaches_forward_with_its_distance() -> None:
    text = "支持装配式建筑"
    feats = cue_features(text)
    assert "cue=L:支持:1" in feats[2]
    assert "cue=L:支持:2" in feats[3]
    assert not any(f.startswith("cue=L:支持") for f in feats[0] + feats[1])


def test_cues_stop_at_the_clause_edge_and_at_their_reach() -> None:
    text = "湖南省，产业"
    assert not any(f.startswith("cue=R:产业") for fs in cue_features(text)[:4] for f in fs)
    far = "甲" * (REACH + 3) + "产业"
    feats = cue_features(far)
    assert not any(f.startswith("cue=R:") for f in feats[2])  # REACH + 1 away
    assert any(f.startswith("cue=R:产业") for f in feats[3])  # REACH away


def test_overlapping_cues_all_count() -> None:
    """等领域 is a cue, and so are 等 and 领域 inside it."""
    names = {f.split(":")[1] for _, f in cue_positions("支持新能源等领域")}
    assert {"等", "等领域", "领域", "支持"} <= names
    # occurrences that overlap without nesting: 银行 and 行长 in 银行长, 落实 and 实施 in 落实施
    for text, words in [("该银行长期支持", {"银行", "行长"}), ("要落实施工安全", {"落实", "实施"})]:
        assert words <= {f.split(":")[1] for _, f in cue_positions(text)}, text


def test_char_features_add_cues_only_when_asked() -> None:
    text = "长沙银行支持茶叶产业"
    plain, cued = char_features(text), char_features(text, cues=True)
    assert not any(f.startswith("cue=") for fs in plain for f in fs)
    assert any(f.startswith("cue=") for fs in cued for f in fs)
    assert [[f for f in fs if not f.startswith("cue=")] for fs in cued] == plain
    assert cue_features("") == [] and cue_positions("") == set()
