"""The .ann markup parser: matching, SKIP, #N, bare references, errors, and the seed acceptance test."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from ner.corpus.ann import load_ann, main
from ner.corpus.gold import GoldDoc, read_gold, relation_keys, span_key
from ner.settings import data_root

# Self-written test article (not third-party text).
TEXT = (
    "星沙银行湖南分行与湖南省工商局签署合作协议。\n"
    "该行向小微企 业发放贷款3000万元，湖南的农户也受益。"
    "星沙银行湖南分行推出\n惠企贷，面向小微企业。"
)


def _write(tmp_path: Path, ann: str) -> Tuple[Path, Dict[str, str]]:
    txt = tmp_path / "article.txt"
    txt.write_text(TEXT, encoding="utf-8")
    path = tmp_path / "batch.ann"
    path.write_text("### id=t1\n" + ann, encoding="utf-8")
    return path, {"t1": str(txt)}


def _spans(doc: GoldDoc) -> List[Tuple[str, str]]:
    return [(s.text, s.label) for s in doc.spans]


BASE = """\
# a comment
ENT ORG 星沙银行湖南分行
ENT ORG 湖南省工商局
ENT LOC 湖南
ENT SECTOR 小微企业
ENT SECTOR 农户
ENT MONEY 3000万元
ENT PROGRAMME 惠企贷
"""


def test_whitespace_longest_surface_and_ids(tmp_path: Path) -> None:
    path, over = _write(tmp_path, BASE)
    res = load_ann([path], over)
    assert res.errors == []
    doc = res.docs[0]
    assert doc.id == "t1"
    assert _spans(doc) == [
        ("星沙银行湖南分行", "ORG"),
        ("湖南省工商局", "ORG"),
        ("小微企 业", "SECTOR"),  # the span runs across the stray space
        ("3000万元", "MONEY"),
        ("湖南", "LOC"),  # only the stand-alone 湖南; those inside longer names are not tagged
        ("农户", "SECTOR"),
        ("星沙银行湖南分行", "ORG"),
        ("惠企贷", "PROGRAMME"),
        ("小微企业", "SECTOR"),
    ]
    assert [s.id for s in doc.spans] == [f"T{i}" for i in range(1, 10)]
    for s in doc.spans:
        assert TEXT[s.start : s.end] == s.text


def test_skip(tmp_path: Path) -> None:
    path, over = _write(tmp_path, BASE + "SKIP 湖南 1\nSKIP 小微企业 2\n")
    res = load_ann([path], over)
    assert res.errors == []
    texts = [t for t, _ in _spans(res.docs[0])]
    assert "湖南" not in texts
    assert texts.count("小微企业") == 0 and texts.count("小微企 业") == 1


def test_references_numbered_bare_and_attrs(tmp_path: Path) -> None:
    rels = """\
