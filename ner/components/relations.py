"""The ``relation_extractor`` pipeline component: rules, then an optional learned scorer.

Placed after NER, it reads ``doc.ents`` and writes ``doc._.relations`` (:class:`ner.relation.Relation`
objects, stored as plain tuples in ``doc.user_data``). Rules are lexicon data
(``data/relation_*.jsonl``) loaded at construction and by :meth:`RelationExtractor.initialize`,
and saved with the pipeline by ``to_disk``/``to_bytes``; the scikit-learn scorer (see
:mod:`ner.components.relation_features`) is stored as JSON + npz, never pickled.
"""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

import numpy
import srsly
from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from ..tokenizer import doc_text
from .. import relation as _relation  # noqa: F401  (registers doc._.relations)
from ..relation import Relation, get_relations, set_relations
from ..text.sentences import guideline_sentences, locator
from .relation_features import PairScorer, candidate_pairs, gold_labels
from .relation_rules import Candidate, RuleEngine, RuleSet, View, is_cross_sentence

RulesArg = Union[None, RuleSet, Sequence[Dict[str, Any]], str, Path, Sequence[Union[str, Path]]]

DEFAULT_CONFIG: Dict[str, Any] = {
    "use_rules": True,
    "use_classifier": False,
    "threshold": 0.5,
    "label_thresholds": {},
    "max_sentence_distance": 1,
    "max_pair_chars": 60,
    "line_breaks": "smart",
    "scorer": {"@scorers": "xiang.relation_scorer.v1"},
}


def _as_ruleset(rules: RulesArg) -> RuleSet:
    if rules is None:
        return RuleSet.default()
    if isinstance(rules, RuleSet):
        return rules
    if isinstance(rules, (str, Path)):
        p = Path(rules)
        return RuleSet.from_paths(sorted(p.glob("*.jsonl")) if p.is_dir() else [p])
    items = list(rules)
    if items and isinstance(items[0], dict):
        return RuleSet.from_rows(items)  # type: ignore[arg-type]
    return RuleSet.from_paths(items)  # type: ignore[arg-type]


def doc_entities(doc: Doc) -> List[Span]:
    """``doc.ents`` in text order, read from the IOB array: the ``doc.ents`` getter builds a Token
    object per character, which cost the relation extractor a third of its time."""
    n = len(doc)
    if not n:
        return []
    arr = doc.to_array([ENT_IOB, ENT_TYPE])
    iob = arr[:, 0]
    starts = numpy.flatnonzero(iob == 3)
    if not len(starts):
        return []
    stops = numpy.flatnonzero(iob != 1)  # an entity runs until the next token that does not continue it
    out = []
    for s in starts.tolist():
        k = int(numpy.searchsorted(stops, s, side="right"))
        e = int(stops[k]) if k < len(stops) else n
        out.append(Span(doc, s, e, label=int(arr[s, 1])))
    return out


