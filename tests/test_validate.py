"""validate_files finds every kind of problem, with file and line; the CLI prints them and exits 1."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
import typer
from typer.testing import CliRunner

from ner.cli.corpus_cmds import register
from ner.corpus.sources import sha256_text
from ner.corpus.validate import validate_files

TEXT = "株洲银行为轨道交通企业提供授信50亿元。株洲银行行长 陈一鸣 出席。"


def _good() -> Dict[str, Any]:
    return {
        "id": "v1",
        "text": TEXT,
        "meta": {},
        "spans": [
            {"id": "T1", "start": 0, "end": 4, "label": "ORG", "text": "株洲银行"},
            {"id": "T2", "start": 5, "end": 11, "label": "SECTOR", "text": "轨道交通企业"},
            {"id": "T3", "start": 15, "end": 19, "label": "MONEY", "text": "50亿元"},
            {"id": "T4", "start": 20, "end": 24, "label": "ORG", "text": "株洲银行"},
            {"id": "T5", "start": 27, "end": 30, "label": "PERSON", "text": "陈一鸣"},
        ],
        "relations": [
            {"head": "T1", "tail": "T2", "label": "LENDS_TO", "attrs": {"amount": "T3"}},
            {"head": "T5", "tail": "T4", "label": "HOLDS_POSITION", "attrs": {"title": "行长"}},
        ],
    }


def _write(path: Path, records: List[Any]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records), encoding="utf-8")
    return path


def test_valid_file_has_no_problems(tmp_path: Path) -> None:
    assert validate_files([_write(tmp_path / "g.jsonl", [_good()])]) == []


def _messages(tmp_path: Path, mutate: Any) -> List[str]:
    rec = _good()
    mutate(rec)
    path = _write(tmp_path / "g.jsonl", [rec])
    problems = validate_files([path])
    assert all(p.file == str(path) and p.line == 1 for p in problems)
    return [p.message for p in problems]


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda r: r["spans"][0].update(text="株洲农商"), "span text mismatch"),
        (lambda r: r["spans"][1].update(start=3), "overlapping spans T1"),
        (lambda r: r["spans"][1].update(label="INDUSTRY"), "unknown label 'INDUSTRY'"),
        (lambda r: r["relations"].append({"head": "T2", "tail": "T1", "label": "LENDS_TO"}), "LENDS_TO does not allow SECTOR -> ORG"),
        (lambda r: r["relations"].append({"head": "T1", "tail": "T9", "label": "PART_OF"}), "dangling tail 'T9'"),
        (lambda r: r["relations"][0]["attrs"].update(amount="T2"), "amount T2 is SECTOR, not a MONEY span"),
        (lambda r: r["relations"][0]["attrs"].update(amount="T7"), "dangling amount 'T7'"),
        (lambda r: r["relations"].append({"head": "T1", "tail": "T4", "label": "OWNS"}), "unknown relation type 'OWNS'"),
        (lambda r: r["relations"][1]["attrs"].update(amount="T3"), "HOLDS_POSITION takes no 'amount'"),
        (lambda r: r["spans"].append({"id": "T1", "start": 12, "end": 14, "label": "SECTOR", "text": "授信"}), "duplicate span id"),
        (lambda r: r["spans"][4].update(start=26, text=" 陈一鸣"), "starts or ends on whitespace"),
        (lambda r: r["spans"][4].update(end=99), "run past the end"),
    ],
)
def test_each_problem_kind(tmp_path: Path, mutate: Any, expected: str) -> None:
    messages = _messages(tmp_path, mutate)
    assert any(expected in m for m in messages), messages


def test_all_problems_at_once_and_file_level(tmp_path: Path) -> None:
    rec = _good()
    rec["spans"][0]["text"] = "错"
    rec["spans"][1]["label"] = "BAD"
    a = _write(tmp_path / "a.jsonl", [rec, "{oops", _good()])
    b = _write(tmp_path / "b.jsonl", [_good()])
    problems = validate_files([a, b])
    where = [(Path(p.file).name, p.line) for p in problems]
    assert ("a.jsonl", 1) in where and ("a.jsonl", 2) in where
    assert any("bad JSON" in p.message and p.line == 2 for p in problems)
    assert sum("duplicate doc id" in p.message for p in problems) == 2  # a.jsonl:3 and b.jsonl:1
    assert len([p for p in problems if p.line == 1 and Path(p.file).name == "a.jsonl"]) == 2


def test_standoff_source_missing_or_changed(tmp_path: Path) -> None:
    (tmp_path / "src.jsonl").write_text(json.dumps({"id": "v1", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    rec = _good()
    del rec["text"]
    ok = dict(rec, source="src.jsonl", sha256=sha256_text(TEXT))
    assert validate_files([_write(tmp_path / "s.jsonl", [ok])], tmp_path) == []
    changed = dict(ok, sha256=sha256_text(TEXT + "。"))
    missing = dict(ok, id="v2")
    problems = validate_files([_write(tmp_path / "s.jsonl", [changed, missing])], tmp_path)
    assert [(p.line, p.doc_id) for p in problems] == [(1, "v1"), (2, "v2")]
    assert "source text changed" in problems[0].message and "source text missing" in problems[1].message


def test_cli_validate(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    good = _write(tmp_path / "good.jsonl", [_good()])
    bad_rec = _good()
    bad_rec["spans"][2]["label"] = "CASH"
    bad = _write(tmp_path / "bad.jsonl", [bad_rec])
    runner = CliRunner()
    result = runner.invoke(app, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1: [v1] span T3: unknown label 'CASH'" in result.output
