"""Stand-off gold records: the §3 gold JSONL without ``text``, plus ``source`` and ``sha256``.

The repository keeps only these records (no third-party article text); the text is read back from
the data root (:mod:`ner.corpus.sources`) and checked against ``sha256`` so that offsets never
silently point into a changed text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from .gold import CorpusError, GoldDoc, PathLike, doc_from_dict, dump_line, iter_jsonl
from .sources import get_text, sha256_text


#: span texts longer than this are stored abbreviated (``head…tail``): long names are article text
MAX_SPAN_TEXT = 16
ELLIPSIS = "…"


def abbreviate(text: str) -> str:
    """``text`` itself when short, else its first and last 6 characters around an ellipsis."""
    return text if len(text) <= MAX_SPAN_TEXT else text[:6] + ELLIPSIS + text[-6:]


def matches_abbreviation(stored: str, actual: str) -> bool:
    """True when ``stored`` is ``actual`` or its abbreviation."""
    return stored == actual or (len(actual) > MAX_SPAN_TEXT and stored == abbreviate(actual))


def to_standoff(doc: GoldDoc, source: str) -> Dict[str, Any]:
    """The stand-off record of ``doc``: ``id, source, sha256, meta, spans, relations`` (no text).

    Span texts over :data:`MAX_SPAN_TEXT` characters are abbreviated, so that no long run of the
    article's text lands in the repository; the loader restores them from the source text.
    """
    meta = dict(doc.meta)
    meta.setdefault("source", source)
    spans = []
    for sp in doc.spans:
        d = sp.to_dict()
        d["text"] = abbreviate(sp.text)
        spans.append(d)
    return {
        "id": doc.id,
        "source": source,
        "sha256": sha256_text(doc.text),
        "meta": meta,
        "spans": spans,
        "relations": [r.to_dict() for r in doc.relations],
    }


def expand_span_texts(rec: Dict[str, Any], text: str) -> Dict[str, Any]:
    """A copy of a stand-off record whose abbreviated span texts are restored from ``text``."""
    out = dict(rec)
    spans = []
    for sp in rec.get("spans", []) or []:
        if isinstance(sp, dict) and isinstance(sp.get("text"), str) and ELLIPSIS in sp["text"]:
            start, end = sp.get("start"), sp.get("end")
            if isinstance(start, int) and isinstance(end, int) and matches_abbreviation(sp["text"], text[start:end]):
                sp = {**sp, "text": text[start:end]}
        spans.append(sp)
    out["spans"] = spans
    return out


def write_standoff(docs: Iterable[GoldDoc], path: PathLike, sources: Optional[Dict[str, str]] = None) -> None:
    """Write stand-off records; each doc's source is ``sources[id]`` or its ``meta["source"]``."""
    p = Path(path)
    lines = []
    for doc in docs:
        source = (sources or {}).get(doc.id) or doc.meta.get("source")
        if not source:
            raise CorpusError(f"{doc.where()}: [{doc.id}] has no source; cannot write a stand-off record")
        lines.append(dump_line(to_standoff(doc, str(source))))
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def join_record(rec: Any, file: str, line: int, data_root: Optional[PathLike] = None) -> GoldDoc:
    """Join one stand-off record with its text; CorpusError (file, line, doc id) if missing or changed."""
    where = f"{file}:{line}"
    if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
        raise CorpusError(f"{where}: a stand-off record must be an object with a string id")
    doc_id = rec["id"]
    source = rec.get("source")
    digest = rec.get("sha256")
    if not isinstance(source, str) or not isinstance(digest, str):
        raise CorpusError(f"{where}: [{doc_id}] stand-off record needs string fields 'source' and 'sha256'")
    try:
        text = get_text(source, doc_id, data_root)
    except CorpusError as err:
        raise CorpusError(f"{where}: [{doc_id}] source text missing: {err}") from err
    actual = sha256_text(text)
    if actual != digest:
        raise CorpusError(
            f"{where}: [{doc_id}] source text changed: sha256 of {source} is {actual[:12]}…, "
            f"the record expects {digest[:12]}… (offsets would be wrong)"
        )
    return doc_from_dict(expand_span_texts(rec, text), file, line, text=text)


def load_standoff(path: PathLike, data_root: Optional[PathLike] = None) -> List[GoldDoc]:
    """Read a stand-off file and join every record with its source text."""
    return [join_record(rec, str(path), lineno, data_root) for lineno, rec in iter_jsonl(path)]


def load_documents(paths: Union[PathLike, Sequence[PathLike]], data_root: Optional[PathLike] = None) -> List[GoldDoc]:
    """Load gold documents from full gold JSONL (lines with ``text``) and/or stand-off files."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    docs: List[GoldDoc] = []
    for path in paths:
        for lineno, rec in iter_jsonl(path):
            if isinstance(rec, dict) and "text" in rec:
                docs.append(doc_from_dict(rec, str(path), lineno))
            else:
                docs.append(join_record(rec, str(path), lineno, data_root))
    return docs
