"""Partition plans over extract inputs, and reading one partition's documents back.

An input is weighted by its size in bytes (JSONL file, the .txt files of a folder, a Parquet file's
uncompressed row groups); the total is cut into ``n`` equal shares and every cut is moved to the next
item boundary (line, file, row). A partition is a list of *ranges*, one per input it touches, as plain
JSON-able dicts so that they go into ``manifest.json`` and to the workers unchanged:

* ``{"input", "kind": "jsonl", "bytes": [b0, b1], "lines": [l0, l1]}`` (lines 1-based, end exclusive)
* ``{"input", "kind": "txt_dir", "files": [i0, i1], "first", "last"}`` (sorted ``*.txt`` under it)
* ``{"input", "kind": "txt", "files": [0, 1]}``
* ``{"input", "kind": "parquet", "rows": [r0, r1]}`` (0-based, end exclusive; columns ``id``, ``text``)

Reading a range yields exactly the records (ids, texts, meta, errors) that :func:`ner.inputs.iter_inputs`
yields for those items, so the extract records are the same as on the single-process path.
"""
from __future__ import annotations

import bisect
import datetime
import decimal
import math
import os
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

from ..inputs import InputError, InputRecord, _decode, _iter_jsonl, _read_txt, checked_record

Range = Dict[str, Any]
Warn = Callable[[str], None]
PARQUET_SUFFIXES = (".parquet", ".pq")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


class UsageError(ValueError):
    """A usage problem (exit code 2), as opposed to bad input (exit code 1)."""


@dataclass
class Source:
    """One input as the planner sees it: its kind, weight and the positions of its items."""

    path: Path
    kind: str
    size: int
    files: List[Tuple[str, int]] = field(default_factory=list)  # txt_dir: (relative path, bytes)
    groups: List[Tuple[int, int]] = field(default_factory=list)  # parquet: (rows, uncompressed bytes)

    def __post_init__(self) -> None:
        self.edges: List[int] = [0]  # txt, txt_dir: file i spans edges[i]..edges[i + 1] of the weight
        for _, size in self.files:
            self.edges.append(self.edges[-1] + size)

    @property
    def n_items(self) -> int:
        if self.kind == "jsonl":
            return self.size
        if self.kind == "parquet":
            return sum(rows for rows, _ in self.groups)
        return len(self.files)


def list_txt(folder: Path) -> List[Path]:
    """The .txt files under ``folder`` in the order :func:`ner.inputs.iter_inputs` reads them."""
    return sorted(p for p in folder.rglob("*.txt") if p.is_file())


def describe(spec: str) -> Source:
    """Classify one input argument; missing or unusable inputs raise :class:`InputError`."""
    if spec == "-":
        raise UsageError("--engine dask reads files, not stdin (-); write the input to a file first")
    path = Path(spec).resolve()
    if path.is_dir():
        files = list_txt(path)
        if not files:
            raise InputError(f"{spec}: folder holds no .txt files")
        listed = [(str(p.relative_to(path)), p.stat().st_size) for p in files]
        return Source(path, "txt_dir", sum(s for _, s in listed), files=listed)
    if not path.exists():
        raise InputError(f"{spec}: no such file or folder")
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return Source(path, "jsonl", path.stat().st_size)
    if suffix in PARQUET_SUFFIXES:
        import pyarrow.parquet as pq

        try:
            meta = pq.ParquetFile(path).metadata
        except Exception as err:  # pyarrow raises its own error types for non-Parquet data
            raise InputError(f"{spec}: not a readable Parquet file ({err})") from None
        if "text" not in meta.schema.to_arrow_schema().names:
            raise InputError(f"{spec}: Parquet input needs a 'text' column (and optionally 'id')")
        groups = [(meta.row_group(g).num_rows, meta.row_group(g).total_byte_size) for g in range(meta.num_row_groups)]
        return Source(path, "parquet", sum(b for _, b in groups), groups=groups)
    return Source(path, "txt", path.stat().st_size, files=[(path.name, path.stat().st_size)])


def _align_jsonl(path: Path, size: int, pos: int) -> int:
    """The byte offset of the first line that starts at or after ``pos``."""
    if pos <= 0:
        return 0
    if pos >= size:
        return size
    with path.open("rb") as f:
        f.seek(pos - 1)
        return pos - 1 + len(f.readline())


def _line_numbers(path: Path, offsets: List[int]) -> Dict[int, int]:
    """1-based line number of the line starting at each byte offset (one pass, counting newlines)."""
    out: Dict[int, int] = {}
    todo = sorted(set(offsets))
    newlines = pos = 0
    with path.open("rb") as f:
        for target in todo:
            while pos < target:
                chunk = f.read(min(1 << 24, target - pos))
                if not chunk:
                    break
                newlines += chunk.count(b"\n")
                pos += len(chunk)
            out[target] = newlines + 1
    return out


def _align(src: Source, pos: float) -> int:
    """Move a position inside ``src`` (0..size, in bytes of weight) to an item boundary."""
    if src.kind == "jsonl":
        return _align_jsonl(src.path, src.size, math.ceil(pos))
    if src.kind == "parquet":
        start_w, row0 = 0.0, 0
        for rows, weight in src.groups:
            if rows and pos <= start_w + weight:
                if weight <= 0:
                    return row0
                return row0 + min(rows, max(0, math.ceil((pos - start_w) * rows / weight)))
            start_w += weight
            row0 += rows
        return row0
    if pos <= 0:
        return 0
    if pos >= src.size:
        return len(src.files)
    edges = src.edges  # a cut goes to the nearer file boundary
    i = bisect.bisect_left(edges, pos)
    return i - 1 if i > 0 and pos - edges[i - 1] < edges[i] - pos else i


