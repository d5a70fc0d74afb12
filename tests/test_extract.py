"""The extract contract: inputs, records, offsets, bad input, chunking, temp output and --resume."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
from typer.testing import CliRunner

import ner.pipeline as pipeline
from ner.cli import _register, app
from ner.inputs import InputRecord
from ner.settings import corpus_path

_register()
runner = CliRunner()

ARTICLE = "近日，湘江银行岳阳分行推出稻虾贷，面向养殖户提供最高额度50万元的信用贷款。\n该行已累计发放贷款3.2亿元。\n"


def run(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, ["extract", "--no-progress", *args], input=input)


def check_offsets(rec: Dict[str, Any]) -> None:
    text = rec["text"]
    spans: List[Dict[str, Any]] = list(rec["ents"])
    for r in rec["relations"]:
        spans += [r["head"], r["tail"]] + ([r["attrs"]["amount"]] if "amount" in r.get("attrs", {}) else [])
    for s in spans:
        assert text[s["start"] : s["end"]] == s["text"]


@pytest.fixture(scope="module")
def nlp():
    return pipeline.load()


def test_load_gives_docs_with_ents_and_relations(nlp) -> None:
    doc = nlp(ARTICLE)
    assert doc.text == ARTICLE
    assert isinstance(doc._.relations, list)
    assert "MONEY" in {e.label_ for e in doc.ents}


def test_txt_input_record(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    res = run(str(p))
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert len(recs) == 1 and recs[0]["id"] == "a.txt" and recs[0]["text"] == ARTICLE
    assert {"50万元", "3.2亿元"} <= {e["text"] for e in recs[0]["ents"]}
    check_offsets(recs[0])


def test_seed_page_one_record_offsets_valid(tmp_path: Path) -> None:
    seed = corpus_path("corpora/seed/hunan-daily-page.txt")
    out = tmp_path / "seed.jsonl"
    res = run(str(seed), "-o", str(out))
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 1
    assert recs[0]["text"] == seed.read_text(encoding="utf-8")
    assert recs[0]["ents"], "the seed page has entities"
    check_offsets(recs[0])
    assert any("\n" in e["text"] or " " in e["text"] for e in recs[0]["ents"]), "a span across a PDF break maps back whole"


def test_jsonl_meta_and_bad_lines(tmp_path: Path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text(
        json.dumps({"id": "d1", "text": ARTICLE, "date": "2025-01-01"}, ensure_ascii=False) + "\n{broken\n"
        + json.dumps({"id": "d2", "text": ""}) + "\n",
        encoding="utf-8",
    )
    res = run(str(p))
    assert res.exit_code == 1
    assert f"{p}:2" in res.output and "malformed JSON" in res.output
    res = run(str(p), "--skip-bad-lines")
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert [r["id"] for r in recs] == ["d1", "d2"]
    assert recs[0]["meta"] == {"date": "2025-01-01"}
    assert recs[1]["ents"] == [] and recs[1]["relations"] == []


def test_invalid_utf8_names_file_and_offset(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes("湘江银行".encode() + b"\xff\xfe" + "贷款".encode())
    res = run(str(p))
    assert res.exit_code == 1
    assert "bad.txt" in res.output and "byte offset 12" in res.output
    res = run(str(p), "--errors", "replace")
    assert res.exit_code == 0, res.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("x.txt", "--format", "xml").exit_code == 2
    assert run(str(tmp_path / "missing.txt")).exit_code == 1


def test_folder_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "d" / "a.txt").write_text("湘江银行。", encoding="utf-8")
    res = run(str(tmp_path / "d"))
    ids = [json.loads(line)["id"] for line in res.stdout.splitlines() if line.startswith("{")]
    assert ids == ["a.txt", "b.txt"]
    res = run("-", input=ARTICLE)
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert recs[0]["text"] == ARTICLE


def test_long_document_chunked_at_sentences(nlp) -> None:
    text = ARTICLE * 40
    recs = list(pipeline.extract_records(nlp, [InputRecord("long", text)], max_chars=120))
    assert len(recs) == 1
    money = [e for e in recs[0]["ents"] if e["label"] == "MONEY"]
    assert len(money) == 80
    check_offsets(recs[0])
    assert pipeline.chunk_text("一二三。四五六。七八九。", 5) == [(0, "一二三。"), (4, "四五六。"), (8, "七八九。")]


def test_output_renamed_and_resume(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": f"第{i}笔贷款{i}万元。"}, ensure_ascii=False) + "\n" for i in range(5)),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert run(str(src), "-o", str(out)).exit_code == 0
    full = out.read_text(encoding="utf-8").splitlines()
    assert len(full) == 5 and not (tmp_path / "out.jsonl.partial").exists()
    # an interrupted run: two complete records and a torn third line
    out.unlink()
    (tmp_path / "out.jsonl.partial").write_text("\n".join(full[:2]) + "\n" + full[2][:15], encoding="utf-8")
    res = run(str(src), "-o", str(out), "--resume")
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").splitlines() == full


def test_resume_refuses_other_input(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x", "text": "一。"}) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    (tmp_path / "o.jsonl.partial").write_text(json.dumps({"id": "other", "text": ""}) + "\n", encoding="utf-8")
    res = run(str(src), "-o", str(out), "--resume")
    assert res.exit_code == 1 and "cannot resume" in res.output


def test_csv_output_and_resume(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": f"贷款{i}万元。"}, ensure_ascii=False) + "\n" for i in range(1, 4)),
        encoding="utf-8",
    )
    out = tmp_path / "o.csv"
    assert run(str(src), "-o", str(out), "--format", "csv").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    ents = [r for r in rows if r["kind"] == "ent"]
    assert [r["text"] for r in ents] == ["1万元", "2万元", "3万元"]
    full = out.read_text(encoding="utf-8")
    out.unlink()
    lines = full.splitlines(keepends=True)
    (tmp_path / "o.csv.partial").write_text("".join(lines[:4]), encoding="utf-8")  # header, d1 done, half of d2
    res = run(str(src), "-o", str(out), "--format", "csv", "--resume")
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8") == full


def test_spacy_load_without_importing_package() -> None:
    """Entry points register the tokenizer and components, so plain spacy.load() works."""
    import subprocess
    import sys

    code = (
        "import spacy, sys; nlp = spacy.load(sys.argv[1]); "
        "doc = nlp('湘江银行发放贷款3亿元。'); print([e.text for e in doc.ents], type(doc._.relations).__name__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(pipeline.DEFAULT_MODEL)], capture_output=True, text=True, check=True
    ).stdout
    assert "3亿元" in out and "list" in out


def test_invalid_utf8_in_jsonl_names_absolute_offset(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    first = (json.dumps({"id": "a", "text": "湘江银行。"}, ensure_ascii=False) + "\n").encode()
    p.write_bytes(first + b'{"id": "b", "text": "\xff"}\n')
    res = run(str(p))
    assert res.exit_code == 1
    assert f"byte offset {len(first) + 21}" in res.output


def test_demo_prints_tables() -> None:
    res = runner.invoke(app, ["demo"])
    assert res.exit_code == 0, res.output
    assert "== sample_article.txt" in res.output
    assert "label" in res.output and "relation" in res.output
    assert "MONEY" in res.output
