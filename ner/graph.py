"""Reading extract records from any input, and building a cross-article entity/relation graph.

Nodes are entities keyed by (normalised text, label); edges are (head node, relation, tail node) with
counts, attributes and one example sentence. Output: ``nodes.csv``, ``edges.csv`` and ``graph.graphml``.
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from .progress import counted
from .inputs import InputError, iter_inputs
from .schema import RELATION_TYPES
from .text.charmap import normalize_chars
from .text.sentences import guideline_sentences, locate

Record = Dict[str, Any]
NodeKey = Tuple[str, str]  # (normalised text, label)
EdgeKey = Tuple[str, str, str]  # (head node id, relation label, tail node id)

_WS = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\s*[\n\r\u2028\u2029]\s*")

NODE_FIELDS = ["id", "name", "label", "mentions", "n_articles", "articles"]
EDGE_FIELDS = [
    "source", "target", "relation", "source_name", "target_name",
    "count", "cross_sentence", "amounts", "titles", "articles", "example",
]


# --------------------------------------------------------------------------- reading records


def _is_record_file(spec: str) -> bool:
    """True when ``spec`` is a JSONL file whose first record already has "ents" and "relations"."""
    path = Path(spec)
    if spec == "-" or not path.is_file() or path.suffix.lower() not in (".jsonl", ".ndjson"):
        return False
    try:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    obj = json.loads(line)
                    return isinstance(obj, dict) and "ents" in obj and "relations" in obj
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False  # let the ordinary input reader report the problem
    return False


def _check_span(text: str, span: Any, where: str, need_label: bool = True) -> None:
    if not isinstance(span, dict):
        raise InputError(f"{where}: span must be an object")
    s, e = span.get("start"), span.get("end")
    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text)):
        raise InputError(f"{where}: bad offsets {s!r}-{e!r} for a text of {len(text)} chars")
    if need_label and not isinstance(span.get("label"), str):
        raise InputError(f"{where}: missing 'label'")
    if "text" in span and span["text"] != text[s:e]:
        raise InputError(f"{where}: span text {span['text']!r} != text[{s}:{e}] {text[s:e]!r}")


def validate_record(obj: Any, where: str) -> Record:
    """Check one extract record (offsets in range, span texts match); raise InputError if not."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise InputError(f"{where}: expected a record with a string 'text'")
    if not isinstance(obj.get("ents"), list) or not isinstance(obj.get("relations"), list):
        raise InputError(f"{where}: 'ents' and 'relations' must be lists")
    text = obj["text"]
    for i, ent in enumerate(obj["ents"]):
        _check_span(text, ent, f"{where}: ents[{i}]")
    for i, rel in enumerate(obj["relations"]):
        if not isinstance(rel, dict) or not isinstance(rel.get("label"), str):
            raise InputError(f"{where}: relations[{i}] needs a string 'label'")
        _check_span(text, rel.get("head"), f"{where}: relations[{i}].head")
        _check_span(text, rel.get("tail"), f"{where}: relations[{i}].tail")
        amount = (rel.get("attrs") or {}).get("amount")
        if amount is not None:
            _check_span(text, amount, f"{where}: relations[{i}].attrs.amount", need_label=False)
    obj.setdefault("id", where)
    obj["id"] = str(obj["id"])
    return obj


