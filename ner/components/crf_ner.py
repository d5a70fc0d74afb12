"""The ``crf_ner`` pipeline component: entities from a character CRF (trained with python-crfsuite).

One CRF item per character, with hand-made features (the normalised character, its neighbours
within two positions, the surrounding bigrams and character types, and matches of the lexicon of
training entities: :func:`ner.components.crf_features.char_features`); the predicted BIO/BILUO tags
become ``doc.ents``. Trained outside spaCy's loop by
``training/train_crf.py`` (issue 4.3: on gold dev it beat the neural BILUO tagger, micro F 0.733 vs
0.715, at about three times its speed). The trained crfsuite model is compiled into numpy tables
(:mod:`ner.components.crf_compiled`: the same tags, several times faster, documents decoded a batch at
a time in :meth:`CRFEntityRecognizer.pipe`) and serialised with the pipeline in that form, its lexicon
(if it was trained with one) beside it: loading needs no path outside the pipeline directory.
Predicted spans lose quotes that pair with nothing inside them, take in the other half of a quote
pair they cut (:func:`trim_quotes`), are dropped when the corpus decisions never tag them
(:func:`not_entities`), and an ORG takes in a 党组/党委/系统 and a LOC a 地区/流域/新区 … right after it
(:func:`span_extensions`); a place takes in the 政府, 央行 or 农商银行 after it and becomes one ORG
(:func:`relabelling_extensions`), an ORG leaves out a 党组 that a title chain follows
(:func:`without_title_chain_suffix`), and an event loses its leading year (:func:`trim_event_year`); an ORG
that is a space-separated list of names (财政部 税务总局) is split
(:func:`split_org_list`), one that runs across a verb (腾讯退出京东) is cut before it
(:func:`split_org_at_verb`), a name cut at a bracketed place is made whole (:func:`join_bracketed_names`:
中国（福建）自由贸易试验区), and places right before an ORG join its name (:func:`join_place_prefixed_orgs`);
one-character places that touch become one LOC (:func:`join_place_abbreviations`). The model's lexicon
is completed with gazetteers when tagging (:mod:`ner.components.gazetteer`: China's places down to the
counties, other places in China and abroad, sector terms, organisations, public figures), and straight
double quotes are read as curly ones where they pair up (:func:`ner.text.charmap.pair_straight_quotes`). Names in bylines and photo credits are PERSON
(:func:`with_byline_people`), and an untagged item of a 、 list after a tagged SECTOR takes its
label (:func:`ner.components.list_items.complete_lists`). A surname-led name right after a title, and a
name the document tags as PERSON elsewhere, are PERSON (:func:`ner.components.person_names.with_named_people`).
A quoted name with a programme head (“三访三问”工作法) and a policy title in 《》 are one PROGRAMME
(:func:`ner.components.quoted_names.with_quoted_programmes`). A best path that reads a name longer than any
of its label, or across a sentence end, is decoded again without that reading
(:func:`ner.components.span_limits.tags_within_limits`).
"""

import gzip
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Tuple, Union

import srsly
from spacy.language import Language
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans, minibatch

from ..baselines.crf import sparse_tags_to_spans
from ..text.charmap import pair_straight_quotes
from ..tokenizer import doc_text
from .bylines import byline_people
from .crf_compiled import CompiledCRF
from .crf_clusters import CLUSTERS_FILE, BigramClusters
from .crf_features import FEATURE_DEFAULTS, QUOTE_PAIRS, read_clusters, read_companions
from .crf_lexicon import LEXICON_FILE, Lexicon, read_lexicon, write_lexicon
from .data_files import data_rows, data_settings
from .list_items import complete_lists
from .person_names import with_named_people
from .gazetteer import gazetteer_place_set, with_gazetteer
from .quoted_names import with_quoted_programmes
from .span_limits import invalid_spans, tags_within_limits

