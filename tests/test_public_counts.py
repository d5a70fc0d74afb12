"""Each public corpus, read from the data root, matches the counts its README documents.

These read the real files (CI has ../shared). A missing file fails with a clear message.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Dict, NamedTuple

import pytest

from ner.corpus.public import read_cluener, read_msra_bio, read_people_daily, read_resume, read_weibo
from ner.settings import data_root


class Counts(NamedTuple):
    sentences: int
    chars: int
    labels: Counter
    stats: Counter


def _count(reader: Callable, relpath: str) -> Counts:
    path = data_root() / "corpora" / relpath
    if not path.is_file():
        pytest.fail(f"public corpus file missing: {path} (data root {data_root()}; set XIANG_NER_DATA)")
    stats: Counter = Counter()
    labels: Counter = Counter()
    n = chars = 0
    for text, spans in reader(path, source_labels=True, stats=stats):
        n += 1
        chars += len(text)
        labels.update(label for _, _, label in spans)
    return Counts(n, chars, labels, stats)


def _documented(counts: Counts) -> Counter:
    """Mentions as the README counts them (begin tags): minus inside tags that opened a span."""
    out = Counter(counts.labels)
    for key, n in counts.stats.items():
        if key.startswith("repaired:"):
            out[key.split(":", 1)[1]] -= n
    return out


@pytest.fixture(scope="module")
def msra() -> Dict[str, Counts]:
    return {split: _count(read_msra_bio, f"msra_ner/bio/msra_{split}_bio") for split in ("train", "test")}


@pytest.fixture(scope="module")
def people_daily() -> Counts:
    return _count(read_people_daily, "people_daily_1998/199801.txt")


def test_msra_counts(msra: Dict[str, Counts]) -> None:
    readme = {
        "train": (45_000, 2_171_573, {"PER": 17_615, "LOC": 36_860, "ORG": 20_584}),
        "test": (3_442, 172_601, {"PER": 1_973, "LOC": 2_886, "ORG": 1_331}),
    }
    for split, (sentences, chars, labels) in readme.items():
        got = msra[split]
        assert (got.sentences, got.chars) == (sentences, chars), split
        assert dict(got.labels) == labels, split
        assert not got.stats, split  # no repaired tags


def test_people_daily_counts(people_daily: Counts) -> None:
    assert people_daily.sentences == 19_484
    assert people_daily.chars == 1_841_657
    tokens = {"nr": 35_267, "ns": 27_890, "nt": 3_573, "nz": 3_701, "nx": 459}
    brackets = {"[nt]": 7_872, "[ns]": 1_047, "[nz]": 304, "[i]": 13, "[l]": 2}
    assert dict(people_daily.labels) == {**tokens, **brackets}


def test_cluener_counts() -> None:
    readme = {
        "train": (10_748, 401_764, {"address": 2_891, "book": 1_139, "company": 2_980, "game": 2_376,
                                    "government": 1_835, "movie": 1_123, "name": 3_755, "organization": 3_210,
                                    "position": 3_141, "scene": 1_521}),
        "dev": (1_343, 50_260, {"address": 373, "book": 154, "company": 378, "game": 295, "government": 247,
                                "movie": 151, "name": 465, "organization": 367, "position": 433, "scene": 209}),
    }
    for split, (records, chars, labels) in readme.items():
        got = _count(read_cluener, f"cluener2020/cluener_public/{split}.json")
        assert (got.sentences, got.chars) == (records, chars), split
        assert dict(got.labels) == labels, split
    assert sum(readme["train"][2].values()) == 23_971


def test_weibo_counts() -> None:
    names = ("PER.NAM", "PER.NOM", "ORG.NAM", "ORG.NOM", "LOC.NAM", "LOC.NOM", "GPE.NAM", "GPE.NOM")
    readme = {
        "train": (1_350, 73_778, (574, 766, 183, 42, 56, 51, 205, 8)),
        "dev": (270, 14_509, (90, 208, 47, 5, 6, 6, 26, 1)),
        "test": (270, 14_842, (111, 170, 39, 17, 19, 9, 47, 2)),
    }
    for split, (messages, chars, counts) in readme.items():
        got = _count(read_weibo, f"weibo_ner/weiboNER_2nd_conll.{split}")
        assert (got.sentences, got.chars) == (messages, chars), split
        assert +_documented(got) == +Counter(dict(zip(names, counts))), split


def test_resume_counts() -> None:
    names = ("NAME", "CONT", "RACE", "TITLE", "EDU", "ORG", "PRO", "LOC")
    readme = {
        "train": (3_821, 124_099, (952, 260, 115, 6_308, 858, 4_611, 287, 47)),
        "dev": (463, 13_890, (110, 33, 15, 690, 106, 523, 18, 2)),
        "test": (477, 15_100, (112, 28, 14, 772, 112, 553, 33, 6)),
    }
    for split, (sentences, chars, counts) in readme.items():
        got = _count(read_resume, f"resume_ner/{split}.char.bmes")
        assert (got.sentences, got.chars) == (sentences, chars), split
        assert +_documented(got) == +Counter(dict(zip(names, counts))), split
