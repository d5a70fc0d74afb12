"""Enumerations: the items of a 、 list share the label of a tagged item (新能源、新材料、装配式建筑等产业).

A character CRF tags a sector it has met in training and rarely one it has not (dev recall 0.10 for
SECTOR names missing from its lexicon), even when the name stands in a list beside sectors it did tag.
:func:`complete_lists` gives such untagged items the label of a tagged neighbour. An item counts only
where both its edges are certain: a 、 on one side, and on the other a 、, a clause mark, or the 和/及/与
or 等 that closes a list; its characters are those a name is made of (no function words; the words that
delimit items, ``data/list_items.jsonl``, are data).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from .data_files import data_rows

SpanT = Tuple[int, int, str]


@lru_cache(maxsize=1)
def _settings() -> Dict[str, object]:
    rows = data_rows("list_items.jsonl")
    merged: Dict[str, object] = {}
    for row in rows:
        merged.update({k: v for k, v in row.items() if k != "note"})
    return merged


@lru_cache(maxsize=1)
def _item_pattern() -> "re.Pattern[str]":
    s = _settings()
    stop = re.escape("".join(s["stop_chars"]))  # type: ignore[arg-type]
    return re.compile(rf"[^\s{stop}{re.escape(''.join(s['marks']))}]+")  # type: ignore[arg-type]


def list_labels() -> FrozenSet[str]:
    """The labels whose untagged list neighbours are completed."""
    return frozenset(_settings()["labels"])  # type: ignore[arg-type]


def _closers() -> Tuple[str, ...]:
    return tuple(sorted(_settings()["closers"], key=len, reverse=True))  # type: ignore[arg-type]


def _next_item(text: str, pos: int, lo: int, hi: int) -> Optional[Tuple[int, int, bool]]:
    """The item starting at ``pos`` (just after a 、 or a closer): ``(start, end, last)`` or None when its
    right edge is not a list delimiter within ``hi`` characters; ``last`` when it ends the list."""
    m = _item_pattern().match(text, pos)
    if m is None:
        return None
    run = m.group(0)
    # a closing word inside the run (装配式建筑等产业, 汽车和船舶) ends the item before it
    cut, last = len(run), False
    for k in range(lo, min(len(run), hi) + 1):
        if run.startswith(_closers(), k):
            cut, last = k, True
            break
    end = pos + cut
    if cut == len(run):
        nxt = text[end:end + 1]
        if nxt == "、":
            last = False
        elif nxt and nxt in _settings()["marks"]:  # type: ignore[operator]
            last = True
        else:
            return None
    if not lo <= cut <= hi:
        return None
    return pos, end, last


def complete_lists(text: str, spans: Sequence[SpanT], labels: Optional[FrozenSet[str]] = None) -> List[SpanT]:
    """``spans`` (sorted ``(start, end, label)``) with each untagged item of a 、 list that follows a
    tagged item of a list label given that label; items to the right of the tagged one only, since a
    list's first item has no certain left edge (发展新能源、新材料)."""
    labels = list_labels() if labels is None else labels
    taken = sorted(spans)
    if not any(label in labels and text.startswith("、", en) for _, en, label in taken):
        return taken  # no list follows a tagged item: nothing to complete (most documents)
    s = _settings()
    lo, hi = int(s["min_len"]), int(s["max_len"])  # type: ignore[arg-type]
    closers = _closers()
    starts: Dict[int, SpanT] = {sp[0]: sp for sp in taken}
    added: List[SpanT] = []
    covered = [False] * (len(text) + 1)

    def take(start: int, end: int, label: str) -> None:
        for k in range(start, end):
            covered[k] = True
        if label:
            added.append((start, end, label))

    for st, en, _ in taken:
        take(st, en, "")
    for st, en, label in taken:
        if label not in labels:
            continue
        pos = en
        while pos < len(text) and text[pos] == "、":
            nxt = _next_item(text, pos + 1, lo, hi)
            if nxt is None:
                break
            i_st, i_en, last = nxt
            other = starts.get(i_st)
            if other is not None:
                if other[2] != label:
                    break
                pos = other[1]
            elif any(covered[i_st:i_en]):
                break
            else:
                take(i_st, i_en, label)
                pos = i_en
            if last:
                # the word that closes the list (和/及/与) is followed by the list's final item
                closer = next((c for c in closers if text.startswith(c, pos)), "")
                if closer and closer not in s["enders"]:  # type: ignore[operator]
                    fin = _next_item(text, pos + len(closer), lo, hi)
                    if fin is not None and fin[0] not in starts and not any(covered[fin[0]:fin[1]]):
                        take(fin[0], fin[1], label)
                break
    return sorted(taken + added) if added else taken


__all__ = ["complete_lists", "list_labels"]
