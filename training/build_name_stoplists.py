"""Which surname characters and words rarely begin a name, read off People's Daily 1998 (../shared).

    python training/build_name_stoplists.py [--min-word-count 10 --max-surname-share 0.05]

Writes ``ner/components/data/word_stoplists.jsonl``, read by :mod:`ner.components.person_names`:

* ``ambiguous_surnames``: characters of the surname list that People's Daily tags as a surname (nr) in
  fewer than ``--max-surname-share`` of their one-character tokens and that are mostly a function word
  (conjunction, preposition, adverb, auxiliary, pronoun, direction: 和, 向, 都, 由) or common as a word of
  their own (``--min-function-count`` one-character tokens and a share under a tenth of the limit: 来, 时):
  负责人和专家, 总书记来了 are no names, while 检察长应勇 and 副委员长信春鹰 are;
* ``common_words``: two-character words tagged as anything but a name at least ``--min-word-count``
  times (关于, 来到, 代表, 单位 …): 总书记关于加强 holds no name, and a document's stray PERSON 代表 is not
  spread to its other mentions. In People's Daily a person's
  name is split into surname and given name (江/nr 泽民/nr), so a two-character token is a word.

Counts only, no text: the output lists words and characters.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ner.components.person_names import _data  # noqa: E402
from ner.corpus.public.people_daily import iter_tagged_words  # noqa: E402
from ner.settings import corpus_path  # noqa: E402

#: People's Daily tags (first letter) of function words: conjunction, preposition, adverb, auxiliary, pronoun, direction
FUNCTION_TAGS = frozenset("cpdurf")
OUT = Path(__file__).resolve().parent.parent / "ner/components/data/word_stoplists.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-word-count", type=int, default=10)
    ap.add_argument("--max-surname-share", type=float, default=0.05)
    ap.add_argument("--min-function-count", type=int, default=1000)
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args()
    surnames = _data().surnames
    words: Counter = Counter()
    as_surname: Counter = Counter()
    as_other: Counter = Counter()
    tags: Dict[str, Counter] = defaultdict(Counter)
    for w, tag in iter_tagged_words(corpus_path("corpora/people_daily_1998/199801.txt")):
        if len(w) == 1:
            (as_surname if tag == "nr" else as_other)[w] += 1
            if tag != "nr":
                tags[w][tag[:1]] += 1
        elif len(w) == 2 and tag != "nr":
            words[w] += 1

    def share(c: str) -> float:
        return as_surname[c] / (as_surname[c] + as_other[c])

    ambiguous = sorted(c for c in surnames if as_other[c] and share(c) < args.max_surname_share
                       and (tags[c].most_common(1)[0][0] in FUNCTION_TAGS
                            or (as_other[c] >= args.min_function_count and share(c) < args.max_surname_share / 10)))
    common = sorted(w for w, k in words.items() if k >= args.min_word_count)
    note = (f"Written by training/build_name_stoplists.py (--min-word-count {args.min_word_count} --max-surname-share "
            f"{args.max_surname_share} --min-function-count {args.min_function_count}) from the word tags of People's Daily January 1998. ambiguous_surnames: surname "
            "characters tagged as a surname in fewer than that share of their one-character tokens and mostly a function word "
            "or a word of their own (和, 都, 来: 负责人和专家, 总书记来了); a name after a title does not start with one. common_words: two-character words other than names "
            "seen that often (关于, 来到, 代表): a name after a title does not start "
            "with one, and a PERSON that is one is not spread to the document's other mentions (ner/components/person_names.py).")
    with open(args.output, "w", encoding="utf-8") as f:
        for row in ({"note": note}, {"ambiguous_surnames": "".join(ambiguous)}, {"common_words": common}):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(ambiguous)} ambiguous surnames ({''.join(ambiguous)}), {len(common)} common words -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
