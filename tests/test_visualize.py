"""``xiang-ner visualize``: a self-contained HTML page with labelled marks and relation tables."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any, Dict, List

from typer.testing import CliRunner

from ner.cli import _register, app
from ner.schema import ENTITY_LABELS
from ner.visualize import highlight, label_colour

_register()
runner = CliRunner()

TEXT = "据报道，<b>湘南农商银行</b>向油茶种植户发放贷款2000万元。\n王丽芳任该行董事长。"


def span(sub: str, label: str | None = None) -> Dict[str, Any]:
    start = TEXT.index(sub)
    out: Dict[str, Any] = {"start": start, "end": start + len(sub), "text": sub}
    if label:
        out["label"] = label
    return out


def records() -> List[Dict[str, Any]]:
    bank, sector, money, person = (
        span("湘南农商银行", "ORG"), span("油茶种植户", "SECTOR"), span("2000万元", "MONEY"), span("王丽芳", "PERSON")
    )
    return [
        {
            "id": "doc<1>",
            "text": TEXT,
            "ents": [bank, sector, money, person],
            "relations": [
                {"label": "LENDS_TO", "head": bank, "tail": sector,
                 "attrs": {"amount": {k: money[k] for k in ("start", "end", "text")}}, "cross_sentence": False},
                {"label": "HOLDS_POSITION", "head": person, "tail": bank, "attrs": {"title": "董事长"},
                 "cross_sentence": True},
            ],
        },
        {"id": "doc2", "text": "湘潭市今年新增就业岗位三千个。", "ents": [
            {"start": 0, "end": 3, "label": "LOC", "text": "湘潭市"}], "relations": []},
    ]


def make_page(tmp_path: Path, *inputs: str) -> str:
    out = tmp_path / "page.html"
    res = runner.invoke(app, ["visualize", *inputs, "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    return out.read_text(encoding="utf-8")


def write_records(tmp_path: Path) -> Path:
    p = tmp_path / "recs.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records()), encoding="utf-8")
    return p


def assert_self_contained(page: str) -> None:
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<script\b", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"\bsrc\s*=", page, re.I)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page


def test_page_marks_every_entity_with_its_label(tmp_path: Path) -> None:
    page = make_page(tmp_path, str(write_records(tmp_path)))
    assert_self_contained(page)
    for rec in records():
        for ent in rec["ents"]:
            label = ent["label"]
            assert (
                f'<mark class="ent" data-label="{label}" style="background:{label_colour(label)}">'
                f'{html.escape(ent["text"])}<span class="lbl">{label}</span></mark>'
            ) in page
    assert page.count("<section") == 2
    assert "<h2>doc&lt;1&gt;</h2>" in page and "<h2>doc2</h2>" in page


def test_page_escapes_input_text(tmp_path: Path) -> None:
    page = make_page(tmp_path, str(write_records(tmp_path)))
    assert "&lt;b&gt;" in page and "<b>" not in page
    assert "doc<1>" not in page


def test_relations_table(tmp_path: Path) -> None:
    page = make_page(tmp_path, str(write_records(tmp_path)))
    first = page.split("<section")[1]
    assert first.count("<tr>") == 3  # header + two relations
    assert "<td>LENDS_TO</td>" in first and "amount=2000万元" in first and "title=董事长" in first
    assert "<td>yes</td>" in first and "<td>no</td>" in first
    assert "no relations" in page.split("<section")[2]


def test_colours_distinct_per_label() -> None:
    assert len({label_colour(label) for label in ENTITY_LABELS}) == len(ENTITY_LABELS)


def test_highlight_skips_overlaps_and_keeps_text() -> None:
    text = "岳阳市君山区"
    out = highlight(text, [{"start": 0, "end": 3, "label": "LOC"}, {"start": 0, "end": 6, "label": "LOC"}])
    assert out.count("<mark") == 1 and "岳阳市君山区<span" in out


def test_visualize_runs_pipeline_on_text(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text("株洲银行向陶瓷企业发放贷款5000万元 <重点项目>。\n", encoding="utf-8")
    page = make_page(tmp_path, str(txt))
    assert_self_contained(page)
    assert "<h2>a.txt</h2>" in page and "&lt;重点项目&gt;" in page
    assert '<mark class="ent" data-label="MONEY"' in page


def test_visualize_bad_input(tmp_path: Path) -> None:
    res = runner.invoke(app, ["visualize", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "p.html"), "--no-progress"])
    assert res.exit_code == 1 and not (tmp_path / "p.html").exists() and not (tmp_path / "p.html.part").exists()
    res = runner.invoke(app, ["visualize", str(tmp_path / "nope.txt")])
    assert res.exit_code == 2