MODEL_FILE = "model.npz"
#: pipelines saved before the compiled form kept the gzipped crfsuite model (still read)
LEGACY_MODEL_FILE = "model.crfsuite.gz"
#: documents tagged together by :meth:`CRFEntityRecognizer.pipe` (Viterbi decodes them side by side)
PIPE_BATCH = 256
_CLOSERS = {v: k for k, v in QUOTE_PAIRS.items()}


@lru_cache(maxsize=1)
def span_extensions() -> Dict[str, Tuple[str, ...]]:
    """Label -> words that stay with a span of that label they follow, longest first
    (``data/span_extensions.jsonl``: corpus decision 8, a body's party group or committee and a
    regulator's 系统 are one ORG; a region keeps 地区, a river its 流域)."""
    words: Dict[str, set] = {}
    for row in data_rows("span_extensions.jsonl"):
        if "words" in row and "becomes" not in row:
            words.setdefault(row["label"], set()).update(row["words"])
    return {label: tuple(sorted(ws, key=len, reverse=True)) for label, ws in words.items()}


@lru_cache(maxsize=1)
def relabelling_extensions() -> Dict[str, Tuple[Tuple[str, str], ...]]:
    """Label -> (word, new label) of the words that make a span of that label they follow part of a
    name of another label, longest first (``data/span_extensions.jsonl`` rows with ``becomes``: a place
    and the 政府, 央行 or 农商银行 right after it are one ORG, 浏阳|农商银行, where the model often tags
    the place alone)."""
    words: Dict[str, Dict[str, str]] = {}
    for row in data_rows("span_extensions.jsonl"):
        if "words" in row and "becomes" in row:
            words.setdefault(row["label"], {}).update({w: row["becomes"] for w in row["words"]})
    return {label: tuple(sorted(ws.items(), key=lambda kv: len(kv[0]), reverse=True)) for label, ws in words.items()}


@lru_cache(maxsize=1)
def org_list_heads() -> Tuple[str, ...]:
    """Heads that end an organisation's name in a space-separated list (``data/org_list_heads.jsonl``)."""
    return tuple(h for row in data_rows("org_list_heads.jsonl") for h in row.get("heads", ()))


def extend_span(text: str, end: int, label: str, *, relabel: bool = True) -> Tuple[int, str]:
    """The end and label of a span of ``label`` ending at ``end`` with the words that stay with it
    (:func:`span_extensions`, then, with ``relabel``, :func:`relabelling_extensions` and the new label's
    own extensions: 湖南|农信|系统 -> one ORG)."""
    extensions = span_extensions().get(label)
    if extensions:
        end += next((len(w) for w in extensions if text.startswith(w, end)), 0)
    for word, new in relabelling_extensions().get(label, ()) if relabel else ():
        if text.startswith(word, end):
            return extend_span(text, end + len(word), new)
    return end, label


@lru_cache(maxsize=1)
def title_chain_suffixes() -> Dict[str, Tuple[Tuple[str, "re.Pattern[str]"], ...]]:
    """Label -> (suffix, pattern) of the words a span leaves out when a title chain follows them
    (``data/span_extensions.jsonl`` rows with ``leaves``: 农业农村部|党组书记、部长, corpus decision 68)."""
    out: Dict[str, List[Tuple[str, "re.Pattern[str]"]]] = {}
    for row in data_rows("span_extensions.jsonl"):
        if "leaves" in row:
            out.setdefault(row["label"], []).append((row["leaves"], re.compile(row["before"])))
    return {label: tuple(rows) for label, rows in out.items()}


def without_title_chain_suffix(text: str, start: int, end: int, label: str) -> int:
    """The end of the span ``text[start:end]`` without a :func:`title_chain_suffixes` word that a title
    chain follows (商务部党组|成员、副部长 -> 商务部); a span that is only that word keeps it."""
    for suffix, before in title_chain_suffixes().get(label, ()):
        if end - start > len(suffix) and text.endswith(suffix, start, end) and before.match(text, end):
            return end - len(suffix)
    return end


