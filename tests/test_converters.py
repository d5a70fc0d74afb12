"""Public-corpus readers, DocBin conversion, test-overlap removal and partial labels (tiny inputs)."""
from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from typing import Dict, List

import pytest
from spacy.tokens import DocBin

from ner.corpus.converters import (
    SPLITS,
    SpanAlignmentError,
    char_nlp,
    convert_all,
    overlap_key,
    overlap_keys,
    remove_test_overlap,
    sentence_to_doc,
)
from ner.corpus.partial import PARTIAL_LABELS, find_candidates, load_cues, mark_missing
from ner.corpus.public import (
    PUBLIC_LABELS,
    decode_tags,
    read_cluener,
    read_msra_bio,
    read_people_daily,
    read_resume,
    read_weibo,
    resolve_overlaps,
    weibo_char,
)
from ner.corpus.public.base import CorpusFormatError
from ner.schema import ENTITY_LABELS

REPO = Path(__file__).resolve().parent.parent


def _ents(text: str, spans: List) -> List:
    return [(text[s:e], label) for s, e, label in spans]


# --- readers -------------------------------------------------------------------------------------

def test_msra_bio(tmp_path: Path) -> None:
    p = tmp_path / "msra"
    p.write_text("王\tB-PER\n五\tI-PER\n去\tO\n湘\tB-LOC\n潭\tI-LOC\n\n\n省\tB-ORG\n委\tI-ORG\n", encoding="utf-8")
    sents = list(read_msra_bio(p))
    assert [(t, _ents(t, s)) for t, s in sents] == [
        ("王五去湘潭", [("王五", "PERSON"), ("湘潭", "LOC")]),
        ("省委", [("省委", "ORG")]),
    ]
    assert list(read_msra_bio(p, source_labels=True))[0][1] == [(0, 2, "PER"), (3, 5, "LOC")]


def test_people_daily(tmp_path: Path) -> None:
    lines = [
        "19980101-01-001-001/m  [湘潭/ns  钢铁/n  公司/n]nt  总经理/n  李/nr  小明/nr  会见/v  "
        "张/nr  三/nr  王/nr  四/nr  、/w  克林顿/nr  。/w  ",
        "19980101-01-001-002/m  在/p  长沙/ns  举行/v  １２月/t  [全国/n  人大/j]nt  [大/a  事/n]l  "
        "[湖南/ns  画报/n]nz  Ｅ/nx  新华社/nt  [洞庭湖/ns  区/n]ns  ",
        "",
        "19980101-01-001-003/m  完/v  ",
    ]
    raw = lines[0] + "\r\n" + lines[1] + "\r\r\n" + lines[2] + "\r" + lines[3] + "\r\n"
    p = tmp_path / "199801.txt"
    p.write_bytes(raw.encode("gb18030"))
    stats: Counter = Counter()
    sents = list(read_people_daily(p, stats=stats))
    assert len(sents) == 3
    text, spans = sents[0]
    assert text == "湘潭钢铁公司总经理李小明会见张三王四、克林顿。"
    assert _ents(text, spans) == [
        ("湘潭钢铁公司", "ORG"), ("李小明", "PERSON"), ("张三", "PERSON"), ("王四", "PERSON"), ("克林顿", "PERSON"),
    ]
    text, spans = sents[1]
    assert text == "在长沙举行１２月全国人大大事湖南画报Ｅ新华社洞庭湖区"  # full-width kept as written
    assert _ents(text, spans) == [
        ("长沙", "LOC"), ("全国人大", "ORG"), ("湖南", "LOC"), ("新华社", "ORG"), ("洞庭湖区", "LOC"),
    ]
    assert stats["dropped:[nz]"] == 1 and stats["dropped:[l]"] == 1 and stats["dropped:nx"] == 1
    src = Counter(label for _, s in read_people_daily(p, source_labels=True) for _, _, label in s)
    assert src["nr"] == 7 and src["[nt]"] == 2 and src["[ns]"] == 1 and src["ns"] == 4


def test_people_daily_bad_token(tmp_path: Path) -> None:
    p = tmp_path / "pd.txt"
    p.write_bytes("19980101-01-001-001/m  好/a  坏了\r\n".encode("gb18030"))
    with pytest.raises(CorpusFormatError, match="坏了"):
        list(read_people_daily(p))


