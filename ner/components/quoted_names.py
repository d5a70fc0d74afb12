"""Programme names in marks: “三访三问”工作法, “一企一策”的数字化转型方案 (corpus decisions 16 and 17),
and policy titles in 《》 (decision 20).

Local news names its schemes with a quoted slogan and a generic head noun, and the gold span runs
from the opening quote to the head. The CRF sees two characters either side, so it often misses
the span or keeps only the quoted part. A quoted name, then (的 and) a few modifiers, then a
programme head is one PROGRAMME here; spans inside it are replaced, a span that crosses its edges
wins. Heads, limits and exceptions are data (``data/quoted_names.jsonl``). The text is read with
straight quotes already paired as curly ones (:func:`ner.text.charmap.pair_straight_quotes`).
A policy title in 《》 that ends in a policy noun (意见, 方案, 措施 …) is likewise one PROGRAMME,
without the marks.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Dict, List, Pattern, Sequence, Tuple

from .data_files import data_settings

Span = Tuple[int, int, str]


@lru_cache(maxsize=1)
def _settings() -> Dict[str, object]:
    """The settings of ``data/quoted_names.jsonl`` (read once)."""
    return data_settings("quoted_names.jsonl")


@lru_cache(maxsize=1)
def _patterns() -> Tuple[Pattern[str], Pattern[str]]:
    """The name pattern and the pattern of quoted parts that are no name."""
    merged = _settings()
    heads = sorted(merged["heads"], key=len, reverse=True)  # type: ignore[arg-type]
    not_mod = re.escape(str(merged["not_modifier"]))
    quoted = int(merged["max_quoted"])  # type: ignore[call-overload]
    mods = int(merged["max_modifiers"])  # type: ignore[call-overload]
    name = re.compile(
        rf"“([^“”。，,；;：:！？!?\n]{{1,{quoted}}})”(?:的)?(?:(?![{not_mod}])[\u4e00-\u9fff]){{0,{mods}}}?(?:{'|'.join(map(re.escape, heads))})"
    )
    return name, re.compile(str(merged["not_quoted"]))


@lru_cache(maxsize=1)
def _title_pattern() -> Tuple[Pattern[str], int]:
    """The pattern of a policy title in 《》 (its group 1: the title without the marks) and the
    fewest characters a title has."""
    merged = _settings()
    heads = sorted(merged["title_heads"], key=len, reverse=True)  # type: ignore[arg-type]
    lo, hi = int(merged["title_min"]), int(merged["title_max"])  # type: ignore[call-overload]
    return re.compile(rf"《([^《》\n]{{0,{hi}}}?(?:{'|'.join(map(re.escape, heads))}))》"), lo


def titled_programmes(text: str) -> List[Tuple[int, int]]:
    """``(start, end)`` of each policy title in 《》 (the marks left out) in ``text``."""
    pattern, lo = _title_pattern()
    return [m.span(1) for m in pattern.finditer(text) if m.end(1) - m.start(1) >= lo]


def quoted_programmes(text: str) -> List[Tuple[int, int]]:
    """``(start, end)`` of each quoted name with a programme head in ``text``."""
    name, not_quoted = _patterns()
    return [m.span() for m in name.finditer(text) if not not_quoted.match(m.group(1))]


def with_quoted_programmes(text: str, spans: Sequence[Span]) -> List[Span]:
    """``spans`` with each :func:`quoted_programmes` name and :func:`titled_programmes` title as
    PROGRAMME: spans inside it give way to it, a span crossing its edges keeps its place and the name
    is not added."""
    out = sorted(spans)
    longest = max((b - a for a, b, _ in out), default=0)
    for s, e in quoted_programmes(text) + titled_programmes(text):
        # the spans that can touch [s, e) start in [s - longest, e): one slice of the sorted list, not all
        lo, hi = bisect.bisect_left(out, (s - longest,)), bisect.bisect_left(out, (e,))
        near = out[lo:hi]
        if any(a < e and s < b and not (s <= a and b <= e) for a, b, _ in near):
            continue
        out[lo:hi] = sorted([sp for sp in near if not (s <= sp[0] and sp[1] <= e)] + [(s, e, "PROGRAMME")])
        longest = max(longest, e - s)
    return out


__all__ = ["quoted_programmes", "titled_programmes", "with_quoted_programmes"]