@lru_cache(maxsize=1)
def _event_year_rule() -> Tuple[str, "re.Pattern[str]", Tuple[str, ...]]:
    """The label, leading-year pattern (matched at the span start) and event heads of :func:`trim_event_year`
    (``data/event_years.jsonl``)."""
    settings = data_settings("event_years.jsonl")
    return settings["label"], re.compile(settings["year"]), tuple(settings["heads"])


def trim_event_year(text: str, start: int, end: int, label: str) -> int:
    """The start of the span ``text[start:end]`` without a leading year when it names an event (corpus
    decisions 4 and 59: 2025年毕业生就业招聘会 -> 毕业生就业招聘会); other spans keep theirs."""
    rule_label, year, heads = _event_year_rule()
    if label != rule_label or not text.endswith(heads, start, end):
        return start
    m = year.match(text, start, end)
    return m.end() if m and end - m.end() >= 2 else start


_SPACES = re.compile(r"\s+")


def split_org_list(text: str, start: int, end: int) -> List[Tuple[int, int]]:
    """The parts of the ORG span ``text[start:end]`` when it is a space-separated list of names
    (财政部 税务总局: every part but the last ends in an :func:`org_list_heads` head, every part has two
    characters or more); else the span itself."""
    gaps = list(_SPACES.finditer(text, start, end))
    if not gaps:
        return [(start, end)]
    parts, at = [], start
    for gap in gaps:
        parts.append((at, gap.start()))
        at = gap.end()
    parts.append((at, end))
    heads = org_list_heads()
    if all(e - s >= 2 for s, e in parts) and all(text[s:e].endswith(heads) for s, e in parts[:-1]):
        return parts
    return [(start, end)]


@lru_cache(maxsize=1)
def org_verbs() -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """Verbs that never stand inside an organisation's name, and those that split only between two
    names with organisation heads (``data/org_verbs.jsonl``)."""
    settings = data_settings("org_verbs.jsonl")
    return tuple(settings["verbs"]), tuple(settings["between_names"])


def split_org_at_verb(text: str, start: int, end: int) -> List[Tuple[int, int, str]]:
    """The ORG span ``text[start:end]`` cut before the first :func:`org_verbs` verb inside it (two
    characters or more on either side): the part before stays ORG (LOC if it is a gazetteer place),
    the part after stays ORG if it ends in an :func:`org_list_heads` head, else it is dropped. The model
    runs names together across such a verb (腾讯退出京东); a span without one comes back whole."""
    name = text[start:end]
    verbs, between = org_verbs()
    heads = org_list_heads()
    for verb in (*verbs, *between):
        k = name.find(verb, 2)
        if k < 0 or len(name) - k - len(verb) < 2:
            continue
        if verb in between and not (name[:k].endswith(heads) and name.endswith(heads)):
            continue
        left = "LOC" if name[:k] in gazetteer_place_set() else "ORG"
        out = [(start, start + k, left)]
        if name.endswith(heads):
            out.append((start + k + len(verb), end, "ORG"))
        return out
    return [(start, end, "ORG")]


@lru_cache(maxsize=1)
def _place_org_rules() -> Dict[str, Tuple[str, ...]]:
    """The exceptions of :func:`join_place_prefixed_orgs` (``data/place_prefixed_orgs.jsonl``)."""
    return {k: tuple(v) for k, v in data_settings("place_prefixed_orgs.jsonl").items()}


def join_place_prefixed_orgs(text: str, spans: List[Tuple[int, int, str]]) -> List[Tuple[int, int, str]]:
    """``spans`` with each run of LOCs that touch an ORG right after them joined into that ORG
    (江西省|抚州市科学技术协会 -> one ORG, as the gold names bodies), except for the ORGs and first places
    of ``data/place_prefixed_orgs.jsonl`` (a village's party branch, a national body, a run led by 中国)."""
    rules = _place_org_rules()
    spans = sorted(spans)
    out: List[Tuple[int, int, str]] = []
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j][2] == "LOC" and spans[j][1] == spans[j + 1][0]:
            j += 1
        if j > i and spans[j][2] == "ORG":
            org, first = text[spans[j][0]:spans[j][1]], text[spans[i][0]:spans[i][1]]
            if (not any(w in org for w in rules["org_not_containing"]) and not org.startswith(rules["org_not_starting"])
                    and first not in rules["first_place_not"]):
                out.append((spans[i][0], spans[j][1], "ORG"))
                i = j + 1
                continue
        out.append(spans[i])
        i += 1
    return out


