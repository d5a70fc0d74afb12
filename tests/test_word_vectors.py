"""Word vectors and the SECTOR lexicon expansion (``training/word_vectors.py``) on self-written data."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ner.components.crf_lexicon import Lexicon

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))
from word_vectors import EXPANDED, expand_sectors, load_vectors, save_vectors, word_vectors  # noqa: E402


def _corpus() -> list:
    """Crops and industries in one kind of context, officials in another (already segmented)."""
    crops = ["小麦", "玉米", "核桃", "茶叶", "柑橘"]
    people = ["局长", "书记", "主任", "行长", "县长"]
    docs = []
    for k in range(40):
        c = crops[k % len(crops)]
        p = people[k % len(people)]
        docs.append(["今年", c, "种植", "面积", "扩大", "，", c, "产量", "增长"])
        docs.append(["该", p, "表示", "，", p, "主持", "会议"])
    return docs


def test_words_in_the_same_contexts_get_close_vectors() -> None:
    vocab, vecs = word_vectors(_corpus(), min_count=5, dims=4)
    idx = {w: i for i, w in enumerate(vocab)}
    assert {"小麦", "核桃", "局长"} <= set(idx)
    assert "，" not in idx  # only words of 2-8 Han characters get a vector
    sim = vecs @ vecs.T
    assert sim[idx["小麦"], idx["核桃"]] > sim[idx["小麦"], idx["局长"]] + 0.3
    norms = np.linalg.norm(vecs, axis=1)
    assert np.all(norms <= 1.0 + 1e-3) and np.isclose(norms[idx["小麦"]], 1.0, atol=1e-3)  # unit length (or ~0: rank cut)


def test_expansion_adds_sector_like_words_only(tmp_path: Path) -> None:
    vocab, vecs = word_vectors(_corpus(), min_count=5, dims=4)
    save_vectors(tmp_path / "v.npz", vocab, vecs)
    vocab, vecs = load_vectors(tmp_path / "v.npz")
    lex = Lexicon({"小麦": {"SECTOR": "h"}, "玉米": {"SECTOR": "m"}, "茶叶": {"SECTOR": "l", "PROGRAMME": "l"},
                   "核桃": {"ORG": "l"}, "湘江银行": {"ORG": "h"}})
    out = expand_sectors(lex, vocab, vecs, threshold=0.5)
    # 核桃 and 柑橘 share the crops' contexts: added with the expansion's bucket, 核桃 keeping its ORG entry
    assert out.entries["核桃"] == {"ORG": "l", "SECTOR": EXPANDED}
    assert out.entries["柑橘"] == {"SECTOR": EXPANDED}
    # known sector words keep their bucket; officials are not sectors; other entries untouched
    assert out.entries["小麦"] == {"SECTOR": "h"} and out.entries["茶叶"] == {"SECTOR": "l", "PROGRAMME": "l"}
    assert not any(w in out.entries for w in ("局长", "书记", "主任"))
    assert out.entries["湘江银行"] == {"ORG": "h"}
    assert lex.entries["核桃"] == {"ORG": "l"}  # the input lexicon is not changed


def test_expansion_needs_two_reliable_sector_entries() -> None:
    vocab, vecs = word_vectors(_corpus(), min_count=5, dims=4)
    lex = Lexicon({"小麦": {"SECTOR": "h"}, "玉米": {"SECTOR": "l"}})
    assert expand_sectors(lex, vocab, vecs).entries == lex.entries


def test_a_bad_vector_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "v.npz"
    bad.write_text("not numpy", encoding="utf-8")
    try:
        load_vectors(bad)
    except SystemExit as err:
        assert str(bad) in str(err)
    else:
        raise AssertionError("no error for a bad vector file")
