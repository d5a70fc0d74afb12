"""A progress counter on stderr for streamed documents (no total is known while streaming)."""
from __future__ import annotations

import sys
from typing import Callable, Iterable, Iterator, Optional, TypeVar

T = TypeVar("T")


def counted(items: Iterable[T], name: str, enabled: bool, text_of: Optional[Callable[[T], str]] = None) -> Iterator[T]:
    """Yield ``items`` unchanged, counting documents (and characters, given ``text_of``) on stderr.

    The line is redrawn for every document on a terminal and every 1,000 documents otherwise.
    """
    n = chars = 0
    tty = sys.stderr.isatty()

    def line() -> str:
        return f"\r{name}: {n} docs" + (f", {chars:,} chars" if text_of else "")

    for item in items:
        n += 1
        if text_of is not None:
            chars += len(text_of(item))
        if enabled and (tty or n % 1000 == 0):
            sys.stderr.write(line())
            sys.stderr.flush()
        yield item
    if enabled:
        sys.stderr.write(line() + " - done\n")