#: a place or other short name in brackets inside a name: 中国（上海）自由贸易试验区, 一汽股权投资（天津）有限公司
_BRACKET_INSERT = re.compile(r"[（(][\u4e00-\u9fff]{2,6}[）)]")


def join_bracketed_names(text: str, spans: List[Tuple[int, int, str]]) -> List[Tuple[int, int, str]]:
    """``spans`` with each name written around a bracketed place made one span: a LOC or ORG that ends
    right before the brackets, anything inside them, and the span that runs on past them (or starts
    right after them) are joined, with the label of that last span, the name's head (中国|（福建|）自由贸易试验区
    -> one LOC; 中国工商银行|（巴西|）股份有限公司 -> one ORG). The model cuts such names at the bracket."""
    spans = sorted(spans)
    out: List[Tuple[int, int, str]] = []
    i = 0
    while i < len(spans):
        start, end, label = spans[i]
        m = _BRACKET_INSERT.match(text, end) if label in ("LOC", "ORG") else None
        if m:
            j = i + 1
            while j < len(spans) and spans[j][1] <= m.end() - 1:  # spans inside the brackets
                j += 1
            if j < len(spans) and end < spans[j][0] <= m.end() and spans[j][1] > m.end() and (
                    spans[j][0] == m.end() or text[spans[j][0]:m.end()].count(text[m.end() - 1]) == 1):
                out.append((start, spans[j][1], spans[j][2]))
                i = j + 1
                continue
        out.append(spans[i])
        i += 1
    return [cut for span in out for cut in _without_open_bracket(text, span)]


_OPENING = {"（": "）", "(": ")"}


def _without_open_bracket(text: str, span: Tuple[int, int, str]) -> List[Tuple[int, int, str]]:
    """The span cut before a round bracket it opens and does not close (市场监管总局（标准委 -> 市场监管总局;
    …核聚变实验装置（EAST -> …核聚变实验装置): no gold name ends inside a bracket. Dropped if under two characters."""
    start, end, label = span
    depth: List[int] = []
    for k in range(start, end):
        ch = text[k]
        if ch in _OPENING:
            depth.append(k)
        elif depth and ch == _OPENING[text[depth[-1]]]:
            depth.pop()
    if not depth:
        return [span]
    cut = depth[0]
    return [(start, cut, label)] if cut - start >= 2 else []


@lru_cache(maxsize=1)
def untagged_run_leads() -> FrozenSet[str]:
    """Characters that a run of one-character place names never starts with when tagged
    (``data/one_char_places.jsonl``, corpus decision 51: 中 in 中美, 中新两国, 中方)."""
    return frozenset(ch for row in data_rows("one_char_places.jsonl") for ch in row["not_leading"])


def join_place_abbreviations(text: str, spans: List[Tuple[int, int, str]]) -> List[Tuple[int, int, str]]:
    """One LOC for each run of one-character LOCs that touch (``港澳``, ``黄淮``, ``京津冀``: corpus
    decisions 7 and 51; MSRA, which the model also learns from, tags each character), and none for
    a run led by a character of :func:`untagged_run_leads`. ``spans``: sorted ``(start, end, label)``."""
    out: List[Tuple[int, int, str]] = []
    leads = untagged_run_leads()
    i = 0
    while i < len(spans):
        start, end, label = spans[i]
        if label != "LOC" or end - start != 1:
            out.append(spans[i])
            i += 1
            continue
        j = i
        while j + 1 < len(spans) and spans[j + 1][2] == "LOC" and spans[j + 1][0] == spans[j][1] and spans[j + 1][1] - spans[j + 1][0] == 1:
            j += 1
        if text[start] not in leads:
            out.append((start, spans[j][1], "LOC"))
        i = j + 1
    return out


