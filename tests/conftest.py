"""Shared pytest set-up: hypothesis profiles, and the default pipeline loaded once (``default_nlp``).

``ci`` (the default, used by ``make test``) keeps the property tests fast; ``fuzz`` (``make fuzz``,
or ``HYPOTHESIS_PROFILE=fuzz``) runs >= 10,000 examples per test that does not fix its own count.
"""
from __future__ import annotations

import os
from typing import Any, Callable, List, Sequence, Tuple

import pytest
from hypothesis import HealthCheck, settings

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def default_nlp() -> Any:
    """The embedded default pipeline, loaded once for every test that runs it."""
    import ner

    return ner.load()


@pytest.fixture
def crf_ents(default_nlp: Any) -> Callable[..., List[Tuple[int, str, str]]]:
    """``crf_ents(text, tags, **settings)``: the ``(start, text, label)`` of the entities ``crf_ner`` of the
    default pipeline sets from the model's ``tags`` (``(position, tag)``) of ``text``, read with its
    settings changed as given for this call only (``people=False``)."""
    crf = default_nlp.get_pipe("crf_ner")

    def run(text: str, tags: Sequence[Tuple[int, str]], **settings: bool) -> List[Tuple[int, str, str]]:
        saved = {name: getattr(crf, name) for name in settings}
        for name, value in settings.items():
            setattr(crf, name, value)
        try:
            doc = default_nlp.make_doc(text)
            crf._set_ents(doc, text, list(tags))
            return [(e.start_char, e.text, e.label_) for e in doc.ents]
        finally:
            for name, value in saved.items():
                setattr(crf, name, value)

    return run
