"""A crfsuite model compiled into numpy tables, for tagging many documents at a time.

python-crfsuite wants one feature *string* per template per character; building those strings and
looking them up in crfsuite's dictionary was four fifths of ``crf_ner``'s time. Compiled, each feature
template of :func:`ner.components.crf_features.char_features` is a lookup table from character ids
(bigram keys, character-type ids) to a row of one weight matrix, a character's label scores are the
sum of its rows, and Viterbi runs over a whole batch of documents at once, packed end to end into the
rows of one array. The weights are read from the model file's binary chunks (:func:`read_crfsuite`;
python-crfsuite's ``info()`` rounds them to six decimals), labels keep crfsuite's order, and the
decoding rule is crfsuite's (first-order Viterbi, the first maximum on ties), so the tags are
crfsuite's up to the order of floating-point sums. The tests check the scores against the feature
strings, the tags against python-crfsuite, and the batched Viterbi against brute force.
"""
from __future__ import annotations

import heapq
import io
import json
import struct
import weakref
import zipfile
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import numpy as np

from ..text.charmap import char_table, normalize_chars
from .crf_clusters import COARSE_TEMPLATES
from .crf_clusters import TEMPLATES as CLUSTER_TEMPLATES
from .crf_clusters import BigramClusters
from .crf_cues import REACH, cue_feature, cue_reaches
from .crf_features import bracket_positions, char_type
from .crf_lexicon import Lexicon
from .int_table import IntTable

#: padding tokens of :func:`char_features` (up to three before the text and three after)
PADS = ("<s3>", "<s2>", "<s1>", "</s1>", "</s2>", "</s3>")
_P = 3  # the first character's place in the padded token array
#: character templates: name -> offset of the character
UNIGRAMS = {"c-2": -2, "c-1": -1, "c0": 0, "c+1": 1, "c+2": 2, "c-3": -3, "c+3": 3}
#: pair templates: name -> offsets of the two characters (new ones go last: stored keys hold the position)
PAIRS = {"b-2": (-2, -1), "b-1": (-1, 0), "b0": (0, 1), "b+1": (1, 2), "c-1c+1": (-1, 1), "b-3": (-3, -2), "b+2": (2, 3)}
#: character-type templates: name -> offset
TYPES = {"t-1": -1, "t0": 0, "t+1": 1}
#: every value a type feature takes (``^``/``$`` pad the text)
TYPE_VALUES = "^$HNDLSPO"
#: templates whose features are whole strings looked up per character (lexicon matches, brackets)
STRING_TEMPLATES = ("lx", "in", "cue")
#: documents packed into one Viterbi array at most (rows decode in parallel)
MAX_ROWS = 64
#: characters decoded together at most (a longer document is decoded alone): the packed scores take
#: about 200 bytes per character
MAX_DECODE_CHARS = 200_000


def _split_pair(value: str) -> Tuple[str, str]:
    """The two tokens of a pair feature's value (a token is one character or a pad)."""
    for pad in PADS:
        if value.startswith(pad) and len(value) > len(pad):
            return pad, value[len(pad):]
    return value[0], value[1:]


def _used_tables(tables: Optional[Dict[str, np.ndarray]], none: int, kind: str) -> Dict[str, np.ndarray]:
    """The tables of ``tables`` with a row other than the zero row ``none``; all of one length, since
    :func:`_padded_columns` indexes them all with one id array."""
    used = {name: t for name, t in (tables or {}).items() if (t != none).any()}
    if len({len(t) for t in used.values()}) > 1:
        raise ValueError(f"compiled CRF: {kind} tables differ in length {sorted({len(t) for t in used.values()})}")
    return used


def _padded_columns(ids: np.ndarray, tables: Dict[str, np.ndarray], offsets: Dict[str, int], n: int) -> List[np.ndarray]:
    """Per template of ``tables``, the weight row of each of ``n`` characters: ``ids`` are the cluster (or
    group) numbers padded by two either side (-1: none); every table holds one row per number plus a
    zero row, which numbers out of its range get too."""
    size = len(next(iter(tables.values())))
    ids = np.where((ids < 0) | (ids >= size - 1), size - 1, ids)  # none / unknown -> the zero row, once
    return [table[ids[offsets[name] + 2:offsets[name] + 2 + n]] for name, table in tables.items()]


