"""Which short forms of county names People's Daily 1998 (../shared) uses mostly as other words or names.

    python training/build_county_forms.py [--min-other 2]

Reads ``ner/components/data/counties_cn.jsonl`` and rewrites its settings row's ``not_short_forms``: the
short forms (:func:`ner.components.crf_ner.county_short_form`: 长子县 -> 长子) that People's Daily tags
other than as a place (ns) at least ``--min-other`` times and more often than as a place (长子 "eldest
son", 方正 "upright", 凤凰 "phoenix", 万年 "ten thousand years"). Those are not added to the tagging
lexicon; the full names (长子县) are. Counts only: the output lists words.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ner.components.gazetteer import county_short_form  # noqa: E402
from ner.corpus.public.people_daily import iter_tagged_words  # noqa: E402
from ner.settings import corpus_path  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "ner/components/data/counties_cn.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-other", type=int, default=2)
    ap.add_argument("--data", type=Path, default=DATA, help="the counties file to read and rewrite")
    args = ap.parse_args()
    lines = args.data.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    k = next(i for i, row in enumerate(rows) if "not_places" in row)
    settings = rows[k]
    shorts = {s for row in rows for name in row.get("counties", ()) if len(s := county_short_form(name, settings)) >= 2}
    place: Counter = Counter()
    other: Counter = Counter()
    for w, tag in iter_tagged_words(corpus_path("corpora/people_daily_1998/199801.txt")):
        if w in shorts:
            (place if tag == "ns" else other)[w] += 1
    settings["not_short_forms"] = sorted(w for w in shorts if other[w] >= args.min_other and other[w] > place[w])
    lines[k] = json.dumps(settings, ensure_ascii=False)
    args.data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(shorts)} short forms, {len(settings['not_short_forms'])} not used: {' '.join(settings['not_short_forms'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
