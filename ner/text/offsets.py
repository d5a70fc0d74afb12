"""OffsetMap: the one bridge from cleaned text back to the user's original text."""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Iterable, Tuple


@dataclass
class OffsetMap:
    """For each character of a cleaned text, the index of the original character it came from.

    ``orig_end`` is the original index just past the cleaned text's last character; it maps the
    end offset of an empty cleaned text or a span at the very end.
    """

    positions: array = field(default_factory=lambda: array("q"))
    orig_end: int = 0

    @classmethod
    def identity(cls, start: int, end: int) -> "OffsetMap":
        return cls(array("q", range(start, end)), end)

    def __len__(self) -> int:
        return len(self.positions)

    def to_original(self, start: int, end: int) -> Tuple[int, int]:
        """Map a cleaned span [start, end) to the original span covering the same characters.

        The original span runs from the first character's origin to just past the last one's, so
        removed line breaks or stray spaces inside a name stay inside the reported span.
        """
        n = len(self.positions)
        if not 0 <= start <= end <= n:
            raise IndexError(f"span ({start}, {end}) outside cleaned text of length {n}")
        if start == end:
            pos = self.positions[start] if start < n else self.orig_end
            return pos, pos
        return self.positions[start], self.positions[end - 1] + 1

    def slice(self, start: int, end: int) -> "OffsetMap":
        """The map of the cleaned substring [start, end)."""
        stop = self.positions[end] if end < len(self.positions) else self.orig_end
        return OffsetMap(self.positions[start:end], stop)


class OffsetMapBuilder:
    """Build a cleaned string and its OffsetMap together, one kept original character at a time."""

    def __init__(self, original: str) -> None:
        self.original = original
        self._chars: list[str] = []
        self._pos = array("q")

    def keep(self, index: int, char: str | None = None) -> None:
        self._chars.append(self.original[index] if char is None else char)
        self._pos.append(index)

    def keep_range(self, start: int, end: int) -> None:
        self._chars.extend(self.original[start:end])
        self._pos.extend(range(start, end))

    def drop_from(self, orig_index: int) -> None:
        """Remove the kept characters that came from ``orig_index`` or later (a line's trailing space)."""
        while self._pos and self._pos[-1] >= orig_index:
            self._pos.pop()
            self._chars.pop()

    def extend(self, indices: Iterable[int]) -> None:
        for i in indices:
            self.keep(i)

    def build(self, orig_end: int) -> Tuple[str, OffsetMap]:
        text = "".join(self._chars)
        assert len(text) == len(self._pos)
        return text, OffsetMap(self._pos, orig_end)
