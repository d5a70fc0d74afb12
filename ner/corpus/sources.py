"""Find an article's text from its source file (relative to the data root) and its doc id.

The repository never stores third-party article text: gold annotations are stand-off records that
name a source and a doc id, and the text is read back from the read-only data root. Supported
sources:

- ``*.jsonl`` with ``id`` and ``text`` fields (``corpora/cctv_xwlb_news/...``);
- ``corpora/fincuge_finnews/finna/eval_list.json``: a JSON list of ``[title, text]``, where id
  ``finna-eval-<i>`` is element ``i``; ``finna/problem_list.json`` items ``{"id", "input"}`` are
  ``finna-problem-<id>``;
- ``*.txt``: the whole file is one article (the seed page, id ``seed-page``).

Each source file is read once and cached.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Union

from ..settings import data_root
from .gold import CorpusError

PathLike = Union[str, Path]

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SELECTION_PATH = REPO_ROOT / "corpus" / "selection.jsonl"
SEED_ID = "seed-page"
SEED_SOURCE = "corpora/seed/hunan-daily-page.txt"
_FINNA_ID = re.compile(r"^finna-(?:eval|problem)-(\d+)$")

# (resolved path, mtime, size) -> {doc id: (text, meta extras)}; for .txt the key is None.
_CACHE: Dict[str, Dict[Optional[str], Tuple[str, Dict[str, Any]]]] = {}
_SELECTION: Dict[str, Dict[str, Dict[str, Any]]] = {}


def sha256_text(text: str) -> str:
    """SHA-256 of the UTF-8 text (what stand-off records store to detect a changed source)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolve_source(source: PathLike, root: Optional[PathLike] = None) -> Path:
    """The file of ``source``: absolute paths as they are, relative ones under the data root."""
    p = Path(source)
    return p if p.is_absolute() else data_root(root) / p


def relative_source(path: PathLike, root: Optional[PathLike] = None) -> str:
    """``path`` written relative to the data root when it lies under it (POSIX form), else absolute."""
    p = Path(path).resolve()
    base = data_root(root).resolve()
    try:
        return p.relative_to(base).as_posix()
    except ValueError:
        return str(p)


def _load(path: Path) -> Dict[Optional[str], Tuple[str, Dict[str, Any]]]:
    if not path.is_file():
        raise CorpusError(f"{path}: source file not found (is the data root right? set XIANG_NER_DATA)")
    st = path.stat()
    key = f"{path.resolve()}|{st.st_mtime_ns}|{st.st_size}"  # a rewritten file is read again
    if key in _CACHE:
        return _CACHE[key]
    table: Dict[Optional[str], Tuple[str, Dict[str, Any]]] = {}
    if path.suffix == ".txt":
        table[None] = (path.read_text(encoding="utf-8"), {})
    elif path.suffix == ".jsonl":
        with open(path, encoding="utf-8") as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    rec = json.loads(raw)
                    table[str(rec["id"])] = (rec["text"], {k: rec[k] for k in ("title", "date") if k in rec})
                except (json.JSONDecodeError, KeyError, TypeError) as err:
                    raise CorpusError(f"{path}:{lineno}: not a record with id and text ({err})") from err
    elif path.suffix == ".json":
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
            for i, item in enumerate(items):
                if isinstance(item, dict):  # finna/problem_list.json: {"id", "input"}
                    table[f"finna-problem-{item['id']}"] = (item["input"], {})
                else:
                    table[f"finna-eval-{i}"] = (item[1], {"title": item[0]})
        except (json.JSONDecodeError, IndexError, TypeError) as err:
            raise CorpusError(f"{path}: expected a JSON list of [title, text] pairs ({err})") from err
    else:
        raise CorpusError(f"{path}: unsupported source type {path.suffix!r} (use .jsonl, .json or .txt)")
    _CACHE[key] = table
    return table


def get_source_doc(source: PathLike, doc_id: str, root: Optional[PathLike] = None) -> Tuple[str, Dict[str, Any]]:
    """``(text, meta extras such as title/date)`` of ``doc_id`` in ``source``; CorpusError if missing."""
    path = resolve_source(source, root)
    table = _load(path)
    if None in table:  # a .txt file is one article
        return table[None]
    if doc_id not in table:
        m = _FINNA_ID.match(doc_id)
        hint = f" (the file has {len(table)} items)" if m else ""
        raise CorpusError(f"{path}: no document with id {doc_id!r}{hint}")
    return table[doc_id]


def get_text(source: PathLike, doc_id: str, root: Optional[PathLike] = None) -> str:
    """The text of ``doc_id`` in ``source`` (relative to the data root)."""
    return get_source_doc(source, doc_id, root)[0]


def selection(path: PathLike = SELECTION_PATH) -> Dict[str, Dict[str, Any]]:
    """Rows of corpus/selection.jsonl by doc id (``source``, ``sha256``, ``chars``); cached."""
    key = str(Path(path).resolve())
    if key not in _SELECTION:
        rows: Dict[str, Dict[str, Any]] = {}
        p = Path(path)
        if p.is_file():
            with open(p, encoding="utf-8") as fh:
                for lineno, raw in enumerate(fh, 1):
                    if raw.strip():
                        try:
                            row = json.loads(raw)
                            rows[str(row["id"])] = row
                        except (json.JSONDecodeError, KeyError, TypeError) as err:
                            raise CorpusError(f"{p}:{lineno}: bad selection row ({err})") from err
        _SELECTION[key] = rows
    return _SELECTION[key]


def source_for_id(doc_id: str, overrides: Optional[Dict[str, str]] = None) -> str:
    """The source of a doc id: an explicit override, ``seed-page``, or corpus/selection.jsonl."""
    if overrides and doc_id in overrides:
        return overrides[doc_id]
    if doc_id == SEED_ID:
        return SEED_SOURCE
    row = selection().get(doc_id)
    if row is None:
        raise CorpusError(
            f"unknown doc id {doc_id!r}: not in {SELECTION_PATH.relative_to(REPO_ROOT)} "
            f"(give its text with --text {doc_id}=PATH)"
        )
    return str(row["source"])


def clear_cache() -> None:
    """Forget cached source files (tests that write sources use it)."""
    _CACHE.clear()
    _SELECTION.clear()
