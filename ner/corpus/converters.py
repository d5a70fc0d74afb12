"""Public NER corpora -> spaCy DocBins with character tokens, in the schema's labels.

Readers live in :mod:`ner.corpus.public`; this module holds the corpus registry, the test-overlap
filter and the DocBin conversion. See docs/CONVERTERS.md for the label mappings and counts.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Set, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..schema import ENTITY_LABELS
from ..settings import data_root
from ..text.charmap import normalize_chars
from ..tokenizer import CharTokenizer
from .public import (
    PUBLIC_LABELS,
    Sentence,
    SpanT,
    read_cluener,
    read_msra_bio,
    read_people_daily,
    read_resume,
    read_weibo,
)

Reader = Callable[..., Iterator[Sentence]]


@dataclass(frozen=True)
class Split:
    """One file of a public corpus: reader, path under the data root, and whether we report on it."""

    corpus: str
    split: str
    reader: Reader
    relpath: str
    is_test: bool = False

    @property
    def name(self) -> str:
        """``corpus_split``, the DocBin file stem."""
        return f"{self.corpus}_{self.split}"

    def path(self, root: Optional[Union[str, Path]] = None) -> Path:
        """Absolute path of the file under the data root."""
        return data_root(root) / self.relpath


#: Every public split we convert. ``is_test`` marks the test sets we report on.
SPLITS: Tuple[Split, ...] = (
    Split("msra", "train", read_msra_bio, "corpora/msra_ner/bio/msra_train_bio"),
    Split("msra", "test", read_msra_bio, "corpora/msra_ner/bio/msra_test_bio", is_test=True),
    Split("people_daily", "train", read_people_daily, "corpora/people_daily_1998/199801.txt"),
    Split("cluener", "train", read_cluener, "corpora/cluener2020/cluener_public/train.json"),
    Split("cluener", "dev", read_cluener, "corpora/cluener2020/cluener_public/dev.json", is_test=True),
    Split("weibo", "train", read_weibo, "corpora/weibo_ner/weiboNER_2nd_conll.train"),
    Split("weibo", "dev", read_weibo, "corpora/weibo_ner/weiboNER_2nd_conll.dev"),
    Split("weibo", "test", read_weibo, "corpora/weibo_ner/weiboNER_2nd_conll.test", is_test=True),
    Split("resume", "train", read_resume, "corpora/resume_ner/train.char.bmes"),
    Split("resume", "dev", read_resume, "corpora/resume_ner/dev.char.bmes"),
    Split("resume", "test", read_resume, "corpora/resume_ner/test.char.bmes", is_test=True),
)

CORPORA: Tuple[str, ...] = tuple(dict.fromkeys(s.corpus for s in SPLITS))


class SpanAlignmentError(ValueError):
    """A gold span does not fall on character-token boundaries."""


def char_nlp() -> Language:
    """A blank Chinese pipeline with the project's character tokenizer."""
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    return nlp


def overlap_key(text: str) -> str:
    """The key under which two sentences count as the same: whitespace removed, model-normalised."""
    return normalize_chars("".join(text.split()))


def overlap_keys(sentences: Iterable[Sentence]) -> Set[str]:
    """Overlap keys of test sentences (empty keys are ignored)."""
    return {k for k in (overlap_key(t) for t, _ in sentences) if k}


def remove_test_overlap(
    sentences: Iterable[Sentence], keys: Set[str], stats: Optional[Counter] = None
) -> Iterator[Sentence]:
    """Drop every sentence whose :func:`overlap_key` is in ``keys``; count drops as ``test_overlap``."""
    for text, spans in sentences:
        if overlap_key(text) in keys:
            if stats is not None:
                stats["test_overlap"] += 1
            continue
        yield text, spans


def sentence_to_doc(
    nlp: Language,
    text: str,
    spans: Sequence[SpanT],
    *,
    corpus: str = "?",
    index: int = 0,
    partial: bool = False,
    stats: Optional[Counter] = None,
) -> Doc:
    """Make a character-token Doc with ``spans`` as entities; raise SpanAlignmentError on misalignment.

    With ``partial`` the likely PROGRAMME/SECTOR/MONEY mentions are marked missing
    (:func:`ner.corpus.partial.mark_missing`).
    """
    doc = nlp.make_doc(text)
    ents = []
    for start, end, label in spans:
        if label not in ENTITY_LABELS:
            raise ValueError(f"{corpus}: sentence {index}: label {label!r} is not in the schema")
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None:
            raise SpanAlignmentError(
                f"{corpus}: sentence {index}: span [{start}, {end}) {label} {text[start:end]!r} "
                "does not align to character tokens"
            )
        ents.append(span)
    try:
        doc.set_ents(ents, default="outside")
    except ValueError as err:
        raise SpanAlignmentError(f"{corpus}: sentence {index}: overlapping spans: {err}") from err
    if partial:
        from .partial import mark_missing

        marked = mark_missing(doc)
        if stats is not None:
            stats["missing_spans"] += len(marked)
            stats["missing_tokens"] += sum(len(s) for s in marked)
    return doc


