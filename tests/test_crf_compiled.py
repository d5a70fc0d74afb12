"""The compiled CRF (``ner.components.crf_compiled``): the same scores and tags as python-crfsuite."""
from __future__ import annotations

import gzip
import itertools
import random
import shutil
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import pycrfsuite
import pytest
import spacy

from ner.baselines.crf import spans_to_tags, train
from ner.components import crf_compiled
from ner.components.crf_compiled import CompiledCRF, read_crfsuite
from ner.components.crf_clusters import CLUSTERS_FILE, BigramClusters
from ner.components.crf_features import char_features, write_feature_config
from ner.components.crf_lexicon import Lexicon
from ner.components.int_table import IntTable

# sentences written for these tests, with their entities
_TRAIN: List[Tuple[str, List[Tuple[str, str]]]] = [
    ("长沙银行向茶叶产业发放贷款２亿元。", [("长沙银行", "ORG"), ("茶叶产业", "SECTOR")]),
    ("记者从湘南农商银行了解到，“潇湘贷”已覆盖衡阳。", [("湘南农商银行", "ORG"), ("潇湘贷", "PROGRAMME"), ("衡阳", "LOC")]),
    ("王小明任岳阳市农业农村局局长。", [("王小明", "PERSON"), ("岳阳市农业农村局", "ORG")]),
    ("邵陽市 民可到ABC银行办理业务。", [("邵陽市", "LOC"), ("ABC银行", "ORG")]),
    ("株洲推出《乡村振兴三年行动计划》，支持油茶种植。", [("株洲", "LOC"), ("乡村振兴三年行动计划", "PROGRAMME"), ("油茶种植", "SECTOR")]),
]
# texts the model never saw: whitespace runs, full-width and traditional characters, Latin, digits,
# quotation marks, an astral character, an unpaired bracket, a lone character
_UNSEEN = [
    "湘潭银行\u3000向 生猪养殖 发放贷款3000万元。", "ＡＢＣ銀行在長沙召開會議\n\n记者 李华", "“湘农贷”《十四五规划》(试行",
    "😀长沙😀", "x", "张三、李四和王五到访株洲市。\t", "1998年，湖南省农业银行，Bank of Hunan。",
]


def _tagged(text: str, ents: List[Tuple[str, str]]) -> Tuple[str, List[str]]:
    spans = sorted((text.index(s), text.index(s) + len(s), lab) for s, lab in ents)
    return text, spans_to_tags(len(text), spans, "biluo")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon({"长沙银行": {"ORG": "h"}, "茶叶": {"SECTOR": "m"}, "衡阳": {"LOC": "h", "ORG": "l"}, "潇湘贷": {"PROGRAMME": "h"}})


@pytest.fixture(scope="module")
def clusters() -> BigramClusters:
    return BigramClusters({"银行": 0, "农商": 0, "贷款": 1, "茶叶": 2, "产业": 2, "种植": 2, "油茶": 2, "长沙": 3, "衡阳": 3,
                           "株洲": 3, "湘潭": 3, "市民": 4}, coarse=[0, 1, 0, 2, 2])


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory, lexicon: Lexicon, clusters: BigramClusters) -> Dict[bool, Path]:
    """A crfsuite model trained on the sentences above: plain (False), and with lexicon, bracket and
    bigram cluster and cue features and a window of three characters (True)."""
    data = [_tagged(t, e) for t, e in _TRAIN] * 3
    out = {}
    for rich in (False, True):
        out[rich] = tmp_path_factory.mktemp("crf") / "model.crfsuite"
        train(data, out[rich], max_iterations=40, c1=0.0, lexicons=[lexicon] * len(data) if rich else None, brackets=rich,
              window=3 if rich else 2, clusters=clusters if rich else None, cues=rich)
    return out


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "lexicon+brackets+window3+clusters+cues"])
def trained(request: pytest.FixtureRequest, models: Dict[bool, Path], lexicon: Lexicon,
            clusters: BigramClusters) -> Tuple[pycrfsuite.Tagger, CompiledCRF, Dict[str, Any]]:
    rich = request.param
    tagger = pycrfsuite.Tagger()
    tagger.open(str(models[rich]))
    return tagger, CompiledCRF.from_crfsuite(models[rich].read_bytes()), {
        "lexicon": lexicon if rich else None, "brackets": rich, "window": 3 if rich else 2, "clusters": clusters if rich else None,
        "cues": rich}


