"""Writing extract records: JSONL or CSV, through a temporary file renamed at the end, resumable.

An interrupted run leaves ``OUT.partial``; ``--resume`` keeps its complete records, drops a torn
last line, skips the inputs already written (checking their ids in order) and appends the rest.
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import IO, Any, Dict, Iterable, Iterator, List, Optional, Tuple

from .inputs import InputError, InputRecord

CSV_FIELDS = [
    "doc_id", "kind", "label", "start", "end", "text",
    "head_start", "head_end", "head_label", "head_text",
    "tail_start", "tail_end", "tail_label", "tail_text",
    "amount_start", "amount_end", "amount_text", "title", "cross_sentence",
]  # fmt: skip


def partial_path(out: Path) -> Path:
    return out.with_name(out.name + ".partial")


def csv_rows(record: Dict[str, Any]) -> Iterator[Dict[str, Any]]:
    """Flatten one record: a row per entity (kind=ent) and per relation (kind=rel)."""
    for e in record["ents"]:
        yield {"doc_id": record["id"], "kind": "ent", **{k: e[k] for k in ("label", "start", "end", "text")}}
    for r in record["relations"]:
        row: Dict[str, Any] = {"doc_id": record["id"], "kind": "rel", "label": r["label"]}
        for side in ("head", "tail"):
            for k in ("start", "end", "label", "text"):
                row[f"{side}_{k}"] = r[side][k]
        attrs = r.get("attrs", {})
        if "amount" in attrs:
            for k in ("start", "end", "text"):
                row[f"amount_{k}"] = attrs["amount"][k]
        row["title"] = attrs.get("title", "")
        row["cross_sentence"] = str(bool(r.get("cross_sentence"))).lower()
        yield row


class RecordWriter:
    """Write records to a stream in JSONL or CSV."""

    def __init__(self, stream: IO[str], fmt: str, write_header: bool = True) -> None:
        if fmt not in ("jsonl", "csv"):
            raise ValueError(f"unknown output format {fmt!r} (jsonl or csv)")
        self.stream, self.fmt = stream, fmt
        self._csv = csv.DictWriter(stream, fieldnames=CSV_FIELDS) if fmt == "csv" else None
        if self._csv is not None and write_header:
            self._csv.writeheader()

    def write(self, record: Dict[str, Any]) -> None:
        if self._csv is not None:
            buf = io.StringIO()
            w = csv.DictWriter(buf, fieldnames=CSV_FIELDS)
            for row in csv_rows(record):
                w.writerow(row)
            # an end row closes each document so that --resume knows which ones are complete
            w.writerow({"doc_id": record["id"], "kind": "end", "end": len(record["text"])})
            self.stream.write(buf.getvalue())
        else:
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.stream.flush()


def done_ids(path: Path, fmt: str) -> List[str]:
    """Ids of the complete records in a partial output; truncates a torn last line in place."""
    data = path.read_bytes()
    keep = data.rfind(b"\n") + 1
    if keep < len(data):
        with path.open("r+b") as f:
            f.truncate(keep)
    text = data[:keep].decode("utf-8")
    # records end at \n only: their text may hold U+2028, U+0085 ... raw, where str.splitlines cuts
    if fmt == "jsonl":
        ids = []
        for n, line in enumerate(text.split("\n")[:-1], 1):
            try:
                ids.append(str(json.loads(line)["id"]))
            except (json.JSONDecodeError, KeyError, TypeError):
                raise InputError(f"{path}:{n}: not a record of a previous run; cannot resume") from None
        return ids
    lines = io.StringIO(text).readlines()  # the lines the csv reader counts in line_num
    reader = csv.DictReader(io.StringIO(text))
    ids, last_line = [], 1 if lines else 0
    for row in reader:
        if row.get("kind") == "end":
            ids.append(row["doc_id"])
            last_line = reader.line_num
    # drop the rows of a document whose end row was never written
    keep_text = "".join(lines[:last_line])
    if len(keep_text) < len(text):
        path.write_text(keep_text, encoding="utf-8")
    return ids


def skip_done(records: Iterable[InputRecord], ids: List[str]) -> Iterator[InputRecord]:
    """Skip the first ``len(ids)`` inputs, checking that they are the ones already written."""
    it = iter(records)
    for n, expected in enumerate(ids, 1):
        rec = next(it, None)
        if rec is None or rec.id != expected:
            got = "end of input" if rec is None else repr(rec.id)
            raise InputError(
                f"cannot resume: record {n} of the partial output is {expected!r} but the input has {got}; "
                "run without --resume to start again"
            )
    yield from it


def open_output(out: Optional[Path], fmt: str, resume: bool) -> Tuple[IO[str], List[str]]:
    """Open the partial output file (or stdout) and return it with the ids already written."""
    if out is None:
        import sys

        return sys.stdout, []
    part = partial_path(out)
    if resume and part.exists():
        ids = done_ids(part, fmt)
        return part.open("a", encoding="utf-8", newline=""), ids
    if resume and out.exists():
        raise InputError(f"{out}: output already complete; nothing to resume")
    out.parent.mkdir(parents=True, exist_ok=True)
    return part.open("w", encoding="utf-8", newline=""), []


def finish(out: Optional[Path]) -> None:
    if out is not None:
        os.replace(partial_path(out), out)
