"""A fast NER: a per-character BILUO tagger (softmax over tok2vec) decoded to valid entities.

spaCy's transition-based ``ner`` runs a state machine per token; tagging every character with one
of the BILUO tags is a single matrix product per token, several times faster on CPU. Training reads
the entities of the reference docs through ``Example.get_aligned_ner()`` (so entities marked missing
stay missing). Prediction decodes the best *valid* tag sequence with a constrained Viterbi pass
(``B-X`` may only be followed by ``I-X``/``L-X`` and so on), so an entity is never cut into pieces
because one character's argmax tag was wrong.
"""

from itertools import islice
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple

import numpy

from spacy.language import Language
from spacy.pipeline.tagger import Tagger
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from thinc.api import Model, SequenceCategoricalCrossentropy

from ..schema import ENTITY_LABELS

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 96
upstream = "*"
"""


def biluo_labels(entity_labels: Sequence[str] = ENTITY_LABELS) -> List[str]:
    """The tag set: ``O`` plus B-, I-, L-, U- for every entity label of the schema."""
    return ["O"] + [f"{p}-{lab}" for lab in entity_labels for p in "BILU"]


def decode(tags: Sequence[str]) -> List[Tuple[int, int, str]]:
    """Token spans from a BILUO tag sequence, repairing invalid transitions.

    An entity that is not closed properly ends before the next tag that cannot continue it; an
    ``I``/``L`` without a ``B`` starts a new entity.
    """
    ents: List[Tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate(tags):
        if tag == "O" or not tag:
            if start >= 0:
                ents.append((start, i, label))
                start = -1
            continue
        prefix, lab = tag[0], tag[2:]
        if prefix in "IL" and start >= 0 and lab == label:
            if prefix == "L":
                ents.append((start, i + 1, label))
                start = -1
            continue
        if start >= 0:
            ents.append((start, i, label))
            start = -1
        if prefix in "UL":
            ents.append((i, i + 1, lab))
        else:  # B, or an I that starts a new entity
            start, label = i, lab
    if start >= 0:
        ents.append((start, len(tags), label))
    return ents


def transition_constraints(labels: Sequence[str]) -> Tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Additive masks (0 or -inf) for valid BILUO transitions, valid first tags and valid last tags."""
    n = len(labels)
    parts = [(lab[0], lab[2:]) if lab != "O" else ("O", "") for lab in labels]
    trans = numpy.full((n, n), -numpy.inf, dtype="float32")
    for i, (p, x) in enumerate(parts):
        for j, (q, y) in enumerate(parts):
            inside = p in "BI"  # an entity is open after tag i
            if (inside and q in "IL" and x == y) or (not inside and q in "OBU"):
                trans[i, j] = 0.0
    start = numpy.array([0.0 if p in "OBU" else -numpy.inf for p, _ in parts], dtype="float32")
    end = numpy.array([0.0 if p in "OLU" else -numpy.inf for p, _ in parts], dtype="float32")
    return trans, start, end