def test_the_model_file_is_read_exactly(trained, models: Dict[bool, Path]) -> None:
    """Labels in crfsuite's order, every feature, and weights that the text dump rounds to 1e-6."""
    tagger, crf, feats = trained
    info = tagger.info()
    labels, state, trans = read_crfsuite(models[feats["brackets"]].read_bytes())
    assert labels == tagger.labels() == crf.labels
    assert set(state) == set(info.state_features) and set(trans) == set(info.transitions)
    assert all(abs(w - info.state_features[k]) <= 5.1e-7 for k, w in state.items())
    assert any(abs(w - round(w, 6)) > 1e-9 for w in state.values())  # more digits than the dump has
    with pytest.raises(ValueError, match="not a crfsuite model"):
        read_crfsuite(b"lCRF" + bytes(60))


def test_scores_are_the_summed_weights_of_the_feature_strings(trained) -> None:
    tagger, crf, feats = trained
    info = tagger.info()  # weights rounded to 1e-6: the sums agree to about 1e-5
    labels = crf.labels
    for text in [t for t, _ in _TRAIN] + _UNSEEN:
        expected = np.zeros((len(text), len(labels)))
        for i, names in enumerate(char_features(text, feats["lexicon"], brackets=feats["brackets"], window=feats["window"], clusters=feats["clusters"],
                                                 cues=feats["cues"])):
            for name in names:
                for j, label in enumerate(labels):
                    expected[i, j] += info.state_features.get((name, label), 0.0)
        got = crf.emissions(text, feats["lexicon"], brackets=feats["brackets"], clusters=feats["clusters"], cues=feats["cues"])
        assert np.allclose(got, expected, atol=5e-5), text
    if feats["cues"]:  # the cue features carry weight: without them the scores differ
        assert any(name.startswith("cue=") for name in crf.string_rows)
        text = _TRAIN[0][0]
        kw = {"brackets": True, "clusters": feats["clusters"]}
        assert not np.allclose(crf.emissions(text, feats["lexicon"], **kw), crf.emissions(text, feats["lexicon"], cues=True, **kw))
    if feats["clusters"] is not None:  # the cluster features carry weight: without them the scores differ
        assert set(crf.cluster_rows) == {"k-2", "k-1", "k0", "k+1"}
        assert set(crf.group_rows) == {"g-2", "g-1", "g0", "g+1"}  # the coarse groups of the clusters too
        without_groups = BigramClusters(feats["clusters"].mapping)
        with pytest.raises(ValueError, match="no groups"):
            crf.emissions(_TRAIN[0][0], feats["lexicon"], brackets=True, clusters=without_groups)
        text = _TRAIN[0][0]
        assert not np.allclose(crf.emissions(text, feats["lexicon"], brackets=True), crf.emissions(text, feats["lexicon"], brackets=True, clusters=feats["clusters"]))


def test_tags_equal_python_crfsuite_alone_and_in_batches(trained) -> None:
    tagger, crf, feats = trained
    texts = [t for t, _ in _TRAIN] + _UNSEEN + [""]
    kw = {"brackets": feats["brackets"], "clusters": feats["clusters"], "cues": feats["cues"]}
    expected = [tagger.tag(char_features(t, feats["lexicon"], window=feats["window"], **kw)) if t else [] for t in texts]
    assert crf.tag(texts, feats["lexicon"], **kw) == expected
    assert [crf.tag([t], feats["lexicon"], **kw)[0] for t in texts] == expected
    assert any(tag != "O" for tags in expected for tag in tags)  # the model does find entities


def test_serialised_model_scores_the_same(trained) -> None:
    _, crf, feats = trained
    again = CompiledCRF.from_bytes(crf.to_bytes())
    for text in _UNSEEN:
        kw = {"brackets": feats["brackets"], "clusters": feats["clusters"], "cues": feats["cues"]}
        assert np.array_equal(again.emissions(text, feats["lexicon"], **kw), crf.emissions(text, feats["lexicon"], **kw))
    with pytest.raises(ValueError, match="not a compiled CRF model"):
        CompiledCRF.from_bytes(b"PK\x03\x04 truncated")