def with_byline_people(text: str, spans: List[Tuple[int, int, str]]) -> List[Tuple[int, int, str]]:
    """``spans`` with each name of a byline or photo credit as a PERSON, in place of the spans it
    overlaps (:func:`ner.components.bylines.byline_people`; the model runs such names together)."""
    people = byline_people(text)
    if not people:
        return spans
    kept = [sp for sp in spans if not any(sp[0] < e and s < sp[1] for s, e in people)]
    return sorted(kept + [(s, e, "PERSON") for s, e in people])


@lru_cache(maxsize=1)
def not_entities() -> Dict[str, FrozenSet[str]]:
    """Surfaces the corpus decisions never tag (``data/not_entities.jsonl``): text -> labels. The model
    also learns from MSRA, whose conventions differ on a few of them (华 in 来华 is LOC there)."""
    return {row["text"]: frozenset(row["labels"]) for row in data_rows("not_entities.jsonl")}


def trim_quotes(text: str, start: int, end: int) -> Tuple[int, int]:
    """The span without quotation or title marks that pair with nothing inside it (GUIDELINES: quotes
    that wrap a whole name stay outside; ``“三亲”工作法`` keeps its pair). A character model often
    takes in the opening mark of ``“潇湘贷”`` or leaves a closing one dangling."""
    while start < end:
        ch = text[start]
        if ch in QUOTE_PAIRS and text.find(QUOTE_PAIRS[ch], start + 1, end) == end - 1:  # one pair wraps it all
            start, end = start + 1, end - 1
        elif ch in QUOTE_PAIRS and QUOTE_PAIRS[ch] not in text[start + 1:end]:
            start += 1
        elif ch in _CLOSERS:
            start += 1
        else:
            break
    while end > start:
        ch = text[end - 1]
        if ch in _CLOSERS and _CLOSERS[ch] not in text[start:end - 1]:
            end -= 1
        elif ch in QUOTE_PAIRS:
            end -= 1
        else:
            break
    return _complete_quotes(text, start, end)


def _complete_quotes(text: str, start: int, end: int) -> Tuple[int, int]:
    """Take in the other half of a quote pair the span cuts through when it sits right outside it:
    a quoted head with its generic noun runs from the opening quote (GUIDELINES; corpus decision 16),
    and the model often starts right after it (``春暖农民工”服务行动`` -> ``“春暖农民工”服务行动``)."""
    if start >= end:
        return start, end
    span = text[start:end]
    for opener, closer in QUOTE_PAIRS.items():
        if closer not in span and opener not in span:
            continue
        depth, dangling_closer = 0, False
        for ch in span:
            if ch == opener:
                depth += 1
            elif ch == closer:
                if depth:
                    depth -= 1
                else:
                    dangling_closer = True
        if dangling_closer and start > 0 and text[start - 1] == opener:
            start -= 1
        if depth and end < len(text) and text[end] == closer:
            end += 1
    return start, end