def _range(src: Source, lo: int, hi: int, lines: Dict[int, int]) -> Range:
    if src.kind == "jsonl":
        return {"input": str(src.path), "kind": "jsonl", "bytes": [lo, hi], "lines": [lines[lo], lines[hi]]}
    if src.kind == "parquet":
        return {"input": str(src.path), "kind": "parquet", "rows": [lo, hi]}
    rng: Range = {"input": str(src.path), "kind": src.kind, "files": [lo, hi]}
    if src.kind == "txt_dir":
        rng["first"], rng["last"] = src.files[lo][0], src.files[hi - 1][0]
    return rng


def plan(inputs: List[str], n: int) -> List[List[Range]]:
    """Cut ``inputs`` into at most ``n`` non-empty partitions of about equal size, in input order."""
    if n < 1:
        raise UsageError("--partitions must be at least 1")
    sources = [describe(spec) for spec in inputs]
    total = sum(s.size for s in sources)
    if total == 0:
        n = 1
    cuts = [total * k / n for k in range(1, n)]
    parts: List[List[Range]] = [[] for _ in range(n)]
    base = 0
    for src in sources:
        bounds = [0] + [_align(src, min(max(c - base, 0), src.size)) for c in cuts] + [src.n_items]
        bounds = [min(b, src.n_items) for b in bounds]
        lines = _line_numbers(src.path, bounds) if src.kind == "jsonl" else {}
        for k in range(n):
            if bounds[k + 1] > bounds[k]:
                parts[k].append(_range(src, bounds[k], bounds[k + 1], lines))
        base += src.size
    return [p for p in parts if p]


# --- reading a partition -------------------------------------------------------------------------


def _jsonl_lines(path: Path, start: int, end: int, encoding: str, errors: str) -> Iterator[str]:
    """Decoded lines of ``path`` between two byte offsets (errors name the absolute byte offset)."""
    with path.open("rb") as f:
        f.seek(start)
        offset = start
        while offset < end:
            raw = f.readline()
            if not raw:
                break
            yield _decode(raw, str(path), encoding, errors, offset)
            offset += len(raw)


def _jsonable(value: Any) -> Any:
    """Parquet cell values as JSON values (dates as ISO strings, decimals as numbers, bytes as text)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def _parquet_records(path: Path, start: int, end: int, skip_bad: bool, warn: Warn) -> Iterator[InputRecord]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    row0 = 0
    for g in range(pf.num_row_groups):
        rows = pf.metadata.row_group(g).num_rows
        if row0 + rows > start and row0 < end:
            lo, hi = max(start - row0, 0), min(end - row0, rows)
            table = pf.read_row_group(g).slice(lo, hi - lo)
            for i, row in enumerate(table.to_pylist()):
                rownum = row0 + lo + i + 1
                rec = checked_record(row, where=f"{path}: row {rownum}", default_id=f"{path.name}:{rownum}",
                                     source=f"{path}:row {rownum}", skip_bad=skip_bad, warn=warn, unit="rows",
                                     noun="value", id_given=row.get("id") is not None, value=_jsonable)
                if rec is not None:
                    yield rec
        row0 += rows
        if row0 >= end:
            break


def read_range(
    rng: Range, *, encoding: str = "utf-8", errors: str = "strict", skip_bad_lines: bool = False, warn: Warn = print
) -> Iterator[InputRecord]:
    """The input records of one range, as :func:`ner.inputs.iter_inputs` yields them."""
    path, kind = Path(rng["input"]), rng["kind"]
    if kind == "jsonl":
        (b0, b1), (l0, _) = rng["bytes"], rng["lines"]
        # _iter_jsonl numbers lines from 1: blank lines in front keep the line numbers (ids, errors) absolute
        lines = chain(repeat("", l0 - 1), _jsonl_lines(path, b0, b1, encoding, errors))
        yield from _iter_jsonl(lines, str(path), skip_bad_lines, warn)
    elif kind == "parquet":
        yield from _parquet_records(path, rng["rows"][0], rng["rows"][1], skip_bad_lines, warn)
    elif kind == "txt_dir":
        i0, i1 = rng["files"]
        files = list_txt(path)[i0:i1]
        names = [str(p.relative_to(path)) for p in files]
        if not names or names[0] != rng["first"] or names[-1] != rng["last"]:
            raise InputError(f"{path}: the folder's .txt files changed since the partitions were planned")
        for p, rel in zip(files, names):
            yield _read_txt(p, encoding, errors, rel=rel)
    elif kind == "txt":
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        yield _read_txt(path, encoding, errors)
    else:
        raise ValueError(f"unknown range kind {kind!r}")


def read_partition(ranges: List[Range], **kwargs: Any) -> Iterator[InputRecord]:
    """The input records of a partition, range after range."""
    for rng in ranges:
        yield from read_range(rng, **kwargs)


def fingerprint(spec: str) -> Dict[str, int]:
    """Size (and modification time of a file; file count of a folder) to notice an input that changed."""
    path = Path(spec)
    if path.is_dir():
        files = list_txt(path)
        return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}
    if not path.exists():
        return {}
    st = path.stat()
    return {"bytes": st.st_size, "mtime_ns": st.st_mtime_ns}


def describe_range(rng: Range) -> str:
    """A short human-readable form of a range, e.g. ``news.jsonl lines 1-2000``."""
    name = os.path.basename(rng["input"])
    if rng["kind"] == "jsonl":
        return f"{name} lines {rng['lines'][0]}-{rng['lines'][1] - 1}"
    if rng["kind"] == "parquet":
        return f"{name} rows {rng['rows'][0] + 1}-{rng['rows'][1]}"
    if rng["kind"] == "txt_dir":
        return f"{name}/ files {rng['first']} .. {rng['last']}"
    return name
