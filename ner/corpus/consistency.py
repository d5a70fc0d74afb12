"""Annotation consistency: surfaces that the gold corpus tags in some places and leaves untagged in others.

A name tagged ``SECTOR`` 65 times and left untagged 54 times is either context-dependent (the
guidelines' "subject or target of lending, investment, policy") or annotated unevenly between batches;
either way it is where an annotator should look first. An occurrence counts as untagged only when no
gold span overlaps it (so ``农业`` inside ``农业农村部`` ORG is not counted).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .gold import GoldDoc


@dataclass
class SurfaceReport:
    """How one surface is annotated across the corpus."""

    surface: str
    labels: Counter = field(default_factory=Counter)  # label -> tagged occurrences
    untagged: int = 0
    tagged_docs: set = field(default_factory=set)
    untagged_docs: set = field(default_factory=set)
    #: (doc id, start, end) of a few untagged occurrences
    untagged_examples: List[Tuple[str, int, int]] = field(default_factory=list)

    @property
    def tagged(self) -> int:
        return sum(self.labels.values())

    @property
    def label(self) -> str:
        """The label it is tagged with most often."""
        return self.labels.most_common(1)[0][0]

    @property
    def mixed(self) -> int:
        """The smaller of tagged and untagged: how many annotations disagree with the majority."""
        return min(self.tagged, self.untagged)


def surface_reports(docs: Iterable[GoldDoc], *, labels: Optional[Sequence[str]] = None, min_len: int = 2,
                    max_examples: int = 3) -> List[SurfaceReport]:
    """One report per surface tagged at least once (with a label in ``labels``, if given), most mixed first."""
    docs = list(docs)
    reports: Dict[str, SurfaceReport] = {}
    for d in docs:
        for s in d.spans:
            text = d.text[s.start:s.end]
            if len(text) >= min_len and (labels is None or s.label in labels):
                rep = reports.setdefault(text, SurfaceReport(text))
                rep.labels[s.label] += 1
                rep.tagged_docs.add(d.id)
    by_first: Dict[str, List[str]] = defaultdict(list)
    for surface in reports:
        by_first[surface[0]].append(surface)
    for d in docs:
        covered = bytearray(len(d.text) + 1)
        for s in d.spans:
            covered[s.start:s.end] = b"\x01" * (s.end - s.start)
        for surface in {x for ch in set(d.text) for x in by_first.get(ch, ())}:
            rep = reports[surface]
            i = d.text.find(surface)
            while i >= 0:
                j = i + len(surface)
                if not any(covered[i:j]):
                    rep.untagged += 1
                    rep.untagged_docs.add(d.id)
                    if len(rep.untagged_examples) < max_examples:
                        rep.untagged_examples.append((d.id, i, j))
                i = d.text.find(surface, i + 1)
    return sorted(reports.values(), key=lambda r: (-r.mixed, -r.tagged, r.surface))


def format_reports(reports: Sequence[SurfaceReport], docs: Dict[str, GoldDoc], *, top: int = 40, context: int = 10) -> str:
    """A table of the ``top`` most mixed surfaces with an untagged example each (TSV-like, for reading)."""
    lines = ["surface\tlabel\ttagged\tuntagged\tdocs tagged/untagged\tan untagged occurrence"]
    for r in reports[:top]:
        if not r.mixed:
            break
        example = ""
        if r.untagged_examples:
            did, i, j = r.untagged_examples[0]
            t = docs[did].text
            example = f"{did}: {t[max(0, i - context):i]}[{t[i:j]}]{t[j:j + context]}".replace("\n", " ")
        lines.append(f"{r.surface}\t{r.label}\t{r.tagged}\t{r.untagged}\t{len(r.tagged_docs)}/{len(r.untagged_docs)}\t{example}")
    return "\n".join(lines)


__all__ = ["SurfaceReport", "format_reports", "surface_reports"]
