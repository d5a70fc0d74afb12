"""Robustness fuzzing (issue 7.3): random Unicode through normalisation, the full pipeline and the
JSONL input/output path.

Documents mix self-written news-like sentences (banks, places, programmes, amounts, people; cut by
PDF line breaks and stray spaces, traditional or full-width) with noise: lone surrogates, control
and format characters, emoji, other scripts, HTML fragments, whitespace soup, very long lines.

The contract checked here:

* normalisation (:func:`split_articles`) accepts any ``str``, lone surrogates included; every cleaned
  character maps back to the identical original character, in order, inside its article's span;
* :func:`ner.pipeline.extract_records` (the path of ``xiang-ner extract``) never raises on any ``str``
  and every reported offset (entities, relation head/tail/amount, relation evidence sentences) is a
  non-empty span inside the original text whose reported text is ``original[start:end]``;
* the file path: a JSONL line whose strings hold a lone surrogate (only writable as a ``\\udXXX``
  escape; it cannot be encoded as UTF-8) is a bad input line with a clear message, skippable with
  ``--skip-bad-lines``; every other line comes back unchanged, and the output written for it can be
  read back by ``--resume``.

The example count comes from the hypothesis profile (tests/conftest.py): ``ci`` by default,
``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) for >= 10,000 examples per test.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

import ner.pipeline as pipeline
from ner.inputs import InputError, InputRecord, iter_inputs
from ner.output import CSV_FIELDS, RecordWriter, csv_rows, done_ids
from ner.schema import ENTITY_LABELS, RELATION_LABELS
from ner.text.articles import split_articles
from ner.text.charmap import normalize_chars

# ----------------------------------------------------------------------------- domain text
BANKS = ["湘江银行", "洞庭农商银行", "潇湘村镇银行", "岳麓农村商业银行", "芙蓉银行", "湖湘信用合作社"]
BRANCHES = ["", "岳阳分行", "衡阳支行", "株洲分行", "常德市分行"]
PLACES = ["长沙市", "岳阳县", "湘潭市雨湖区", "郴州市", "怀化市", "益阳市赫山区", "浏阳市"]
GOVS = ["人民政府", "农业农村局", "财政局", "发展和改革委员会"]
SECTORS = ["小微企业", "稻虾养殖户", "新型农业经营主体", "科技型企业", "外贸企业", "茶叶种植户", "个体工商户"]
PROGRAMMES = ["稻虾贷", "茶农e贷", "园区快贷", "乡村振兴贷", "科创积分贷"]
PEOPLE = ["周建明", "刘晓岚", "陈立新", "欧阳平", "谭红梅", "李卫东"]
TITLES = ["董事长", "行长", "党委书记、董事长", "副行长", "总经理", "局长"]
AMOUNTS = ["3亿元", "5000万元", "1.2亿元", "50万元", "20亿元", "８０万元", "3.5万元", "一千万元", "2,300万元"]
TEMPLATES = [
    "{bank}{branch}向{sector}发放贷款{amount}。",
    "近日，{bank}{branch}推出“{prog}”，为{sector}提供最高{amount}的信用贷款。",
    "{bank}{title}{person}表示，今年将新增涉农贷款{amount}。",
    "{person}任{bank}{branch}{title}。",
    "{place}{gov}与{bank}签署战略合作协议，未来五年提供意向授信{amount}。",
    "{place}{gov}联合{bank}推出“{prog}”，重点支持{sector}。",
    "{bank}{branch}位于{place}，主要服务{sector}。",
    "截至9月底，{bank}累计向{sector}投放{prog}{amount}，惠及农户3200余户。",
    "{place}讯 {bank}与{bank2}达成合作，共同为{sector}提供金融服务。",
]
HEADINGS = ["湘江银行推出稻虾贷", "金融活水润三湘", "本报记者 {person} 通讯员 {person2}", "湖南日报10月23日讯", "{person} 摄"]

T2S_REVERSE = str.maketrans("银行贷款发亿万长县区务为与协议农业经营", "銀行貸款發億萬長縣區務為與協議農業經營")
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@st.composite
def domain_sentence(draw: Any) -> str:
    tmpl = draw(st.sampled_from(TEMPLATES + HEADINGS))
    pick = lambda xs: draw(st.sampled_from(xs))  # noqa: E731
    return tmpl.format(
        bank=pick(BANKS), bank2=pick(BANKS), branch=pick(BRANCHES), place=pick(PLACES), gov=pick(GOVS),
        sector=pick(SECTORS), prog=pick(PROGRAMMES), person=pick(PEOPLE), person2=pick(PEOPLE),
        title=pick(TITLES), amount=pick(AMOUNTS),
    )  # fmt: skip


# ----------------------------------------------------------------------------- noise
SURROGATES = st.characters(categories=["Cs"])
CONTROLS = st.characters(categories=["Cc", "Cf", "Zl", "Zp"])
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF) | st.sampled_from(
    ["👨\u200d👩\u200d👧", "🇨🇳", "❤\ufe0f", "👍🏽", "\u20e3"]
)
SCRIPTS = st.sampled_from(
    ["Hunan Bank Ltd.", "Привет, банк", "مرحبا بالبنك", "नमस्ते बैंक", "안녕하세요 은행", "こんにちは銀行", "e\u0301\u0302", "ﬁ", "Ⅻ", "𠀀𪚥"]
)
TRADITIONAL = st.text(st.sampled_from("銀行貸款發億萬湖南長沙縣區務為與協議農業經營個體戶資產負債"), min_size=1, max_size=20)
HTML = st.sampled_from(
    ["<p>", "</p>", "<br/>", "&nbsp;", "&amp;", "&#x4e2d;", '<div class="content">', "<!-- 广告 -->",
     "<script>alert('x')</script>", "<a href='http://example.cn/?a=1&b=2'>链接</a>", "<![CDATA[ ]]>"]
)  # fmt: skip
WHITESPACE = st.lists(
    st.sampled_from([" ", "\t", "\r", "\n", "\r\n", "\u3000", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\xa0", "\u200b", "\u2003", "\ufeff"]),
    min_size=1,
    max_size=30,
).map("".join)
FULL_WIDTH_CHARS = st.text(st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E), min_size=1, max_size=20)
ANY_CHARS = st.text(st.characters(codec=None, categories=None), max_size=40)  # any code point, surrogates included
LONG_LINE = st.builds(lambda s, n: s.replace("\n", "") * n, domain_sentence(), st.integers(10, 120)) | st.builds(
    lambda c, n: c * n, st.sampled_from(["湘", "a", "。", "\u3000", "１", "\r"]), st.integers(300, 8000)
)

NOISE = st.one_of(SURROGATES, CONTROLS, EMOJI, SCRIPTS, TRADITIONAL, HTML, WHITESPACE, FULL_WIDTH_CHARS, ANY_CHARS, LONG_LINE)


@st.composite
def mangled_sentence(draw: Any) -> str:
    """A domain sentence as a PDF or a web page might give it."""
    s = draw(domain_sentence())
    how = draw(st.sampled_from(["plain", "plain", "break", "spaces", "traditional", "fullwidth", "noise"]))
    if how == "traditional":
        return s.translate(T2S_REVERSE)
    if how == "fullwidth":
        return s.translate(FULL_WIDTH)
    if how in ("break", "spaces", "noise"):
        chars = list(s)
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, len(chars)))
            ins = {"break": st.sampled_from(["\n", "\r\n", "\n\n", " \n"]), "spaces": st.sampled_from([" ", "  ", "\u3000"])}.get(how, NOISE)
            chars.insert(i, draw(ins))
        return "".join(chars)
    return s


SEPARATORS = st.sampled_from(["", "", "\n", "\n\n", "\n\n\n", " ", "\r\n"])


@st.composite
def documents(draw: Any) -> str:
    pieces = draw(st.lists(st.one_of(mangled_sentence(), mangled_sentence(), NOISE), max_size=12))
    out = []
    for p in pieces:
        out.append(p)
        out.append(draw(SEPARATORS))
    return "".join(out)


# ----------------------------------------------------------------------------- checks
def check_span(text: str, span: Dict[str, Any], label: Optional[str] = None) -> None:
    s, e = span["start"], span["end"]
    assert isinstance(s, int) and isinstance(e, int)
    assert 0 <= s < e <= len(text), (s, e, len(text))
    assert span["text"] == text[s:e]
    assert span["text"].strip(), "a span of whitespace only"
    if label is not None:
        assert span["label"] == label


def check_record(text: str, rec: Dict[str, Any]) -> None:
    assert rec["text"] == text
    ents = set()
    for e in rec["ents"]:
        check_span(text, e)
        assert e["label"] in ENTITY_LABELS
        ents.add((e["start"], e["end"], e["label"]))
    for r in rec["relations"]:
        assert r["label"] in RELATION_LABELS
        for side in ("head", "tail"):
            check_span(text, r[side])
            assert (r[side]["start"], r[side]["end"], r[side]["label"]) in ents, "relation argument is an entity"
        if "amount" in r.get("attrs", {}):
            check_span(text, r["attrs"]["amount"])
        assert isinstance(r["cross_sentence"], bool)
    json.dumps(rec, ensure_ascii=True)  # serialisable


def check_articles(text: str) -> None:
    arts = split_articles(text)
    assert arts
    prev_end = 0
    for a in arts:
        assert 0 <= prev_end <= a.start <= a.end <= len(text)
        prev_end = a.end
        assert len(a.offsets) == len(a.text)
        last = -1
        for i, ch in enumerate(a.text):
            s, e = a.to_original(i, i + 1)
            assert e == s + 1 and text[s] == ch
            assert a.start <= s < a.end and s > last
            last = s
        if a.text:
            s, e = a.to_original(0, len(a.text))
            assert a.start <= s < e <= a.end
        assert a.to_original(len(a.text), len(a.text))[0] <= len(text)
    n = normalize_chars(text)
    assert len(n) == len(text)


# ----------------------------------------------------------------------------- normalisation
@given(st.one_of(documents(), ANY_CHARS, st.text(st.characters(codec=None, categories=None), max_size=400)))
@example("湘江银行\ud800向小微企业\udfff发放贷款3亿元。")
@example("\r\n\r\n\r\n本报记者 周建明\x85\u2028近日，湘江银行推出稻虾贷。")
def test_normalisation_any_text(text: str) -> None:
    check_articles(text)


# ----------------------------------------------------------------------------- full pipeline
@given(documents(), st.sampled_from([None, None, 40, 300]))
@example("湘江银行\ud800向小微企业发放贷款3亿元。", None)
@example("湘江银行向当地小微企业发放贷款3亿元。\u2028洞庭农商银行党委书记、董事长周建明表示，今年将新增涉农贷款20亿元。", 30)
def test_pipeline_records_valid(default_nlp: Any, text: str, max_chars: Optional[int]) -> None:
    model = default_nlp
    (rec,) = list(pipeline.extract_records(model, [InputRecord("doc", text)], max_chars=max_chars))
    check_record(text, rec)
    n = len(rec["ents"])
    event(f"entities: {'0' if not n else '1-9' if n < 10 else '10+'}")
    event(f"relations: {'yes' if rec['relations'] else 'no'}")
    event(f"lone surrogate: {'yes' if _has_surrogate(text) else 'no'}")
    if not rec["relations"]:
        return
    # relation evidence (sentence spans of the segment docs, not part of the record) maps back too
    limit = max_chars or min(model.max_length, 100_000)
    segs = pipeline.segments(0, text, limit)
    for seg, doc in zip(segs, model.pipe(pipeline.model_text(s.text) for s in segs)):
        assert len(doc.text) == len(seg.text)
        for r in doc._.relations:
            for a, b in r.evidence:
                assert 0 <= a < b <= len(doc.text)
                s, e = seg.article.to_original(seg.offset + a, seg.offset + b)
                assert 0 <= s < e <= len(text)
            assert any(a <= r.head.start_char < b for a, b in r.evidence)


def test_domain_documents_give_entities_and_relations(default_nlp: Any) -> None:
    """The strategy is not all noise: plain domain text yields entities and relations."""
    text = "".join(t.format(
        bank="湘江银行", bank2="芙蓉银行", branch="", place="郴州市", gov="财政局", sector="小微企业", prog="茶农e贷",
        person="周建明", person2="刘晓岚", title="党委书记、董事长", amount="3亿元",
    ) for t in TEMPLATES)  # fmt: skip
    (rec,) = list(pipeline.extract_records(default_nlp, [InputRecord("d", text)]))
    check_record(text, rec)
    assert len(rec["ents"]) >= 10 and len(rec["relations"]) >= 3


# ----------------------------------------------------------------------------- JSONL in and out
def _has_surrogate(obj: Any) -> bool:
    if isinstance(obj, str):
        return any("\ud800" <= c <= "\udfff" for c in obj)
    if isinstance(obj, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in obj.items())
    if isinstance(obj, list):
        return any(_has_surrogate(v) for v in obj)
    return False


JSON_TEXT = st.one_of(documents(), ANY_CHARS)
JSON_OBJ = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(0, 10**6), ANY_CHARS.filter(bool)), "text": JSON_TEXT},
    optional={"source": ANY_CHARS, "tags": st.lists(ANY_CHARS, max_size=3)},
)


@given(st.lists(JSON_OBJ, min_size=1, max_size=5), st.booleans(), st.booleans(), st.booleans())
@example([{"id": "a", "text": "湘江银行\ud800发放贷款"}], True, False, False)
@example([{"id": "a", "text": "一\u2028二\x85三\r四"}, {"id": "b", "text": "湘江银行"}], False, False, True)
@example([{"id": 0, "text": ""}, {"id": 0, "text": "\ud800\udc00"}], False, False, False)  # the fuzzer's find
def test_jsonl_input_and_output_round_trip(
    tmp_path_factory: pytest.TempPathFactory, objs: List[Dict[str, Any]], ascii_: bool, skip: bool, stdin: bool
) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    # a raw lone surrogate cannot be written as UTF-8: such a line only exists with \\udXXX escapes
    lines = [json.dumps(o, ensure_ascii=ascii_ or _has_surrogate(o)) for o in objs]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # what the lines mean: an escaped high+low pair (\ud800\udc00) is one valid character, U+10000
    objs = [json.loads(line) for line in lines]
    bad = [n for n, o in enumerate(objs, 1) if _has_surrogate(o)]
    event(f"lines with a lone surrogate: {'yes' if bad else 'no'}")
    warnings: List[str] = []
    if stdin:
        old = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        specs = ["-"]
    else:
        path = tmp / "in.jsonl"
        path.write_bytes(data)
        specs = [str(path)]
    try:
        if bad and not skip:
            with pytest.raises(InputError, match=rf":{bad[0]}: .*surrogate"):
                list(iter_inputs(specs, warn=warnings.append))
            return
        recs = list(iter_inputs(specs, skip_bad_lines=skip, warn=warnings.append))
    finally:
        if stdin:
            sys.stdin = old
    good = [o for o in objs if not _has_surrogate(o)]
    assert [r.text for r in recs] == [o["text"] for o in good]
    assert [r.id for r in recs] == [str(o["id"]) for o in good]
    assert len(warnings) == len(bad) and all("surrogate" in w for w in warnings)
    # output written for these records comes back whole for --resume (JSONL and CSV), and the torn
    # tail of an interrupted run (half a JSON line, CSV rows without their end row) is cut off exactly
    def record(r: InputRecord) -> Dict[str, Any]:
        return pipeline.make_record(r, [{"start": 0, "end": len(r.text), "label": "ORG", "text": r.text}], [])

    for fmt in ("jsonl", "csv"):
        out = tmp / f"out.{fmt}"
        with out.open("w", encoding="utf-8", newline="") as f:
            w = RecordWriter(f, fmt)
            for r in recs:
                w.write(record(r))
        size = out.stat().st_size
        assert done_ids(out, fmt) == [r.id for r in recs]
        assert out.stat().st_size == size, "a complete output is not truncated"
        if recs:
            with out.open("a", encoding="utf-8", newline="") as f:
                if fmt == "jsonl":
                    f.write(json.dumps(record(recs[0]), ensure_ascii=False)[:-1])
                else:
                    csv.DictWriter(f, fieldnames=CSV_FIELDS).writerows(csv_rows(record(recs[0])))
            assert done_ids(out, fmt) == [r.id for r in recs]
            assert out.stat().st_size == size, "the torn tail is cut off, nothing more"


def test_cli_surrogate_line_is_a_clear_error(default_nlp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ner.cli import _register, app

    _register()
    monkeypatch.setattr(pipeline, "load", lambda *a, **k: default_nlp)
    p = tmp_path / "in.jsonl"
    p.write_text('{"id": "a", "text": "湘江银行发放贷款3亿元。"}\n{"id": "b", "text": "湘江\\ud800银行"}\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", "--no-progress", str(p), "-o", str(tmp_path / "out.jsonl")])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    assert "in.jsonl:2" in res.output and "surrogate" in res.output
    res = CliRunner().invoke(app, ["extract", "--no-progress", "--skip-bad-lines", str(p), "-o", str(tmp_path / "out2.jsonl")])
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in (tmp_path / "out2.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["a"]


# ----------------------------------------------------------------------------- regressions (found by the fuzzer)
def test_regression_lone_surrogate_reaches_the_model(default_nlp: Any) -> None:
    """A ``str`` with a lone surrogate crashed spaCy's StringStore (UnicodeEncodeError)."""
    text = "湘江银行\ud800向小微企业发放贷款3亿元。"
    (rec,) = list(pipeline.extract_records(default_nlp, [InputRecord("s", text)]))
    check_record(text, rec)
    assert "3亿元" in {e["text"] for e in rec["ents"]}


