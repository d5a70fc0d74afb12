"""One self-contained, offline HTML page of extract records: highlighted entities and relation tables.

No scripts, no external resources: inline CSS only, every piece of input text passes ``html.escape``.
"""
from __future__ import annotations

import html
from typing import Any, Dict, Iterable, Iterator, List

from .schema import ENTITY_LABELS

Record = Dict[str, Any]

#: Background colours, assigned to ``ENTITY_LABELS`` in order; unknown labels get ``_FALLBACK``.
_PALETTE = ("#aa9cfc", "#7aecec", "#feca74", "#bfe1d9", "#c887fb", "#e4e7d2", "#ffeb80", "#ff9561")
_FALLBACK = "#dddddd"

_CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:60em;
 padding:0 1em;color:#222;line-height:1.6}
h1{font-size:1.4em} h2{font-size:1.15em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
.text{white-space:pre-wrap;line-height:2.4;font-size:1.05em}
mark.ent{padding:.15em .35em;margin:0 .1em;border-radius:.35em;line-height:1}
mark.ent .lbl{font-size:.6em;font-weight:bold;margin-left:.4em;vertical-align:middle;font-family:sans-serif}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3} .muted{color:#888} .legend mark{margin-right:.5em;padding:.15em .35em;border-radius:.35em}
"""


def label_colour(label: str) -> str:
    """The highlight colour of an entity label."""
    if label in ENTITY_LABELS:
        return _PALETTE[ENTITY_LABELS.index(label) % len(_PALETTE)]
    return _FALLBACK


def _mark(text: str, label: str) -> str:
    lab = html.escape(label)
    return (
        f'<mark class="ent" data-label="{lab}" style="background:{label_colour(label)}">'
        f'{html.escape(text)}<span class="lbl">{lab}</span></mark>'
    )


def highlight(text: str, ents: Iterable[Dict[str, Any]]) -> str:
    """``text`` as escaped HTML with each entity in a labelled ``<mark>`` (overlapping ones skipped)."""
    out: List[str] = []
    pos = 0
    for ent in sorted(ents, key=lambda e: (e["start"], -e["end"])):
        start, end = ent["start"], ent["end"]
        if start < pos or end <= start:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(_mark(text[start:end], ent["label"]))
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _span_cell(span: Dict[str, Any], text: str) -> str:
    surface = text[span["start"] : span["end"]]
    return f'{html.escape(surface)} <span class="muted">{html.escape(str(span.get("label", "")))}</span>'


def _attrs_cell(attrs: Dict[str, Any], text: str) -> str:
    parts = []
    for key, value in attrs.items():
        shown = text[value["start"] : value["end"]] if isinstance(value, dict) and "start" in value else value
        parts.append(f"{html.escape(str(key))}={html.escape(str(shown))}")
    return ", ".join(parts)


def render_section(rec: Record, index: int) -> str:
    """One ``<section>``: the id as title, the highlighted text, and the relations table."""
    text = rec["text"]
    rows = "".join(
        "<tr>"
        f"<td>{html.escape(str(r['label']))}</td>"
        f"<td>{_span_cell(r['head'], text)}</td>"
        f"<td>{_span_cell(r['tail'], text)}</td>"
        f"<td>{_attrs_cell(r.get('attrs') or {}, text)}</td>"
        f"<td>{'yes' if r.get('cross_sentence') else 'no'}</td>"
        "</tr>"
        for r in rec["relations"]
    )
    table = (
        "<table><thead><tr><th>relation</th><th>head</th><th>tail</th><th>attrs</th><th>cross-sentence</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else '<p class="muted">no relations</p>'
    )
    return (
        f'<section id="doc-{index}"><h2>{html.escape(str(rec["id"]))}</h2>'
        f'<p class="muted">{len(rec["ents"])} entities, {len(rec["relations"])} relations</p>'
        f'<div class="text">{highlight(text, rec["ents"])}</div>{table}</section>\n'
    )


def page_head(title: str = "xiang-ner") -> str:
    """The start of the page: doctype, inline CSS, heading and label legend."""
    legend = " ".join(
        f'<mark class="key" style="background:{label_colour(label)}">{html.escape(label)}</mark>'
        for label in ENTITY_LABELS
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
        f'<h1>{html.escape(title)}</h1><p class="legend">{legend}</p>\n'
    )


PAGE_TAIL = "</body></html>\n"


def render_page(records: Iterable[Record], title: str = "xiang-ner") -> Iterator[str]:
    """The page in pieces (streams: one section per record)."""
    yield page_head(title)
    for i, rec in enumerate(records, 1):
        yield render_section(rec, i)
    yield PAGE_TAIL