@dataclass
class SplitReport:
    """Counts for one converted split."""

    name: str
    sentences: int = 0
    chars: int = 0
    entities: Counter = field(default_factory=Counter)
    stats: Counter = field(default_factory=Counter)

    def row(self) -> List[str]:
        """Cells for the markdown table (see :func:`report_table`)."""
        cells = [self.name, f"{self.sentences:,}", f"{self.chars:,}"]
        cells += [f"{self.entities[label]:,}" for label in PUBLIC_LABELS]
        cells += [f"{self.stats['test_overlap']:,}", f"{self.stats['overlap_dropped']:,}"]
        cells += [f"{self.stats['missing_spans']:,}"]
        return cells


def convert_split(
    split: Split,
    *,
    root: Optional[Union[str, Path]] = None,
    exclude: Optional[Set[str]] = None,
    partial: bool = False,
    nlp: Optional[Language] = None,
) -> Tuple[DocBin, SplitReport]:
    """Read one split, drop sentences whose key is in ``exclude``, and build its DocBin."""
    nlp = nlp or char_nlp()
    report = SplitReport(split.name)
    sentences: Iterable[Sentence] = split.reader(split.path(root), stats=report.stats)
    if exclude:
        sentences = remove_test_overlap(sentences, exclude, report.stats)
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    for i, (text, spans) in enumerate(sentences):
        doc = sentence_to_doc(nlp, text, spans, corpus=split.name, index=i, partial=partial, stats=report.stats)
        docbin.add(doc)
        report.sentences += 1
        report.chars += len(text)
        report.entities.update(label for _, _, label in spans)
    return docbin, report


def collect_test_keys(root: Optional[Union[str, Path]] = None) -> Dict[str, Set[str]]:
    """Overlap keys of every test split we report on, by split name."""
    return {s.name: overlap_keys(s.reader(s.path(root))) for s in SPLITS if s.is_test}


def _pieces(keys: Iterable[str], pattern: str, min_len: int) -> Set[str]:
    return {p for k in keys for p in re.split(pattern, k) if len(p) >= min_len}


def people_daily_msra_test_overlap(
    root: Optional[Union[str, Path]] = None, msra_keys: Optional[Set[str]] = None
) -> Mapping[str, int]:
    """How much People's Daily 1998 shares with the MSRA test set (compared by :func:`overlap_key`).

    ``paragraphs``: PD paragraphs equal to an MSRA test sentence (removed from training by
    :func:`convert_all`); ``sentences``: sentences (cut after 。！？, 6+ characters) found in both;
    ``clauses``: clauses (cut at any of ，。！？；：、, 10+ characters) found in both.
    """
    pd = next(s for s in SPLITS if s.corpus == "people_daily")
    msra = next(s for s in SPLITS if s.name == "msra_test")
    keys = msra_keys if msra_keys is not None else overlap_keys(msra.reader(msra.path(root)))
    paragraphs = [overlap_key(t) for t, _ in pd.reader(pd.path(root))]
    sentence_cut, clause_cut = r"(?<=[。！？!?])", r"[，。！？；：、,;:!?]"
    return {
        "paragraphs": sum(1 for k in paragraphs if k in keys),
        "sentences": len(_pieces(paragraphs, sentence_cut, 6) & _pieces(keys, sentence_cut, 6)),
        "clauses": len(_pieces(paragraphs, clause_cut, 10) & _pieces(keys, clause_cut, 10)),
    }


def report_table(reports: Sequence[SplitReport]) -> str:
    """A markdown table of split reports."""
    head = ["split", "sentences", "chars", *PUBLIC_LABELS]
    head += ["removed (test overlap)", "overlap spans dropped", "missing spans (partial)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r.row()) + " |" for r in reports]
    return "\n".join(lines)


def convert_all(
    output: Union[str, Path],
    *,
    root: Optional[Union[str, Path]] = None,
    corpora: Optional[Sequence[str]] = None,
    partial: bool = False,
) -> List[SplitReport]:
    """Convert every split of ``corpora`` (default all) to ``output/<corpus>_<split>.spacy``.

    Non-test splits lose every sentence that also occurs in any test split we report on.
    """
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    keys = collect_test_keys(root)
    exclude: Set[str] = set().union(*keys.values())
    nlp = char_nlp()
    reports = []
    for split in SPLITS:
        if corpora and split.corpus not in corpora:
            continue
        docbin, report = convert_split(
            split, root=root, exclude=None if split.is_test else exclude, partial=partial, nlp=nlp
        )
        docbin.to_disk(out / f"{split.name}.spacy")
        reports.append(report)
    return reports
