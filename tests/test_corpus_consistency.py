"""Annotation consistency report (``xiang-ner corpus consistency``) on self-written documents."""
import json
from pathlib import Path
from typing import List, Tuple

from typer.testing import CliRunner

from ner.cli import _register, app
from ner.corpus.consistency import format_reports, surface_reports
from ner.corpus.gold import GoldDoc, GoldSpan

_register()


def _doc(did: str, text: str, spans: List[Tuple[str, str, int]]) -> GoldDoc:
    """spans: (surface, label, nth occurrence 1-based)."""
    out = []
    for k, (surface, label, nth) in enumerate(spans):
        i = -1
        for _ in range(nth):
            i = text.index(surface, i + 1)
        out.append(GoldSpan(f"T{k + 1}", i, i + len(surface), label, surface))
    return GoldDoc(did, text, spans=out)


DOCS = [
    _doc("a", "银行向茶叶企业发放贷款。茶叶价格上涨。", [("茶叶企业", "SECTOR", 1)]),
    _doc("b", "当地茶叶产业发展迅速，茶叶种植户增收。", [("茶叶", "SECTOR", 1), ("茶叶种植户", "SECTOR", 1)]),
    _doc("c", "茶叶出口增长，农业农村部发布通知。农业保持稳定。", [("茶叶", "SECTOR", 1), ("农业农村部", "ORG", 1), ("农业", "SECTOR", 2)]),
]


def test_counts_untagged_occurrences_outside_any_span() -> None:
    reps = {r.surface: r for r in surface_reports(DOCS)}
    tea = reps["茶叶"]
    # tagged in b and c; untagged: the second 茶叶 of a (the first lies inside 茶叶企业), none in b
    # (the second lies inside 茶叶种植户), none in c
    assert (tea.tagged, tea.untagged, tea.label) == (2, 1, "SECTOR")
    assert tea.untagged_docs == {"a"} and tea.untagged_examples == [("a", 12, 14)]
    farm = reps["农业"]  # the 农业 inside 农业农村部 (ORG) does not count as untagged
    assert (farm.tagged, farm.untagged) == (1, 0)
    assert reps["茶叶企业"].untagged == 0
    assert surface_reports(DOCS)[0].surface == "茶叶"  # most mixed first
    assert set(r.surface for r in surface_reports(DOCS, labels=["ORG"])) == {"农业农村部"}


def test_format_lists_only_mixed_surfaces_with_context() -> None:
    table = format_reports(surface_reports(DOCS), {d.id: d for d in DOCS})
    lines = table.splitlines()
    assert len(lines) == 2 and lines[1].startswith("茶叶\tSECTOR\t2\t1\t2/1\ta: ")
    assert "[茶叶]价格" in lines[1]


def test_cli_reads_gold_files_and_rejects_unknown_labels(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in DOCS), encoding="utf-8")
    res = CliRunner().invoke(app, ["corpus", "consistency", str(path), "-l", "SECTOR"])
    assert res.exit_code == 0, res.output
    assert "茶叶\tSECTOR\t2\t1" in res.output
    res = CliRunner().invoke(app, ["corpus", "consistency", str(path), "-l", "CROP"])
    assert res.exit_code == 2 and "unknown label(s) CROP" in res.output
