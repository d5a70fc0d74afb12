"""The benchmark command on a tiny self-written corpus: it times every system and scores them."""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ner.cli import _register, app
from ner.cli.benchmark_cmd import JIEBA_LABELS

_register()


def test_benchmark_times_and_scores(tmp_path: Path) -> None:
    docs = [
        {"id": "a", "text": "湘江银行向小微企业发放贷款3亿元。", "spans": [
            {"id": "T1", "start": 0, "end": 4, "label": "ORG", "text": "湘江银行"},
            {"id": "T2", "start": 5, "end": 9, "label": "SECTOR", "text": "小微企业"},
            {"id": "T3", "start": 13, "end": 16, "label": "MONEY", "text": "3亿元"}], "relations": []},
        {"id": "b", "text": "行长陈立新在长沙调研。", "spans": [
            {"id": "T1", "start": 2, "end": 5, "label": "PERSON", "text": "陈立新"},
            {"id": "T2", "start": 6, "end": 8, "label": "LOC", "text": "长沙"}], "relations": []},
    ]  # fmt: skip
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    out = tmp_path / "bench.json"
    res = CliRunner().invoke(
        app, ["benchmark", "--corpus", str(gold), "--limit", "2", "--repeat", "1", "--gold", str(gold), "--json", str(out)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["docs"] == 2 and data["chars"] == sum(len(d["text"]) for d in docs)
    by_name = {r["system"]: r for r in data["results"]}
    full = by_name["xiang-ner full pipeline (extract)"]
    assert full["chars_per_s"] > 0 and 0.0 <= full["f_all_labels"] <= 1.0 and "f_per_loc_org" in full
    assert "| tokenizer only |" in res.output
    assert set(JIEBA_LABELS.values()) == {"PERSON", "LOC", "ORG"}