def test_regression_stdin_jsonl_line_separator(monkeypatch: pytest.MonkeyPatch) -> None:
    """JSONL on stdin was split with str.splitlines, which cuts inside a JSON string at U+2028."""
    data = '{"id": "a", "text": "一\u2028二"}\n{"id": "b", "text": "三"}\n'.encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert [(r.id, r.text) for r in iter_inputs(["-"])] == [("a", "一\u2028二"), ("b", "三")]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_regression_resume_with_odd_line_breaks(tmp_path: Path, fmt: str) -> None:
    """--resume counted lines with str.splitlines: a text holding \\r or U+0085 made it drop (CSV) or
    refuse (JSONL) complete records."""
    out = tmp_path / f"out.{fmt}"
    recs = [pipeline.make_record(InputRecord(i, t), [{"start": 0, "end": 1, "label": "ORG", "text": t[0]}], []) for i, t in (("a", "一\r二"), ("b", "三\x85四"))]  # fmt: skip
    with out.open("w", encoding="utf-8", newline="") as f:
        w = RecordWriter(f, fmt)
        for r in recs:
            w.write(r)
    size = out.stat().st_size
    with out.open("a", encoding="utf-8", newline="") as f:
        if fmt == "csv":
            csv.DictWriter(f, fieldnames=CSV_FIELDS).writerows(csv_rows(recs[0]))
        else:
            f.write('{"id": "c", "te')
    assert done_ids(out, fmt) == ["a", "b"]
    assert out.stat().st_size == size


