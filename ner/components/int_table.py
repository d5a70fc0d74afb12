"""A hash table from int64 keys to int64 values that looks up a whole numpy array in a few vector steps.

Python's dict wants one call per key; the CRF's character-pair features and the lexicon's scan starts
need a lookup per character of every document, so both look them up here, array at a time.
"""
from __future__ import annotations

import numpy as np


class IntTable:
    """Unique non-negative int64 keys -> int64 values by open addressing (linear probing, a table at most
    a quarter full), looked up for a whole array at once; ``missing`` for keys not in it."""

    def __init__(self, keys: np.ndarray, values: np.ndarray, missing: int) -> None:
        self.missing = missing
        bits = max(4, int(4 * max(len(keys), 1) - 1).bit_length())
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        self.keys = np.full(1 << bits, -1, dtype=np.int64)
        self.values = np.full(1 << bits, missing, dtype=np.int64)
        slot = self._hash(keys)
        todo = np.arange(len(keys))
        while len(todo):  # place every key whose slot is free (the first claimant of a slot wins), probe on
            free = self.keys[slot[todo]] == -1
            cand = todo[free]
            _, first = np.unique(slot[cand], return_index=True)
            won = cand[first]
            self.keys[slot[won]] = keys[won]
            self.values[slot[won]] = values[won]
            placed = np.zeros(len(keys), dtype=bool)
            placed[won] = True
            todo = todo[~placed[todo]]
            slot[todo] = (slot[todo] + 1) & self.mask

    def _hash(self, keys: np.ndarray) -> np.ndarray:
        mixed = keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        return (mixed >> self.shift).astype(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        out = np.full(len(keys), self.missing, dtype=np.int64)
        slot = self._hash(keys)
        idx = np.arange(len(keys))
        while len(idx):
            found = self.keys[slot]
            hit = found == keys
            out[idx[hit]] = self.values[slot[hit]]
            more = ~hit & (found != -1)
            idx, keys, slot = idx[more], keys[more], (slot[more] + 1) & self.mask
        return out


__all__ = ["IntTable"]
