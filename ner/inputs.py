"""Reading the documents a user gives to ``xiang-ner extract``: .txt files, folders, JSONL, stdin."""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, Optional


class InputError(ValueError):
    """Bad input: the message names the input and the problem."""


@dataclass
class InputRecord:
    id: str
    text: str
    meta: Dict[str, Any] = field(default_factory=dict)
    source: str = ""


Warn = Callable[[str], None]


def _decode(data: bytes, name: str, encoding: str, errors: str, offset: int = 0) -> str:
    """Decode ``data``; an error names the input and the absolute byte offset (``offset`` + position)."""
    try:
        return data.decode(encoding, errors=errors)
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: invalid {encoding} at byte offset {offset + err.start} ({err.reason}); "
            f"pass --encoding ENCODING or --errors replace"
        ) from None
    except LookupError:
        raise InputError(f"{name}: unknown encoding {encoding!r}") from None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _lone_surrogate(obj: Any, where: str = "") -> Optional[str]:
    """Where a JSON value holds a lone surrogate (valid only as a \\udXXX escape, not as UTF-8)."""
    if isinstance(obj, str):
        for i, ch in enumerate(obj):
            if "\ud800" <= ch <= "\udfff":
                return f"{where or 'a string'} holds a lone surrogate \\u{ord(ch):04x} at character {i}"
    elif isinstance(obj, dict):
        for k, v in obj.items():
            found = _lone_surrogate(k, "a key") or _lone_surrogate(v, f"{k!r}" if not where else where)
            if found:
                return found
    elif isinstance(obj, list):
        for v in obj:
            found = _lone_surrogate(v, where)
            if found:
                return found
    return None


def checked_record(
    obj: Dict[str, Any],
    *,
    where: str,
    default_id: str,
    source: str,
    skip_bad: bool,
    warn: Warn,
    unit: str = "lines",
    noun: str = "field",
    problem: Optional[str] = None,
    id_given: Optional[bool] = None,
    value: Callable[[Any], Any] = lambda v: v,
) -> Optional[InputRecord]:
    """One input record (a JSONL line, a Parquet row) after the checks every record source shares.

    ``problem`` is one its reader found already (malformed JSON, ...). A bad record raises
    :class:`InputError` naming ``where``, or with ``skip_bad`` is reported through ``warn`` and gives
    None. ``id_given`` says whether the record has an id (default: an ``id`` key); ``value`` turns
    the other fields into the record's meta.
    """
    if id_given is None:
        id_given = "id" in obj
    if problem is None:
        if not isinstance(obj.get("text"), str):
            problem = f"{where}: missing or non-string 'text' {noun}"
        elif id_given and not isinstance(obj.get("id"), (str, int)):
            problem = f"{where}: 'id' must be a string or number"
    if problem:
        if skip_bad:
            warn(problem + " (skipped)")
            return None
        raise InputError(problem + f" (use --skip-bad-lines to skip such {unit})")
    doc_id = str(obj["id"]) if id_given else default_id
    meta = {k: value(v) for k, v in obj.items() if k not in ("id", "text")}
    return InputRecord(doc_id, obj["text"], meta, source)


def _iter_jsonl(lines: Iterable[str], name: str, skip_bad: bool, warn: Warn) -> Iterator[InputRecord]:
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        problem = None
        obj: Any = {}
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            problem = f"{where}: malformed JSON ({err.msg} at column {err.colno})"
        else:
            if not isinstance(obj, dict):
                problem, obj = f"{where}: expected a JSON object with 'id' and 'text'", {}
            elif _SURROGATE_ESCAPE.search(line) and isinstance(obj.get("text"), str):
                found = _lone_surrogate(obj)
                if found:
                    problem = f"{where}: {found} (not valid Unicode)"
        rec = checked_record(obj, where=where, default_id=f"{Path(name).name}:{lineno}", source=where,
                             skip_bad=skip_bad, warn=warn, problem=problem)
        if rec is not None:
            yield rec


def _decoded_lines(path: Path, encoding: str, errors: str) -> Iterator[str]:
    """Stream a file's lines, decoding each; a decoding error names the absolute byte offset."""
    offset = 0
    with path.open("rb") as f:
        for raw in f:
            yield _decode(raw, str(path), encoding, errors, offset)
            offset += len(raw)


def _looks_like_jsonl(text: str) -> bool:
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def iter_inputs(
    inputs: Iterable[str],
    *,
    encoding: str = "utf-8",
    errors: str = "strict",
    skip_bad_lines: bool = False,
    warn: Optional[Warn] = None,
) -> Iterator[InputRecord]:
    """Yield input documents in order. ``-`` reads stdin (JSONL if it looks like JSONL, else one text)."""
    warn = warn or (lambda msg: print(msg, file=sys.stderr))
    for spec in inputs:
        if spec == "-":
            text = _decode(sys.stdin.buffer.read(), "<stdin>", encoding, errors)
            if _looks_like_jsonl(text):
                # lines end at \n only: JSON strings may hold U+2028, U+0085 ... raw (str.splitlines cuts there)
                yield from _iter_jsonl(text.split("\n"), "<stdin>", skip_bad_lines, warn)
            else:
                yield InputRecord("stdin", text, {}, "<stdin>")
            continue
        path = Path(spec)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not files:
                raise InputError(f"{spec}: folder holds no .txt files")
            for p in files:
                yield _read_txt(p, encoding, errors, rel=str(p.relative_to(path)))
        elif not path.exists():
            raise InputError(f"{spec}: no such file or folder")
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from _iter_jsonl(_decoded_lines(path, encoding, errors), spec, skip_bad_lines, warn)
        else:
            yield _read_txt(path, encoding, errors)


def _read_txt(path: Path, encoding: str, errors: str, rel: Optional[str] = None) -> InputRecord:
    text = _decode(path.read_bytes(), str(path), encoding, errors)
    return InputRecord(rel or path.name, text, {}, str(path))