def test_regression_relation_hash_cache_bounded(default_nlp: Any) -> None:
    """Memory over 100,000 documents (issue 7.2): the relation scorer's feature-hash cache grew by
    about 0.6 MiB per 1,000 new documents up to 500,000 entries; its caches now stay under HASH_CACHE_MAX."""
    from ner.components.relation_features import HASH_CACHE_MAX

    from ner.components.relation_features import PairScorer

    model = default_nlp.get_pipe("relation_extractor").model
    scorer = PairScorer(model.rules, weights=model.weights, bias=model.bias)  # a copy: the shared pipeline's caches stay clean
    for k in range(0, 3 * HASH_CACHE_MAX, 1000):
        scorer._index(f"LENDS_TO|bg2={k + i}" for i in range(1000))
        assert len(scorer._hash_cache) <= HASH_CACHE_MAX
    assert scorer._index(["L=LENDS_TO"]) == scorer._index(["L=LENDS_TO"])
    # the cache of feature bodies that scoring uses
    from ner.components.relation_features import _LABELS, BODY_CACHE_MAX

    for k in range(0, 3 * BODY_CACHE_MAX, 1000):
        bodies = [f"bg2={k + i}" for i in range(1000)]
        got = scorer._hashes(bodies)
        assert len(scorer._body_hashes) <= BODY_CACHE_MAX
    for li, label in enumerate(_LABELS):
        assert sorted({hs[li] for hs in got}) == scorer._index(f"{label}|{b}" for b in bodies)
