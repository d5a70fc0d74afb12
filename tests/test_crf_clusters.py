"""Bigram clusters (``ner.components.crf_clusters``, ``training/build_clusters.py``) on self-written text."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List

import numpy as np
import pytest

from ner.components.crf_clusters import BigramClusters
from ner.components.crf_features import char_features

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))
from build_clusters import cluster_bigrams  # noqa: E402


CROPS = ["小麦", "玉米", "大豆", "水稻"]
BANKS = ["农行", "建行", "工行", "中行"]


def _crop_and_bank_texts() -> List[str]:
    """Sentences written for these tests: crops and banks, each kind always in its own contexts."""
    texts = []
    for i in range(40):
        c, b = CROPS[i % 4], BANKS[(i * 3) % 4]
        texts += [f"今年种植{c}面积扩大。", f"当地{c}喜获丰收。", f"{b}发放贷款支持春耕。", f"记者从{b}获悉消息。"]
    return texts


def test_bigrams_in_the_same_contexts_share_a_cluster() -> None:
    texts = _crop_and_bank_texts()
    clusters = cluster_bigrams(texts, n_bigrams=200, dims=8, k=6, seed=0)
    crop_ids = {clusters.mapping[c] for c in CROPS}
    bank_ids = {clusters.mapping[b] for b in BANKS}
    assert len(crop_ids) == 1 and len(bank_ids) == 1 and crop_ids != bank_ids
    assert all(len(b) == 2 for b in clusters.mapping)


def test_features_name_the_four_bigrams_around_each_character() -> None:
    clusters = BigramClusters({"长沙": 3, "沙银": 7, "银行": 1})
    feats = clusters.features("长沙银行")
    assert feats[0] == ["k0=3", "k+1=7"]  # 长: the bigram it starts, the next one
    assert feats[2] == ["k-2=3", "k-1=7", "k0=1"]  # 银
    assert feats[3] == ["k-2=7", "k-1=1"]  # 行: nothing starts at the end
    assert np.array_equal(clusters.ids("长沙银行x"), [3, 7, 1, -1, -1])
    # char_features adds them to the character features; full-width text is normalised first
    row = char_features("长沙银行", clusters=clusters)[1]
    assert {"k-1=3", "k0=7", "k+1=1"} <= set(row)


def test_serialisation_round_trip_and_bad_input(tmp_path: Path) -> None:
    clusters = BigramClusters({"长沙": 3, "银行": 1, "𠀀字": 2})
    clusters.to_disk(tmp_path / "c.npz")
    again = BigramClusters.from_disk(tmp_path / "c.npz")
    assert again.mapping == clusters.mapping and again.n_clusters == 4
    (tmp_path / "bad.npz").write_bytes(b"not an npz")
    with pytest.raises(ValueError, match="bad.npz"):
        BigramClusters.from_disk(tmp_path / "bad.npz")
    with pytest.raises(ValueError, match="two characters"):
        BigramClusters({"长": 1})
    import numpy as np

    assert (again.ids("长沙银行") == clusters.ids("长沙银行")).all() and len(again) == 3
    with pytest.raises(ValueError, match="listed twice"):
        BigramClusters.from_arrays(np.array([0x957F, 0x957F]), np.array([0x6C99, 0x6C99]), np.array([1, 2]))
    with pytest.raises(ValueError, match="out of range"):
        BigramClusters.from_arrays(np.array([-1]), np.array([0x6C99]), np.array([1]))
    with pytest.raises(ValueError, match=">= 0"):
        BigramClusters({"长沙": -1})


def test_pickle_uses_the_compact_arrays() -> None:
    import pickle

    clusters = BigramClusters({chr(0x4E00 + i) + chr(0x4E00 + i + 1): i % 7 for i in range(2000)})
    data = pickle.dumps(clusters)
    again = pickle.loads(data)
    assert again.mapping == clusters.mapping and again.n_clusters == clusters.n_clusters
    assert (again.ids("一丁七万") == clusters.ids("一丁七万")).all()
    assert len(data) < len(clusters.to_bytes()) + 500  # the npz bytes, not the lookup table


def test_coarse_groups_add_a_second_feature_per_bigram_and_survive_serialisation(tmp_path: Path) -> None:
    clusters = BigramClusters({"长沙": 3, "沙银": 7, "银行": 1}, coarse=[0, 2, 0, 1, 0, 0, 0, 2])
    feats = clusters.features("长沙银行")
    assert feats[0] == ["k0=3", "k+1=7", "g0=1", "g+1=2"]  # cluster 3 is in group 1, cluster 7 in group 2
    assert feats[3] == ["k-2=7", "k-1=1", "g-2=2", "g-1=2"]
    assert np.array_equal(clusters.padded_groups(clusters.padded_ids("长沙x")), [-1, -1, 1, -1, -1, -1, -1])
    clusters.to_disk(tmp_path / "g.npz")
    again = BigramClusters.from_disk(tmp_path / "g.npz")
    assert again.features("长沙银行") == feats and np.array_equal(again.coarse, clusters.coarse)
    # files without groups read as before
    BigramClusters({"长沙": 3}).to_disk(tmp_path / "plain.npz")
    assert BigramClusters.from_disk(tmp_path / "plain.npz").coarse is None
    with pytest.raises(ValueError, match="one per cluster"):
        BigramClusters({"长沙": 3}, coarse=[0, 1])  # four clusters (0-3) need four groups
    with pytest.raises(ValueError, match=">= 0"):
        BigramClusters({"长沙": 1}, coarse=[0, -1])


def test_build_clusters_groups_the_clusters_without_changing_them() -> None:
    texts = _crop_and_bank_texts()
    plain = cluster_bigrams(texts, n_bigrams=200, dims=8, k=6, seed=0)
    grouped = cluster_bigrams(texts, n_bigrams=200, dims=8, k=6, coarse=3, seed=0)
    assert grouped.mapping == plain.mapping and plain.coarse is None
    assert grouped.coarse is not None and len(grouped.coarse) == 6 and set(grouped.coarse.tolist()) == {0, 1, 2}