def _brute_force(x: np.ndarray, trans: np.ndarray) -> List[int]:
    best, arg = -np.inf, None
    for path in itertools.product(range(x.shape[1]), repeat=len(x)):
        s = x[0, path[0]] + sum(trans[a, b] + x[t + 1, b] for t, (a, b) in enumerate(zip(path, path[1:])))
        if s > best:
            best, arg = s, list(path)
    return arg


def test_batched_viterbi_finds_each_documents_best_path() -> None:
    rng = np.random.RandomState(0)
    labels = ["O", "B-X", "I-X"]
    for _ in range(30):
        trans = rng.normal(size=(3, 3))
        crf = CompiledCRF.from_weights(labels, {}, {(a, b): trans[i, j] for i, a in enumerate(labels) for j, b in enumerate(labels)})
        docs = [rng.normal(size=(int(n), 3)) for n in rng.randint(0, 6, size=rng.randint(1, 9))]
        got = crf.viterbi(docs)
        assert [g.tolist() for g in got] == [_brute_force(d, trans) if len(d) else [] for d in docs]


def test_attributes_of_other_features_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot compile CRF attribute 'word=银行'"):
        CompiledCRF.from_weights(["O"], {("word=银行", "O"): 1.0}, {})


def test_int_table_agrees_with_a_dict() -> None:
    rng = random.Random(3)
    keys = rng.sample(range(1 << 40), 5000)
    table = IntTable(np.array(keys, dtype=np.int64), np.arange(5000, dtype=np.int64), -1)
    probe = keys[::3] + [rng.randrange(1 << 40) for _ in range(3000)]
    want = {k: i for i, k in enumerate(keys)}
    assert table.get(np.array(probe, dtype=np.int64)).tolist() == [want.get(k, -1) for k in probe]


def test_a_pipeline_saved_with_the_crfsuite_model_still_loads(models: Dict[bool, Path], tmp_path: Path) -> None:
    """Pipelines saved before the compiled form (``model.crfsuite.gz``) compile on load, to the same entities."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
    nlp.add_pipe("crf_ner").initialize(model_path=models[False])
    nlp.to_disk(tmp_path / "new")
    legacy = tmp_path / "legacy"
    shutil.copytree(tmp_path / "new", legacy)
    (legacy / "crf_ner" / "model.npz").unlink()
    (legacy / "crf_ner" / "model.crfsuite.gz").write_bytes(gzip.compress(models[False].read_bytes()))
    text = "记者从湘南农商银行了解到，长沙银行向茶叶产业发放贷款。"

    def ents(path: Path) -> List[Tuple[int, int, str]]:
        return [(e.start_char, e.end_char, e.label_) for e in spacy.load(path)(text).ents]

    assert ents(legacy) == ents(tmp_path / "new") and ents(legacy)


def test_ties_go_to_the_first_label_in_crfsuites_order(tmp_path: Path) -> None:
    """With 11+ labels crfsuite's ids are not in string order; on a tie both pick the first id."""
    trainer = pycrfsuite.Trainer(verbose=False)
    names = [f"L{k}" for k in range(12)]
    for k, name in enumerate(names):
        trainer.append([["c0=" + "ABCDEFGHIJKL"[k]]], [name])
    for name in names[2:]:
        for _ in range(3):
            trainer.append([["c0=z"]], [name])
    trainer.set_params({"c2": 0.01, "max_iterations": 50})
    trainer.train(str(tmp_path / "m.crfsuite"))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "m.crfsuite"))
    crf = CompiledCRF.from_crfsuite((tmp_path / "m.crfsuite").read_bytes())
    assert crf.tag(["z", "A", "L"]) == [tagger.tag(char_features(t)) for t in ("z", "A", "L")]


def test_many_labels_survive_serialisation() -> None:
    labels = ["O"] + [f"{p}-T{k}" for k in range(33) for p in "BILU"]  # 133 labels
    crf = CompiledCRF.from_weights(labels, {("c0=a", "U-T32"): 1.5}, {})
    again = CompiledCRF.from_bytes(crf.to_bytes())
    assert again.tag(["a"]) == crf.tag(["a"]) == [["U-T32"]]


def test_a_model_without_character_features_tags() -> None:
    crf = CompiledCRF.from_weights(["O", "U-X"], {("t0=H", "U-X"): 1.0}, {})
    assert crf.tag(["中a"]) == [["U-X", "O"]]


