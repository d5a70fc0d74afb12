"""training/apply_span_edits.py: one occurrence's tag added or removed, every other tag and relation kept."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))

from apply_span_edits import edit_doc, plan_skips  # noqa: E402

from ner.corpus.ann import parse_ann, resolve  # noqa: E402

TEXT = "小麦丰收，省农业银行向小麦种植户发放贷款。新小麦上市，小麦价格稳定。现代农业发展。"


def _doc(tmp_path: Path, body: str):
    p = tmp_path / "t.ann"
    p.write_text("### id=t1\n" + body, encoding="utf-8")
    anns, problems = parse_ann(p)
    assert not problems
    return p, anns[0]


def _resolved(ann):
    res, errors, _ = resolve(ann, TEXT, "test", "t.ann")
    assert not errors, errors
    return res


def _spans(res):
    return {(s.start, s.end, s.label) for s in res.doc.spans}


def _rels(res):
    by_id = {s.id: (s.start, s.end) for s in res.doc.spans}
    return [(r.label, by_id[r.head], by_id[r.tail]) for r in res.doc.relations]


def _edit(tmp_path, body, edits):
    p, ann = _doc(tmp_path, body)
    before = _resolved(ann)
    lines = p.read_text(encoding="utf-8").split("\n")
    report = []
    edit_doc(ann, lines, edits, TEXT, "test", str(p), report)
    p.write_text("\n".join(x for x in lines if x is not None), encoding="utf-8")
    anns, problems = parse_ann(p)
    assert not problems
    return before, _resolved(anns[0]), report


def test_plan_skips_tags_exactly_the_wanted_occurrences(tmp_path):
    _p, ann = _doc(tmp_path, "ENT SECTOR 小麦\n")
    occ = [i for i in range(len(TEXT)) if TEXT.startswith("小麦", i)]
    assert len(occ) == 4
    keep, skips = plan_skips(ann, TEXT, {(occ[1], occ[1] + 2, "SECTOR")})
    assert keep == {"小麦": "SECTOR"}
    assert skips == {("小麦", 1), ("小麦", 3), ("小麦", 4)}


def test_adding_a_new_surface_writes_its_ent_and_skips_the_rest(tmp_path):
    i = TEXT.index("农业发展")
    before, after, report = _edit(tmp_path, "ENT ORG 省农业银行\n", [
        {"doc": "t1", "start": i, "end": i + 2, "label": "SECTOR", "action": "add"}])
    assert not report
    assert _spans(after) == _spans(before) | {(i, i + 2, "SECTOR")}  # 农业 inside 省农业银行 stays untagged


def test_removal_keeps_relations_on_the_same_occurrences(tmp_path):
    body = "ENT ORG 省农业银行\nENT SECTOR 小麦\nREL 省农业银行 LENDS_TO 小麦\n"
    p, ann = _doc(tmp_path, body)
    res = _resolved(ann)
    lent = _rels(res)[0][2]
    first = TEXT.index("小麦")
    assert lent != (first, first + 2)
    before, after, report = _edit(tmp_path, body, [
        {"doc": "t1", "start": first, "end": first + 2, "label": "SECTOR", "action": "remove"}])
    assert not report
    assert _spans(after) == _spans(before) - {(first, first + 2, "SECTOR")}
    assert _rels(after) == _rels(before)


def test_removing_a_span_a_relation_uses_is_refused(tmp_path):
    body = "ENT ORG 省农业银行\nENT SECTOR 小麦\nREL 省农业银行 LENDS_TO 小麦\n"
    p, ann = _doc(tmp_path, body)
    lent = _rels(_resolved(ann))[0][2]
    before, after, report = _edit(tmp_path, body, [
        {"doc": "t1", "start": lent[0], "end": lent[1], "label": "SECTOR", "action": "remove"}])
    assert report and "refused" in report[0]
    assert _spans(after) == _spans(before)


def test_a_second_label_for_a_surface_is_an_error(tmp_path):
    _p, ann = _doc(tmp_path, "ENT ORG 小麦\nSKIP 小麦 1\n")
    with pytest.raises(ValueError, match="ENT ORG"):
        plan_skips(ann, TEXT, {(0, 2, "SECTOR")})


def test_adding_a_surface_that_has_another_label_is_refused(tmp_path):
    before, after, report = _edit(tmp_path, "ENT ORG 小麦\nSKIP 小麦 1\n", [
        {"doc": "t1", "start": 0, "end": 2, "label": "SECTOR", "action": "add"}])
    assert report and "ENT ORG" in report[0]
    assert _spans(after) == _spans(before)


def test_numbered_references_are_renumbered(tmp_path, monkeypatch):
    """``小麦#3`` counts tagged occurrences: untagging the first one makes the same occurrence ``#2``."""
    import apply_span_edits as tool

    body = "ENT ORG 省农业银行\nENT SECTOR 小麦\nREL 省农业银行 LENDS_TO 小麦#3\n"
    p = tmp_path / "batch_t.ann"
    p.write_text("### id=t1\n" + body, encoding="utf-8")
    edits = tmp_path / "edits.jsonl"
    edits.write_text('{"doc": "t1", "start": 0, "end": 2, "label": "SECTOR", "action": "remove"}\n', encoding="utf-8")
    third = [i for i in range(len(TEXT)) if TEXT.startswith("小麦", i)][2]
    monkeypatch.setattr(tool, "source_for_id", lambda _id: "test")
    monkeypatch.setattr(tool, "get_text", lambda _source, _id: TEXT)
    assert tool.main([str(edits), str(p)]) == 0
    assert "REL 省农业银行 LENDS_TO 小麦#2" in p.read_text(encoding="utf-8")
    res = _resolved(parse_ann(p)[0][0])
    assert _rels(res) == [("LENDS_TO", (TEXT.index("省农业银行"), TEXT.index("省农业银行") + 5), (third, third + 2))]
    assert (0, 2, "SECTOR") not in _spans(res)
