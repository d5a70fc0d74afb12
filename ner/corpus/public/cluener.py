"""Reader for CLUENER2020 JSON Lines (``{"text", "label": {type: {span: [[start, end]]}}}``).

Offsets in the file are inclusive; they are turned into exclusive ends here. After mapping,
overlapping spans are resolved by keeping the longest (ties: the earlier start); the number of
spans dropped that way is counted in ``stats["overlap_dropped"]``.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Iterator, List, Mapping, Optional

from .base import CorpusFormatError, PathLike, Sentence, SpanT, check_mapping, map_spans, require_file, resolve_overlaps

#: CLUENER type -> our label; book, game, movie and position are dropped.
CLUENER_LABELS: Mapping[str, str] = check_mapping(
    {
        "name": "PERSON",
        "address": "LOC",
        "scene": "LOC",
        "organization": "ORG",
        "government": "ORG",
        "company": "ORG",
    }
)


def read_cluener(
    path: PathLike, *, source_labels: bool = False, stats: Optional[Counter] = None
) -> Iterator[Sentence]:
    """Read a labelled CLUENER split (train.json / dev.json); every mention occurrence is a span."""
    p = require_file(path)
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            text: str = record["text"]
            spans: List[SpanT] = []
            for typ, mentions in (record.get("label") or {}).items():
                for mention, positions in mentions.items():
                    for start, end_incl in positions:
                        end = end_incl + 1
                        if not 0 <= start < end <= len(text) or text[start:end] != mention:
                            raise CorpusFormatError(
                                f"{p}:{lineno}: {typ} {mention!r} at [{start}, {end_incl}] reads {text[start:end]!r}"
                            )
                        spans.append((start, end, typ))
            spans.sort()
            if source_labels:
                yield text, spans
                continue
            kept, dropped = resolve_overlaps(map_spans(spans, CLUENER_LABELS, stats))
            if stats is not None:
                stats["overlap_dropped"] += dropped
            yield text, kept
