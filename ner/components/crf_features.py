"""Character features of the CRF entity recogniser (``crf_ner``) and of the CRF baseline.

Each character is one CRF item; its features are the (normalised) character, its neighbours within
two positions, the four character bigrams around it, the character type (Han, Chinese numeral, digit,
Latin, space, punctuation) of the character and its neighbours, and, with a :class:`Lexicon`, the
lexicon matches covering it (:mod:`ner.components.crf_lexicon`).
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from ..text.charmap import normalize_chars
from .crf_clusters import CLUSTERS_FILE, BigramClusters
from .crf_cues import cue_features
from .crf_lexicon import LEXICON_FILE, Lexicon, read_lexicon

_PAD_LEFT = ("<s3>", "<s2>", "<s1>")
_PAD_RIGHT = ("</s1>", "</s2>", "</s3>")
#: the context windows :func:`char_features` knows (characters either side)
WINDOWS = (2, 3)
_CN_NUMERALS = set("零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")


def char_type(ch: str) -> str:
    """A coarse class of one character: H(an), N(umeral, Chinese), D(igit), L(atin), S(pace), P(unct), O(ther)."""
    if ch in _CN_NUMERALS:
        return "N"
    if ch.isspace():
        return "S"
    if ch.isdigit():
        return "D"
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff":
        return "H"
    if ch.isalpha():
        return "L"
    if unicodedata.category(ch)[0] in "PS":
        return "P"
    return "O"


_TYPE_CACHE: Dict[str, str] = {}


def _types(text: str) -> List[str]:
    """:func:`char_type` of every character, through a bounded cache."""
    cache = _TYPE_CACHE
    out = []
    for ch in text:
        kind = cache.get(ch)
        if kind is None:
            kind = char_type(ch)
            if len(cache) < 65536:
                cache[ch] = kind
        out.append(kind)
    return out


def _shown(ch: str) -> str:
    # whitespace runs of any kind look alike to the model (one feature value, printable)
    return "_" if ch.isspace() else ch


#: Chinese quotation and title marks, opener -> closer (after :func:`normalize_chars`, which keeps them)
QUOTE_PAIRS = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』", "〈": "〉"}
#: the pairs whose insides get a bracket feature (the text is normalised: full-width brackets are ASCII)
_BRACKETS = {**QUOTE_PAIRS, "\"": "\"", "(": ")"}
#: a bracket left open for longer than this (or across a sentence end or line break) counts as not closing
_MAX_INSIDE = 40
_STOPS = "。！？!?\n"
_OPENER = re.compile("[" + re.escape("".join(_BRACKETS)) + "]")
#: per opening mark: where its pair ends, or stops being one (its closer, a sentence end, a line break)
_END_OF = {o: re.compile("[" + re.escape(c + _STOPS) + "]") for o, c in _BRACKETS.items()}


def bracket_positions(text: str) -> List[Tuple[int, str]]:
    """``(position, feature)`` for the characters of ``text`` inside a closed pair of quotation/title marks:
    ``in=X`` (X the opening mark), ``in=X>`` for the last character before the closer.

    Programme names are often quoted (“…贷”, 《…行动计划》) and run past a two-character window; the CRF
    sees here that it is inside such a pair and where the pair ends. Openers are found by a regex and
    each closer by another, so that text without marks costs next to nothing.
    """
    out: List[Tuple[int, str]] = []
    n, pos = len(text), 0
    while True:
        m = _OPENER.search(text, pos)
        if m is None:
            return out
        i = m.start()
        limit = min(n, i + 1 + _MAX_INSIDE)
        end = _END_OF[text[i]].search(text, i + 1, limit)
        if end is not None and text[end.start()] == _BRACKETS[text[i]] and end.start() > i + 1:
            j = end.start()
            mark = "in=" + text[i]
            out.extend((k, mark) for k in range(i + 1, j - 1))
            out.append((j - 1, mark + ">"))
            pos = j + 1
        else:
            pos = i + 1


def bracket_features(text: str) -> List[str]:
    """Per character of ``text``: its :func:`bracket_positions` feature, or ``""``."""
    out = [""] * len(text)
    for k, mark in bracket_positions(text):
        out[k] = mark
    return out


def char_features(text: str, lexicon: Optional[Lexicon] = None, *, brackets: bool = False, window: int = 2,
                  clusters: Optional[BigramClusters] = None, cues: bool = False) -> List[List[str]]:
    """The CRF features of every character of ``text`` (one list of feature strings per character).

    ``lexicon``: add its matches (:meth:`Lexicon.features`); ``brackets``: add :func:`bracket_features`;
    ``window`` 3: also the characters three away (``c-3``, ``c+3``) and the bigrams reaching them (``b-3``, ``b+2``);
    ``clusters``: the clusters of the four bigrams around each character (:mod:`ner.components.crf_clusters`);
    ``cues``: the heads and triggers within ten characters (:mod:`ner.components.crf_cues`).
    """
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {WINDOWS}, got {window!r}")
    norm = normalize_chars(text)
    n, p = len(norm), window
    c = [*_PAD_LEFT[-p:], *(_shown(ch) for ch in norm), *_PAD_RIGHT[:p]]
    t = ["^", "^", *_types(text), "$", "$"]
    bi = [x + y for x, y in zip(c, c[1:])]  # bi[k] = c[k] + c[k + 1]
    # one column per feature template (column-wise list comprehensions: ~2x a per-character loop);
    # the character i of the text is c[i + p]
    cols = [
        ["c0=" + x for x in c[p:n + p]],
        ["c-1=" + x for x in c[p - 1:n + p - 1]],
        ["c+1=" + x for x in c[p + 1:n + p + 1]],
        ["c-2=" + x for x in c[p - 2:n + p - 2]],
        ["c+2=" + x for x in c[p + 2:n + p + 2]],
        ["b-2=" + x for x in bi[p - 2:n + p - 2]],
        ["b-1=" + x for x in bi[p - 1:n + p - 1]],
        ["b0=" + x for x in bi[p:n + p]],
        ["b+1=" + x for x in bi[p + 1:n + p + 1]],
        ["c-1c+1=" + x + y for x, y in zip(c[p - 1:n + p - 1], c[p + 1:n + p + 1])],
        ["t0=" + x for x in t[2:n + 2]],
        ["t-1=" + x for x in t[1:n + 1]],
        ["t+1=" + x for x in t[3:n + 3]],
        ["t3=" + x + y + z for x, y, z in zip(t[1:n + 1], t[2:n + 2], t[3:n + 3])],
    ]
    if window >= 3:
        cols += [
            ["c-3=" + x for x in c[p - 3:n + p - 3]],
            ["c+3=" + x for x in c[p + 3:n + p + 3]],
            ["b-3=" + x for x in bi[p - 3:n + p - 3]],
            ["b+2=" + x for x in bi[p + 2:n + p + 2]],
        ]
    out: List[List[str]] = [["bias", *row] for row in zip(*cols)]
    if lexicon is not None and len(lexicon):
        for feats, extra in zip(out, lexicon.features(norm)):
            feats.extend(extra)
    if brackets:
        for feats, mark in zip(out, bracket_features(norm)):
            if mark:
                feats.append(mark)
    if clusters is not None and not isinstance(clusters, bool) and len(clusters):
        for feats, extra in zip(out, clusters.features(norm)):
            feats.extend(extra)
    if cues:
        for feats, extra in zip(out, cue_features(norm)):
            feats.extend(extra)
    return out


#: the feature settings' file name beside a trained ``model.crfsuite``
FEATURES_FILE = "features.json"
#: ``clusters``: the model was trained with bigram cluster features (their file lies beside the model)
FEATURE_DEFAULTS: Dict[str, Any] = {"brackets": False, "window": 2, "clusters": False, "cues": False}


def read_feature_config(folder: Union[str, Path]) -> Dict[str, Any]:
    """The feature settings a model was trained with (the defaults when the folder has none)."""
    path = Path(folder) / FEATURES_FILE
    cfg = dict(FEATURE_DEFAULTS)
    if path.is_file():
        cfg.update(json.loads(path.read_text(encoding="utf-8")))
    unknown = set(cfg) - set(FEATURE_DEFAULTS)
    if unknown:
        raise ValueError(f"{path}: unknown feature settings {sorted(unknown)}")
    return cfg


def read_companions(model_file: Union[str, Path]) -> Tuple[Optional[Lexicon], Dict[str, Any]]:
    """The lexicon (None if there is none) and feature settings saved beside a trained ``model.crfsuite``."""
    beside = Path(model_file).with_name(LEXICON_FILE)
    return (read_lexicon(beside) if beside.is_file() else None), read_feature_config(Path(model_file).parent)


def read_clusters(model_file: Union[str, Path], features: Dict[str, Any]) -> Optional[BigramClusters]:
    """The bigram clusters saved beside a trained ``model.crfsuite`` when ``features`` says it uses them."""
    if not features.get("clusters"):
        return None
    path = Path(model_file).with_name(CLUSTERS_FILE)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the model was trained with bigram clusters, but their file is missing")
    return BigramClusters.from_disk(path)


def write_feature_config(cfg: Dict[str, Any], folder: Union[str, Path]) -> None:
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / FEATURES_FILE).write_text(json.dumps({**FEATURE_DEFAULTS, **cfg}, sort_keys=True), encoding="utf-8")


__all__ = ["WINDOWS", "QUOTE_PAIRS", "FEATURES_FILE", "read_clusters", "read_companions", "read_feature_config", "write_feature_config", "bracket_features", "bracket_positions", "char_features", "char_type"]