class CRFEntityRecognizer:
    """Set ``doc.ents`` from a character CRF's tags."""

    def __init__(self, nlp: Optional[Language], name: str = "crf_ner", *, overwrite: bool = True,
                 join_places: bool = True, gazetteer: bool = True, bylines: bool = True, lists: bool = True,
                 people: bool = True, quoted: bool = True, place_orgs: bool = True, limits: bool = True,
                 scorer: Optional[Callable[..., Dict[str, Any]]] = None) -> None:
        self.name = name
        #: no span longer than its label allows or across a sentence end: such paths are decoded again (:func:`tags_within_limits`)
        self.limits = bool(limits)
        #: places right before an ORG are part of its name (:func:`join_place_prefixed_orgs`), as is a place
        #: before its 政府 or 央行 (:func:`relabelling_extensions`); off: MSRA's convention, both stay LOC
        self.place_orgs = bool(place_orgs)
        #: a quoted name with a programme head, and a policy title in 《》, is one PROGRAMME (:func:`with_quoted_programmes`)
        self.quoted = bool(quoted)
        #: names after a title, and a tagged name's other mentions, are PERSON (:func:`with_named_people`)
        self.people = bool(people)
        #: untagged items of a 、 list after a tagged item take its label (:func:`complete_lists`)
        self.lists = bool(lists)
        self.overwrite = bool(overwrite)
        #: names in bylines and photo credits are PERSON, whatever the model made of them (:func:`with_byline_people`)
        self.bylines = bool(bylines)
        #: tag with the model's lexicon plus the place gazetteer (:func:`with_gazetteer`); the saved lexicon stays the model's
        self.gazetteer = bool(gazetteer)
        self._tagging_lexicon: Tuple[Optional[Lexicon], Optional[Lexicon]] = (None, None)  # (lexicon, with the gazetteer)
        #: one LOC per run of touching one-character places, none for a run led by 中 (corpus decision 51)
        self.join_places = bool(join_places)
        self.scorer = scorer
        self._crf: Optional[CompiledCRF] = None
        #: the lexicon the model was trained with (None: a model without lexicon features)
        self.lexicon: Optional[Lexicon] = None
        #: the bigram clusters the model was trained with (None: a model without cluster features)
        self.clusters: Optional[BigramClusters] = None
        #: the feature settings the model was trained with (``features.json`` of its training output)
        self.features: Dict[str, Any] = dict(FEATURE_DEFAULTS)

    # ------------------------------------------------------------------ model
    @property
    def labels(self) -> List[str]:
        if self._crf is None:
            return []
        return sorted({t.partition("-")[2] for t in self._crf.labels} - {""})

    def set_model(self, data: bytes) -> None:
        """Use the crfsuite model ``data`` (the bytes of a ``.crfsuite`` file), compiled."""
        try:
            self._crf = CompiledCRF.from_crfsuite(data)
        except ValueError as err:
            raise ValueError(f"{self.name}: {err} (a model trained on features other than crf_features.char_features?)") from err

    def _set_compiled(self, data: bytes) -> None:
        try:
            self._crf = CompiledCRF.from_bytes(data)
        except ValueError as err:
            raise ValueError(f"{self.name}: {err}") from err

    def initialize(self, get_examples: Optional[Callable[[], Iterable[Example]]] = None, *,
                   nlp: Optional[Language] = None, model_path: Optional[Union[str, Path]] = None) -> None:
        """Load a trained model (``training/train_crf.py`` output, ``.crfsuite`` or gzipped, with its
        ``lexicon.json.gz`` beside it when it was trained with lexicon features)."""
        if model_path is None:
            if self._crf is None:
                raise ValueError(f"{self.name}: give [initialize.components.{self.name}] model_path (train one with training/train_crf.py)")
            return
        path = Path(model_path)
        if path.is_dir():
            path = path / "model.crfsuite"
        if not path.is_file():
            raise FileNotFoundError(f"{self.name}: no CRF model at {path}")
        raw = path.read_bytes()
        self.set_model(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
        self.lexicon, self.features = read_companions(path)
        self.clusters = read_clusters(path, self.features)

    # ------------------------------------------------------------------ apply
    def __call__(self, doc: Doc) -> Doc:
        return self._tag([doc])[0]

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Tag ``stream`` :data:`PIPE_BATCH` documents at a time at least (the Viterbi decodes them side
        by side): documents come out in order, a batch at a time."""
        for batch in minibatch(stream, size=max(batch_size, PIPE_BATCH)):
            yield from self._tag(batch)

    def _tag(self, docs: List[Doc]) -> List[Doc]:
        if self._crf is None:
            raise ValueError(f"{self.name} has no model: load a pipeline that contains one, or initialize it with model_path")
        # the model reads straight quotes paired as curly ones (same offsets; PDF text writes "X"工作法)
        texts = [pair_straight_quotes(doc_text(doc)) for doc in docs]
        lexicon = self.tagging_lexicon()
        tagged = self._crf.tag_ids(texts, lexicon, brackets=self.features["brackets"], clusters=self.clusters,
                                   cues=self.features["cues"])
        crf = self._crf
        for doc, text, ids in zip(docs, texts, tagged):
            if text:
                spans = sparse_tags_to_spans(crf.tagged(ids), text)
                bad = invalid_spans(text, spans) if self.limits else []
                if bad:  # rare: decode this one again
                    ids = tags_within_limits(crf, text, ids, lambda: crf.emissions(
                        text, lexicon, brackets=self.features["brackets"], clusters=self.clusters, cues=self.features["cues"]),  # noqa: B023
                        bad)
                    spans = sparse_tags_to_spans(crf.tagged(ids), text)
                self._set_spans(doc, text, spans)
        return docs

    def tagging_lexicon(self) -> Optional[Lexicon]:
        """The lexicon the model tags with: its own, with the gazetteer if ``gazetteer`` (built once per lexicon)."""
        if self.lexicon is None or not self.gazetteer:
            return self.lexicon
        own, merged = self._tagging_lexicon
        if own is not self.lexicon or merged is None:
            merged = with_gazetteer(self.lexicon)
            self._tagging_lexicon = (self.lexicon, merged)
        return merged

    def _set_ents(self, doc: Doc, text: str, tagged: List[Tuple[int, str]]) -> None:
        """Set ``doc.ents`` from the model's tags of ``text`` (``(position, tag)`` of those not ``O``)."""
        self._set_spans(doc, text, sparse_tags_to_spans(tagged, text))

    def _set_spans(self, doc: Doc, text: str, tagged_spans: List[Tuple[int, int, str]]) -> None:
        """Set ``doc.ents`` from the spans the model's tags make, read as the settings say."""
        found: List[Tuple[int, int, str]] = []
        excluded = not_entities()
        for start, end, label in join_place_abbreviations(text, tagged_spans) if self.join_places else tagged_spans:
            start, end = trim_quotes(text, start, end)
            if start >= end or label in excluded.get(text[start:end], ()):
                continue
            end, label = extend_span(text, end, label, relabel=self.place_orgs)
            end = without_title_chain_suffix(text, start, end, label)
            start = trim_event_year(text, start, end, label)
            if label == "ORG":
                found.extend(part for s, e in split_org_list(text, start, end) for part in split_org_at_verb(text, s, e))
            else:
                found.append((start, end, label))
        found = join_bracketed_names(text, found)
        if self.place_orgs:
            found = join_place_prefixed_orgs(text, found)
        if self.lists:
            found = complete_lists(text, sorted(found))
        if self.bylines:
            found = with_byline_people(text, found)
        if self.people:
            found = with_named_people(text, found)
        if self.quoted:
            found = with_quoted_programmes(text, found)
        spans: List[Span] = []
        for start, end, label in found:
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
        if self.overwrite:
            doc.set_ents(filter_spans(spans))
        else:
            doc.set_ents(filter_spans(list(doc.ents) + spans))

    def score(self, examples: Iterable[Example], **kwargs: Any) -> Dict[str, Any]:
        if self.scorer is not None:
            return self.scorer(examples, **kwargs)
        return get_ner_prf(examples)

    # ------------------------------------------------------------------ serialisation
    def _cfg(self) -> Dict[str, Any]:
        return {"overwrite": self.overwrite, "features": self.features}

    def _set_cfg(self, cfg: Dict[str, Any]) -> None:
        self.overwrite = bool(cfg.get("overwrite", self.overwrite))
        # pipelines saved before feature settings existed used the defaults
        self.features = {**FEATURE_DEFAULTS, **cfg.get("features", {})}

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        data: Dict[str, Any] = {"cfg": self._cfg()}
        if "model" not in exclude and self._crf is not None:
            data["crf"] = self._crf.to_bytes()
            if self.lexicon is not None:
                data["lexicon"] = self.lexicon.to_dict()
            if self.clusters is not None:
                data["clusters"] = self.clusters.to_bytes()
        return srsly.msgpack_dumps(data)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "CRFEntityRecognizer":
        msg = srsly.msgpack_loads(data)
        self._set_cfg(msg.get("cfg", {}))
        if "model" not in exclude and ("crf" in msg or "model" in msg):
            if "crf" in msg:
                self._set_compiled(msg["crf"])
            else:  # bytes from before the compiled form: a gzipped crfsuite model
                self.set_model(gzip.decompress(msg["model"]))
            self.lexicon = Lexicon.from_dict(msg["lexicon"]) if "lexicon" in msg else None
            self.clusters = BigramClusters.from_bytes(msg["clusters"]) if "clusters" in msg else None
        return self

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self._cfg())
        if "model" not in exclude and self._crf is not None:
            (path / MODEL_FILE).write_bytes(self._crf.to_bytes())
            if (path / LEGACY_MODEL_FILE).exists():
                (path / LEGACY_MODEL_FILE).unlink()
            if self.lexicon is not None:
                write_lexicon(self.lexicon, path / LEXICON_FILE)
            elif (path / LEXICON_FILE).exists():
                (path / LEXICON_FILE).unlink()
            if self.clusters is not None:
                self.clusters.to_disk(path / CLUSTERS_FILE)
            elif (path / CLUSTERS_FILE).exists():
                (path / CLUSTERS_FILE).unlink()

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> "CRFEntityRecognizer":
        path = Path(path)
        if (path / "cfg.json").exists():
            self._set_cfg(srsly.read_json(path / "cfg.json"))
        if "model" not in exclude and ((path / MODEL_FILE).exists() or (path / LEGACY_MODEL_FILE).exists()):
            if (path / MODEL_FILE).exists():
                self._set_compiled((path / MODEL_FILE).read_bytes())
            else:
                self.set_model(gzip.decompress((path / LEGACY_MODEL_FILE).read_bytes()))
            self.lexicon = read_lexicon(path / LEXICON_FILE) if (path / LEXICON_FILE).exists() else None
            self.clusters = BigramClusters.from_disk(path / CLUSTERS_FILE) if (path / CLUSTERS_FILE).exists() else None
            if self.features.get("clusters") and self.clusters is None:
                raise ValueError(f"{self.name}: {path / CLUSTERS_FILE} is missing (the model uses bigram cluster features)")
        return self