def test_long_batches_are_decoded_in_pieces_with_the_same_tags(trained, monkeypatch: pytest.MonkeyPatch) -> None:
    _, crf, feats = trained
    texts = [t for t, _ in _TRAIN] + _UNSEEN
    whole = crf.tag(texts, feats["lexicon"], brackets=feats["brackets"])
    monkeypatch.setattr(crf_compiled, "MAX_DECODE_CHARS", 25)
    assert crf.tag(texts, feats["lexicon"], brackets=feats["brackets"]) == whole
    assert crf_compiled._chunks([10, 10, 30, 5], 25) == [(0, 2), (2, 3), (3, 4)]


def test_pickles_compactly(trained) -> None:
    import pickle

    _, crf, feats = trained
    data = pickle.dumps(crf)
    assert len(data) < 2_000_000  # the npz, not the dense tables
    assert pickle.loads(data).tag(_UNSEEN, feats["lexicon"], brackets=feats["brackets"]) == crf.tag(_UNSEEN, feats["lexicon"], brackets=feats["brackets"])


def test_a_pipeline_with_cluster_features_saves_and_loads_them(models: Dict[bool, Path], lexicon: Lexicon,
                                                                 clusters: BigramClusters, tmp_path: Path) -> None:
    """``crf_ner`` initialised from a training output with clusters keeps them through to_disk/from_disk
    and to_bytes/from_bytes, and tags as python-crfsuite does; a pipeline missing the file is refused."""
    out = tmp_path / "train_out"
    out.mkdir()
    shutil.copy(models[True], out / "model.crfsuite")
    write_feature_config({"brackets": True, "window": 3, "clusters": True}, out)
    clusters.to_disk(out / CLUSTERS_FILE)
    from ner.components.crf_lexicon import LEXICON_FILE, write_lexicon

    write_lexicon(lexicon, out / LEXICON_FILE)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
    nlp.add_pipe("crf_ner").initialize(model_path=out)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(models[True]))
    text = _UNSEEN[0]
    expected = tagger.tag(char_features(text, lexicon, brackets=True, window=3, clusters=clusters))
    want = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    assert want and sum(t != "O" for t in expected) == sum(e[1] - e[0] for e in want)
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "crf_ner" / CLUSTERS_FILE).is_file()
    again = spacy.load(tmp_path / "pipe")
    assert [(e.start_char, e.end_char, e.label_) for e in again(text).ents] == want
    copy = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xiang.char_tokenizer.v1"}}})
    copy.add_pipe("crf_ner").from_bytes(nlp.get_pipe("crf_ner").to_bytes())
    assert [(e.start_char, e.end_char, e.label_) for e in copy(text).ents] == want
    (tmp_path / "pipe" / "crf_ner" / CLUSTERS_FILE).unlink()
    with pytest.raises(ValueError, match="missing"):
        spacy.load(tmp_path / "pipe")


def test_cluster_tables_of_different_lengths_are_refused(models: Dict[bool, Path]) -> None:
    """emissions() indexes every cluster template's table with one array of ids: they must agree."""
    crf = CompiledCRF.from_crfsuite(models[True].read_bytes())
    assert crf.cluster_rows, "the fixture model was trained with cluster features"
    zero = len(crf.weights) - 1
    rows = dict(crf.cluster_rows)
    name = next(iter(rows))
    rows[name] = np.concatenate((rows[name], [zero, 0]))  # two more entries than the others
    args = (crf.labels, crf.tokens, crf.weights, crf.trans, crf.unigram_rows, crf.pair_keys, crf.pair_rows,
            crf.type_rows, crf.t3_rows, crf.string_rows, crf.bias_row)
    assert CompiledCRF(*args, dict(crf.cluster_rows)).cluster_rows.keys() == crf.cluster_rows.keys()
    with pytest.raises(ValueError, match="cluster tables differ in length"):
        CompiledCRF(*args, rows)
    groups = dict(crf.group_rows)  # the coarse-group tables likewise
    assert groups, "the fixture model was trained with coarse groups"
    name = next(iter(groups))
    groups[name] = np.concatenate((groups[name], [zero, 0]))
    with pytest.raises(ValueError, match="group tables differ in length"):
        CompiledCRF(*args, dict(crf.cluster_rows), groups)
