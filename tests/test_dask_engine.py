"""``extract --engine dask`` (issue 7): same records as the single-process path, manifest, rerun, Parquet.

The documents are generated from the project's own templates (ner/scale/synthetic.py).
The local cluster runs worker threads in this process (hidden ``--dask-threads``) so that the tests
are quick and a monkeypatched function reaches the workers; the task code is the one worker
processes run.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List

import pytest
from typer.testing import CliRunner

pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import ner.pipeline as pipeline  # noqa: E402
from ner.cli import _register, app  # noqa: E402
from ner.scale.dask_engine import iter_output, read_manifest  # noqa: E402
from ner.scale.sources import plan, read_partition  # noqa: E402
from ner.scale.synthetic import generate  # noqa: E402

_register()
runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent
N_DOCS = 300


def extract(*args: str) -> Any:
    return runner.invoke(app, ["extract", "--no-progress", *args])


def dask(*args: str, workers: str = "2") -> Any:
    return extract("--engine", "dask", "--dask-threads", "--workers", workers, *args)


def read_jsonl(path: Path) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


@pytest.fixture(scope="module")
def docs() -> List[Dict[str, Any]]:
    """Generated articles plus edge cases: empty text, no entities, an id-less record, a number id."""
    out = list(generate(N_DOCS, seed=11, min_chars=40, max_chars=220))
    out[5]["text"] = ""
    out[17]["text"] = "今天天气晴朗。"
    del out[42]["id"]
    out[77]["id"] = 77
    out[90]["source"] = {"page": 3, "tags": ["金融", "农业"]}
    return out


@pytest.fixture(scope="module")
def jsonl_input(tmp_path_factory: pytest.TempPathFactory, docs: List[Dict[str, Any]]) -> Path:
    path = tmp_path_factory.mktemp("dask_in") / "news.jsonl"
    lines = [json.dumps(d, ensure_ascii=False) for d in docs]
    lines.insert(100, "")  # a blank line: ids and line numbers after it must still match
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory, jsonl_input: Path) -> List[Dict[str, Any]]:
    """The records of the plain single-process ``xiang-ner extract``."""
    out = tmp_path_factory.mktemp("dask_single") / "single.jsonl"
    res = extract(str(jsonl_input), "-o", str(out))
    assert res.exit_code == 0, res.output
    recs = read_jsonl(out)
    assert len(recs) == N_DOCS and sum(len(r["ents"]) for r in recs) > N_DOCS
    return recs


def test_plan_covers_inputs_in_order(tmp_path: Path, jsonl_input: Path) -> None:
    folder = tmp_path / "txt"
    (folder / "b").mkdir(parents=True)
    for i in range(9):
        (folder / ("b" if i % 2 else "") / f"{i}.txt").write_text("湘江银行发放贷款。" * (i + 1), encoding="utf-8")
    for n in (1, 2, 7, 50):
        parts = plan([str(jsonl_input), str(folder)], n)
        assert 1 <= len(parts) <= n and all(parts)
        lines = [r["lines"] for p in parts for r in p if r["kind"] == "jsonl"]
        files = [r["files"] for p in parts for r in p if r["kind"] == "txt_dir"]
        assert lines[0][0] == 1 and all(a[1] == b[0] for a, b in zip(lines, lines[1:]))
        assert files[0][0] == 0 and files[-1][1] == 9 and all(a[1] == b[0] for a, b in zip(files, files[1:]))
        ids = [r.id for p in parts for r in read_partition(p)]
        assert len(ids) == N_DOCS + 9 and ids[42] == "news.jsonl:43" and ids[-1] == "b/7.txt"
    assert len(plan([str(jsonl_input)], 7)) == 7


def test_dask_jsonl_records_identical_to_single_process(tmp_path: Path, jsonl_input: Path, expected: List[Dict[str, Any]]) -> None:
    out = tmp_path / "out"
    res = dask(str(jsonl_input), "--partitions", "7", "-o", str(out))
    assert res.exit_code == 0, res.output
    manifest = read_manifest(out)
    parts = manifest["partitions"]
    assert [p["output"] for p in parts] == [f"part-{k:05d}.jsonl" for k in range(7)]
    assert all(p["status"] == "done" and p["error"] is None for p in parts)
    assert manifest["totals"]["docs"] == N_DOCS == sum(p["docs"] for p in parts)
    assert manifest["input"] == [str(jsonl_input.resolve())] and manifest["format"] == "jsonl"
    # concatenating the part files in order gives exactly the single-process output
    got = [rec for p in parts for rec in read_jsonl(out / p["output"])]
    assert got == expected
    assert list(iter_output(out)) == expected
    # the pipeline is loaded once per worker, not once per partition
    assert 1 <= sum(p["load_seconds"] > 0 for p in parts) <= 2
    # a second run into the same folder is refused (it would lose the manifest)
    assert dask(str(jsonl_input), "-o", str(out)).exit_code == 2


def test_txt_folder_and_parquet_in_and_out(tmp_path: Path, docs: List[Dict[str, Any]], expected: List[Dict[str, Any]]) -> None:
    # a folder of .txt files: same records as the single-process extract of the folder
    folder = tmp_path / "pages"
    for i, d in enumerate(docs[:24]):
        sub = folder / f"day{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:03d}.txt").write_text(d["text"], encoding="utf-8")
    single = tmp_path / "single_txt.jsonl"
    assert extract(str(folder), "-o", str(single)).exit_code == 0
    out_txt = tmp_path / "out_txt"
    res = dask(str(folder), "--partitions", "4", "-o", str(out_txt))
    assert res.exit_code == 0, res.output
    assert list(iter_output(out_txt)) == read_jsonl(single)

    # Parquet with id/text (+ other columns -> meta) in, Parquet out: the same records as from JSONL
    rows = [dict(d) for d in docs]
    for k, row in enumerate(rows):
        row["id"] = str(row["id"]) if "id" in row else None
        row["source"] = json.dumps(row["source"], ensure_ascii=False) if "source" in row else None
    table = pa.Table.from_pylist(
        [{"id": r["id"], "text": r["text"], "date": r["date"]} for r in rows],
        schema=pa.schema([("id", pa.string()), ("text", pa.string()), ("date", pa.string())]),
    )
    src = tmp_path / "news.parquet"
    pq.write_table(table, src, row_group_size=64)
    out_pq = tmp_path / "out_pq"
    res = dask(str(src), "--partitions", "5", "--format", "parquet", "-o", str(out_pq))
    assert res.exit_code == 0, res.output
    parts = read_manifest(out_pq)["partitions"]
    assert [p["output"] for p in parts][-1].endswith(".parquet") and len(parts) == 5
    assert pq.ParquetFile(out_pq / parts[0]["output"]).schema_arrow.field("ents").type.value_type.num_fields == 4
    want = []
    for rec in expected:
        rec = {**rec, "meta": {"date": rec["meta"]["date"]}}
        if rec["id"] == "news.jsonl:43":
            rec["id"] = "news.parquet:43"  # no id: named after the input and the row
        want.append(rec)
    assert list(iter_output(out_pq)) == want
    # a Parquet file without a text column is bad input
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), bad)
    res = dask(str(bad), "-o", str(tmp_path / "out_bad"))
    assert res.exit_code == 1 and "'text' column" in res.output


def test_failed_partition_is_reported_and_rerun_alone(
    tmp_path: Path, jsonl_input: Path, expected: List[Dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    make_record = pipeline.make_record

    def flaky(rec: Any, ents: Any, rels: Any) -> Any:
        if rec.id == "syn-000150":
            raise RuntimeError("injected failure")
        return make_record(rec, ents, rels)

    monkeypatch.setattr(pipeline, "make_record", flaky)
    res = dask(str(jsonl_input), "--partitions", "6", "-o", str(out))
    assert res.exit_code == 1
    manifest = read_manifest(out)
    failed = [p for p in manifest["partitions"] if p["status"] != "done"]
    assert len(failed) == 1 and failed[0]["status"] == "failed"
    k = failed[0]["index"]
    assert "RuntimeError: injected failure" in failed[0]["error"]
    assert f"partition {k} FAILED (news.jsonl lines" in res.output and "--rerun-failed" in res.output
    assert not (out / failed[0]["output"]).exists() and not list(out.glob("*.partial"))

    monkeypatch.setattr(pipeline, "make_record", make_record)
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.jsonl")}
    res = dask(str(jsonl_input), "-o", str(out), "--rerun-failed")
    assert res.exit_code == 0, res.output
    after = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.jsonl")}
    assert {n: t for n, t in after.items() if n in before} == before, "finished partitions are not redone"
    assert set(after) - set(before) == {failed[0]["output"]}
    assert list(iter_output(out)) == expected
    assert read_manifest(out)["totals"] == {"partitions": 6, "done": 6, "failed": 0, "docs": N_DOCS, "chars": sum(len(r["text"]) for r in expected)}

    res = dask(str(jsonl_input), "-o", str(out), "--rerun-failed")
    assert res.exit_code == 0 and "nothing to rerun" in res.output
    res = dask(str(jsonl_input), "-o", str(out), "--partitions-only", "0,2")
    assert res.exit_code == 0, res.output
    again = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.jsonl")}
    assert {n for n in again if again[n] != after[n]} == {"part-00000.jsonl", "part-00002.jsonl"}
    assert list(iter_output(out)) == expected
    assert dask(str(jsonl_input), "-o", str(out), "--partitions-only", "9").exit_code == 2


def test_bad_record_fails_its_partition(tmp_path: Path, docs: List[Dict[str, Any]]) -> None:
    src = tmp_path / "in.jsonl"
    lines = [json.dumps(d, ensure_ascii=False) for d in docs[:40]]
    lines[30] = '{"id": "broken", "text": '
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    res = dask(str(src), "--partitions", "4", "-o", str(out))
    assert res.exit_code == 1
    parts = read_manifest(out)["partitions"]
    assert [p["status"] for p in parts] == ["done", "done", "done", "failed"]
    assert "in.jsonl:31: malformed JSON" in parts[3]["error"] and "in.jsonl:31" in res.output
    res = dask(str(src), "-o", str(out), "--rerun-failed", "--skip-bad-lines")
    assert res.exit_code == 0, res.output
    assert "in.jsonl:31: malformed JSON" in res.output and "(skipped)" in res.output
    assert [r["id"] for r in iter_output(out)] == [d["id"] for i, d in enumerate(docs[:40]) if i != 30]
    # an input edited after planning no longer matches the manifest's ranges: refused
    src.write_text("\n".join(lines[:30] + lines[31:]) + "\n", encoding="utf-8")
    res = dask(str(src), "-o", str(out), "--partitions-only", "3")
    assert res.exit_code == 1 and "changed since this run was planned" in res.output


def test_worker_processes_give_the_same_records(tmp_path: Path, docs: List[Dict[str, Any]]) -> None:
    """The default local cluster: spawned worker processes (task pickled, pipeline loaded there)."""
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs[:30]), encoding="utf-8")
    single = tmp_path / "single.jsonl"
    assert extract(str(src), "-o", str(single)).exit_code == 0
    out = tmp_path / "out"
    res = extract(str(src), "--engine", "dask", "--workers", "1", "--partitions", "3", "-o", str(out))
    assert res.exit_code == 0, res.output
    parts = read_manifest(out)["partitions"]
    assert len({p["worker"] for p in parts}) == 1 and parts[0]["worker"].split(":")[-1] != str(os.getpid())
    assert list(iter_output(out)) == read_jsonl(single)


def test_usage_and_input_errors(tmp_path: Path, jsonl_input: Path) -> None:
    out = str(tmp_path / "out")
    assert dask(str(jsonl_input)).exit_code == 2  # no -o DIR
    assert dask(str(jsonl_input), "-o", out, "--resume").exit_code == 2
    assert dask("-", "-o", out).exit_code == 2
    assert dask(str(jsonl_input), "-o", out, "--format", "xml").exit_code == 2
    assert dask(str(jsonl_input), "-o", out, "--rerun-failed").exit_code == 2  # no manifest yet
    assert dask(str(jsonl_input), "-o", out, "--partitions-only", "a,b").exit_code == 2
    assert extract(str(jsonl_input), "--scheduler", "tcp://127.0.0.1:1").exit_code == 2  # needs --engine dask
    assert extract(str(jsonl_input), "--engine", "spark").exit_code == 2
    assert extract(str(jsonl_input), "--format", "parquet").exit_code == 2
    res = dask(str(tmp_path / "missing.jsonl"), "-o", out)
    assert res.exit_code == 1 and "no such file" in res.output
    assert not (tmp_path / "out").exists()
