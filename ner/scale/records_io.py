"""Partition output files: JSONL and CSV (as ``extract -o``) or Parquet, and reading records back.

Parquet keeps the record structure in typed columns: ``id``, ``text``, ``ents`` (list of
start/end/label/text), ``relations`` (label, head, tail, attrs {amount, title}, cross_sentence) and
``meta`` (the input's extra fields as a JSON string, null when there are none).
:func:`parquet_to_record` turns a row back into exactly the JSON record ``extract`` writes.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from ..output import RecordWriter

FORMATS = ("jsonl", "csv", "parquet")
SUFFIX = {"jsonl": "jsonl", "csv": "csv", "parquet": "parquet"}
ROW_GROUP = 1000


def parquet_schema() -> Any:
    """The Arrow schema of a Parquet partition."""
    import pyarrow as pa

    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()), ("text", pa.string())])
    amount = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
    relation = pa.struct(
        [
            ("label", pa.string()),
            ("head", span),
            ("tail", span),
            ("attrs", pa.struct([("amount", amount), ("title", pa.string())])),
            ("cross_sentence", pa.bool_()),
        ]
    )
    return pa.schema(
        [
            ("id", pa.string()),
            ("text", pa.string()),
            ("ents", pa.list_(span)),
            ("relations", pa.list_(relation)),
            ("meta", pa.string()),
        ]
    )


def record_to_parquet(rec: Dict[str, Any]) -> Dict[str, Any]:
    """One extract record as a Parquet row (``meta`` as a JSON string)."""
    rels = []
    for r in rec["relations"]:
        attrs = r.get("attrs") or {}
        rels.append({**r, "attrs": {"amount": attrs.get("amount"), "title": attrs.get("title")} if attrs else None})
    meta = rec.get("meta")
    return {
        "id": rec["id"],
        "text": rec["text"],
        "ents": rec["ents"],
        "relations": rels,
        "meta": json.dumps(meta, ensure_ascii=False) if meta else None,
    }


def parquet_to_record(row: Dict[str, Any]) -> Dict[str, Any]:
    """A Parquet row back as the JSON record ``extract`` writes (no empty ``attrs`` or ``meta``)."""
    rels = []
    for r in row["relations"] or []:
        item: Dict[str, Any] = {"label": r["label"], "head": r["head"], "tail": r["tail"]}
        attrs = {k: v for k, v in (r.get("attrs") or {}).items() if v is not None}
        if attrs:
            item["attrs"] = attrs
        item["cross_sentence"] = bool(r["cross_sentence"])
        rels.append(item)
    out: Dict[str, Any] = {"id": row["id"], "text": row["text"], "ents": list(row["ents"] or []), "relations": rels}
    if row.get("meta"):
        out["meta"] = json.loads(row["meta"])
    return out


class PartitionWriter:
    """Write one partition's records to ``path`` through ``path.partial``; :meth:`commit` renames it."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self.tmp = path.with_name(path.name + ".partial")
        self._rows: List[Dict[str, Any]] = []
        self._pq: Any = None
        self._stream: Any = None
        if fmt == "parquet":
            import pyarrow.parquet as pq

            self._schema = parquet_schema()
            self._pq = pq.ParquetWriter(self.tmp, self._schema)
        else:
            self._stream = self.tmp.open("w", encoding="utf-8", newline="")
            self._writer = RecordWriter(self._stream, fmt)

    def write(self, rec: Dict[str, Any]) -> None:
        if self._pq is None:
            self._writer.write(rec)
            return
        self._rows.append(record_to_parquet(rec))
        if len(self._rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        self._pq.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
        self._rows = []

    def _close(self) -> None:
        if self._pq is not None:
            if self._rows:
                self._flush()
            self._pq.close()
            self._pq = None
        elif self._stream is not None:
            self._stream.close()
            self._stream = None

    def commit(self) -> None:
        """Close and move the finished file into place."""
        self._close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        """Close and remove the unfinished file."""
        try:
            self._close()
        finally:
            if self.tmp.exists():
                self.tmp.unlink()


def read_records(path: Path, fmt: Optional[str] = None) -> Iterator[Dict[str, Any]]:
    """The records of one JSONL or Parquet partition file, in order."""
    fmt = fmt or path.suffix.lstrip(".")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        for g in range(pf.num_row_groups):
            for row in pf.read_row_group(g).to_pylist():
                yield parquet_to_record(row)
    elif fmt == "jsonl":
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)
    else:
        raise ValueError(f"cannot read records back from {fmt!r} output")