class RelationExtractor:
    """Rule-based relation extraction over gold or predicted entities, optionally rescored."""

    def __init__(
        self,
        nlp: Optional[Language],
        name: str = "relation_extractor",
        *,
        use_rules: bool = True,
        use_classifier: bool = False,
        threshold: float = 0.5,
        label_thresholds: Optional[Dict[str, float]] = None,
        max_sentence_distance: int = 1,
        max_pair_chars: int = 60,
        line_breaks: str = "smart",
        scorer: Optional[Callable[..., Dict[str, Any]]] = None,
        rules: RulesArg = None,
    ) -> None:
        self.name = name
        self.use_rules = bool(use_rules)
        self.use_classifier = bool(use_classifier)
        self.threshold = float(threshold)
        #: per relation type, overriding ``threshold`` (chosen by cross-validation on the training data)
        self.label_thresholds: Dict[str, float] = {k: float(v) for k, v in (label_thresholds or {}).items()}
        self.max_sentence_distance = int(max_sentence_distance)
        self.max_pair_chars = int(max_pair_chars)
        self.line_breaks = line_breaks
        self.scorer = scorer
        self.model: Optional[PairScorer] = None
        self.set_rules(_as_ruleset(rules))

    # ------------------------------------------------------------------ rules / model
    def set_rules(self, rules: RuleSet) -> None:
        self.rules = rules
        self.engine = RuleEngine(rules, max_sentence_distance=self.max_sentence_distance)
        if self.model is not None:
            self.model.rules = rules

    def initialize(
        self,
        get_examples: Optional[Callable[[], Iterable[Example]]] = None,
        *,
        nlp: Optional[Language] = None,
        rules: RulesArg = None,
    ) -> None:
        """(Re)load the lexicons (``rules``: rows, a RuleSet, JSONL paths or a directory; default:
        the shipped ones). With ``use_classifier`` and examples whose reference docs carry gold
        relations, also train the scorer."""
        self.set_rules(_as_ruleset(rules))
        if get_examples is not None and self.use_classifier:
            refs = [eg.reference for eg in get_examples()]
            if any(doc.user_data.get(_relation.USER_DATA_KEY) for doc in refs):
                self.train(refs)

    def view(self, doc: Doc, ents: Optional[Sequence[Span]] = None) -> View:
        ents = doc_entities(doc) if ents is None else ents
        return View(doc_text(doc), [(e.start_char, e.end_char, e.label_) for e in ents], line_breaks=self.line_breaks)  # type: ignore[arg-type]

    def train(self, docs: Sequence[Doc], **kwargs: Any) -> Dict[str, Any]:
        """Fit the scorer on docs whose ``doc.ents`` and ``doc._.relations`` are gold."""
        model = PairScorer(self.rules)
        stats = model.fit(self.training_data(docs), **kwargs)
        self.model = model
        return stats

    def training_data(self, docs: Sequence[Doc]) -> List[Tuple[View, List[Candidate], List[int], Dict[str, int]]]:
        """Per doc: the view, its candidate pool, 0/1 gold labels and the gold relation count per type."""
        data = []
        for doc in docs:
            v = self.view(doc)
            index = {(e.start_char, e.end_char): k for k, e in enumerate(sorted(doc.ents, key=lambda s: (s.start_char, s.end_char)))}
            gold: Set[Tuple[str, int, int]] = set()
            for r in get_relations(doc):
                h = index.get((r.head.start_char, r.head.end_char))
                t = index.get((r.tail.start_char, r.tail.end_char))
                if h is not None and t is not None:
                    gold.add((r.label, h, t))
            cands = candidate_pairs(v, self.engine.run(v), max_chars=self.max_pair_chars)
            n_gold: Dict[str, int] = {}
            for label, _, _ in gold:
                n_gold[label] = n_gold.get(label, 0) + 1
            data.append((v, cands, gold_labels(v, cands, gold), n_gold))
        return data

    # ------------------------------------------------------------------ apply
    def predict(self, doc: Doc) -> List[Relation]:
        """The relations of one doc (does not modify it)."""
        ents = doc_entities(doc)
        if len(ents) < 2:
            return []
        v = self.view(doc, ents)
        cands: List[Candidate] = self.engine.run(v) if self.use_rules else []
        scores: Dict[int, float] = {}
        if self.use_classifier and self.model is not None and self.model.trained:
            pool = candidate_pairs(v, cands, max_chars=self.max_pair_chars)
            probs = self.model.score(v, pool)
            kept = []
            for c, p in zip(pool, probs):
                if p >= self.label_thresholds.get(c.label, self.threshold):
                    kept.append(c)
                    scores[id(c)] = float(p)
            cands = kept
        cands = self._smallest_place_heads(v, cands)
        text = v.text  # the view holds Doc.text, which joins every token: never recompute it per relation
        sents = guideline_sentences(text)
        sentence_of = locator(sents)
        out: List[Relation] = []
        for c in cands:
            head, tail = ents[c.head], ents[c.tail]
            amount = ents[c.amount] if c.amount is not None else None
            if c.label == "LENDS_TO" and amount is None and c.rule == "":
                amount = self._nearest_money(v, ents, c)
            title = c.title
            if c.label == "HOLDS_POSITION" and not title:
                title = self._gap_title(v, c)
            if c.label == "HOLDS_POSITION" and not title:
                continue  # a position needs a title
            ev = sorted({sents[k] for k in (sentence_of(head.start_char), sentence_of(tail.start_char)) if 0 <= k < len(sents)})
            out.append(
                Relation(
                    label=c.label,
                    head=head,
                    tail=tail,
                    amount=amount,
                    title=title,
                    cross_sentence=is_cross_sentence(text, (head.start_char, head.end_char), (tail.start_char, tail.end_char)),
                    rule=c.rule or "classifier",
                    score=scores.get(id(c), 1.0),
                    evidence=tuple(ev),
                )
            )
        out.sort(key=lambda r: (r.head.start_char, r.tail.start_char, r.label))
        return out

    def _smallest_place_heads(self, v: View, cands: List[Candidate]) -> List[Candidate]:
        """Candidates whose label's place head is the smallest of a run of touching places (rule rows
        ``head_place``/``smallest``: 广东汕头开展X -> 汕头 OFFERS X) with the head moved to the run's last place."""
        ents = v.ents
        out: List[Candidate] = []
        seen: Set[Tuple[str, int, int]] = set()
        for c in cands:
            j = c.head
            if ents[j].label == "LOC" and self.rules.words("head_place", c.label) == ("smallest",):
                while j + 1 < len(ents) and ents[j + 1].label == "LOC" and ents[j].ce == ents[j + 1].cs:
                    j += 1
                if j == c.tail:
                    j = c.head
            key = (c.label, j, c.tail)
            if key in seen:
                continue
            seen.add(key)
            out.append(c if j == c.head else dataclasses.replace(c, head=j))
        return out

    #: the most characters a title read off the text between a body and a name may have
    GAP_TITLE_MAX = 12
    _GAP_TITLE = re.compile(r"^[\u4e00-\u9fff、]+$")

    def _gap_title(self, v: View, c: Candidate) -> Optional[str]:
        """The title of a position the scorer accepted without one: the words between the body and the
        name right after it (明家犯罪集团重要头目明国平 -> 重要头目), when they are a few Chinese characters
        of one clause; else None (the position is dropped)."""
        person, org = v.ents[c.head], v.ents[c.tail]
        if org.ce > person.cs or org.clause != person.clause:
            return None
        gap = v.gap(org, person)
        if not gap or len(gap) > self.GAP_TITLE_MAX or not self._GAP_TITLE.match(gap):
            return None
        return v.orig(org.ce, person.cs)

    @staticmethod
    def _nearest_money(v: View, ents: List[Span], c: Candidate) -> Optional[Span]:
        t = v.ents[c.tail]
        money = [e for e in v.ents if e.label == "MONEY" and e.clause == t.clause]
        return ents[min(money, key=lambda m: abs(m.cs - t.cs)).i] if money else None

    def __call__(self, doc: Doc) -> Doc:
        set_relations(doc, self.predict(doc))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def score(self, examples: Iterable[Example], **kwargs: Any) -> Dict[str, Any]:
        from ..scoring import score_relations

        scorer = self.scorer or score_relations
        return scorer(examples, **kwargs)

    # ------------------------------------------------------------------ serialisation
    def _cfg(self) -> Dict[str, Any]:
        return {
            "use_rules": self.use_rules,
            "use_classifier": self.use_classifier,
            "threshold": self.threshold,
            "label_thresholds": self.label_thresholds,
            "max_sentence_distance": self.max_sentence_distance,
            "max_pair_chars": self.max_pair_chars,
            "line_breaks": self.line_breaks,
        }

    def _set_cfg(self, cfg: Dict[str, Any]) -> None:
        for key, value in cfg.items():
            if key in DEFAULT_CONFIG:
                setattr(self, key, value)

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        exclude = set(exclude)
        if "cfg" not in exclude:
            (path / "cfg.json").write_text(json.dumps(self._cfg(), ensure_ascii=False, indent=1), encoding="utf-8")
        if "rules" not in exclude:
            (path / "rules.jsonl").write_text(self.rules.to_jsonl(), encoding="utf-8")
        if "model" not in exclude and self.model is not None and self.model.trained:
            self.model.to_disk(path / "model")

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> "RelationExtractor":
        path = Path(path)
        exclude = set(exclude)
        if "cfg" not in exclude and (path / "cfg.json").exists():
            self._set_cfg(json.loads((path / "cfg.json").read_text(encoding="utf-8")))
        if "rules" not in exclude and (path / "rules.jsonl").exists():
            self.set_rules(RuleSet.from_paths([path / "rules.jsonl"]))
        else:
            self.set_rules(self.rules)
        if "model" not in exclude and (path / "model" / "model.json").exists():
            self.model = PairScorer.from_disk(self.rules, path / "model")
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        exclude = set(exclude)
        data: Dict[str, Any] = {}
        if "cfg" not in exclude:
            data["cfg"] = self._cfg()
        if "rules" not in exclude:
            data["rules"] = self.rules.rows
        if "model" not in exclude and self.model is not None and self.model.trained:
            data["model"] = self.model.to_dict()
        return srsly.msgpack_dumps(data)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "RelationExtractor":
        msg = srsly.msgpack_loads(data)
        exclude = set(exclude)
        if "cfg" in msg and "cfg" not in exclude:
            self._set_cfg(msg["cfg"])
        if "rules" in msg and "rules" not in exclude:
            self.set_rules(RuleSet.from_rows(msg["rules"]))
        else:
            self.set_rules(self.rules)
        if "model" in msg and "model" not in exclude:
            self.model = PairScorer.from_dict(self.rules, msg["model"])
        return self