def viterbi(logprobs: numpy.ndarray, trans: numpy.ndarray, start: numpy.ndarray, end: numpy.ndarray) -> List[int]:
    """The highest-scoring tag sequence allowed by the constraints."""
    n_tok, n_tag = logprobs.shape
    if n_tok == 0:
        return []
    back = numpy.empty((n_tok, n_tag), dtype="int32")
    cols = numpy.arange(n_tag)
    v = logprobs[0] + start
    for t in range(1, n_tok):
        cand = v[:, None] + trans
        best = cand.argmax(axis=0)
        back[t] = best
        v = cand[best, cols] + logprobs[t]
    path = [int((v + end).argmax())]
    for t in range(n_tok - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def decode_scores(
    logprobs: numpy.ndarray, trans: numpy.ndarray, start: numpy.ndarray, end: numpy.ndarray, o_index: int, confident: float = -0.05
) -> List[int]:
    """Viterbi only where needed: characters whose best tag is a confident ``O`` split the sequence.

    Any valid path may pass through ``O``, so fixing those characters to ``O`` splits the problem
    into short independent runs (the rest of an article), decoded one by one.
    """
    best = logprobs.argmax(axis=1)
    fixed = (best == o_index) & (logprobs[:, o_index] > confident)
    path = best.tolist()
    n = len(path)
    i = 0
    while i < n:
        if fixed[i]:
            i += 1
            continue
        j = i
        while j < n and not fixed[j]:
            j += 1
        path[i:j] = viterbi(logprobs[i:j], trans, start, end)
        i = j
    return path


def _log_softmax(x: numpy.ndarray) -> numpy.ndarray:
    x = x - x.max(axis=1, keepdims=True)
    return x - numpy.log(numpy.exp(x).sum(axis=1, keepdims=True))


class BiluoNER(Tagger):
    """Tag characters with BILUO labels and write ``doc.ents``."""

    _constraints: Optional[Tuple[Tuple[str, ...], Tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]]] = None

    def predict(self, docs: Iterable[Doc]) -> List[Any]:
        """Per-doc tag scores (decoding happens in set_annotations)."""
        docs = list(docs)
        if not any(len(doc) for doc in docs):
            return [self.model.ops.alloc2f(0, len(self.labels)) for _ in docs]
        return list(self.model.predict(docs))

    def get_loss(self, examples: Iterable[Example], scores: Any) -> Tuple[float, Any]:
        loss_func = SequenceCategoricalCrossentropy(
            names=self.labels, normalize=False, neg_prefix=self.cfg["neg_prefix"], label_smoothing=self.cfg["label_smoothing"]
        )
        known = set(self.labels)
        truths = [[t if t in known else None for t in eg.get_aligned_ner()] for eg in examples]
        d_scores, loss = loss_func(scores, truths)
        return float(loss), d_scores

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Optional[Language] = None,
        labels: Optional[Sequence[str]] = None,
    ) -> None:
        """Add the schema's BILUO tags (or ``labels``) and initialise the model on a sample."""
        validate_get_examples(get_examples, "BiluoNER.initialize")
        for tag in labels if labels is not None else biluo_labels():
            self.add_label(tag)
        docs, ys = [], []
        for eg in islice(get_examples(), 10):
            docs.append(eg.x)
            gold = eg.get_aligned_ner()
            ys.append(self.model.ops.asarray([[1.0 if t == lab else 0.0 for lab in self.labels] for t in gold], dtype="float32"))
        self.model.initialize(X=docs, Y=ys)

    def set_annotations(self, docs: Iterable[Doc], batch_scores: Any) -> None:
        labels = tuple(self.labels)
        if self._constraints is None or self._constraints[0] != labels:
            self._constraints = (labels, transition_constraints(labels))
        trans, start, end = self._constraints[1]
        for doc, scores in zip(docs, batch_scores):
            scores = self.model.ops.to_numpy(scores)
            logprobs = _log_softmax(numpy.asarray(scores, dtype="float32"))
            path = decode_scores(logprobs, trans, start, end, labels.index("O")) if len(scores) else []
            tags = [labels[i] for i in path]
            spans = [Span(doc, s, e, label=lab) for s, e, lab in decode(tags) if not doc[s:e].text.isspace()]
            doc.set_ents(spans, default="outside")


@Language.factory(
    "biluo_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "model": {"@architectures": "spacy.Tagger.v2", "nO": None, "normalize": False, "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}},
        "overwrite": True,
        "neg_prefix": "!",
        "label_smoothing": 0.0,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_biluo_ner(
    nlp: Language, name: str, model: Model, overwrite: bool, neg_prefix: str, label_smoothing: float, scorer: Optional[Callable]
) -> BiluoNER:
    return BiluoNER(nlp.vocab, model, name, overwrite=overwrite, scorer=scorer, neg_prefix=neg_prefix, label_smoothing=label_smoothing)