@Language.factory(
    "crf_ner",
    default_config={"overwrite": True, "join_places": True, "gazetteer": True, "bylines": True, "lists": True,
                    "people": True, "quoted": True, "place_orgs": True, "limits": True, "scorer": None},
    assigns=["doc.ents"],
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_crf_ner(nlp: Language, name: str, *, overwrite: bool = True, join_places: bool = True, gazetteer: bool = True,
                 bylines: bool = True, lists: bool = True, people: bool = True, quoted: bool = True,
                 place_orgs: bool = True, limits: bool = True,
                 scorer: Optional[Callable[..., Dict[str, Any]]] = None) -> CRFEntityRecognizer:
    """Factory for ``nlp.add_pipe("crf_ner")``; settings mirror the config (``join_places=False``:
    one-character places stay as tagged, MSRA's convention, :func:`join_place_abbreviations`;
    ``gazetteer=False``: the model's lexicon alone, :func:`with_gazetteer`; ``bylines=False``: byline
    names as the model tags them, :func:`with_byline_people`; ``lists=False``: list items as the model
    tags them, :func:`complete_lists`; ``people=False``: names as the model tags them, :func:`with_named_people`;
    ``quoted=False``: quoted programme names and policy titles as the model tags them, :func:`with_quoted_programmes`;
    ``place_orgs=False``: places before an ORG, or before their 政府 or 央行, stay LOC, MSRA's convention,
    :func:`join_place_prefixed_orgs`, :func:`relabelling_extensions`;
    ``limits=False``: the model's best path as it is, however long its names, :func:`tags_within_limits`)."""
    return CRFEntityRecognizer(nlp, name, overwrite=overwrite, join_places=join_places, gazetteer=gazetteer,
                               bylines=bylines, lists=lists, people=people, quoted=quoted, place_orgs=place_orgs,
                               limits=limits, scorer=scorer)


__all__ = ["CRFEntityRecognizer", "make_crf_ner"]