@Language.factory(
    "relation_extractor",
    default_config=DEFAULT_CONFIG,
    assigns=["doc._.relations"],
    requires=["doc.ents"],
    default_score_weights={
        "rel_micro_f": 1.0,
        "rel_micro_p": 0.0,
        "rel_micro_r": 0.0,
        "rel_lenient_micro_f": 0.0,
        "rel_same_sentence_micro_f": 0.0,
    },
)
def make_relation_extractor(
    nlp: Language,
    name: str,
    *,
    use_rules: bool = True,
    use_classifier: bool = False,
    threshold: float = 0.5,
    label_thresholds: Optional[Dict[str, float]] = None,
    max_sentence_distance: int = 1,
    max_pair_chars: int = 60,
    line_breaks: str = "smart",
    scorer: Optional[Callable[..., Dict[str, Any]]] = None,
) -> RelationExtractor:
    """Factory for ``nlp.add_pipe("relation_extractor")``; settings mirror the config."""
    return RelationExtractor(
        nlp,
        name,
        use_rules=use_rules,
        use_classifier=use_classifier,
        threshold=threshold,
        label_thresholds=label_thresholds,
        max_sentence_distance=max_sentence_distance,
        max_pair_chars=max_pair_chars,
        line_breaks=line_breaks,
        scorer=scorer,
    )


__all__ = ["DEFAULT_CONFIG", "RelationExtractor", "make_relation_extractor"]
