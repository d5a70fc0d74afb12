"""Shared pytest set-up: hypothesis profiles, and the default pipeline loaded once (``default_nlp``).

``ci`` (the default, used by ``make test``) keeps the property tests fast; ``fuzz`` (``make fuzz``,
or ``HYPOTHESIS_PROFILE=fuzz``) runs >= 10,000 examples per test that does not fix its own count.
"""
from __future__ import annotations

import os
from typing import Any

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
