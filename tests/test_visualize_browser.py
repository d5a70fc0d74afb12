"""``xiang-ner visualize`` in a real browser: Debian's headless Chromium driven by playwright (issue 6).

The page is made from self-written text by the visualize command itself (entities and relations
from the embedded model), opened from disk in Chromium, and checked the way a reader would see it:
no console errors, every entity of the records shown with its text and label, the relations tabled,
and a screenshot. ``make test`` installs Chromium (``apt-get install chromium``) and playwright (the
``test`` extra); browsers are never downloaded (no ``playwright install``). Without Chromium the
test fails and says so: it does not skip.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any, Dict, List

import pytest
from typer.testing import CliRunner

from ner.cli import _register, app
from ner.graph import iter_records
from ner.visualize import label_colour

_register()

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

DOCS = [
    {"id": "湘江<日报>&1", "text": "湘江银行向当地小微企业发放贷款3亿元。\n岳阳市农业农村局局长刘建华表示，今年将扩大油茶种植面积。"},
    {"id": "doc-2", "text": "株洲银行与中车株洲所签署战略合作协议，推出“科技贷”产品。\n标题里写着 <b>加粗</b> & \"引号\"，不是标签。"},
]


def _browser(p: Any) -> Any:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs it (apt-get install -y --no-install-recommends chromium)",
            pytrace=False,
        )
    return p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# what the page shows, read from the DOM: each section's marks (text without the label, data-label,
# label tag text, computed background) and relation rows (cell texts)
_READ_DOM = """() => [...document.querySelectorAll('section')].map(sec => ({
  id: sec.id,
  title: sec.querySelector('h2').textContent,
  text: sec.querySelector('.text').textContent,
  tags_in_text: [...sec.querySelectorAll('.text *')].map(e => e.tagName.toLowerCase()),
  marks: [...sec.querySelectorAll('mark.ent')].map(m => ({
    text: [...m.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join(''),
    label: m.dataset.label,
    shown_label: m.querySelector('.lbl').textContent,
    background: getComputedStyle(m).backgroundColor,
    visible: m.getBoundingClientRect().width > 0 && m.getBoundingClientRect().height > 0,
  })),
  rows: [...sec.querySelectorAll('table tbody tr')].map(tr => [...tr.cells].map(td => td.textContent)),
}))"""


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_page_in_headless_chromium(tmp_path: Path) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: `make test` installs the test extra (pip install -e '.[test]')", pytrace=False)

    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), encoding="utf-8")
    page_path = tmp_path / "page.html"
    res = CliRunner().invoke(app, ["visualize", str(src), "-o", str(page_path), "--title", "浏览器测试", "--no-progress"])
    assert res.exit_code == 0, res.output
    # the records the page was made from (same embedded model, same path as the command)
    records: List[Dict[str, Any]] = list(iter_records([str(src)]))
    assert [r["id"] for r in records] == [d["id"] for d in DOCS]
    assert sum(len(r["ents"]) for r in records) >= 3 and sum(len(r["relations"]) for r in records) >= 1

    problems: List[str] = []
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            response = page.goto(page_path.as_uri(), wait_until="load")
            assert response is not None and response.ok
            assert page.title() == "浏览器测试"
            sections = page.evaluate(_READ_DOM)
            shot = tmp_path / "page.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()

    assert problems == []
    assert len(sections) == len(records)
    for sec, rec in zip(sections, records):
        assert sec["title"] == rec["id"]
        # the whole text shows, as text (no markup from the input), labels appended to each mark
        shown = sec["text"]
        for m in sec["marks"]:
            shown = shown.replace(m["text"] + m["shown_label"], m["text"], 1)
        assert shown == rec["text"]
        assert set(sec["tags_in_text"]) <= {"mark", "span"}
        want = sorted((e["text"], e["label"]) for e in rec["ents"])
        assert sorted((m["text"], m["label"]) for m in sec["marks"]) == want
        for m in sec["marks"]:
            assert m["shown_label"] == m["label"] and m["visible"]
            assert m["background"] == _rgb(label_colour(m["label"]))
        assert len(sec["rows"]) == len(rec["relations"])
        for row, rel in zip(sec["rows"], rec["relations"]):
            assert row[0] == rel["label"]
            assert row[1] == f"{rel['head']['text']} {rel['head'].get('label', '')}"
            assert row[2] == f"{rel['tail']['text']} {rel['tail'].get('label', '')}"
            assert row[4] == ("yes" if rel.get("cross_sentence") else "no")
    assert "<b>加粗</b>" in sections[1]["text"]

    data = shot.read_bytes()
    width, height = _png_size(data)
    assert len(data) > 5_000 and width == 1000 and height >= 400
