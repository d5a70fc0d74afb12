"""Bigram clusters: a CRF feature that generalises over character bigrams the training data never labelled.

``training/build_clusters.py`` clusters the frequent Han bigrams of raw news by the characters and
bigrams around them; the CRF then sees, for the four bigrams around each character (the ones of the
``b-2`` … ``b+1`` templates of :func:`ner.components.crf_features.char_features`), the cluster number
(``k-2=17`` …). Bigrams of crops, of bank suffixes or of policy nouns share clusters, so a sector word
the gold corpus never tagged still looks like the ones it did.

Stored as npz (code points of the two characters, cluster number), shipped beside the CRF model.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Dict, List, Union

import numpy as np

from .int_table import IntTable

#: file name beside a trained model
CLUSTERS_FILE = "bigram_clusters.npz"
#: cluster templates: name -> offset of the bigram's first character
TEMPLATES = {"k-2": -2, "k-1": -1, "k0": 0, "k+1": 1}
_CP = 0x110000


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


class BigramClusters:
    """Bigram (two normalised characters) -> cluster number."""

    def __init__(self, mapping: Dict[str, int]) -> None:
        bad = [b for b in mapping if len(b) != 2]
        if bad:
            raise ValueError(f"bigram clusters: keys must be two characters, got {bad[:3]}")
        self.mapping = dict(mapping)
        self.n_clusters = max(self.mapping.values(), default=-1) + 1
        keys = np.array([ord(b[0]) * _CP + ord(b[1]) for b in self.mapping], dtype=np.int64)
        self._table = IntTable(keys, np.array(list(self.mapping.values()), dtype=np.int64), -1)

    def __len__(self) -> int:
        return len(self.mapping)

    def ids(self, norm: str) -> np.ndarray:
        """The cluster of the bigram starting at each character of ``norm`` (-1: none; the last one: -1)."""
        n = len(norm)
        if n < 2:
            return np.full(n, -1, dtype=np.int64)
        cps = np.frombuffer(norm.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        return np.concatenate((self._table.get(cps[:-1] * _CP + cps[1:]), [-1]))

    def padded_ids(self, norm: str) -> np.ndarray:
        """:meth:`ids` with two -1 before and two after: position ``i + 2`` is the bigram at ``i``."""
        return np.concatenate(([-1, -1], self.ids(norm), [-1, -1]))

    def features(self, norm: str) -> List[List[str]]:
        """Per character of the normalised text, the cluster features (``k-1=17``, ...) it has."""
        ids = self.padded_ids(norm).tolist()
        out: List[List[str]] = []
        for i in range(len(norm)):
            row = []
            for name, off in TEMPLATES.items():
                c = ids[i + off + 2]
                if c >= 0:
                    row.append(f"{name}={c}")
            out.append(row)
        return out

    # ------------------------------------------------------------------ serialisation
    def to_bytes(self) -> bytes:
        items = list(self.mapping.items())
        buf = io.BytesIO()
        np.savez_compressed(buf, first=np.array([ord(b[0]) for b, _ in items], dtype=np.int32),
                            second=np.array([ord(b[1]) for b, _ in items], dtype=np.int32),
                            cluster=np.array([c for _, c in items], dtype=np.int32))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "BigramClusters":
        try:
            z = np.load(io.BytesIO(data), allow_pickle=False)
            return cls({chr(a) + chr(b): int(c) for a, b, c in zip(z["first"].tolist(), z["second"].tolist(), z["cluster"].tolist())})
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
            raise ValueError(f"not a bigram cluster file ({err})") from err

    def to_disk(self, path: Union[str, Path]) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def from_disk(cls, path: Union[str, Path]) -> "BigramClusters":
        try:
            return cls.from_bytes(Path(path).read_bytes())
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from err


__all__ = ["BigramClusters", "CLUSTERS_FILE", "TEMPLATES", "is_han"]
