"""Run-time settings: where the read-only shared data lives.

The data root holds ``corpora/`` and ``spec/`` (see DEVELOPERS.md). It is taken, in order, from
an explicit argument, the ``XIANG_NER_DATA`` environment variable, or ``../shared`` next to the
current directory; failing that, ``../shared`` next to the repository checkout.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

ENV_DATA_ROOT = "XIANG_NER_DATA"
DEFAULT_DATA_ROOT = Path("..") / "shared"
_REPO_ROOT = Path(__file__).resolve().parent.parent


def data_root(explicit: Optional[Union[str, Path]] = None) -> Path:
    """Return the data root directory (it may not exist; callers report a missing file)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_DATA_ROOT)
    if env:
        return Path(env)
    here = Path.cwd() / DEFAULT_DATA_ROOT
    if here.is_dir():
        return here.resolve()
    return (_REPO_ROOT / DEFAULT_DATA_ROOT).resolve()


def corpus_path(relative: Union[str, Path], root: Optional[Union[str, Path]] = None) -> Path:
    """Resolve a path relative to the data root (``corpora/seed/...``)."""
    return data_root(root) / relative
