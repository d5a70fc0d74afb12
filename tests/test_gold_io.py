"""Gold JSONL I/O, source lookup, stand-off round trip and the split."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ner.corpus.gold import CorpusError, GoldDoc, GoldRelation, GoldSpan, read_gold, write_gold
from ner.corpus.sources import get_text, sha256_text
from ner.corpus.standoff import load_documents, load_standoff, to_standoff, write_standoff
from ner.corpus.stats import corpus_stats, make_split, split_of

TEXT = "湘潭农商银行向莲子种植户发放贷款200万元。"


def _doc() -> GoldDoc:
    return GoldDoc(
        id="d1",
        text=TEXT,
        meta={"source": "news.jsonl"},
        spans=[
            GoldSpan("T1", 0, 6, "ORG", "湘潭农商银行"),
            GoldSpan("T2", 7, 12, "SECTOR", "莲子种植户"),
            GoldSpan("T3", 16, 21, "MONEY", "200万元"),
        ],
        relations=[GoldRelation("T1", "T2", "LENDS_TO", {"amount": "T3"}, cross_sentence=True)],
    )


def _sources(root: Path) -> None:
    with open(root / "news.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "d0", "text": "别的文章。"}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": "d1", "title": "标题", "text": TEXT}, ensure_ascii=False) + "\n")
    (root / "page.txt").write_text("一整页文字。\n第二行。", encoding="utf-8")
    (root / "eval_list.json").write_text(json.dumps([["题一", "正文一。"], ["题二", "正文二。"]], ensure_ascii=False), encoding="utf-8")


def test_gold_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    write_gold([_doc()], path)
    line = json.loads(path.read_text(encoding="utf-8"))
    assert list(line) == ["id", "text", "meta", "spans", "relations"]
    assert line["relations"] == [{"head": "T1", "tail": "T2", "label": "LENDS_TO", "attrs": {"amount": "T3"}, "cross_sentence": True}]
    back = read_gold(path)
    assert back == [_doc()] and back[0].line == 1


def test_gold_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(_doc().to_dict(), ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl:2: bad JSON"):
        read_gold(path)
    path.write_text('{"id": "x", "text": "文", "spans": [{"id": "T1", "start": "0"}]}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl:1: \[x\] span 0: field 'start' must be int"):
        read_gold(path)


def test_sources(tmp_path: Path) -> None:
    _sources(tmp_path)
    assert get_text("news.jsonl", "d1", tmp_path) == TEXT
    assert get_text("page.txt", "seed-page", tmp_path).startswith("一整页")
    assert get_text("eval_list.json", "finna-eval-1", tmp_path) == "正文二。"
    with pytest.raises(CorpusError, match="no document with id 'd9'"):
        get_text("news.jsonl", "d9", tmp_path)
    with pytest.raises(CorpusError, match="source file not found"):
        get_text("missing.jsonl", "d1", tmp_path)


def test_standoff_round_trip_and_sha_mismatch(tmp_path: Path) -> None:
    _sources(tmp_path)
    rec = to_standoff(_doc(), "news.jsonl")
    assert "text" not in rec and rec["sha256"] == sha256_text(TEXT) and rec["source"] == "news.jsonl"
    path = tmp_path / "so.jsonl"
    write_standoff([_doc()], path)
    assert TEXT not in path.read_text(encoding="utf-8")
    assert load_standoff(path, tmp_path) == [_doc()]
    # both kinds of file load through load_documents
    gold = tmp_path / "gold.jsonl"
    write_gold([GoldDoc("g1", "长沙。", {}, [GoldSpan("T1", 0, 2, "LOC", "长沙")])], gold)
    assert [d.id for d in load_documents([gold, path], tmp_path)] == ["g1", "d1"]
    # the source text changes: a clear error naming file, line and doc
    with open(tmp_path / "news.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "d1", "text": TEXT + "补充。"}, ensure_ascii=False) + "\n")
    with pytest.raises(CorpusError, match=r"so\.jsonl:1: \[d1\] source text changed"):
        load_standoff(path, tmp_path)
    (tmp_path / "news.jsonl").unlink()
    with pytest.raises(CorpusError, match=r"so\.jsonl:1: \[d1\] source text missing"):
        load_standoff(path, tmp_path)


def test_split_is_deterministic_and_stats(tmp_path: Path) -> None:
    ids = [f"doc-{i}" for i in range(500)] + ["seed-page"]
    split = make_split(ids)
    assert split == make_split(reversed(ids))
    assert "seed-page" in split["dev"]
    assert 0.15 < len(split["dev"]) / len(ids) < 0.25
    assert all(split_of(i) == "train" for i in split["train"])
    # an id already placed keeps its split
    assert "doc-0" in make_split(ids, {"dev": ["doc-0"], "train": []})["dev"]
    gold = tmp_path / "gold.jsonl"
    write_gold([_doc()], gold)
    st = corpus_stats([gold], {"train": ["d1"], "dev": []})
    assert st["train"].documents == 1 and st["train"].characters == len(TEXT)
    assert st["train"].spans["MONEY"] == 1 and st["train"].relations["LENDS_TO"] == 1
    assert st["total"].cross_sentence == 1 and "dev" not in st
