"""Bigram clusters: a CRF feature that generalises over character bigrams the training data never labelled.

``training/build_clusters.py`` clusters the frequent Han bigrams of raw news by the characters and
bigrams around them; the CRF then sees, for the four bigrams around each character (the ones of the
``b-2`` … ``b+1`` templates of :func:`ner.components.crf_features.char_features`), the cluster number
(``k-2=17`` …). Bigrams of crops, of bank suffixes or of policy nouns share clusters, so a sector word
the gold corpus never tagged still looks like the ones it did.

Clusters may come with coarse groups (``coarse``: the group of each cluster, from clustering the
clusters' centroids): the CRF then also sees the group of each of the four bigrams (``g-2=3`` …), a
second, broader view of what kind of bigram it is.

Stored as npz (code points of the two characters, cluster number; the coarse groups when present),
shipped beside the CRF model.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union

import numpy as np

from .int_table import IntTable

#: file name beside a trained model
CLUSTERS_FILE = "bigram_clusters.npz"
#: cluster templates: name -> offset of the bigram's first character
TEMPLATES = {"k-2": -2, "k-1": -1, "k0": 0, "k+1": 1}
#: coarse-group templates (clusters with :attr:`BigramClusters.coarse`): name -> offset, as :data:`TEMPLATES`
COARSE_TEMPLATES = {"g-2": -2, "g-1": -1, "g0": 0, "g+1": 1}
_CP = 0x110000


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


class BigramClusters:
    """Bigram (two normalised characters) -> cluster number."""

    def __init__(self, mapping: Dict[str, int], coarse: Optional[Sequence[int]] = None) -> None:
        bad = [b for b in mapping if len(b) != 2]
        if bad:
            raise ValueError(f"bigram clusters: keys must be two characters, got {bad[:3]}")
        negative = [b for b, c in mapping.items() if c < 0]
        if negative:
            raise ValueError(f"bigram clusters: cluster numbers must be >= 0, got {negative[:3]}")
        items = list(mapping.items())
        self._set_arrays(np.array([ord(b[0]) for b, _ in items], dtype=np.int64),
                         np.array([ord(b[1]) for b, _ in items], dtype=np.int64),
                         np.array([c for _, c in items], dtype=np.int64))
        self._mapping: Optional[Dict[str, int]] = dict(mapping)
        self._set_coarse(coarse)

    def _set_arrays(self, first: np.ndarray, second: np.ndarray, cluster: np.ndarray) -> None:
        self._first, self._second, self._cluster = first, second, cluster
        self.n_clusters = int(cluster.max()) + 1 if len(cluster) else 0
        self._table = IntTable(first * _CP + second, cluster, -1)

    def _set_coarse(self, coarse: Optional[Sequence[int]]) -> None:
        """Set :attr:`coarse`, the coarse group of each cluster number (None: no groups)."""
        self.coarse: Optional[np.ndarray] = None
        if coarse is None:
            return
        arr = np.asarray(coarse, dtype=np.int64)
        if arr.ndim != 1 or len(arr) < self.n_clusters or (len(arr) and arr.min() < 0):
            raise ValueError(f"bigram clusters: coarse groups must be >= 0, one per cluster ({self.n_clusters}), got {len(arr)}")
        self.coarse = arr

    @classmethod
    def from_arrays(cls, first: np.ndarray, second: np.ndarray, cluster: np.ndarray,
                    coarse: Optional[np.ndarray] = None) -> "BigramClusters":
        """From the code points of each bigram's two characters and its cluster (what the npz holds):
        no per-bigram Python objects, so a pipeline loads fast; :attr:`mapping` is built when asked for."""
        first, second, cluster = (np.asarray(a, dtype=np.int64) for a in (first, second, cluster))
        if not (len(first) == len(second) == len(cluster)):
            raise ValueError("bigram clusters: first, second and cluster differ in length")
        if len(first) and (min(first.min(), second.min()) < 0 or max(first.max(), second.max()) >= _CP or cluster.min() < 0):
            raise ValueError("bigram clusters: code points or cluster numbers out of range")
        if len(np.unique(first * _CP + second)) != len(first):
            raise ValueError("bigram clusters: a bigram is listed twice")
        self = cls.__new__(cls)
        self._set_arrays(first, second, cluster)
        self._set_coarse(coarse)
        self._mapping = None
        return self

    @property
    def mapping(self) -> Dict[str, int]:
        """Bigram -> cluster number."""
        if self._mapping is None:
            self._mapping = {chr(a) + chr(b): c for a, b, c in zip(self._first.tolist(), self._second.tolist(), self._cluster.tolist())}
        return self._mapping

    def __len__(self) -> int:
        return len(self._cluster)

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

    def padded_groups(self, padded: np.ndarray) -> np.ndarray:
        """The coarse group of each id of ``padded`` (:meth:`padded_ids`; -1 stays -1); needs :attr:`coarse`."""
        assert self.coarse is not None
        return np.where(padded >= 0, self.coarse[np.maximum(padded, 0)], -1)

    def features(self, norm: str) -> List[List[str]]:
        """Per character of the normalised text, the cluster features (``k-1=17``, ...) it has, and the
        coarse-group ones (``g-1=3``, ...) when the clusters have groups."""
        padded = self.padded_ids(norm)
        ids = padded.tolist()
        templates = [(name, off, ids) for name, off in TEMPLATES.items()]
        if self.coarse is not None:
            groups = self.padded_groups(padded).tolist()
            templates += [(name, off, groups) for name, off in COARSE_TEMPLATES.items()]
        out: List[List[str]] = []
        for i in range(len(norm)):
            row = []
            for name, off, values in templates:
                c = values[i + off + 2]
                if c >= 0:
                    row.append(f"{name}={c}")
            out.append(row)
        return out

    # ------------------------------------------------------------------ serialisation
    def __reduce__(self):  # type: ignore[no-untyped-def]
        """Pickle (multiprocessing workers) as the compact npz bytes, not the lookup table and dict."""
        return (BigramClusters.from_bytes, (self.to_bytes(),))

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        extra = {} if self.coarse is None else {"coarse": self.coarse.astype(np.int32)}
        np.savez_compressed(buf, first=self._first.astype(np.int32), second=self._second.astype(np.int32),
                            cluster=self._cluster.astype(np.int32), **extra)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "BigramClusters":
        try:
            z = np.load(io.BytesIO(data), allow_pickle=False)
            return cls.from_arrays(z["first"], z["second"], z["cluster"], z["coarse"] if "coarse" in z.files else None)
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


__all__ = ["BigramClusters", "CLUSTERS_FILE", "COARSE_TEMPLATES", "TEMPLATES", "is_han"]
