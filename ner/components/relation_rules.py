"""Rule stage of the relation extractor: lexicon-driven patterns over entity spans.

The rules run on a *compact view* of the text: normalised characters (``charmap.normalize_chars``:
full-width → half-width, traditional → simplified) with whitespace removed and every entity
character masked, so that triggers match across PDF line breaks and stray spaces but never inside a
name. Positions map back to the original text; relations point at the doc's own entity spans.

Lexicons (triggers, titles, anaphors, place ranks …) are data: ``RuleSet`` rows read from
``data/relation_*.jsonl`` (``{"kind", "name", "words"}``). Type constraints come from
:mod:`ner.schema` only.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

from ..schema import SENTENCE_END, relation_allowed
from ..text.charmap import normalize_chars
from ..text.sentences import LineBreakMode, split_clauses, split_sentences
from .data_files import data_files, data_rows, read_jsonl

MASK = "□"
_QUOTES = "\"'“”‘’「」『』《》〈〉"
_CLAUSE_PUNCT = ",;:…"
_COORD = {"", "、", "和", "与", "及", "以及", "或", "、以及", "和其", "及其"}
#: what joins the places of a "X、Y等" list (no adjacency: 湖南长沙 is one place inside another)
_LIST_JOINERS = {"、", "和", "及", "与"}
_QUOTED = re.compile(r"[\"“'‘「『][^\"”'’」』]*[\"”'’」』]")
_TIME_RE = re.compile(r"^(?:\d+年)?(?:\d+月)?(?:\d+日)?(?:[早晚]|上午|下午|晚上)?$")


# --------------------------------------------------------------------------------------------- rules
@dataclass
class RuleSet:
    """Lexicon rows (``{"kind": …, "name": …, "words": [...]}`` and anaphor rows) with lookups."""

    rows: List[Dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._words: Dict[Tuple[str, str], Tuple[str, ...]] = {}
        self._re: Dict[Tuple[str, str], "re.Pattern[str]"] = {}
        self.anaphors: List[Dict[str, Any]] = []
        self.loc_ranks: List[Tuple[str, int]] = []
        for row in self.rows:
            kind, name = str(row.get("kind", "")), str(row.get("name", ""))
            if kind == "anaphor":
                self.anaphors.append(dict(row, name=normalize_chars(name)))
                continue
            words = tuple(normalize_chars(w) for w in row.get("words", []))
            if kind == "loc_rank":
                self.loc_ranks.extend((w, int(name)) for w in words)
            key = (kind, name)
            self._words[key] = tuple(sorted(set(self._words.get(key, ()) + words), key=len, reverse=True))
        self.loc_ranks.sort(key=lambda x: -len(x[0]))
        self.anaphors.sort(key=lambda r: -len(r["name"]))

    # -- I/O
    @classmethod
    def from_rows(cls, rows: Iterable[Dict[str, Any]]) -> "RuleSet":
        return cls([dict(r) for r in rows])

    @classmethod
    def from_paths(cls, paths: Iterable[Union[str, Path]]) -> "RuleSet":
        rows: List[Dict[str, Any]] = []
        for p in paths:
            rows.extend(read_jsonl(Path(p).read_text(encoding="utf-8")))
        return cls(rows)

    @classmethod
    def default(cls) -> "RuleSet":
        """The lexicons shipped in ``ner/components/data/relation_*.jsonl``."""
        return cls([row for name in data_files("relation_") for row in data_rows(name)])

    def to_jsonl(self) -> str:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.rows)

    # -- lookups
    def words(self, kind: str, name: str = "") -> Tuple[str, ...]:
        return self._words.get((kind, name), ())

    def regex(self, kind: str, name: str = "") -> Optional["re.Pattern[str]"]:
        key = (kind, name)
        if key not in self._re:
            ws = self.words(kind, name)
            self._re[key] = re.compile("|".join(map(re.escape, ws))) if ws else None  # type: ignore[assignment]
        return self._re[key]

    def has(self, kind: str, name: str, text: str) -> bool:
        rx = self.regex(kind, name)
        return bool(rx and rx.search(text))

    def loc_rank(self, text: str) -> Optional[int]:
        for suffix, rank in self.loc_ranks:
            if text.endswith(suffix):
                return rank
        return None

    def is_lender(self, text: str) -> bool:
        return self.has("lender", "ORG", text)


# ---------------------------------------------------------------------------------------- doc view
_WHITESPACE_RUN = re.compile(r"\s+")  # ``\s`` in a str pattern is exactly ``str.isspace``


@dataclass
class Ent:
    """An entity in compact coordinates (``cs``/``ce``) with its original char offsets."""

    i: int
    start: int
    end: int
    label: str
    text: str  # compact normalised text
    cs: int = 0
    ce: int = 0
    sent: int = 0
    clause: int = 0


@dataclass
class Candidate:
    """A relation proposed by a rule, between entity indices of the view."""

    label: str
    head: int
    tail: int
    rule: str
    amount: Optional[int] = None
    title: Optional[str] = None
    via: Optional[int] = None  # index of a sentence the relation reached back to


class View:
    """Compact, normalised, entity-masked view of a text with sentence and clause structure."""

    def __init__(
        self,
        text: str,
        ents: Sequence[Tuple[int, int, str]],
        *,
        line_breaks: LineBreakMode = "smart",
    ) -> None:
        self.text = text
        norm = normalize_chars(text)
        # compact index -> original index: every position outside the whitespace runs
        self.cpos: List[int] = []
        after = 0
        for run in _WHITESPACE_RUN.finditer(norm):
            self.cpos.extend(range(after, run.start()))
            after = run.end()
        self.cpos.extend(range(after, len(norm)))
        self.P = _WHITESPACE_RUN.sub("", norm)  # compact normalised text, unmasked
        self.n = len(self.P)
        self.ents: List[Ent] = []
        for i, (s, e, label) in enumerate(sorted(ents)):
            cs, ce = self.o2c(s), self.o2c(e)
            self.ents.append(Ent(i, s, e, label, self.P[cs:ce], cs, ce))
        # the compact text with every entity's characters masked (an entity's compact range holds exactly
        # its non-space characters); overlapping entities mask their union
        pieces: List[str] = []
        pos = 0
        for e in self.ents:  # sorted by start
            if e.ce <= pos:
                continue
            start = max(e.cs, pos)
            pieces.append(self.P[pos:start])
            pieces.append(MASK * (e.ce - start))
            pos = e.ce
        pieces.append(self.P[pos:])
        self.C = "".join(pieces)
        self.sents = [(self.o2c(a), self.o2c(b)) for a, b in split_sentences(text, line_breaks=line_breaks)]
        self.clauses = [(self.o2c(a), self.o2c(b)) for a, b in split_clauses(text, line_breaks=line_breaks)]
        starts = [a for a, _ in self.clauses]
        sstarts = [a for a, _ in self.sents]
        self.clause_sent = [max(0, bisect.bisect_right(sstarts, a) - 1) for a in starts]
        for e in self.ents:
            e.clause = max(0, bisect.bisect_right(starts, e.cs) - 1)
            e.sent = max(0, bisect.bisect_right(sstarts, e.cs) - 1)
        #: the entities of each clause and of each sentence, in text order (rules look within one or a
        #: few; scanning every entity of the document for each made long documents quadratic)
        self.by_clause: Dict[int, List[Ent]] = {}
        self.by_sent: Dict[int, List[Ent]] = {}
        for e in self.ents:
            self.by_clause.setdefault(e.clause, []).append(e)
            self.by_sent.setdefault(e.sent, []).append(e)

    def ents_in_sents(self, first: int, last: int) -> List[Ent]:
        """The entities of sentences ``first`` … ``last`` (inclusive), in text order."""
        return [e for si in range(max(0, first), last + 1) for e in self.by_sent.get(si, ())]

    def o2c(self, i: int) -> int:
        """Compact index of the first non-space char at or after original offset ``i``."""
        return bisect.bisect_left(self.cpos, i)

    def c2o(self, c: int) -> int:
        return self.cpos[c] if c < self.n else len(self.text)

    def gap(self, a: Ent, b: Ent) -> str:
        return self.C[a.ce : b.cs]

    def orig(self, cs: int, ce: int) -> str:
        """Original text of a compact range, whitespace removed."""
        if cs >= ce:
            return ""
        return "".join(self.text[self.cpos[cs] : self.cpos[ce - 1] + 1].split())


#: the most bodies a joint act makes partners of, every pair (A、B、C联合印发); longer runs are rosters
MAX_JOINT = 12
#: a bracketed insertion (today's date, a note) in compact normalised text
_PAREN = re.compile(r"\([^()]{0,20}\)")


def _unquote(s: str) -> str:
    return "".join(ch for ch in s if ch not in _QUOTES)


# ------------------------------------------------------------------------------------------ engine
class RuleEngine:
    """Apply a :class:`RuleSet` to a :class:`View` and return :class:`Candidate` relations."""

    def __init__(self, rules: RuleSet, *, max_sentence_distance: int = 1) -> None:
        self.r = rules
        self.max_sentence_distance = max_sentence_distance
        t = rules.words
        alt = lambda ws: "|".join(map(re.escape, ws))  # noqa: E731
        title = f"(?:(?:{alt(t('title_prefix', 'HOLDS_POSITION'))})*(?:{alt(t('title', 'HOLDS_POSITION'))}))"
        joiner = alt(t("title_joiner", "HOLDS_POSITION")) or "、"
        self.title_seq = re.compile(f"{title}(?:(?:{joiner}){title})*")
        self.byline = re.compile(r"^(?:\d+月\d+日)?(?:" + (alt(t("byline_gap", "HOLDS_POSITION")) or "讯") + r")*\(?")
        verbs = alt(t("title_verb", "HOLDS_POSITION")) or "任"
        self.person_lead = re.compile(rf"^[,(]?(?:{verbs})?$")
        self.block = set(t("subject_block", "CLAUSE"))
        multi = [b for b in self.block if len(b) > 1]  # searched for anywhere in a prefix, all at once
        self._block_words = re.compile("|".join(map(re.escape, multi))) if multi else None
        self._connectors = set(t("connector", "PARTNERS_WITH"))
        self._joiners = self._connectors | _COORD  # what joins one clause subject to the next
        self._anaphor_names = [(row, row["name"]) for row in rules.anaphors]
        names = [name for _, name in self._anaphor_names]
        # a prefilter for _subject (None: always run its loop, as with an empty name, which matches anywhere)
        self._anaphor_rx = re.compile("|".join(map(re.escape, names))) if names and all(names) else None
        self._anaphor_len = max(map(len, names), default=0)
        self._global_patterns = self._build_global_patterns()

    def _build_global_patterns(self) -> Tuple["re.Pattern[str]", Optional["re.Pattern[str]"], Set[str], "re.Pattern[str]", "re.Pattern[str]"]:
        """The patterns of :meth:`_global_rules`, built once from the rule set (not once per document)."""
        alt = lambda ws: "|".join(map(re.escape, ws))  # noqa: E731
        part_re = re.compile(r"^的?(?:" + alt(self.r.words("trigger", "PART_OF")) + r")的?(?:各|多家|\d+家)?$")
        announce = alt(self.r.words("announce", "PART_OF"))
        # "甲公司公告，全资子公司乙…": a listed company's announcement names its own subsidiary
        announce_re = re.compile(rf"^(?:{announce})[，,:：]?(?:公司|其|该公司|本公司)?的?(?:全资|控股)?(?:子公司|孙公司)$") if announce else None
        loc_words = set(self.r.words("location", "LOCATED_IN"))
        mods = alt(self.r.words("modifier", "LOCATED_IN")) or "首个"
        return part_re, announce_re, loc_words, re.compile(rf"^(?:{mods})?的$"), re.compile(rf"^(?:{mods})?[、和与及]$")

    # -------------------------------------------------------------- structure
    def _subject(self, v: View, ci: int, ents: List[Ent]) -> Tuple[List[Ent], Optional[Dict[str, Any]], str]:
        """Own subject group of a clause, an anaphor row used as subject, and the text before it."""
        cs, ce = v.clauses[ci]
        first = ents[0] if ents else None
        prefix = v.C[cs : first.cs] if first else v.C[cs:ce]
        ana = None
        # the first anaphor (longest first) that starts within four characters; most clauses have none
        if self._anaphor_rx is None or self._anaphor_rx.search(prefix, 0, 4 + self._anaphor_len):
            for row, name in self._anaphor_names:
                pos = prefix.find(name)
                if 0 <= pos <= 4:
                    ana = row
                    break
        if first is not None and first.label in ("SECTOR", "MONEY"):
            first = None
        if first is None or not self._prefix_ok(prefix, ana):
            if ana is not None and (first is None or prefix.find(ana["name"]) + len(ana["name"]) <= len(prefix)):
                return [], ana, prefix
            return [], None, prefix
        if ana is not None and prefix.endswith(ana["name"]) and first.label == "ORG":
            pass  # "该行南江支行": the named unit is the subject; the anaphor links PART_OF
        elif ana is not None and not prefix.endswith(ana["name"]):
            return [], ana, prefix
        group = [first]
        for e in ents[1:]:
            g = _unquote(v.gap(group[-1], e))
            if e.label == first.label and g in self._joiners:
                group.append(e)
            else:
                break
        return group, (ana if ana is not None and prefix.endswith(ana["name"]) else None), prefix

    def _prefix_ok(self, prefix: str, ana: Optional[Dict[str, Any]]) -> bool:
        """Whether the text before a clause's first entity leaves that entity the subject."""
        if ana is not None and prefix.endswith(ana["name"]):
            prefix = prefix[: -len(ana["name"])]
        if not prefix:
            return True
        if MASK in prefix or len(prefix) > 10:
            return False
        if prefix in self.r.words("subject_prefix", "CLAUSE") or _TIME_RE.match(prefix) and prefix:
            return True
        if (self._block_words is not None and self._block_words.search(prefix)) or prefix[0] in self.block or prefix[-1] in self.block:
            return False
        if self._has_trigger(prefix, 0, len(prefix)):
            return False
        return len(prefix) <= 3

    def _resolve(self, v: View, row: Dict[str, Any], at: int, sent: int, subj_prev: List[Ent], pairs: List[Tuple[int, int]], exclude: Set[int]) -> List[Ent]:
        """Antecedents of an anaphor at compact position ``at``: previous sentence first."""
        labels = set(row.get("labels", []))
        needs = row.get("needs")
        if needs == "pair":
            for h, t in reversed(pairs):
                a, b = v.ents[h], v.ents[t]
                if a.ce <= at and sent - a.sent <= self.max_sentence_distance:
                    return [a, b]
            return []

        def ok(e: Ent) -> bool:
            if e.label not in labels or e.i in exclude:
                return False
            if needs == "lender" and not self.r.is_lender(e.text):
                return False
            if needs == "cluster" and not e.text.endswith("集群"):
                return False
            suffix = row.get("suffix")
            return not suffix or e.text.endswith(suffix)

        for e in subj_prev:
            if ok(e):
                return [e]
        before = [e for e in v.ents_in_sents(sent - self.max_sentence_distance, sent) if e.ce <= at and ok(e)]
        return before[-1:] if before else []

    # -------------------------------------------------------------- main
    def run(self, v: View) -> List[Candidate]:
        out: List[Candidate] = []
        by_clause = v.by_clause
        own: Dict[int, Tuple[List[Ent], Optional[Dict[str, Any]], str]] = {
            ci: self._subject(v, ci, by_clause.get(ci, [])) for ci in range(len(v.clauses))
        }
        pairs: List[Tuple[int, int]] = []
        subj_prev: List[Ent] = []
        running: List[Ent] = []
        cur_sent = -1
        sub_words = self.r.words("subordinate", "CLAUSE")
        for ci, (cs, ce) in enumerate(v.clauses):
            si = v.clause_sent[ci]
            if si != cur_sent:
                if running:
                    subj_prev = running
                elif cur_sent >= 0 and si - cur_sent > 1:
                    subj_prev = []
                cur_sent, running = si, []
            ents = by_clause.get(ci, [])
            group, ana, prefix = own[ci]
            if ana is not None and not group:
                group = self._resolve(v, ana, cs, si, subj_prev, pairs, set())
                if group:
                    running = group
            elif ana is not None and group:
                ante = self._resolve(v, ana, cs, si, subj_prev, pairs, {e.i for e in group})
                for a in ante:
                    if group[0].label == "ORG" and self.r.has("unit", "PART_OF", group[0].text[-3:]):
                        out.append(Candidate("PART_OF", group[0].i, a.i, "part_of.anaphor_unit"))
            if not group:
                if running:
                    group = running
                else:
                    clause_text = v.C[cs:ce].rstrip(_CLAUSE_PUNCT + "。!?")
                    nxt = own.get(ci + 1)
                    if clause_text.endswith(sub_words) and nxt and nxt[0] and v.clause_sent[ci + 1] == si:
                        group = nxt[0]
                    elif subj_prev and (ents or self._has_trigger(v, cs, ce)):
                        group = subj_prev
            else:
                running = group
            # a subject named again in this clause: link the local mention
            group = [next((e for e in ents if e.text == g.text and e.label == g.label), g) for g in group]
            self._clause_rules(v, ci, ents, group, out, pairs, subj_prev)
        self._global_rules(v, out)
        return self._dedupe(v, out)

    def _has_trigger(self, v: Union[View, str], cs: int, ce: int) -> bool:
        seg = v[cs:ce] if isinstance(v, str) else v.C[cs:ce]
        return any(self.r.has("trigger", name, seg) for name in ("OFFERS", "LENDS_TO", "IN_SECTOR", "TARGETS"))

    def _find(self, v: View, kind: str, name: str, cs: int, ce: int) -> List[Tuple[int, int]]:
        rx = self.r.regex(kind, name)
        if rx is None:
            return []
        return [(cs + m.start(), cs + m.end()) for m in rx.finditer(v.C[cs:ce])]

    @staticmethod
    def _listed_before(v: View, e: Ent, joiners: Set[str], *, unquote: bool = True) -> List[Ent]:
        """``e`` and the entities of its label listed right before it (joined by ``joiners``, quotes
        around the names ignored unless ``unquote`` is off), nearest first."""
        out = [e]
        while out[-1].i > 0:
            f = v.ents[out[-1].i - 1]
            gap = v.gap(f, out[-1])
            if f.label != e.label or (_unquote(gap) if unquote else gap) not in joiners:
                break
            out.append(f)
        return out

    def _ends_with(self, text: str, kind: str, name: str) -> bool:
        """Whether ``text`` ends with one of the ``kind``/``name`` words."""
        return any(text.endswith(w) for w in self.r.words(kind, name))

    def _coord(self, v: View, e: Ent, labels: Set[str]) -> List[Ent]:
        """``e`` and the entities coordinated after it (、和与及) with a label in ``labels``."""
        out = [e]
        for f in v.ents[e.i + 1 :]:
            if f.label not in labels or f.clause != e.clause:
                break
            if _unquote(v.gap(out[-1], f)) in _COORD:
                out.append(f)
            else:
                break
        return out

    # -------------------------------------------------------------- clause rules
    def _clause_rules(self, v: View, ci: int, ents: List[Ent], group: List[Ent], out: List[Candidate], pairs: List[Tuple[int, int]], subj_prev: List[Ent]) -> None:
        if not ents:  # every rule but lending wants an entity of this clause (lending also reads the clause before)
            if group:
                self._lends(v, ci, ents, list(group), out, subj_prev)
            return
        cs, ce = v.clauses[ci]
        # PARTNERS_WITH: A 联合/与 B … (合作|签署|共同 …)
        orgs = [e for e in ents if e.label == "ORG"]
        conn = self._connectors
        strong_conn = {"联合", "携手", "会同"}
        k = 0
        while k < len(orgs):
            grp, conns = [orgs[k]], []
            while k + 1 < len(orgs) and orgs[k + 1].i == grp[-1].i + 1 and _unquote(v.gap(grp[-1], orgs[k + 1])) in conn:
                conns.append(_unquote(v.gap(grp[-1], orgs[k + 1])))
                grp.append(orgs[k + 1])
                k += 1
            k += 1
            if len(grp) < 2 or len(grp) > MAX_JOINT:
                continue  # a run of dozens of names is a roster, not co-signers (and every pair of it would be many)
            after = _PAREN.sub("", v.C[grp[-1].ce : ce])  # a date or note in brackets does not part the list from its verb
            if any(c in strong_conn for c in conns) or self.r.has("trigger", "PARTNERS_WITH", after[:12]):
                if all(c in ("、", "和", "与", "及") for c in conns) and not self.r.has("trigger", "PARTNERS_WITH", after[:12]):
                    continue
                for x in range(len(grp)):
                    for y in range(x + 1, len(grp)):
                        out.append(Candidate("PARTNERS_WITH", grp[x].i, grp[y].i, "partners.joint"))
                        pairs.append((grp[x].i, grp[y].i))
        # S … 与 X … 合作
        for s in group:
            if s.label != "ORG":
                continue
            for x in orgs:
                if x.i == s.i or x.cs <= s.ce and x.sent == s.sent:
                    continue
                pre = v.C[max(cs, x.cs - 1) : x.cs]
                if pre in ("与", "同", "和", "跟") and self.r.has("trigger", "PARTNERS_WITH", v.C[x.ce : ce][:12]):
                    out.append(Candidate("PARTNERS_WITH", s.i, x.i, "partners.with"))
                    pairs.append((s.i, x.i))
        # co-subjects joined by 联合/携手 act together
        actors = list(group)
        if len(group) == 1:
            for x in orgs:
                if x.i == group[0].i + 1 and _unquote(v.gap(group[0], x)) in strong_conn:
                    actors.append(x)

        self._offers(v, ci, ents, actors, out)
        self._lends(v, ci, ents, actors, out, subj_prev)
        self._targets(v, ci, ents, group, out, subj_prev)
        self._in_sector(v, ci, ents, actors, out)

    def _offers(self, v: View, ci: int, ents: List[Ent], actors: List[Ent], out: List[Candidate]) -> None:
        cs, ce = v.clauses[ci]
        heads = [a for a in actors if a.label in ("ORG", "LOC")]
        if not heads:
            return
        trig = self._find(v, "trigger", "OFFERS", cs, ce) + self._find(v, "strong", "LENDS_TO", cs, ce)
        for p in ents:
            if p.label != "PROGRAMME":
                continue
            ok = False
            start = max(a.ce for a in heads) if all(a.clause == ci for a in heads) else cs
            for ts, te in trig:
                if te <= p.cs and ts >= min(start, p.cs) and not self.r.has("block", "OFFERS", _QUOTED.sub("", v.C[te : p.cs])):
                    ok = True
            pre = v.C[max(cs, p.cs - 1) : p.cs]
            if not ok and pre in ("将", "把") and any(ts >= p.ce for ts, _ in trig):
                ok = True
            if not ok:
                continue
            for h in heads:
                if h.i != p.i:
                    out.append(Candidate("OFFERS", h.i, p.i, "offers.verb"))

    def _lends(self, v: View, ci: int, ents: List[Ent], actors: List[Ent], out: List[Candidate], subj_prev: List[Ent]) -> None:
        cs, ce = v.clauses[ci]
        neg = self.r.regex("negated_after", "LENDS_TO")
        trig = [(a, b) for a, b in self._find(v, "trigger", "LENDS_TO", cs, ce) if not (neg and neg.match(v.C, b))]
        strong = self.r.regex("strong", "LENDS_TO")
        trig += [(e.cs, e.ce) for e in ents if e.label == "PROGRAMME" and strong and strong.search(e.text) and re.search("发放|投放|提供|办理", v.C[max(cs, e.cs - 12) : e.cs])]
        trig.sort()
        if not trig:
            return
        lenders = [a for a in actors if a.label == "ORG" and self.r.is_lender(a.text)]
        borrowers: List[Ent] = []
        bene = self.r.regex("beneficiary", "LENDS_TO")
        si = v.clause_sent[ci]
        # beneficiaries in this clause (or the clause before, same sentence: "为农户建档…，授信…")
        scope = [ci] + ([ci - 1] if ci > 0 and v.clause_sent[ci - 1] == si else [])
        for cj in scope:
            c0, c1 = v.clauses[cj]
            for m in bene.finditer(v.C[c0:c1]) if bene else []:
                ms, me = c0 + m.start(), c0 + m.end()
                for e in v.by_clause.get(cj, ()):
                    if e.cs < me:
                        continue
                    g = v.C[me : e.cs]
                    if len(g.replace(MASK, "")) <= 8 and not any(ch in g for ch in _CLAUSE_PUNCT) and e.label in ("SECTOR", "ORG", "PERSON"):
                        borrowers.extend(x for x in self._coord(v, e, {e.label}) if x not in borrowers)
                        break
                    if e.cs - me > 10:
                        break
                # 为其发放 …: 其 → the nearest person/org/sector before it
                if v.C[me : me + 1] == "其" and cj == ci:
                    prev = [e for e in v.ents_in_sents(si - self.max_sentence_distance, si)
                            if e.ce <= ms and e.label in ("PERSON", "SECTOR", "ORG") and e not in actors]
                    if prev:
                        borrowers.append(prev[-1])
        # SECTOR immediately before a strong trigger: "农户授信", "小微企业贷款"
        for e in ents:
            m = strong.match(v.C, e.ce) if strong else None
            if e.label == "SECTOR" and m and not (neg and neg.match(v.C, m.end())) and e not in borrowers:
                borrowers.append(e)
        # receive: "X 获得 <lender> … 贷款"
        if not lenders:
            first = ents[0] if ents and v.C[cs : ents[0].cs] == "" else None
            for a in actors + ([first] if first is not None and first.label == "SECTOR" else []):
                if a.label in ("SECTOR", "ORG", "PERSON") and not self.r.is_lender(a.text):
                    for ms, me in self._find(v, "receive", "LENDS_TO", cs, ce):
                        for e in ents:
                            if e.label == "ORG" and e.cs >= me and self.r.is_lender(e.text):
                                out.append(Candidate("LENDS_TO", e.i, a.i, "lends.receive", amount=self._amount(v, ci, trig, e)))
                                break
            return
        for lender in lenders:
            for b in borrowers:
                if b.i == lender.i or (b.label == "ORG" and self.r.is_lender(b.text)):
                    continue
                out.append(Candidate("LENDS_TO", lender.i, b.i, "lends.beneficiary", amount=self._amount(v, ci, trig, b)))

    def _amount(self, v: View, ci: int, trig: List[Tuple[int, int]], tail: Ent) -> Optional[int]:
        cs, ce = v.clauses[ci]
        money = [e for e in v.by_clause.get(ci, ()) if e.label == "MONEY" and not v.C[max(cs, e.cs - 2) : e.cs].endswith("用信")]
        if not money:
            return None
        t0 = trig[0][0]
        return min(money, key=lambda m: (abs(m.cs - t0), m.cs)).i

    def _targets(self, v: View, ci: int, ents: List[Ent], group: List[Ent], out: List[Candidate], subj_prev: List[Ent]) -> None:
        cs, ce = v.clauses[ci]
        si = v.clause_sent[ci]
        rx = self.r.regex("trigger", "TARGETS")
        if rx is None:
            return
        progs: List[Ent] = [g for g in group if g.label == "PROGRAMME"]
        # programmes of this clause and the clause before (same sentence)
        near: Optional[List[Ent]] = None  # found when a marker has a tail
        for m in rx.finditer(v.C[cs:ce]):
            ms, me = cs + m.start(), cs + m.end()
            word = m.group(0)
            tail = None
            for e in ents:
                if e.cs < me:
                    continue
                g = v.C[me : e.cs]
                if len(g.replace(MASK, "")) <= 10 and e.label in ("SECTOR", "ORG") and not (e.label == "ORG" and self.r.is_lender(e.text)):
                    tail = e
                break
            if tail is None:
                continue
            nxt = v.ents[tail.i + 1] if tail.i + 1 < len(v.ents) else None
            mod = self.r.regex("modifier_of", "TARGETS")
            if nxt is not None and nxt.clause == ci and nxt.label in ("SECTOR", "ORG") and mod and mod.fullmatch(v.gap(tail, nxt)):
                tail = nxt
            rest = v.C[tail.ce : ce]
            if len(word) == 1 and not re.search(r"提供|定制|发放|打造|办理|解决|量身|开发|推出|设计|授信|贷款|融资|服务", rest):
                continue
            if near is None:
                near = [e for e in v.by_sent.get(si, ()) if e.label == "PROGRAMME" and ci - 1 <= e.clause <= ci and e.cs < ce]
            heads = [p for p in near if p.ce <= ms]
            head = heads[-1] if heads else None
            if head is None and progs:
                head = progs[0]
            if head is None:
                after = [p for p in v.by_sent.get(si, ()) if p.label == "PROGRAMME" and p.cs >= tail.ce]
                if after and word in ("针对", "面向", "专为", "为"):
                    head = after[0]
            if head is None:
                continue
            rule = "targets.marker"
            for t in self._coord(v, tail, {"SECTOR", "ORG"}):
                out.append(Candidate("TARGETS", head.i, t.i, rule))

    def _in_sector(self, v: View, ci: int, ents: List[Ent], actors: List[Ent], out: List[Candidate]) -> None:
        cs, ce = v.clauses[ci]
        # a lender's focus (该行专注小微企业, 业务涵盖三农) names its customers, not its own sector
        heads = [a for a in actors if a.label == "ORG" and not self.r.is_lender(a.text)]
        if heads:
            spans = self._find(v, "trigger", "IN_SECTOR", cs, ce) + self._find(v, "member", "IN_SECTOR", cs, ce)
            for ts, te in spans:
                for e in ents:
                    if e.label == "SECTOR" and e.cs >= te:
                        g = v.C[te : e.cs]
                        if len(g) <= 4 and MASK not in g:
                            for t in self._coord(v, e, {"SECTOR"}):  # 主营A、B和C: every listed sector
                                for h in heads:
                                    out.append(Candidate("IN_SECTOR", h.i, t.i, "in_sector.verb"))
                        break
        # "以A、B为核心": the clause's subjects; "以服务业为主营业务的月星集团": the company right after 的
        core = self.r.regex("core", "IN_SECTOR")
        if core is None:
            return
        for e in ents:
            if e.label != "SECTOR" or v.C[max(cs, e.cs - 1) : e.cs] != "以":
                continue
            group = self._coord(v, e, {"SECTOR"})  # the marker follows the last one
            m = core.match(v.C, group[-1].ce)
            if not m:
                continue
            for t in group:
                for h in heads:
                    out.append(Candidate("IN_SECTOR", h.i, t.i, "in_sector.core"))
            if v.C[m.end() : m.end() + 1] == "的":
                nxt = next((f for f in ents if f.cs == m.end() + 1), None)
                if nxt is not None and nxt.label == "ORG" and not self.r.is_lender(nxt.text):
                    for t in group:
                        out.append(Candidate("IN_SECTOR", nxt.i, t.i, "in_sector.core_modifier"))

    # -------------------------------------------------------------- document-wide local patterns
    def _global_rules(self, v: View, out: List[Candidate]) -> None:
        ents = v.ents
        heads_cls = self.r.words("class_head", "IN_SECTOR")
        unit = self.r.regex("unit", "PART_OF")
        part_re, announce_re, loc_words, of_re, mod_list_re = self._global_patterns
        for k, e in enumerate(ents):
            nxt = ents[k + 1] if k + 1 < len(ents) else None
            g = v.gap(e, nxt) if nxt else None
            # ---------------- HOLDS_POSITION: ORG title PERSON+ (bylines included)
            if e.label == "ORG" and nxt is not None and nxt.label == "PERSON" and g is not None:
                rest = self.byline.sub("", g, count=1) if self.byline.match(g) else g
                off = len(g) - len(rest)
                m = self.title_seq.fullmatch(rest)
                if m and rest:
                    title = v.orig(e.ce + off, nxt.cs)
                    persons = self._persons(v, nxt)
                    for p in persons:
                        out.append(Candidate("HOLDS_POSITION", p.i, e.i, "position.org_title_person", title=title))
                    # "甲委员会成员、乙局局长、丙公司董事长某某": every ORG-title link of the chain before the name
                    j = k
                    while j > 0 and ents[j - 1].label == "ORG" and ents[j - 1].sent == e.sent:
                        f = ents[j - 1]
                        gg = v.gap(f, ents[j])
                        if not (len(gg) > 1 and gg[-1] == "、" and self.title_seq.fullmatch(gg[:-1])):
                            break
                        for p in persons:
                            out.append(Candidate("HOLDS_POSITION", p.i, f.i, "position.title_chain", title=v.orig(f.ce, ents[j].cs - 1)))
                        j -= 1
            # PERSON (,|任|是) ORG title
            if e.label == "PERSON" and nxt is not None and nxt.label == "ORG" and g is not None and self.person_lead.match(g):
                after = v.C[nxt.ce : nxt.ce + 16]
                m = self.title_seq.match(after)
                if m and (m.end() == len(after) or after[m.end()] in ",;:。!?)、" or after[m.end()] != MASK):
                    nn = ents[k + 2] if k + 2 < len(ents) else None
                    if not (nn is not None and nn.label == "PERSON" and nn.cs == nxt.ce + m.end()):
                        out.append(Candidate("HOLDS_POSITION", e.i, nxt.i, "position.person_org_title", title=v.orig(nxt.ce, nxt.ce + m.end())))
            # ---------------- LOCATED_IN: adjacency, X的Y, 位于
            if e.label == "LOC" and nxt is not None and g == "" and nxt.label in ("LOC", "ORG"):
                ra, rb = self.r.loc_rank(e.text), self.r.loc_rank(nxt.text) if nxt.label == "LOC" else None
                if ra is None or rb is None or rb > ra:
                    out.append(Candidate("LOCATED_IN", nxt.i, e.i, "located.adjacent"))
            if e.label == "LOC" and nxt is not None and g is not None and nxt.label in ("LOC", "ORG") and of_re.match(g):
                locs = [e]
                j = k
                while j > 0 and ents[j - 1].label == "LOC" and mod_list_re.match(v.gap(ents[j - 1], ents[j])):
                    locs.append(ents[j - 1])
                    j -= 1
                for loc in locs:
                    out.append(Candidate("LOCATED_IN", nxt.i, loc.i, "located.of"))
            if e.label in ("ORG", "PROGRAMME") and nxt is not None and nxt.label == "LOC" and g in loc_words:
                out.append(Candidate("LOCATED_IN", e.i, nxt.i, "located.verb"))
            # "十堰、襄阳等汽车产业集群": each listed place holds one of the class named after 等
            if e.label == "LOC" and nxt is not None and nxt.label in ("ORG", "PROGRAMME") and g == "等":
                places = self._listed_before(v, e, _LIST_JOINERS, unquote=False)
                if len(places) > 1:
                    for loc in places:
                        out.append(Candidate("LOCATED_IN", nxt.i, loc.i, "located.list_class"))
            # ---------------- PART_OF
            if e.label == "ORG" and nxt is not None and nxt.label == "ORG" and g in ("", "的") and unit and unit.search(nxt.text[-4:]):
                out.append(Candidate("PART_OF", nxt.i, e.i, "part_of.unit"))
            if e.label == "ORG" and nxt is not None and nxt.label == "ORG" and g and part_re.match(g):
                for b in self._coord(v, nxt, {"ORG"}):
                    out.append(Candidate("PART_OF", b.i, e.i, "part_of.subsidiary"))
            if (e.label == "ORG" and nxt is not None and nxt.label == "ORG" and g and announce_re is not None
                    and announce_re.match(g) and not self._ends_with(e.text, "not_announcer", "PART_OF")):
                subs = [nxt]  # 、 lists only: "子公司乙与丙签署" makes 丙 a partner, not a subsidiary
                for f in ents[k + 2 :]:
                    if f.label != "ORG" or f.clause != nxt.clause or v.gap(subs[-1], f) != "、":
                        break
                    subs.append(f)
                signing = self.r.words("announce_signing", "PART_OF")
                if len(subs) > 1 and any(v.C.startswith(w, subs[-1].ce) for w in signing):
                    subs = subs[:1]  # "子公司乙、丙签署协议": 丙 signs with 乙
                for b in subs:
                    out.append(Candidate("PART_OF", b.i, e.i, "part_of.announce"))
            if e.label == "ORG" and nxt is not None and nxt.label == "ORG" and g is not None and re.fullmatch(r"(?:是|为|系|作为|隶属于|隶属)", g):
                after = v.C[nxt.ce : nxt.ce + 8]
                if g.startswith("隶属") or re.match(r"^的?(?:全资|控股)?(?:子公司|分公司|下属|旗下|成员|分支|支行|分行)", after):
                    out.append(Candidate("PART_OF", e.i, nxt.i, "part_of.copula"))
            # ---------------- IN_SECTOR: "A、B等零部件企业", "新能源汽车龙头企业比亚迪", cluster names
            if e.label == "ORG" and nxt is not None and nxt.label == "SECTOR" and g is not None and re.fullmatch(r"等(?:一批|多家|一些|众多|\d+家)?(?:重点|龙头|骨干|知名|优质|本地)?", g):
                if any(v.C.startswith(h, nxt.ce) for h in heads_cls):
                    for mbr in self._listed_before(v, e, _COORD):
                        out.append(Candidate("IN_SECTOR", mbr.i, nxt.i, "in_sector.list_class"))
            if e.label == "SECTOR" and nxt is not None and nxt.label == "ORG" and g in heads_cls:
                out.append(Candidate("IN_SECTOR", nxt.i, e.i, "in_sector.class_apposition"))
            if e.label == "ORG" and nxt is not None and nxt.label == "SECTOR" and g is not None and re.fullmatch(r"(?:是|为|系)(?:一家|一个|国内|全国|省内|全球|国际|世界|行业|业内)*(?:专业|专注|领先|知名|重点)?的?", g):
                if any(v.C.startswith(h, nxt.ce) for h in heads_cls):
                    out.append(Candidate("IN_SECTOR", e.i, nxt.i, "in_sector.copula"))
            if e.label == "ORG" and e.text.endswith("集群"):
                # the longest sector named after the cluster, in its sentence, that its name contains
                found = [s for s in ents if s.label == "SECTOR" and s.sent == e.sent and s.cs >= e.ce and len(s.text) >= 2 and s.text in e.text[:-2]]
                best = max((len(s.text) for s in found), default=0)
                for s in found:
                    if len(s.text) == best:
                        out.append(Candidate("IN_SECTOR", e.i, s.i, "in_sector.cluster_name"))
        # LOCATED_IN: "在X，…" opening a sentence places its organisations (and smaller places) in X
        for ci, (cs, ce) in enumerate(v.clauses):
            seg = v.C[cs:ce].rstrip(_CLAUSE_PUNCT)
            m = re.search(r"(?:^|[^□])在(□+)(?:中|内|里|境内|当地)?$", seg)
            if not m:
                continue
            si = v.clause_sent[ci]
            inside = [e for e in v.by_clause.get(ci, ()) if e.label == "LOC"]
            if not inside:
                continue
            cont = inside[-1]
            rc = self.r.loc_rank(cont.text)
            stop = ci + 1  # the scope runs to the end of the sentence or the next "在X，"
            while stop < len(v.clauses) and v.clause_sent[stop] == si and not any(
                e.label == "LOC" and v.C[e.cs - 1 : e.cs] == "在" for e in v.by_clause.get(stop, ())
            ):
                stop += 1
            for e in (e for cj in range(ci + 1, stop) for e in v.by_clause.get(cj, ())):
                if e.sent != si:
                    continue
                if e.label == "ORG" or (e.label == "LOC" and rc is not None and (self.r.loc_rank(e.text) or 6) > rc):
                    out.append(Candidate("LOCATED_IN", e.i, cont.i, "located.sentence_scope"))
                elif e.label == "PROGRAMME":  # a local fair, platform or campaign (decision 12); the scorer weighs it apart
                    out.append(Candidate("LOCATED_IN", e.i, cont.i, "located.sentence_scope_programme"))

    def _persons(self, v: View, first: Ent) -> List[Ent]:
        out = [first]
        for f in v.ents[first.i + 1 :]:
            if f.label == "PERSON" and v.gap(out[-1], f) in ("", "、"):
                out.append(f)
            else:
                break
        return out

    # -------------------------------------------------------------- final filter
    def _dedupe(self, v: View, cands: List[Candidate]) -> List[Candidate]:
        seen: Dict[Tuple[str, int, int], Candidate] = {}
        for c in cands:
            h, t = v.ents[c.head], v.ents[c.tail]
            if c.head == c.tail or not relation_allowed(c.label, h.label, t.label):
                continue
            if abs(h.sent - t.sent) > max(self.max_sentence_distance, 0) and c.rule != "chain":
                continue
            key = (c.label, c.head, c.tail)
            if c.label == "PARTNERS_WITH":
                key = (c.label, min(c.head, c.tail), max(c.head, c.tail))
                if c.head > c.tail:
                    c = Candidate(c.label, c.tail, c.head, c.rule)
            if key in seen:
                old = seen[key]
                if old.amount is None and c.amount is not None:
                    old.amount = c.amount
                continue
            seen[key] = c
        return list(seen.values())


def is_cross_sentence(text: str, a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    """Guideline rule: different sentences when a 。！？!? lies between the two spans."""
    lo, hi = min(a[1], b[1]), max(a[0], b[0])
    return lo < hi and any(c in SENTENCE_END for c in text[lo:hi])


__all__ = ["Candidate", "Ent", "RuleEngine", "RuleSet", "View", "is_cross_sentence", "read_jsonl"]
