"""xiang-ner: entities and relations in Chinese regional news, as a spaCy pipeline."""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def load(path: Any = None, **kwargs: Any) -> Any:
    """Load a pipeline (the embedded default when ``path`` is None): a spaCy ``Language``."""
    from .pipeline import load as _load

    return _load(path, **kwargs)