REL 星沙银行湖南分行 PARTNERS_WITH 湖南省工商局
REL 星沙银行湖南分行#1 LENDS_TO 小微企业#1 amount=3000万元 cross
REL 星沙银行湖南分行 OFFERS 惠企贷
REL 惠企贷 TARGETS 小微企业
"""
    path, over = _write(tmp_path, BASE + rels)
    res = load_ann([path], over)
    assert res.errors == [] and res.warnings == []
    doc = res.docs[0]
    by_id = doc.span_by_id()
    got = [
        (r.label, by_id[r.head].start, by_id[r.tail].start, r.attrs.get("amount"), r.cross_sentence)
        for r in doc.relations
    ]
    first_bank, second_bank = TEXT.find("星沙银行"), TEXT.rfind("星沙银行")
    bureau = TEXT.find("湖南省工商局")
    first_sme, last_sme = TEXT.find("小微企"), TEXT.rfind("小微企业")
    money_id = next(s.id for s in doc.spans if s.label == "MONEY")
    assert got == [
        ("PARTNERS_WITH", first_bank, bureau, None, False),  # bare head: nearest to the tail
        ("LENDS_TO", first_bank, first_sme, money_id, True),
        ("OFFERS", second_bank, TEXT.find("惠企贷"), None, False),  # nearest to 惠企贷
        ("TARGETS", TEXT.find("惠企贷"), last_sme, None, False),
    ]


def test_title_attribute(tmp_path: Path) -> None:
    text = "星沙银行董事长 王小明 表示。"
    txt = tmp_path / "a.txt"
    txt.write_text(text, encoding="utf-8")
    path = tmp_path / "b.ann"
    path.write_text("### id=t2\nENT ORG 星沙银行\nENT PERSON 王小明\nREL 王小明 HOLDS_POSITION 星沙银行 title=董事长\n", encoding="utf-8")
    res = load_ann([path], {"t2": str(txt)})
    assert res.errors == []
    assert res.docs[0].relations[0].attrs == {"title": "董事长"}


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    bad = """\
ENT ORG 星沙银行湖南分行
ENT LOC 湖南
ENT FOO 农户
ENT ORG 不存在的机构
ENT ORG 分行与湖南省
ENT SECTOR 小微企业
ENT PROGRAMME 惠企贷
REL 湖南 LENDS_TO 小微企业
REL 星沙银行湖南分行#5 OFFERS 惠企贷
REL 星沙银行湖南分行 OFFERS 云贷
REL 星沙银行湖南分行 LENDS_TO 小微企业 amount=惠企贷
SKIP 湖南 7
REL 星沙银行湖南分行 BUYS 惠企贷
"""
    path, over = _write(tmp_path, bad)
    res = load_ann([path], over)
    lines = {p.line: p.message for p in res.errors}
    assert all(p.file == str(path) and p.doc_id == "t1" for p in res.errors)
    assert "unknown entity label 'FOO'" in lines[4]
    assert "surface not found" in lines[5]
    assert "partial overlap" in lines[6]
    assert "LENDS_TO does not allow LOC -> SECTOR" in lines[9]
    assert "#5 out of range" in lines[10]
    assert "unresolved reference" in lines[11]
    assert "not a MONEY span" in lines[12]
    assert "out of range" in lines[13]
    assert "unknown relation type 'BUYS'" in lines[14]


def test_cli_check_and_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, over = _write(tmp_path, BASE + "REL 惠企贷 TARGETS 湖南\n")
    args = ["--text", f"t1={over['t1']}"]
    assert main(["check", str(path), *args]) == 1
    err = capsys.readouterr().err
    assert f"{path}:10: [t1] TARGETS does not allow PROGRAMME -> LOC" in err
    path.write_text("### id=t1\n" + BASE, encoding="utf-8")
    assert main(["check", str(path), "--show", *args]) == 0
    out = capsys.readouterr().out
    assert "[星沙银行湖南分行]ORG与[湖南省工商局]ORG" in out and "#2" in out
    target = tmp_path / "out.jsonl"
    assert main(["build", str(path), "-o", str(target), *args]) == 0
    assert '"sha256"' in target.read_text(encoding="utf-8")
    assert TEXT[:8] not in target.read_text(encoding="utf-8").split('"spans"')[0]


def test_unknown_doc_id(tmp_path: Path) -> None:
    path = tmp_path / "x.ann"
    path.write_text("### id=no-such-doc\nENT LOC 湖南\n", encoding="utf-8")
    res = load_ann([path])
    assert len(res.errors) == 1 and res.errors[0].line == 1 and "no-such-doc" in res.errors[0].message


SEED = data_root() / "corpora" / "seed"


@pytest.mark.skipif(not (SEED / "seed.ann").is_file(), reason="shared seed data not available")
def test_seed_ann_reproduces_seed_gold() -> None:
    res = load_ann([SEED / "seed.ann"])
    assert res.errors == []
    got = res.docs[0]
    gold = read_gold(SEED / "gold.jsonl")[0]
    assert got.id == gold.id and got.text == gold.text and got.meta == gold.meta
    assert sorted(map(span_key, got.spans)) == sorted(map(span_key, gold.spans))
    assert relation_keys(got) == relation_keys(gold)


def test_ellipsis_surface_and_abbreviated_standoff(tmp_path) -> None:
    """A long name is written by its ends (A…B) in the markup and abbreviated in stand-off records."""
    import json

    from ner.corpus.ann import load_ann
    from ner.corpus.standoff import load_standoff, write_standoff
    from ner.corpus.validate import validate_files

    text = "湘江市人民政府关于进一步支持小微企业融资发展的若干措施正式出台。湘江银行积极落实。"
    src = tmp_path / "doc.txt"
    src.write_text(text, encoding="utf-8")
    ann = tmp_path / "a.ann"
    ann.write_text(
        "### id=d1\nENT PROGRAMME 湘江市人民政府关于…若干措施\nENT ORG 湘江银行\nENT LOC 湘江市\n",
        encoding="utf-8",
    )
    res = load_ann([ann], overrides={"d1": str(src)}, data_root=tmp_path)
    assert not res.errors, res.errors
    (doc,) = res.docs
    long_span = next(s for s in doc.spans if s.label == "PROGRAMME")
    assert long_span.text == "湘江市人民政府关于进一步支持小微企业融资发展的若干措施"
    assert {s.text for s in doc.spans if s.label == "LOC"} == set()  # inside the longer name only
    out = tmp_path / "gold.jsonl"
    write_standoff([doc], out, sources={"d1": "doc.txt"})
    stored = json.loads(out.read_text(encoding="utf-8"))
    assert all(len(s["text"]) <= 16 for s in stored["spans"])
    (back,) = load_standoff(out, data_root=tmp_path)
    assert [s.text for s in back.spans] == [s.text for s in doc.spans]
    assert validate_files([out], data_root=tmp_path) == []
