"""xiang-ner: entities and relations in Chinese regional news, as a spaCy pipeline."""
from __future__ import annotations

__version__ = "0.1.0"