def test_cluener_inclusive_ends_and_overlaps(tmp_path: Path) -> None:
    records = [
        {"text": "湘江银行行长张三在长沙", "label": {
            "company": {"湘江银行": [[0, 3]]}, "position": {"行长": [[4, 5]]},
            "name": {"张三": [[6, 7]]}, "address": {"长沙": [[9, 10]]}}},
        {"text": "岳麓山风景区", "label": {"scene": {"岳麓山风景区": [[0, 5]]}, "address": {"岳麓山": [[0, 2]]}}},
        {"text": "无标注", "label": {}},
    ]
    p = tmp_path / "dev.json"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    stats: Counter = Counter()
    sents = list(read_cluener(p, stats=stats))
    assert _ents(*sents[0]) == [("湘江银行", "ORG"), ("张三", "PERSON"), ("长沙", "LOC")]
    assert _ents(*sents[1]) == [("岳麓山风景区", "LOC")]
    assert sents[2] == ("无标注", [])
    assert stats["overlap_dropped"] == 1 and stats["dropped:position"] == 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"text": "长沙", "label": {"address": {"长沙": [[0, 2]]}}}), encoding="utf-8")
    with pytest.raises(CorpusFormatError):
        list(read_cluener(bad))


def test_weibo_digits_and_nom(tmp_path: Path) -> None:
    p = tmp_path / "weibo.test"
    p.write_text(
        "张0\tB-PER.NAM\n三1\tI-PER.NAM\n去0\tO\n湖0\tB-GPE.NAM\n南1\tI-GPE.NAM\n"
        "老0\tB-PER.NOM\n师1\tI-PER.NOM\n310\tO\n\ufffd\ufffd0\tO\n腾0\tB-ORG.NAM\n讯1\tI-ORG.NAM\n\n",
        encoding="utf-8",
    )
    stats: Counter = Counter()
    (text, spans), = list(read_weibo(p, stats=stats))
    assert text == "张三去湖南老师3\ufffd腾讯"
    assert _ents(text, spans) == [("张三", "PERSON"), ("湖南", "LOC"), ("腾讯", "ORG")]
    assert stats["dropped:PER.NOM"] == 1
    assert weibo_char("科0") == "科" and weibo_char("712") == "7"


def test_resume_bmes(tmp_path: Path) -> None:
    p = tmp_path / "test.char.bmes"
    p.write_text(
        "高 B-NAME\n勇 E-NAME\n， O\n中 B-CONT\n国 E-CONT\n籍 O\n湘 S-ORG\n董 B-TITLE\n事 E-TITLE\n"
        "长 B-LOC\n沙 M-LOC\n市 E-LOC\n\n",
        encoding="utf-8",
    )
    (text, spans), = list(read_resume(p))
    assert _ents(text, spans) == [("高勇", "PERSON"), ("中国", "LOC"), ("湘", "ORG"), ("长沙市", "LOC")]


def test_decode_tags_repairs_orphan_inside() -> None:
    stats: Counter = Counter()
    assert decode_tags(["O", "I-PER", "I-PER", "B-LOC", "I-PER"], "BIO", stats) == [
        (1, 3, "PER"), (3, 4, "LOC"), (4, 5, "PER"),
    ]
    assert stats == Counter({"repaired:PER": 2})
    with pytest.raises(CorpusFormatError):
        decode_tags(["X-PER"])


def test_resolve_overlaps_keeps_longest() -> None:
    kept, dropped = resolve_overlaps([(0, 2, "LOC"), (0, 5, "LOC"), (4, 7, "ORG"), (0, 5, "LOC"), (6, 8, "ORG")])
    assert kept == [(0, 5, "LOC"), (6, 8, "ORG")] and dropped == 2


def test_missing_file_message(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="corpus file not found"):
        list(read_msra_bio(tmp_path / "nope"))


# --- DocBin conversion ---------------------------------------------------------------------------

def test_sentence_to_doc_and_alignment_error() -> None:
    nlp = char_nlp()
    doc = sentence_to_doc(nlp, "张三 在长沙", [(0, 2, "PERSON"), (4, 6, "LOC")])
    assert [(e.text, e.label_) for e in doc.ents] == [("张三", "PERSON"), ("长沙", "LOC")]
    with pytest.raises(SpanAlignmentError, match=r"weibo_train: sentence 7: span \[4, 6\) LOC"):
        sentence_to_doc(nlp, "张三   长沙", [(4, 6, "LOC")], corpus="weibo_train", index=7)  # starts inside "  "
    with pytest.raises(ValueError, match="not in the schema"):
        sentence_to_doc(nlp, "张三", [(0, 2, "PER")])


def test_remove_test_overlap() -> None:
    keys = overlap_keys([("长沙 银行，ＡＢ", []), ("   ", [])])
    assert keys == {"长沙银行,ab"}
    stats: Counter = Counter()
    kept = list(remove_test_overlap([("长沙银行，AB", []), ("长沙银行", []), ("长 沙 银 行 ,ab", [])], keys, stats))
    assert kept == [("长沙银行", [])] and stats["test_overlap"] == 2
    assert overlap_key(" 長沙\u3000銀行 ") == "长沙银行"


