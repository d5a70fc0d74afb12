"""``xiang-ner graph``: nodes, edges, attributes, CSV headers and GraphML round trip."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Dict, List

import networkx as nx
from typer.testing import CliRunner

from ner.cli import _register, app
from ner.graph import EDGE_FIELDS, NODE_FIELDS, build_graph, normalise_entity

_register()
runner = CliRunner()


def span(text: str, sub: str, label: str | None = None, nth: int = 0) -> Dict[str, Any]:
    """The span of the ``nth`` occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    out: Dict[str, Any] = {"start": start, "end": start + len(sub), "text": sub}
    if label:
        out["label"] = label
    return out


def rel(label: str, head: Dict[str, Any], tail: Dict[str, Any], **attrs: Any) -> Dict[str, Any]:
    return {"label": label, "head": head, "tail": tail, "attrs": attrs, "cross_sentence": False}


T1 = "芙蓉村镇银行向柑橘种植业发放贷款1.5亿元。张晓红担任芙蓉村镇银行行长。"
T2 = "芙蓉村\n镇银行向柑橘种植业发放贷款8000万元。芙蓉村镇银行与潇湘信托签署战略合作协议。"
T3 = "潇湘信托与芙蓉村镇银行联合推出乡村振兴贷。"


def records() -> List[Dict[str, Any]]:
    bank1, sector1, money1 = span(T1, "芙蓉村镇银行", "ORG"), span(T1, "柑橘种植业", "SECTOR"), span(T1, "1.5亿元", "MONEY")
    person, bank1b = span(T1, "张晓红", "PERSON"), span(T1, "芙蓉村镇银行", "ORG", nth=1)
    bank2, sector2 = span(T2, "芙蓉村\n镇银行", "ORG"), span(T2, "柑橘种植业", "SECTOR")
    money2, bank2b, trust2 = span(T2, "8000万元", "MONEY"), span(T2, "芙蓉村镇银行", "ORG"), span(T2, "潇湘信托", "ORG")
    trust3, bank3 = span(T3, "潇湘信托", "ORG"), span(T3, "芙蓉村镇银行", "ORG")
    return [
        {
            "id": "a1", "text": T1, "ents": [bank1, sector1, money1, person, bank1b],
            "relations": [
                rel("LENDS_TO", bank1, sector1, amount={k: money1[k] for k in ("start", "end", "text")}),
                rel("HOLDS_POSITION", person, bank1b, title="行长"),
            ],
        },
        {
            "id": "a2", "text": T2, "ents": [bank2, sector2, money2, bank2b, trust2],
            "relations": [
                rel("LENDS_TO", bank2, sector2, amount={k: money2[k] for k in ("start", "end", "text")}),
                rel("PARTNERS_WITH", bank2b, trust2),
            ],
        },
        {"id": "a3", "text": T3, "ents": [trust3, bank3], "relations": [rel("PARTNERS_WITH", trust3, bank3)]},
    ]


def write_jsonl(path: Path, recs: List[Dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return path


def read_csv(path: Path) -> List[Dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_normalise_entity_strips_breaks_and_maps_chars() -> None:
    assert normalise_entity("芙蓉村\n 镇銀行") == "芙蓉村镇银行"
    assert normalise_entity("ＡＢＣ银行") == "abc银行"


def test_graph_nodes_and_edges_from_records() -> None:
    g = build_graph(records())
    nodes = {r["id"]: r for r in g.node_rows()}
    bank = nodes["ORG:芙蓉村镇银行"]
    assert bank["name"] == "芙蓉村镇银行" and bank["label"] == "ORG"
    assert bank["mentions"] == 5 and bank["articles"] == "a1;a2;a3" and bank["n_articles"] == 3
    assert nodes["SECTOR:柑橘种植业"]["mentions"] == 2
    assert nodes["PERSON:张晓红"]["articles"] == "a1"
    assert len(nodes) == 6  # bank, sector, 2 x money, person, trust

    edges = {(r["source"], r["relation"], r["target"]): r for r in g.edge_rows()}
    assert len(edges) == 3
    lends = edges[("ORG:芙蓉村镇银行", "LENDS_TO", "SECTOR:柑橘种植业")]
    assert lends["count"] == 2 and lends["amounts"] == "1.5亿元;8000万元" and lends["articles"] == "a1;a2"
    assert lends["example"] == "芙蓉村镇银行向柑橘种植业发放贷款1.5亿元。"
    holds = edges[("PERSON:张晓红", "HOLDS_POSITION", "ORG:芙蓉村镇银行")]
    assert holds["titles"] == "行长" and holds["example"] == "张晓红担任芙蓉村镇银行行长。"
    # PARTNERS_WITH is symmetric: both directions merge into one edge
    partners = [r for r in g.edge_rows() if r["relation"] == "PARTNERS_WITH"]
    assert len(partners) == 1 and partners[0]["count"] == 2 and partners[0]["articles"] == "a2;a3"


def test_graph_cli_writes_csv_and_graphml(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "recs.jsonl", records())
    out = tmp_path / "out"
    res = runner.invoke(app, ["graph", str(src), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    nodes, edges = read_csv(out / "nodes.csv"), read_csv(out / "edges.csv")
    assert (out / "nodes.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(NODE_FIELDS)
    assert (out / "edges.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(EDGE_FIELDS)
    assert len(nodes) == 6 and len(edges) == 3
    g = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 3
    assert g.nodes["ORG:芙蓉村镇银行"]["mentions"] == 5
    data = g.get_edge_data("ORG:芙蓉村镇银行", "SECTOR:柑橘种植业")
    assert data["LENDS_TO"]["count"] == 2 and data["LENDS_TO"]["amounts"] == "1.5亿元;8000万元"


def test_graph_cli_runs_pipeline_on_text_input(tmp_path: Path) -> None:
    txt = tmp_path / "news.txt"
    txt.write_text("常德市畜牧水产事务中心主任李明辉表示，常德农商银行与湘西农信社签署合作协议。\n", encoding="utf-8")
    recs = write_jsonl(tmp_path / "recs.jsonl", records())
    out = tmp_path / "g"
    res = runner.invoke(app, ["graph", str(txt), str(recs), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    nodes = read_csv(out / "nodes.csv")
    from_txt = [n for n in nodes if n["articles"] == "news.txt"]
    assert from_txt, nodes
    assert {"PERSON", "ORG"} <= {n["label"] for n in from_txt}
    assert any(n["articles"] == "a1;a2;a3" for n in nodes)
    nx.read_graphml(out / "graph.graphml")


def test_graph_cli_bad_input_exit_codes(tmp_path: Path) -> None:
    res = runner.invoke(app, ["graph", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "o"), "--no-progress"])
    assert res.exit_code == 1
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "x", "text": "长沙", "ents": [{"start": 0, "end": 9, "label": "LOC"}], "relations": []}])
    res = runner.invoke(app, ["graph", str(bad), "-o", str(tmp_path / "o"), "--no-progress"])
    assert res.exit_code == 1 and "bad offsets" in res.output
    res = runner.invoke(app, ["graph", str(bad)])
    assert res.exit_code == 2
