"""The fixed train/dev split (corpus/split.json) and corpus statistics per split.

The split is by article and deterministic: an id goes to dev when the SHA-256 of the id falls in the
lowest 20 % (``seed-page``, the guidelines' worked example, is always dev). ``corpus/split.json``
records it so that adding articles never moves old ones between train and dev.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence

from ..schema import ENTITY_LABELS, RELATION_LABELS
from .gold import CorpusError, PathLike
from .sources import REPO_ROOT, SEED_ID
from .standoff import load_documents

SPLIT_PATH = REPO_ROOT / "corpus" / "split.json"
DEV_PERCENT = 20
SPLITS = ("train", "dev")
UNSPLIT = "unsplit"


def split_of(doc_id: str) -> str:
    """The hashed split of a doc id (``seed-page`` is always dev)."""
    if doc_id == SEED_ID:
        return "dev"
    bucket = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 100
    return "dev" if bucket < DEV_PERCENT else "train"


def make_split(ids: Iterable[str], previous: Optional[Mapping[str, Sequence[str]]] = None) -> Dict[str, List[str]]:
    """``{"train": [...], "dev": [...]}`` for ``ids``; ids already in ``previous`` keep their split."""
    fixed = {i: name for name in SPLITS for i in (previous or {}).get(name, [])}
    out: Dict[str, List[str]] = {name: [] for name in SPLITS}
    for doc_id in sorted(set(ids) | set(fixed)):
        out[fixed.get(doc_id) or split_of(doc_id)].append(doc_id)
    return out


def load_split(path: PathLike = SPLIT_PATH) -> Dict[str, List[str]]:
    """Read corpus/split.json; CorpusError naming the file if it is missing or malformed."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as err:
        raise CorpusError(f"{p}: cannot read split file ({err.strerror or err}); run training/make_split.py") from err
    except json.JSONDecodeError as err:
        raise CorpusError(f"{p}:{err.lineno}: bad JSON: {err.msg}") from err
    if not isinstance(data, dict) or any(not isinstance(data.get(k), list) for k in SPLITS):
        raise CorpusError(f"{p}: expected {{\"train\": [ids], \"dev\": [ids]}}")
    both = set(data["train"]) & set(data["dev"])
    if both:
        raise CorpusError(f"{p}: ids in both train and dev: {sorted(both)[:5]}")
    return {k: list(data[k]) for k in SPLITS}


def write_split(split: Mapping[str, Sequence[str]], path: PathLike = SPLIT_PATH) -> None:
    """Write the split file (sorted ids, one list per split)."""
    data = {k: sorted(split.get(k, [])) for k in SPLITS}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@dataclass
class SplitStats:
    """Counts for one split."""

    documents: int = 0
    characters: int = 0
    spans: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    cross_sentence: int = 0


def corpus_stats(
    paths: Sequence[PathLike],
    split: Optional[Mapping[str, Sequence[str]]] = None,
    data_root: Optional[PathLike] = None,
) -> Dict[str, SplitStats]:
    """Counts per split (``train``, ``dev``, ``unsplit`` for ids in no split, and ``total``)."""
    if split is None:
        split = load_split()
    where = {i: name for name in split for i in split[name]}
    out: Dict[str, SplitStats] = {}
    for doc in load_documents(list(paths), data_root):
        for name in (where.get(doc.id, UNSPLIT), "total"):
            st = out.setdefault(name, SplitStats())
            st.documents += 1
            st.characters += len(doc.text)
            st.spans.update(s.label for s in doc.spans)
            st.relations.update(r.label for r in doc.relations)
            st.cross_sentence += sum(r.cross_sentence for r in doc.relations)
    order = [*SPLITS, UNSPLIT, "total"]
    return {k: out[k] for k in order if k in out}


def format_stats(stats: Mapping[str, SplitStats]) -> str:
    """A plain-text table: one column per split, rows for documents, characters, labels, relation types."""
    names = list(stats)
    rows: List[List[str]] = [["", *names]]
    rows.append(["documents", *(str(stats[n].documents) for n in names)])
    rows.append(["characters", *(str(stats[n].characters) for n in names)])
    rows.append(["spans", *(str(sum(stats[n].spans.values())) for n in names)])
    rows += [[f"  {lab}", *(str(stats[n].spans[lab]) for n in names)] for lab in ENTITY_LABELS]
    rows.append(["relations", *(str(sum(stats[n].relations.values())) for n in names)])
    rows += [[f"  {lab}", *(str(stats[n].relations[lab]) for n in names)] for lab in RELATION_LABELS]
    rows.append(["  cross_sentence", *(str(stats[n].cross_sentence) for n in names)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(r)) for r in rows
    )
