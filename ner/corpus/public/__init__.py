"""Readers for the public NER corpora under ``<data root>/corpora`` (see docs/CONVERTERS.md)."""
from .base import CorpusFormatError, Sentence, SpanT, decode_tags, resolve_overlaps
from .cluener import CLUENER_LABELS, read_cluener
from .conll import MSRA_LABELS, RESUME_LABELS, WEIBO_LABELS, read_msra_bio, read_resume, read_weibo, weibo_char
from .people_daily import PEOPLE_DAILY_LABELS, read_people_daily
from ...schema import ENTITY_LABELS

_TARGETS = {
    label
    for mapping in (CLUENER_LABELS, MSRA_LABELS, PEOPLE_DAILY_LABELS, RESUME_LABELS, WEIBO_LABELS)
    for label in mapping.values()
}
#: Our labels that some public corpus annotates, in schema order.
PUBLIC_LABELS = tuple(label for label in ENTITY_LABELS if label in _TARGETS)

__all__ = [
    "CLUENER_LABELS",
    "CorpusFormatError",
    "MSRA_LABELS",
    "PEOPLE_DAILY_LABELS",
    "PUBLIC_LABELS",
    "RESUME_LABELS",
    "Sentence",
    "SpanT",
    "WEIBO_LABELS",
    "decode_tags",
    "read_cluener",
    "read_msra_bio",
    "read_people_daily",
    "read_resume",
    "read_weibo",
    "resolve_overlaps",
    "weibo_char",
]
