"""Places and sector terms the tagging lexicon is completed with (``crf_ner.with_gazetteer``: ``data/counties_cn.jsonl``, ``data/sectors_cn.jsonl``)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ner.components.crf_lexicon import Lexicon
from ner.components.gazetteer import (GAZETTEER_BUCKET, _county_settings, county_places, county_short_form,
                                      county_short_forms, with_gazetteer)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name, short", [
    ("宁乡市", "宁乡"), ("衡南县", "衡南"), ("攸县", "攸"),
    ("江华瑶族自治县", "江华"), ("双江拉祜族佤族布朗族傣族自治县", "双江"), ("莫力达瓦达斡尔族自治旗", "莫力达瓦"),
    ("鄂温克族自治旗", ""),  # nothing but the people: no short form
    ("岳麓区", ""), ("敖汉旗", ""),  # districts and banners keep their suffix
])
def test_short_forms(name: str, short: str) -> None:
    assert county_short_form(name, _county_settings()) == short


def test_places_hold_full_names_and_safe_short_forms() -> None:
    places = set(county_places())
    assert {"岳麓区", "宁乡市", "宁乡", "衡南县", "衡南", "江华瑶族自治县", "江华", "珠晖区", "敖汉旗"} <= places
    assert "岳麓" not in places       # a district has no short form (岳麓山)
    assert "攸" not in places         # one character
    assert "长子" not in places and "长子县" in places  # People's Daily: mostly "eldest son" (not_short_forms)
    assert "江山" not in places and "江山市" in places  # a common word
    assert "城区" not in places       # too generic (not_places)
    assert len(places) > 4000


def test_the_lexicon_gets_full_names_reliable_and_short_forms_less_so() -> None:
    lexicon = with_gazetteer(Lexicon({"浏阳": {"ORG": "m"}}))
    assert lexicon.entries["衡南县"] == {"LOC": GAZETTEER_BUCKET}
    assert lexicon.entries["衡南"] == {"LOC": _county_settings()["short_form_bucket"]} != {"LOC": GAZETTEER_BUCKET}
    assert lexicon.entries["浏阳"] == {"ORG": "m"}  # what the training data says wins
    assert "衡南" in county_short_forms() and "衡南县" not in county_short_forms()


def test_the_shipped_short_form_exclusions_are_what_the_builder_writes(tmp_path: Path) -> None:
    data = ROOT / "ner/components/data/counties_cn.jsonl"
    copy = tmp_path / "counties.jsonl"
    copy.write_bytes(data.read_bytes())
    subprocess.run([sys.executable, str(ROOT / "training/build_county_forms.py"), "--data", str(copy)], check=True,
                   capture_output=True)
    assert copy.read_bytes() == data.read_bytes()


def test_the_pipeline_finds_a_county_by_its_short_form() -> None:
    import ner

    text = "在府谷，煤炭产业加快转型。"
    without = ner.load(config={"components": {"crf_ner": {"gazetteer": False}}})
    assert ("府谷", "LOC") not in [(e.text, e.label_) for e in without(text).ents]
    assert ("府谷", "LOC") in [(e.text, e.label_) for e in ner.load()(text).ents]


def test_sector_terms_join_the_lexicon_at_low_reliability_without_overriding_it() -> None:
    from ner.components.gazetteer import sector_terms
    from ner.components.data_files import data_settings

    terms = set(sector_terms())
    assert len(terms) > 2000 and {"光伏玻璃", "跨境电商"} & terms
    assert not {"产业", "企业", "项目"} & terms  # never a bare generic word (GUIDELINES)
    term = next(t for t in sorted(terms))
    lexicon = with_gazetteer(Lexicon({term: {"ORG": "h"}}))
    assert lexicon.entries[term] == {"ORG": "h"}  # what the training data says wins
    other = next(t for t in sorted(terms) if t != term and t not in county_places())
    assert with_gazetteer(Lexicon({})).entries[other] == {"SECTOR": data_settings("sectors_cn.jsonl")["bucket"]}


def test_organisation_names_join_the_lexicon_as_org() -> None:
    from ner.components.gazetteer import NAME_LISTS, listed_names
    from ner.components.data_files import data_settings

    assert NAME_LISTS["orgs_cn.jsonl"] == "ORG"
    names = set(listed_names("orgs_cn.jsonl"))
    assert len(names) > 2000
    lexicon = with_gazetteer(Lexicon({}))
    bucket = data_settings("orgs_cn.jsonl")["bucket"]
    sample = [n for n in sorted(names) if n not in county_places() and n not in set(listed_names("sectors_cn.jsonl"))][:50]
    assert sample and all(lexicon.entries[n] == {"ORG": bucket} for n in sample)


def test_place_and_people_lists_join_the_lexicon() -> None:
    from ner.components.gazetteer import NAME_LISTS, listed_names
    from ner.components.data_files import data_settings

    lexicon = with_gazetteer(Lexicon({}))
    for name, label in (("world_places.jsonl", "LOC"), ("china_places.jsonl", "LOC"), ("people_cn.jsonl", "PERSON")):
        assert NAME_LISTS[name] == label
        names = listed_names(name)
        assert len(names) > 1500 and not {"东区", "片区", "钟山"} & set(names)  # no generic words, no common words
        first = {n: lexicon.entries[n] for n in names[:200]}
        assert {label: data_settings(name)["bucket"]} in first.values()
