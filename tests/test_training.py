"""A quick training run of the NER config on a tiny self-written sample: loss falls, saves, loads, predicts."""
from __future__ import annotations

import random
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import load_config, load_model_from_config

from ner.components.biluo_ner import biluo_labels, decode

REPO = Path(__file__).resolve().parent.parent
SENTENCES = [
    ("湘江银行向农户发放贷款5000万元。", [(0, 4, "ORG"), (5, 7, "SECTOR"), (11, 16, "MONEY")]),
    ("岳阳市推出稻虾贷。", [(0, 3, "LOC"), (5, 8, "PROGRAMME")]),
    ("行长陈立新在长沙调研。", [(2, 5, "PERSON"), (6, 8, "LOC")]),
    ("星城银行支持小微企业发展。", [(0, 4, "ORG"), (6, 10, "SECTOR")]),
]


def test_decode_repairs_invalid_sequences() -> None:
    assert decode(["B-ORG", "I-ORG", "L-ORG", "O", "U-LOC"]) == [(0, 3, "ORG"), (4, 5, "LOC")]
    assert decode(["I-ORG", "L-ORG"]) == [(0, 2, "ORG")]
    assert decode(["B-ORG", "I-ORG", "B-LOC", "L-LOC"]) == [(0, 2, "ORG"), (2, 4, "LOC")]
    assert decode(["B-ORG", "L-LOC"]) == [(0, 1, "ORG"), (1, 2, "LOC")]
    assert decode(["B-ORG", "I-ORG"]) == [(0, 2, "ORG")]
    assert biluo_labels()[0] == "O" and len(biluo_labels()) == 1 + 4 * 6


def test_quick_training_loss_falls_and_round_trips(tmp_path: Path) -> None:
    config = load_config(REPO / "configs" / "ner_tagger.cfg", overrides={"components.tok2vec.model.encode.width": 32})
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    examples = []
    for text, ents in SENTENCES:
        examples.append(Example.from_dict(nlp.make_doc(text), {"entities": ents}))
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(0)
    losses_by_epoch = []
    for _ in range(40):
        rng.shuffle(examples)
        losses: dict = {}
        nlp.update(examples, sgd=optimizer, losses=losses, drop=0.0)
        losses_by_epoch.append(losses["biluo_ner"])
    assert losses_by_epoch[-1] < losses_by_epoch[0] * 0.2
    nlp.to_disk(tmp_path / "m")
    loaded = spacy.load(tmp_path / "m")
    doc = loaded(SENTENCES[0][0])
    assert {(e.start_char, e.end_char, e.label_) for e in doc.ents} == set(SENTENCES[0][1])


def test_viterbi_keeps_entities_whole() -> None:
    import numpy

    from ner.components.biluo_ner import transition_constraints, viterbi

    labels = biluo_labels()
    idx = {lab: i for i, lab in enumerate(labels)}
    # argmax would give B-ORG U-ORG L-ORG (a broken entity); the valid path is B-ORG I-ORG L-ORG
    probs = numpy.full((3, len(labels)), 0.01, dtype="float32")
    probs[0, idx["B-ORG"]] = 0.9
    probs[1, idx["U-ORG"]] = 0.5
    probs[1, idx["I-ORG"]] = 0.4
    probs[2, idx["L-ORG"]] = 0.9
    path = viterbi(numpy.log(probs), *transition_constraints(labels))
    assert [labels[i] for i in path] == ["B-ORG", "I-ORG", "L-ORG"]


def test_segmented_decoding_equals_full_viterbi() -> None:
    import numpy

    from ner.components.biluo_ner import decode_scores, transition_constraints, viterbi

    labels = biluo_labels()
    cons = transition_constraints(labels)
    rng = numpy.random.default_rng(0)
    same = 0
    for _ in range(50):
        logits = rng.normal(size=(30, len(labels))).astype("float32")
        logits[rng.random(30) < 0.6, 0] += 8.0  # many confident O characters
        lp = logits - numpy.log(numpy.exp(logits).sum(axis=1, keepdims=True))
        full = viterbi(lp, *cons)
        seg = decode_scores(lp, *cons, o_index=0)
        score = lambda p: sum(lp[i, t] for i, t in enumerate(p))  # noqa: E731
        assert score(seg) <= score(full) + 1e-4  # the full Viterbi path is optimal
        assert all(numpy.isfinite(cons[0][a, b]) for a, b in zip(seg, seg[1:]))  # and both are valid
        same += seg == full
    assert same >= 45