def _read_record_file(spec: str) -> Iterator[Record]:
    with open(spec, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{spec}:{lineno}: malformed JSON ({err.msg} at column {err.colno})") from None
            if isinstance(obj, dict) and "id" not in obj:
                obj["id"] = f"{Path(spec).name}:{lineno}"
            yield validate_record(obj, f"{spec}:{lineno}")


def iter_records(
    inputs: Iterable[str],
    model: Optional[Union[str, Path]] = None,
    *,
    progress: bool = False,
    name: str = "graph",
) -> Iterator[Record]:
    """Yield extract records in input order: record JSONL files as is, anything else through the pipeline.

    The model is loaded only when some input needs extraction. Raises InputError on bad input
    (including a model that cannot be loaded).
    """
    return counted(_records(inputs, model), name, progress, lambda r: r["text"])


def _records(inputs: Iterable[str], model: Optional[Union[str, Path]]) -> Iterator[Record]:
    nlp = None
    for spec in inputs:
        if _is_record_file(spec):
            stream: Iterable[Record] = _read_record_file(spec)
        else:
            if nlp is None:
                from .pipeline import load

                try:
                    nlp = load(model)
                except (FileNotFoundError, OSError) as err:
                    raise InputError(f"cannot load model: {err}") from None
            from .pipeline import extract_records

            stream = extract_records(nlp, iter_inputs([spec]))
        yield from stream


# --------------------------------------------------------------------------- the graph


def normalise_entity(text: str) -> str:
    """The node key text: model-side character normalisation, all whitespace removed (PDF breaks)."""
    return _WS.sub("", normalize_chars(text))


def node_id(key: NodeKey) -> str:
    """A readable, unique node id: ``LABEL:text``."""
    return f"{key[1]}:{key[0]}"


@dataclass
class Node:
    label: str
    surfaces: Counter = field(default_factory=Counter)
    mentions: int = 0
    articles: Dict[str, None] = field(default_factory=dict)  # ordered set

    @property
    def name(self) -> str:
        """The most frequent surface form (first seen wins a tie)."""
        return self.surfaces.most_common(1)[0][0] if self.surfaces else ""


@dataclass
class Edge:
    count: int = 0
    cross_sentence: int = 0
    amounts: Dict[str, None] = field(default_factory=dict)
    titles: Dict[str, None] = field(default_factory=dict)
    articles: Dict[str, None] = field(default_factory=dict)
    example: str = ""


def example_sentence(text: str, char: int, offsets: Optional[Sequence[Tuple[int, int]]] = None) -> str:
    """The guideline sentence containing ``char``, line breaks removed and stripped (``offsets``: the
    text's guideline sentences, when the caller has them already)."""
    if offsets is None:
        offsets = guideline_sentences(text)
    i = locate(offsets, char)
    if i < 0:
        return ""
    a, b = offsets[i]
    return _LINE_BREAK.sub("", text[a:b]).strip()


class Graph:
    """Entities and relations aggregated over many extract records."""

    def __init__(self) -> None:
        self.nodes: Dict[NodeKey, Node] = {}
        self.edges: Dict[EdgeKey, Edge] = {}
        self.n_records = 0

    def _node(self, span: Dict[str, Any], text: str, doc_id: str, count: bool) -> NodeKey:
        surface = text[span["start"] : span["end"]]
        key = (normalise_entity(surface), span["label"])
        node = self.nodes.setdefault(key, Node(span["label"]))
        node.articles.setdefault(doc_id)
        if count:
            node.mentions += 1
            node.surfaces[_WS.sub("", surface)] += 1
        return key

    def add_record(self, rec: Record) -> None:
        """Add one record's mentions (entities plus any relation endpoint not among them) and relations."""
        self.n_records += 1
        text, doc_id = rec["text"], str(rec["id"])
        sentences: Optional[List[Tuple[int, int]]] = None  # split once, when a first example is needed
        seen = set()
        spans = list(rec["ents"]) + [r[k] for r in rec["relations"] for k in ("head", "tail")]
        for span in spans:
            ident = (span["start"], span["end"], span["label"])
            self._node(span, text, doc_id, count=ident not in seen)
            seen.add(ident)
        for rel in rec["relations"]:
            head = node_id(self._node(rel["head"], text, doc_id, False))
            tail = node_id(self._node(rel["tail"], text, doc_id, False))
            rtype = RELATION_TYPES.get(rel["label"])
            if rtype is not None and rtype.symmetric and tail < head:
                head, tail = tail, head
            edge = self.edges.setdefault((head, rel["label"], tail), Edge())
            edge.count += 1
            edge.cross_sentence += bool(rel.get("cross_sentence"))
            edge.articles.setdefault(doc_id)
            attrs = rel.get("attrs") or {}
            amount = attrs.get("amount")
            if isinstance(amount, dict):
                edge.amounts.setdefault(_WS.sub("", text[amount["start"] : amount["end"]]))
            if attrs.get("title"):
                edge.titles.setdefault(str(attrs["title"]))
            if not edge.example:
                if sentences is None:
                    sentences = guideline_sentences(text)
                edge.example = example_sentence(text, rel["head"]["start"], sentences)

    def node_rows(self) -> List[Dict[str, Any]]:
        """One dict per node, in first-seen order, with the columns of ``NODE_FIELDS``."""
        return [
            {
                "id": node_id(key),
                "name": node.name or key[0],
                "label": node.label,
                "mentions": node.mentions,
                "n_articles": len(node.articles),
                "articles": ";".join(node.articles),
            }
            for key, node in self.nodes.items()
        ]

    def edge_rows(self) -> List[Dict[str, Any]]:
        """One dict per (head, relation, tail), in first-seen order, with the columns of ``EDGE_FIELDS``."""
        names = {node_id(k): (n.name or k[0]) for k, n in self.nodes.items()}
        return [
            {
                "source": head,
                "target": tail,
                "relation": label,
                "source_name": names[head],
                "target_name": names[tail],
                "count": edge.count,
                "cross_sentence": edge.cross_sentence,
                "amounts": ";".join(edge.amounts),
                "titles": ";".join(edge.titles),
                "articles": ";".join(edge.articles),
                "example": edge.example,
            }
            for (head, label, tail), edge in self.edges.items()
        ]

    def to_networkx(self) -> Any:
        """A networkx MultiDiGraph; edges are keyed by relation label (one edge per head/relation/tail)."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for row in self.node_rows():
            g.add_node(row["id"], **{k: v for k, v in row.items() if k != "id"})
        for row in self.edge_rows():
            attrs = {k: v for k, v in row.items() if k not in ("source", "target")}
            g.add_edge(row["source"], row["target"], key=row["relation"], **attrs)
        return g

    def write(self, out_dir: Path) -> Dict[str, Path]:
        """Write nodes.csv, edges.csv (UTF-8, with header) and graph.graphml into ``out_dir``."""
        import networkx as nx

        out_dir.mkdir(parents=True, exist_ok=True)
        paths = {name: out_dir / name for name in ("nodes.csv", "edges.csv", "graph.graphml")}
        for name, fields, rows in (
            ("nodes.csv", NODE_FIELDS, self.node_rows()),
            ("edges.csv", EDGE_FIELDS, self.edge_rows()),
        ):
            with paths[name].open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=fields)
                writer.writeheader()
                writer.writerows(rows)
        nx.write_graphml(self.to_networkx(), paths["graph.graphml"], encoding="utf-8")
        return paths


def build_graph(records: Iterable[Record]) -> Graph:
    """Aggregate extract records into a Graph."""
    graph = Graph()
    for rec in records:
        graph.add_record(rec)
    return graph