class CompiledCRF:
    """A linear-chain CRF over :func:`char_features` as lookup tables; see the module docstring."""

    def __init__(self, labels: Sequence[str], tokens: Sequence[str], weights: np.ndarray, trans: np.ndarray,
                 unigram_rows: Dict[str, np.ndarray], pair_keys: np.ndarray, pair_rows: np.ndarray,
                 type_rows: Dict[str, np.ndarray], t3_rows: np.ndarray, string_rows: Dict[str, int],
                 bias_row: int, cluster_rows: Optional[Dict[str, np.ndarray]] = None,
                 group_rows: Optional[Dict[str, np.ndarray]] = None) -> None:
        self.labels = list(labels)
        self.tokens = list(tokens)
        self.weights = weights  # (attributes + 1, labels); the last row is zero ("no feature")
        self.trans = trans  # (labels, labels): from -> to
        self.unigram_rows = unigram_rows
        self.pair_keys, self.pair_rows = pair_keys, pair_rows
        self.type_rows, self.t3_rows = type_rows, t3_rows
        self.string_rows = string_rows
        self.bias_row = bias_row
        #: per lexicon, its entries' ``(offset, row)`` pairs; per cue word and side, its row at each distance
        self._lexicon_cache: "weakref.WeakKeyDictionary[Lexicon, Dict[str, Tuple[Tuple[int, int], ...]]]" = weakref.WeakKeyDictionary()
        self._cue_table: Dict[Tuple[str, str], Tuple[int, ...]] = {}
        #: cluster template -> row of each cluster number (the last entry: no cluster)
        self.cluster_rows = _used_tables(cluster_rows, len(weights) - 1, "cluster")
        #: coarse-group template -> row of each group number (the last entry: no group), as ``cluster_rows``
        self.group_rows = _used_tables(group_rows, len(weights) - 1, "group")
        self._pads = np.array([self.tokens.index(p) if p in self.tokens else 0 for p in PADS], dtype=np.int64)
        self._label_array = np.array(self.labels, dtype=object)
        self._outside = self.labels.index("O") if "O" in self.labels else -1
        self._ids = _code_point_ids(self.tokens)
        self._cp_types = np.full(_CODE_POINTS, -1, dtype=np.int8)  # filled as characters are met
        self._pairs = IntTable(pair_keys, pair_rows, len(weights) - 1)
        # the templates the model has weights for (a model trained with a window of 2 has no c+3 ...)
        none = len(weights) - 1
        self._unigrams = [(UNIGRAMS[name], table) for name, table in unigram_rows.items() if (table != none).any()]
        used = set((pair_keys // (len(self.tokens) ** 2)).tolist())
        self._pair_offsets = [(k, o1, o2) for k, (o1, o2) in enumerate(PAIRS.values()) if k in used]
        # the type templates, the type trigram and the bias summed per type trigram: one lookup
        n = len(TYPE_VALUES)
        trigram = np.arange(n ** 3)
        a, b, c = trigram // (n * n), (trigram // n) % n, trigram % n
        self._type_scores = (weights[t3_rows] + weights[bias_row] + weights[type_rows["t-1"][a]]
                             + weights[type_rows["t0"][b]] + weights[type_rows["t+1"][c]])

    # ------------------------------------------------------------------ building
    @classmethod
    def from_weights(cls, labels: Sequence[str], state: Dict[Tuple[str, str], float],
                     transitions: Dict[Tuple[str, str], float]) -> "CompiledCRF":
        """Compile crfsuite's weights: ``state`` (attribute, label) -> weight, ``transitions`` (from, to) -> weight.

        Raises ValueError for an attribute that :func:`char_features` does not make (the model was
        trained on other features and can only run through python-crfsuite).
        """
        labels = list(labels)
        lab = {l: i for i, l in enumerate(labels)}
        attrs = sorted({a for a, _ in state})
        row = {a: i for i, a in enumerate(attrs)}
        none = len(attrs)
        weights = np.zeros((none + 1, len(labels)), dtype=np.float64)
        for (a, l), w in state.items():
            weights[row[a], lab[l]] = w
        trans = np.zeros((len(labels), len(labels)), dtype=np.float64)
        for (a, b), w in transitions.items():
            trans[lab[a], lab[b]] = w
        tokens: List[str] = [""]  # id 0: a character the model has no feature for
        tok: Dict[str, int] = {}

        def tid(t: str) -> int:
            if t not in tok:
                tok[t] = len(tokens)
                tokens.append(t)
            return tok[t]

        for p in PADS:
            tid(p)
        uni: Dict[str, Dict[int, int]] = {name: {} for name in UNIGRAMS}
        pair_items: List[Tuple[int, str, str, int]] = []
        types: Dict[str, Dict[int, int]] = {name: {} for name in TYPES}
        t3: Dict[int, int] = {}
        strings: Dict[str, int] = {}
        clus: Dict[str, Dict[int, int]] = {name: {} for name in CLUSTER_TEMPLATES}
        grp: Dict[str, Dict[int, int]] = {name: {} for name in COARSE_TEMPLATES}
        bias = none
        template_ids = {name: k for k, name in enumerate(PAIRS)}
        for a in attrs:
            name, eq, value = a.partition("=")
            if a == "bias":
                bias = row[a]
            elif not eq or not value:
                raise ValueError(f"cannot compile CRF attribute {a!r}")
            elif name in UNIGRAMS:
                uni[name][tid(value)] = row[a]
            elif name in PAIRS:
                x, y = _split_pair(value)
                pair_items.append((template_ids[name], x, y, row[a]))
            elif name in TYPES and len(value) == 1 and value in TYPE_VALUES:
                types[name][TYPE_VALUES.index(value)] = row[a]
            elif name == "t3" and len(value) == 3 and all(v in TYPE_VALUES for v in value):
                t3[_t3_key(*(TYPE_VALUES.index(v) for v in value))] = row[a]
            elif name in STRING_TEMPLATES:
                strings[a] = row[a]
            elif name in CLUSTER_TEMPLATES and value.isdigit():
                clus[name][int(value)] = row[a]
            elif name in COARSE_TEMPLATES and value.isdigit():
                grp[name][int(value)] = row[a]
            else:
                raise ValueError(f"cannot compile CRF attribute {a!r}")
        pair_ids = [(k, tid(x), tid(y), r) for k, x, y, r in pair_items]  # the vocabulary is complete after this
        size = len(tokens)
        unigram_rows = {name: _table(m, size, none) for name, m in uni.items()}
        rebased = {_pair_key(k, x, y, size): r for k, x, y, r in pair_ids}
        keys = np.array(sorted(rebased), dtype=np.int64)
        rows = np.array([rebased[k] for k in keys.tolist()], dtype=np.int64)
        type_rows = {name: _table(m, len(TYPE_VALUES), none) for name, m in types.items()}
        t3_rows = _table(t3, len(TYPE_VALUES) ** 3, none)
        n_clusters = 1 + max((c for m in clus.values() for c in m), default=-1)
        cluster_rows = {name: _table(m, n_clusters + 1, none) for name, m in clus.items() if m}
        n_groups = 1 + max((c for m in grp.values() for c in m), default=-1)
        group_rows = {name: _table(m, n_groups + 1, none) for name, m in grp.items() if m}
        return cls(labels, tokens, weights, trans, unigram_rows, keys, rows, type_rows, t3_rows, strings, bias, cluster_rows,
                   group_rows)

    @classmethod
    def from_crfsuite(cls, data: bytes) -> "CompiledCRF":
        """Compile a crfsuite model file's bytes (its exact weights, labels in crfsuite's order)."""
        return cls.from_weights(*read_crfsuite(data))

    # ------------------------------------------------------------------ serialisation
    def to_bytes(self) -> bytes:
        """npz bytes: the weight matrix stored sparse (most attribute-label pairs have no weight)."""
        nz_r, nz_c = np.nonzero(self.weights)
        meta = {"labels": self.labels, "tokens": self.tokens, "strings": self.string_rows, "bias": self.bias_row,
                "rows": int(self.weights.shape[0]), "unigrams": list(self.unigram_rows), "types": list(self.type_rows),
                "clusters": list(self.cluster_rows), "groups": list(self.group_rows)}
        arrays = {"w_row": nz_r.astype(np.int32), "w_col": nz_c.astype(np.int16), "w_val": self.weights[nz_r, nz_c],
                  "trans": self.trans, "pair_keys": self.pair_keys, "pair_rows": self.pair_rows.astype(np.int32),
                  "t3": self.t3_rows.astype(np.int32)}
        for name, table in self.unigram_rows.items():
            arrays["u" + name] = table.astype(np.int32)
        for name, table in self.type_rows.items():
            arrays["t" + name] = table.astype(np.int32)
        for name, table in self.cluster_rows.items():
            arrays["k" + name] = table.astype(np.int32)
        for name, table in self.group_rows.items():
            arrays["g" + name] = table.astype(np.int32)
        buf = io.BytesIO()
        np.savez_compressed(buf, meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8), **arrays)
        return buf.getvalue()

    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]:
        # pickled as the compact npz (the dense tables built on load are ~30 MB): nlp.pipe(n_process=...)
        return (CompiledCRF.from_bytes, (self.to_bytes(),))

    @classmethod
    def from_bytes(cls, data: bytes) -> "CompiledCRF":
        try:
            z = np.load(io.BytesIO(data), allow_pickle=False)
            meta = json.loads(z["meta"].tobytes().decode("utf-8"))
            weights = np.zeros((meta["rows"], len(meta["labels"])), dtype=np.float64)
            weights[z["w_row"], z["w_col"].astype(np.int64)] = z["w_val"]
            return cls(meta["labels"], meta["tokens"], weights, z["trans"],
                       {name: z["u" + name].astype(np.int64) for name in meta["unigrams"]},
                       z["pair_keys"], z["pair_rows"].astype(np.int64),
                       {name: z["t" + name].astype(np.int64) for name in meta["types"]},
                       z["t3"].astype(np.int64), {str(k): int(v) for k, v in meta["strings"].items()}, int(meta["bias"]),
                       {name: z["k" + name].astype(np.int64) for name in meta.get("clusters", [])},
                       {name: z["g" + name].astype(np.int64) for name in meta.get("groups", [])})
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
            raise ValueError(f"not a compiled CRF model ({err})") from err

    # ------------------------------------------------------------------ scores
    def _types(self, cps: np.ndarray) -> np.ndarray:
        """Type ids (:data:`TYPE_VALUES`) of the code points ``cps``, computing those not met before."""
        types = self._cp_types[cps]
        if (types < 0).any():
            for cp in np.unique(cps[types < 0]).tolist():
                self._cp_types[cp] = TYPE_VALUES.index(char_type(chr(cp)))
            types = self._cp_types[cps]
        return types.astype(np.int64)

    def emissions(self, text: str, lexicon: Optional[Lexicon] = None, *, brackets: bool = False,
                  clusters: Optional[BigramClusters] = None, cues: bool = False) -> np.ndarray:
        """Per character of ``text``, the score of each label: the summed weights of its features
        (exactly the features :func:`char_features` gives, with the same arguments)."""
        n = len(text)
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        tok = np.concatenate((self._pads[:_P], self._ids[cps], self._pads[_P:]))
        typ = np.concatenate(([0, 0], self._types(cps), [1, 1]))
        cols = [table[tok[o + _P:o + _P + n]] for o, table in self._unigrams]
        if not self._unigrams and not self._pair_offsets:  # the zero row: a model may lack character features
            cols.append(np.full(n, len(self.weights) - 1, dtype=np.int64))
        norm = normalize_chars(text) if lexicon is not None or brackets or cues or clusters is not None else text
        if clusters is not None and (self.cluster_rows or self.group_rows):
            padded = clusters.padded_ids(norm)
            if self.cluster_rows:
                cols.extend(_padded_columns(padded, self.cluster_rows, CLUSTER_TEMPLATES, n))
            if self.group_rows:
                if clusters.coarse is None:
                    raise ValueError("compiled CRF: the model has coarse-group weights, but its bigram clusters have no groups")
                cols.extend(_padded_columns(clusters.padded_groups(padded), self.group_rows, COARSE_TEMPLATES, n))
        if self._pair_offsets:
            size = len(self.tokens)
            keys = np.concatenate([_pair_key(k, tok[o1 + _P:o1 + _P + n], tok[o2 + _P:o2 + _P + n], size)
                                   for k, o1, o2 in self._pair_offsets])
            cols.extend(self._pairs.get(keys).reshape(len(self._pair_offsets), n))
        # the rows of each template added in template order: the sums of one (n, templates, labels) gather,
        # without building it (half the time; take is ~1.5x fancy indexing)
        scores = np.take(self.weights, cols[0], axis=0)
        for col in cols[1:]:
            scores += np.take(self.weights, col, axis=0)
        scores += self._type_scores[_t3_key(typ[1:n + 1], typ[2:n + 2], typ[3:n + 3])]
        strings = self.string_rows
        # (position, row) of the whole-string features, once each (a set, as the feature strings are):
        # rows are looked up per lexicon entry and per cue word, not built as strings per character
        extra: Set[Tuple[int, int]] = set()
        if lexicon is not None and len(lexicon) and strings:
            extra |= self._lexicon_rows(lexicon, norm)
        if brackets and strings:
            extra.update((i, strings[f]) for i, f in bracket_positions(norm) if f in strings)
        if cues and strings:
            extra |= self._cue_rows(norm)
        if extra:
            pos_rows = np.array(sorted(extra), dtype=np.int64)  # a fixed order of sums
            np.add.at(scores, pos_rows[:, 0], self.weights[pos_rows[:, 1]])
        return scores

    def _lexicon_rows(self, lexicon: Lexicon, norm: str) -> Set[Tuple[int, int]]:
        """``(position, row)`` of :meth:`Lexicon.feature_positions` that the model has weights for."""
        cache = self._lexicon_cache.get(lexicon)
        if cache is None:  # per lexicon (entries never change), dropped with it
            cache = self._lexicon_cache[lexicon] = {}
        strings = self.string_rows
        out: Set[Tuple[int, int]] = set()
        for start, end in lexicon.found(norm):
            surface = norm[start:end]
            offsets = cache.get(surface)
            if offsets is None:
                offsets = cache[surface] = tuple((k, strings[f]) for k, f in lexicon.surface_features(surface) if f in strings)
            out.update((start + k, row) for k, row in offsets)
        return out

    def _cue_rows(self, norm: str) -> Set[Tuple[int, int]]:
        """``(position, row)`` of :func:`cue_positions` that the model has weights for."""
        table = self._cue_table
        out: Set[Tuple[int, int]] = set()
        for side, word, first, end, anchor in cue_reaches(norm):
            rows = table.get((side, word))
            if rows is None:  # row (or -1) per distance, index 0 unused
                rows = table[(side, word)] = (-1,) + tuple(self.string_rows.get(cue_feature(side, word, d), -1) for d in range(1, REACH + 1))
            if side == "R":
                out.update((i, r) for i in range(first, end) if (r := rows[anchor - i]) >= 0)
            else:
                out.update((i, r) for i in range(first, end) if (r := rows[i - anchor]) >= 0)
        return out

    # ------------------------------------------------------------------ decoding
    def viterbi(self, emissions: Sequence[np.ndarray]) -> List[np.ndarray]:
        """The best label ids of each score matrix (crfsuite's first-order Viterbi, first maximum on
        ties), decoding up to :data:`MAX_ROWS` documents side by side, several end to end per row."""
        return self._decode([len(e) for e in emissions], emissions.__getitem__)

    def _decode(self, lengths: Sequence[int], scores: Callable[[int], np.ndarray]) -> List[np.ndarray]:
        """:meth:`viterbi` of documents of ``lengths`` characters whose scores ``scores(k)`` gives: each
        is written straight into the packed array, so no second copy of the batch's scores is held."""
        out: List[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(lengths)
        todo = [k for k, n in enumerate(lengths) if n]
        if not todo:
            return out
        if len(todo) == 1:
            out[todo[0]] = self.viterbi_one(scores(todo[0]))
            return out
        # no row shorter than the longest document: rows fill up instead of padding out to it
        nrows = max(1, min(MAX_ROWS, len(todo), sum(lengths) // max(lengths)))
        heap = [(0, r) for r in range(nrows)]
        place: Dict[int, Tuple[int, int]] = {}
        for k in sorted(todo, key=lambda k: -lengths[k]):  # longest first, each into the shortest row
            used, r = heapq.heappop(heap)
            place[k] = (r, used)
            heapq.heappush(heap, (used + lengths[k], r))
        width = max(used for used, _ in heap)
        nlab = len(self.labels)
        x = np.zeros((width, nrows, nlab))
        starts = np.zeros((width, nrows), dtype=bool)
        lasts = np.zeros((width, nrows), dtype=bool)
        for k in todo:
            r, off = place[k]
            x[off:off + lengths[k], r] = scores(k)
            starts[off, r] = True
            lasts[off + lengths[k] - 1, r] = True
        fresh_steps = set(np.flatnonzero(starts.any(axis=1)).tolist())
        last_steps = set(np.flatnonzero(lasts.any(axis=1)).tolist())
        # Forward: x[t] becomes the best score of a path ending in each label at t. The candidates are laid
        # out [from, row, to], so the maximum over the previous label is an element-wise maximum of nlab
        # contiguous slices (a reduction over a short last axis costs about twice as much).
        trans = self.trans[:, None, :]
        cand = np.empty((nlab, nrows, nlab))
        best = np.empty((nrows, nlab))
        for t in range(1, width):
            np.add(x[t - 1].T[:, :, None], trans, out=cand)
            cand.max(axis=0, out=best)
            if t in fresh_steps:  # a document starts here: no transition into its first character
                best[starts[t]] = 0.0
            x[t] += best
        # Backward: the best previous label of each row's current one, recomputed from the same sums as
        # the forward maximum, so the first maximum wins on ties as in crfsuite.
        into = np.ascontiguousarray(self.trans.T)  # [to, from]
        tags = np.empty((width, nrows), dtype=np.intp)
        cur = np.zeros(nrows, dtype=np.intp)
        for t in range(width - 1, -1, -1):
            if t in last_steps:  # a document ends here: its best last label
                cur = np.where(lasts[t], x[t].argmax(axis=1), cur)
            tags[t] = cur
            if t:
                np.add(x[t - 1], into[cur], out=best)
                cur = best.argmax(axis=1)
        for k, (r, off) in place.items():
            out[k] = tags[off:off + lengths[k], r]
        return out

    def viterbi_one(self, x: np.ndarray) -> np.ndarray:
        """The best label ids of one document's score matrix ``x`` (characters x labels)."""
        n, nlab = x.shape
        back = np.zeros((n, nlab), dtype=np.int64)
        trans, cols = self.trans, np.arange(nlab)
        prev = x[0]
        for t in range(1, n):
            cand = prev[:, None] + trans
            b = cand.argmax(axis=0)
            back[t] = b
            prev = cand[b, cols] + x[t]
        tags = np.empty(n, dtype=np.int64)
        cur = int(prev.argmax())
        for t in range(n - 1, -1, -1):
            tags[t] = cur
            cur = int(back[t, cur])
        return tags

    def tag_ids(self, texts: Iterable[str], lexicon: Optional[Lexicon] = None, *, brackets: bool = False,
                clusters: Optional[BigramClusters] = None, cues: bool = False) -> List[np.ndarray]:
        """The label ids (indices into :attr:`labels`) of every character of every text."""
        texts = list(texts)
        out: List[np.ndarray] = []
        for start, end in _chunks([len(t) for t in texts], MAX_DECODE_CHARS):  # bounded memory per decode
            part = texts[start:end]
            out += self._decode([len(t) for t in part], lambda k: self.emissions(part[k], lexicon, brackets=brackets, clusters=clusters, cues=cues))
        return out

    def tag(self, texts: Iterable[str], lexicon: Optional[Lexicon] = None, *, brackets: bool = False,
            clusters: Optional[BigramClusters] = None, cues: bool = False) -> List[List[str]]:
        """The label strings of every character of every text."""
        return [self._label_array[t].tolist() for t in self.tag_ids(texts, lexicon, brackets=brackets, clusters=clusters, cues=cues)]

    def tagged(self, ids: np.ndarray) -> List[Tuple[int, str]]:
        """``(position, label)`` of the label ids ``ids`` that are not ``O`` (for :func:`sparse_tags_to_spans`)."""
        keep = np.flatnonzero(ids != self._outside)
        return list(zip(keep.tolist(), self._label_array[ids[keep]].tolist()))


_CODE_POINTS = 0x110000


def _chunks(lengths: Sequence[int], limit: int) -> List[Tuple[int, int]]:
    """Consecutive ``(start, end)`` runs of items whose lengths sum to at most ``limit`` (an item longer
    than ``limit`` alone)."""
    out, start, total = [], 0, 0
    for k, n in enumerate(lengths):
        if k > start and total + n > limit:
            out.append((start, k))
            start, total = k, 0
        total += n
    if start < len(lengths):
        out.append((start, len(lengths)))
    return out


def _code_point_ids(tokens: Sequence[str]) -> np.ndarray:
    """Code point -> token id of its normalised character (``_`` for whitespace, 0 for no token)."""
    tok = {t: i for i, t in enumerate(tokens)}
    ids = np.zeros(_CODE_POINTS, dtype=np.int32)
    for t, i in tok.items():
        if len(t) == 1:
            ids[ord(t)] = i
    space = tok.get("_", 0)
    ids[[cp for cp in range(0x3001) if chr(cp).isspace()]] = space
    for cp, ch in char_table().items():
        ids[cp] = space if ch.isspace() else tok.get(ch, 0)
    return ids


def _cqdb_strings(buf: bytes, off: int) -> List[str]:
    """The strings of a CQDB chunk at ``off``, by id (crfsuite's dictionaries of labels and attributes)."""
    chunk, _size, _flag, _order, count, backward = struct.unpack_from("<4sIIIII", buf, off)
    if chunk != b"CQDB":
        raise ValueError(f"no CQDB chunk at {off}")
    out = []
    for i in range(count):
        (rec,) = struct.unpack_from("<I", buf, off + backward + 4 * i)
        rid, ksize = struct.unpack_from("<iI", buf, off + rec)
        if rid != i or ksize < 1:
            raise ValueError(f"bad CQDB record {i}")
        out.append(buf[off + rec + 8:off + rec + 7 + ksize].decode("utf-8"))
    return out


def read_crfsuite(data: bytes) -> Tuple[List[str], Dict[Tuple[str, str], float], Dict[Tuple[str, str], float]]:
    """Labels (crfsuite's id order), state weights ``(attribute, label) -> w`` and transition weights
    ``(from, to) -> w`` of a crfsuite (CRF1d) model file, read from its binary chunks: the text dump
    behind ``pycrfsuite.Tagger.info()`` rounds weights to six decimals."""
    try:
        magic, _size, kind, _version, _nf, _nl, _na, off_feat, off_labels, off_attrs = struct.unpack_from("<4sI4sIIIIIII", data, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ValueError("not a CRF1d model")
        labels = _cqdb_strings(data, off_labels)
        attrs = _cqdb_strings(data, off_attrs)
        chunk, _csize, count = struct.unpack_from("<4sII", data, off_feat)
        if chunk != b"FEAT":
            raise ValueError("no FEAT chunk")
        feats = np.frombuffer(data, dtype=_FEATURE, count=count, offset=off_feat + 12)
    except (struct.error, UnicodeDecodeError, ValueError) as err:
        raise ValueError(f"not a crfsuite model ({err})") from err
    state: Dict[Tuple[str, str], float] = {}
    trans: Dict[Tuple[str, str], float] = {}
    for kind_, src, dst, w in zip(feats["type"].tolist(), feats["src"].tolist(), feats["dst"].tolist(), feats["w"].tolist()):
        if kind_ == 0:  # a state feature: attribute -> label
            state[(attrs[src], labels[dst])] = w
        elif kind_ == 1:  # a transition: label -> label
            trans[(labels[src], labels[dst])] = w
    return labels, state, trans


#: one feature of a crfsuite model file: type (0 state, 1 transition), source, destination, weight
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")])


def _table(mapping: Dict[int, int], size: int, default: int) -> np.ndarray:
    table = np.full(size, default, dtype=np.int64)
    for k, v in mapping.items():
        table[k] = v
    return table


def _pair_key(template: Any, x: Any, y: Any, size: int) -> Any:
    """One int64 key per (pair template, first token, second token) over a vocabulary of ``size`` tokens."""
    return (template * size + x) * size + y


def _t3_key(a: Any, b: Any, c: Any) -> Any:
    n = len(TYPE_VALUES)
    return (a * n + b) * n + c


__all__ = ["CompiledCRF", "MAX_ROWS", "PADS"]
