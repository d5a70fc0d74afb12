"""The rule and lexicon files shipped in ``ner/components/data`` (JSONL: one JSON object per line)."""
from __future__ import annotations

import json
from importlib import resources
from typing import Any, Dict, List


def read_jsonl(text: str) -> List[Dict[str, Any]]:
    """Rows of a JSONL string (blank lines and ``#`` comments skipped)."""
    return [json.loads(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def data_rows(name: str) -> List[Dict[str, Any]]:
    """The rows of the shipped data file ``name``."""
    return read_jsonl(resources.files("ner.components").joinpath("data", name).read_text(encoding="utf-8"))


def data_settings(name: str) -> Dict[str, Any]:
    """The rows of the shipped data file ``name`` merged into one mapping (later rows win; the ``note``
    rows say what the settings mean and are left out): for files that hold one set of settings."""
    merged: Dict[str, Any] = {}
    for row in data_rows(name):
        merged.update({k: v for k, v in row.items() if k != "note"})
    return merged


def data_files(prefix: str, suffix: str = ".jsonl") -> List[str]:
    """Names of the shipped data files that start with ``prefix`` and end with ``suffix``, sorted."""
    return sorted(e.name for e in resources.files("ner.components").joinpath("data").iterdir()
                  if e.name.startswith(prefix) and e.name.endswith(suffix))


__all__ = ["data_files", "data_rows", "data_settings", "read_jsonl"]
