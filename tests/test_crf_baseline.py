"""The character CRF baseline (issue 6): tags, features, a tiny model trained here, and the benchmark."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Tuple

import pytest
from typer.testing import CliRunner

from ner.baselines.crf import CRFTagger, char_features, char_type, spans_to_tags, tags_to_spans, train
from ner.cli import _register, app

_register()

# (text, [(start, end, label)]) written for this test: one bank and one city, in many frames
_BANK, _CITY = "湘南农商银行", "衡阳"
_FRAMES = [
    "{b}今年向种植户发放贷款。",
    "记者从{b}了解到，新增网点三个。",
    "{c}的{b}推出了新的信贷产品。",
    "{b}在{c}召开工作会议。",
    "据{b}介绍，涉农贷款持续增长。",
    "{c}市民可到{b}办理业务。",
    "今年以来，{b}支持小微企业发展。",
    "{b}与{c}多家企业签约。",
]


def _example(frame: str) -> Tuple[str, List[Tuple[int, int, str]]]:
    text = frame.format(b=_BANK, c=_CITY)
    spans = []
    for sub, label in ((_BANK, "ORG"), (_CITY, "LOC")):
        if sub in text:
            i = text.index(sub)
            spans.append((i, i + len(sub), label))
    return text, sorted(spans)


def _train_tiny(path: Path, scheme: str = "bio") -> CRFTagger:
    data = [_example(f) for f in _FRAMES]
    train([(t, spans_to_tags(len(t), s, scheme)) for t, s in data * 3], path, max_iterations=60)
    return CRFTagger(path)


@pytest.mark.parametrize("scheme", ["bio", "biluo"])
def test_tags_round_trip(scheme: str) -> None:
    spans = [(0, 2, "ORG"), (3, 4, "LOC"), (4, 7, "MONEY")]
    tags = spans_to_tags(8, spans, scheme)
    assert len(tags) == 8 and tags_to_spans(tags) == spans
    if scheme == "biluo":
        assert tags[3] == "U-LOC" and tags[1] == "L-ORG"


def test_decoder_is_lenient_and_trims_space() -> None:
    assert tags_to_spans(["I-ORG", "I-ORG", "I-LOC", "O", "B-X", "B-X", "I-X"]) == [
        (0, 2, "ORG"), (2, 3, "LOC"), (4, 5, "X"), (5, 7, "X")
    ]
    assert tags_to_spans(["B-ORG", "I-ORG", "I-ORG", "O"], " 银行 ") == [(1, 3, "ORG")]
    assert tags_to_spans(["B-ORG", "O"], " x") == []


def test_features_per_character() -> None:
    text = "Ａ股\n3亿元"
    feats = char_features(text)
    assert len(feats) == len(text)
    assert "c0=a" in feats[0] and "t0=L" in feats[0] and "c-1=<s1>" in feats[0]
    assert "c0=_" in feats[2] and "b-1=股_" in feats[2]
    assert "t0=D" in feats[3] and "t0=N" in feats[4] and "c+2=</s2>" in feats[-1]
    assert [char_type(c) for c in "湘A7。 万"] == ["H", "L", "D", "P", "S", "N"]


@pytest.mark.parametrize("scheme", ["bio", "biluo"])
def test_tiny_crf_learns_a_repeated_entity(tmp_path: Path, scheme: str) -> None:
    tagger = _train_tiny(tmp_path / "crf" / "model.crfsuite", scheme)
    assert set(tagger.labels) == {"ORG", "LOC"}
    text = "上午，湘南农商银行在衡阳发布年报。"
    spans = tagger(text)
    bank = text.index(_BANK)
    assert (bank, bank + len(_BANK), "ORG") in spans
    for s, e, _ in spans:
        assert 0 <= s < e <= len(text)
    assert list(tagger.pipe(["", text])) == [[], spans]


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="train_crf"):
        CRFTagger(tmp_path / "nope.crfsuite")


def test_benchmark_includes_the_crf(tmp_path: Path) -> None:
    _train_tiny(tmp_path / "crf" / "model.crfsuite")
    docs = []
    for i, frame in enumerate(_FRAMES[:4]):
        text, spans = _example(frame)
        docs.append({"id": f"d{i}", "text": text, "relations": [], "spans": [
            {"id": f"T{k}", "start": s, "end": e, "label": lab, "text": text[s:e]} for k, (s, e, lab) in enumerate(spans)
        ]})  # fmt: skip
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    out = tmp_path / "bench.json"
    res = CliRunner().invoke(app, [
        "benchmark", "--corpus", str(gold), "--limit", "4", "--repeat", "1", "--gold", str(gold),
        "--crf", str(tmp_path / "crf"), "--crf", f"tiny CRF={tmp_path / 'crf' / 'model.crfsuite'}", "--json", str(out),
    ])  # fmt: skip
    assert res.exit_code == 0, res.output
    by_name = {r["system"]: r for r in json.loads(out.read_text())["results"]}
    for name in ("CRF (sklearn-crfsuite, char features)", "tiny CRF"):
        row = by_name[name]
        assert row["chars_per_s"] > 0 and row["peak_mib"] >= 0
        assert row["f_per_loc_org"] > 0.9 and row["f_all_labels"] > 0.9  # seen sentences
    assert "| tiny CRF |" in res.output


def test_benchmark_crf_bad_path(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text("湘南农商银行在衡阳。", encoding="utf-8")
    res = CliRunner().invoke(app, ["benchmark", "--corpus", str(txt), "--limit", "1", "--crf", str(tmp_path / "none")])
    assert res.exit_code == 2 and "no CRF model" in res.output


@pytest.mark.parametrize("text, expected", [
    ("推出“湘信贷”产品", {3: "in=“", 4: "in=“", 5: "in=“>"}),
    ("《行动计划》和“X”", {1: "in=《", 2: "in=《", 3: "in=《", 4: "in=《>", 8: "in=“>"}),
    ("“未闭合。”后文", {}),                                                  # a sentence end breaks the pair
    ("“外“内”", {1: "in=“", 2: "in=“", 3: "in=“>"}),                          # a second opener is inside the pair
    ("他说\"好的\"", {3: "in=\"", 4: "in=\">"}),                              # straight quotes pair with themselves
    ("“”空引号", {}),                                                        # nothing inside: no pair
    ("", {}),
])
def test_bracket_features_mark_the_inside_of_closed_pairs(text: str, expected: dict) -> None:
    from ner.components.crf_features import bracket_features, bracket_positions

    assert dict(bracket_positions(text)) == expected
    assert bracket_features(text) == [expected.get(k, "") for k in range(len(text))]
