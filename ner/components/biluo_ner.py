"""A fast NER: a per-character BILUO tagger (softmax over tok2vec) decoded to valid entities.

spaCy's transition-based ``ner`` runs a state machine per token; tagging every character with one
of the BILUO tags is a single matrix product per token, several times faster on CPU. Training reads
the entities of the reference docs through ``Example.get_aligned_ner()`` (so entities marked missing
stay missing), and prediction repairs any invalid tag sequence into well-formed spans.
"""

from itertools import islice
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple

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


class BiluoNER(Tagger):
    """Tag characters with BILUO labels and write ``doc.ents``."""

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

    def set_annotations(self, docs: Iterable[Doc], batch_tag_ids: Any) -> None:
        labels = self.labels
        for doc, tag_ids in zip(docs, batch_tag_ids):
            if hasattr(tag_ids, "get"):
                tag_ids = tag_ids.get()
            tags = [labels[int(i)] for i in tag_ids]
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
