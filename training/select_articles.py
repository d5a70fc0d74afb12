"""Select the articles of the gold corpus from the raw news in the data root (issue 3).

Deterministic: scores every article of cctv_xwlb_news and fincuge finna by hits of domain cue words
(banks and credit, rural and small-business finance, clusters and parks, programmes, officials,
Hunan), keeps articles of 500–1,500 characters, and writes the chosen ids with the sha256 of their
text to ``corpus/selection.jsonl`` (no text: the texts stay in the data root).

    python training/select_articles.py --n-xwlb 230 --n-finna 30
    python training/select_articles.py --supplement 24   # then: articles rich in rare relation cues
    python training/select_articles.py --extend 100 --n-finna 60   # then: the next best-ranked articles
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

from ner.settings import data_root

CUES = {
    # weight: words
    5: "授信 贷款 信贷 放贷 信用贷 融资支持 农商银行 农信 再贷款 小微企业 普惠金融",
    3: "银行 融资 产业集群 产业园 经开区 高新区 专精特新 农户 合作社 湖南 长沙 行长 董事长 局长 支行 分行 旗下 子公司 签约 签署 战略合作 联合",
    2: "推出 实施 开展 打造 机制 平台 工作法 行动 专项 书记 县长 市长 总经理 负责人 面向 覆盖 支持",
}
BAD = "习近平 总书记 国务院总理 会见 会谈 外交 奥运 冬奥 疫情"


def score(text: str) -> float:
    s = 0.0
    for w, words in CUES.items():
        for word in words.split():
            s += w * min(text.count(word), 3)
    for word in BAD.split():
        s -= 4 * min(text.count(word), 3)
    return s / (len(text) / 1000 + 1.0)


#: cue patterns of the rarer relation types, for the supplement (--supplement)
RARE_CUES = {
    "PART_OF": re.compile(r"子公司|旗下|分行|支行|控股股东|全资"),
    "IN_SECTOR": re.compile(r"主营|专注于|专注|从事.{1,15}(业务|生产|研发)|是一家"),
    "LENDS_TO": re.compile(r"发放.{0,10}贷款|授信|放贷|贷款.{0,6}[0-9.]+[万亿]元|信贷支持"),
}


def supplement(root: Path, have: set, per_type: int) -> list:
    """Articles rich in cues of the rare relation types (PART_OF, IN_SECTOR, LENDS_TO), per_type each."""
    cands = []
    src = "corpora/cctv_xwlb_news/xwlb_domestic_2022_2026.jsonl"
    with open(root / src, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] not in have and 300 <= len(d["text"]) <= 1200:
                cands.append((d["id"], src, d["text"]))
    src2 = "corpora/fincuge_finnews/finna/eval_list.json"
    for i, (_, t) in enumerate(json.load(open(root / src2, encoding="utf-8"))):
        if f"finna-eval-{i}" not in have and 200 <= len(t) <= 1200:
            cands.append((f"finna-eval-{i}", src2, t))
    picks: dict = {}
    for name, pat in RARE_CUES.items():
        ranked = sorted(cands, key=lambda c: (-min(len(pat.findall(c[2])), 4), c[0]))
        n = 0
        for doc_id, src_path, text in ranked:
            if doc_id in picks:
                continue
            picks[doc_id] = {"id": doc_id, "source": src_path, "sha256": sha(text), "chars": len(text), "for": name}
            n += 1
            if n >= per_type:
                break
    return list(picks.values())


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-xwlb", type=int, default=230)
    ap.add_argument("--n-finna", type=int, default=30)
    ap.add_argument("--out", default="corpus/selection.jsonl")
    ap.add_argument("--supplement", type=int, default=0, help="append N articles per rare relation type")
    ap.add_argument("--extend", type=int, default=0,
                    help="append the next N best-ranked CCTV articles (and finna up to --n-finna in all)")
    args = ap.parse_args()
    root = data_root()
    if args.supplement:
        rows = [json.loads(line) for line in open(args.out, encoding="utf-8")]
        extra = supplement(root, {r["id"] for r in rows}, args.supplement)
        with open(args.out, "a", encoding="utf-8") as f:
            for p in extra:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        print(f"appended {len(extra)} articles, {sum(p['chars'] for p in extra)} chars -> {args.out}")
        return
    have: dict = {}
    if args.extend:
        have = {json.loads(line)["id"]: None for line in open(args.out, encoding="utf-8")}
        args.n_xwlb = sum(1 for i in have if i.startswith("xwlb-")) + args.extend
    picks = []
    src = "corpora/cctv_xwlb_news/xwlb_domestic_2022_2026.jsonl"
    cands = []
    with open(root / src, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            t = d["text"]
            if 500 <= len(t) <= 1500 and "快讯" not in d["title"]:
                cands.append((-score(t), d["id"], t))
    cands.sort()
    seen_titles = set()
    for s, doc_id, t in cands:
        key = re.sub(r"\W", "", t[:40])
        if key in seen_titles:
            continue
        seen_titles.add(key)
        picks.append({"id": doc_id, "source": src, "sha256": sha(t), "chars": len(t)})
        if len(picks) >= args.n_xwlb:
            break
    src2 = "corpora/fincuge_finnews/finna/eval_list.json"
    items = json.load(open(root / src2, encoding="utf-8"))
    cands2 = []
    for i, (summary, t) in enumerate(items):
        if 300 <= len(t) <= 1300:
            cands2.append((-score(t), i, t))
    cands2.sort()
    for s, i, t in cands2[: args.n_finna]:
        picks.append({"id": f"finna-eval-{i}", "source": src2, "sha256": sha(t), "chars": len(t)})
    out = Path(args.out)
    if args.extend:
        new_x = [p for p in picks if p["id"] not in have and p["id"].startswith("xwlb-")][: args.extend]
        new = new_x + [p for p in picks if p["id"] not in have and not p["id"].startswith("xwlb-")]
        with open(out, "a", encoding="utf-8") as f:
            for p in new:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        print(f"appended {len(new)} articles, {sum(p['chars'] for p in new)} chars -> {out}")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for p in picks:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(picks)} articles, {sum(p['chars'] for p in picks)} chars -> {out}")


if __name__ == "__main__":
    main()
