"""MONEY patterns shipped as data (``data/money_patterns.jsonl``) for spaCy's entity_ruler."""
from __future__ import annotations

import json
from importlib import resources
from typing import Any, Dict, List


def money_patterns() -> List[Dict[str, Any]]:
    """Entity-ruler token patterns over character tokens (digits or Chinese numerals + unit)."""
    text = resources.files("ner.components").joinpath("data/money_patterns.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]
