"""The gazetteers that complete the CRF's lexicon when it tags (setting ``gazetteer`` of ``crf_ner``).

The training entities cover the provinces and big cities but miss many prefecture-level cities, most
counties, and most sectors, bodies, places and people the training articles never named; the model
then rarely finds them. Each list is shipped data, written for this project (see each file's note):
China's provinces and prefecture-level cities (``data/places_cn.jsonl``), its county-level places and
the short forms of counties (``data/counties_cn.jsonl``), and the name lists of :data:`NAME_LISTS`
(sector terms, organisations, other places in China, places abroad, public figures). A name the
model's lexicon lacks joins it with its list's label and reliability bucket; what the training data
says about a name always wins. Measured per list in docs/BENCHMARKS.md (session 11).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, FrozenSet, Tuple

from .crf_lexicon import Lexicon
from .data_files import data_rows, data_settings

#: reliability bucket of the gazetteer's places in the lexicon (that of names tagged >= 70% of the time)
GAZETTEER_BUCKET = "h"


@lru_cache(maxsize=1)
def gazetteer_place_set() -> FrozenSet[str]:
    """:func:`gazetteer_places` as a set, for membership tests."""
    return frozenset(gazetteer_places())


@lru_cache(maxsize=1)
def gazetteer_places() -> Tuple[str, ...]:
    """China's province-level divisions and prefecture-level cities (``data/places_cn.jsonl``), and its
    county-level divisions with the short forms news uses (:func:`county_places`)."""
    return tuple(name for row in data_rows("places_cn.jsonl") for name in row.get("places", ())) + county_places()


def county_short_form(name: str, settings: Dict[str, Any]) -> str:
    """The short form news writes for a county-level ``name`` ("" if none): a county or county-level city
    without its 县/市 (宁乡市 -> 宁乡), an autonomous county or banner without its peoples and 自治县/自治旗
    (江华瑶族自治县 -> 江华; the peoples are ``settings["peoples"]``). Districts have none (岳麓 is a mountain)."""
    for suffix in ("自治县", "自治旗"):
        if name.endswith(suffix):
            rest = name[:-len(suffix)]
            peoples = sorted(settings["peoples"], key=len, reverse=True)
            stripped = True
            while stripped:
                stripped = False
                for p in peoples:
                    if rest.endswith(p) and len(rest) > len(p):
                        rest, stripped = rest[:-len(p)], True
                        break
            return rest if rest != name[:-len(suffix)] else ""
    if name.endswith(tuple(settings["short_form_suffixes"])):
        return name[:-1]
    return ""


@lru_cache(maxsize=1)
def _county_settings() -> Dict[str, Any]:
    """The settings row of ``data/counties_cn.jsonl``."""
    return next(row for row in data_rows("counties_cn.jsonl") if "not_places" in row)


@lru_cache(maxsize=1)
def county_short_forms() -> Tuple[str, ...]:
    """The short forms among :func:`county_places` (宁乡, 衡南): often also part of other words (巩固安宁,
    重庆东至黔江), so the lexicon gets them at the reliability ``short_form_bucket``, below the full names'."""
    full = {n for row in data_rows("counties_cn.jsonl") for n in row.get("counties", ())}
    full.update(n for row in data_rows("places_cn.jsonl") for n in row.get("places", ()))  # 承德 is a city too
    return tuple(n for n in county_places() if n not in full)


@lru_cache(maxsize=1)
def county_places() -> Tuple[str, ...]:
    """The county-level divisions of ``data/counties_cn.jsonl`` (岳麓区, 宁乡市, 衡南县, 江华瑶族自治县) and
    their short forms (:func:`county_short_form`: 宁乡, 衡南, 江华), except short forms of one character,
    common words (``common_words`` of ``data/word_stoplists.jsonl``: 江山, 安宁) and the ones People's
    Daily uses mostly as other words or names (``not_short_forms``: 长子, 方正, 凤凰, written by
    ``training/build_county_forms.py``); generic names (城区, 郊区) are left out."""
    settings = _county_settings()
    generic = frozenset(settings["not_places"]) | frozenset(settings.get("not_short_forms", ()))
    common = frozenset(data_settings("word_stoplists.jsonl")["common_words"])
    out: Dict[str, None] = {}
    for row in data_rows("counties_cn.jsonl"):
        for name in row.get("counties", ()):
            if name in generic:
                continue
            out[name] = None
            short = county_short_form(name, settings)
            if len(short) >= 2 and short not in common and short not in generic:
                out[short] = None
    return tuple(out)


#: the name lists that complete the tagging lexicon besides the places: data file -> label
NAME_LISTS: Dict[str, str] = {"sectors_cn.jsonl": "SECTOR", "orgs_cn.jsonl": "ORG", "world_places.jsonl": "LOC",
                              "china_places.jsonl": "LOC", "people_cn.jsonl": "PERSON"}


@lru_cache(maxsize=None)
def listed_names(name: str) -> Tuple[str, ...]:
    """The names of the shipped name list ``name`` (:data:`NAME_LISTS`)."""
    return tuple(term for row in data_rows(name) for term in row.get("terms", ()))


def sector_terms() -> Tuple[str, ...]:
    """Industries, products, crops and classes of actors news names as sectors (``data/sectors_cn.jsonl``)."""
    return listed_names("sectors_cn.jsonl")


def with_gazetteer(lexicon: Lexicon) -> Lexicon:
    """``lexicon`` plus each :func:`gazetteer_places` name it lacks, as a LOC of high reliability (county
    short forms: of low reliability, :func:`county_short_forms`): the training entities cover the
    provinces and big cities but miss many prefecture-level cities (汕尾, 十堰) and most counties (衡南,
    珠晖区), which the model then rarely finds (dev LOC recall 0.870 -> 0.885 with the cities, 0.892 ->
    0.903 with the counties); and each name of the lists of :data:`NAME_LISTS` it lacks (sector terms,
    organisations: of low reliability, the context decides whether a mention is one; other places in
    China, places abroad, public figures) with the reliability its file gives."""
    entries = dict(lexicon.entries)
    shorts = frozenset(county_short_forms())
    short_bucket = str(_county_settings()["short_form_bucket"])
    for name in gazetteer_places():
        entries.setdefault(name, {"LOC": short_bucket if name in shorts else GAZETTEER_BUCKET})
    for name, label in NAME_LISTS.items():
        bucket = str(data_settings(name)["bucket"])
        for term in listed_names(name):
            entries.setdefault(term, {label: bucket})
    return Lexicon(entries)


__all__ = ["GAZETTEER_BUCKET", "NAME_LISTS", "county_places", "county_short_form", "county_short_forms",
           "gazetteer_place_set", "gazetteer_places", "listed_names", "sector_terms", "with_gazetteer"]