def _fake_root(root: Path) -> None:
    """Write a tiny file at every public split's path; each train file repeats one test sentence."""
    test_line = {"msra": "湘\tB-LOC\n潭\tI-LOC\n好\tO\n", "weibo": "湘0\tB-GPE.NAM\n潭1\tI-GPE.NAM\n好0\tO\n",
                 "resume": "湘 B-LOC\n潭 E-LOC\n好 O\n"}
    own = {"msra": "王\tB-PER\n五\tI-PER\n", "weibo": "王0\tB-PER.NAM\n五1\tI-PER.NAM\n", "resume": "王 B-NAME\n五 E-NAME\n"}
    for split in SPLITS:
        path = split.path(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        if split.corpus in test_line:
            body = test_line[split.corpus] if split.is_test else own[split.corpus] + "\n" + test_line[split.corpus]
            path.write_text(body + "\n", encoding="utf-8")
        elif split.corpus == "cluener":
            recs = [{"text": "长沙在湖南", "label": {"address": {"长沙": [[0, 1]], "湖南": [[3, 4]]}}}]
            if not split.is_test:
                recs.append({"text": "湘 潭好", "label": {"address": {"湘 潭": [[0, 2]]}}})  # same key as 湘潭好
            path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
        else:  # people_daily
            body = "19980101-01-001-001/m  湘潭/ns  好/a  \r\n19980101-01-001-002/m  共青团/nt  花费/v  ５０万元/m  \r\n"
            path.write_bytes(body.encode("gb18030"))


def test_convert_all_removes_test_overlap(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _fake_root(root / "x")  # SPLITS paths start with corpora/
    out = tmp_path / "out"
    reports = {r.name: r for r in convert_all(out, root=root / "x", partial=True)}
    assert set(reports) == {s.name for s in SPLITS}
    for name in ("msra_train", "weibo_train", "weibo_dev", "resume_train", "resume_dev", "people_daily_train"):
        assert reports[name].stats["test_overlap"] == 1, name
        assert reports[name].sentences == 1, name
    assert reports["cluener_train"].stats["test_overlap"] == 2  # its own 长沙在湖南 is in cluener dev too
    assert reports["msra_test"].stats["test_overlap"] == 0 and reports["msra_test"].sentences == 1
    nlp = char_nlp()
    docs = list(DocBin().from_disk(out / "people_daily_train.spacy").get_docs(nlp.vocab))
    assert [d.text for d in docs] == ["共青团花费５０万元"]
    assert [(e.text, e.label_) for e in docs[0].ents] == [("共青团", "ORG")]
    assert "".join(t.ent_iob_ or "-" for t in docs[0]) == "BIIOO----"  # money marked missing
    assert reports["people_daily_train"].stats["missing_spans"] == 1


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = tmp_path / "data"
    _fake_root(root)
    spec = importlib.util.spec_from_file_location("convert_public", REPO / "training" / "convert_public.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    assert module.main(["--output", str(tmp_path / "out"), "--data-root", str(root), "--no-partial"]) == 0
    printed = capsys.readouterr().out
    assert "| msra_train | 1 |" in printed and "People's Daily 1998 vs MSRA test" in printed
    counts: Dict = json.loads((tmp_path / "out" / "counts.json").read_text(encoding="utf-8"))
    assert counts["people_daily_train"]["stats"]["test_overlap"] == 1
    assert "missing_spans" not in counts["people_daily_train"]["stats"]


# --- partial labels ------------------------------------------------------------------------------

def test_mark_missing_money_and_cues() -> None:
    nlp = char_nlp()
    doc = sentence_to_doc(nlp, "湘江银行向农户发放5000万元，推出惠农贷。", [(0, 4, "ORG")])
    spans = mark_missing(doc)
    iob = [t.ent_iob_ for t in doc]
    text = doc.text
    money = text.index("5000万元")
    assert all(iob[i] == "" for i in range(money, money + 6))  # money tokens missing, not O
    assert all(iob[i] == "" for i in range(text.index("农户"), text.index("农户") + 2))
    assert iob[text.index("贷")] == "" and iob[text.index("，")] == "O" and iob[text.index("发")] == "O"
    assert [(e.text, e.label_) for e in doc.ents] == [("湘江银行", "ORG")]  # gold entity kept
    assert "5000万元" in [s.text for s in spans]


def test_mark_missing_details() -> None:
    cues = load_cues()
    labels = {label for _, _, label in find_candidates("发放贷款三亿美元，建设北斗产业链、新能源产业和《湖南日报》", cues=cues)}
    assert labels == {"MONEY", "SECTOR", "PROGRAMME"}
    cands = find_candidates("发放贷款，企业发展", cues=cues)
    assert cands == []  # 贷款 is no 贷 product; bare 企业 has no modifier
    assert set(PARTIAL_LABELS) | set(PUBLIC_LABELS) == set(ENTITY_LABELS) and len(PARTIAL_LABELS) == 3
    with pytest.raises(ValueError, match="label"):
        load_cues('{"kind": "word", "label": "PERSON", "cue": "x"}')
    doc = char_nlp()("没有线索")
    assert mark_missing(doc) == [] and [t.ent_iob_ for t in doc] == [""] * 4  # untouched
