"""Per-component speed of a pipeline: the whole extract path, then the tokenizer and each component alone.

Best of ``--repeat`` runs over the first ``--limit`` texts of the benchmark corpus (CCTV news, as
``xiang-ner benchmark``), one process: where does the time of ``extract`` go? Usage::

    .venv/bin/python training/bench_components.py --limit 300 --repeat 3 [--model PATH]
"""
from __future__ import annotations

import argparse
import time
from typing import Callable

import ner
from ner.cli.benchmark_cmd import _texts
from ner.inputs import InputRecord
from ner.pipeline import extract_records


def best_of(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", help="a pipeline directory (default: the embedded one)")
    args = ap.parse_args()
    texts = _texts([], args.limit)
    n = sum(map(len, texts))
    nlp = ner.load(args.model) if args.model else ner.load()
    times = {"extract": best_of(lambda: list(extract_records(nlp, (InputRecord(str(i), t) for i, t in enumerate(texts)))), args.repeat),
             "tokenizer": best_of(lambda: [nlp.make_doc(t) for t in texts], args.repeat)}
    docs = [nlp.make_doc(t) for t in texts]
    for name, proc in nlp.pipeline:
        run = (lambda p=proc: list(p.pipe(iter(docs)))) if hasattr(proc, "pipe") else (lambda p=proc: [p(d) for d in docs])
        times[name] = best_of(run, args.repeat)
    print(f"{len(texts)} texts, {n:,} characters; best of {args.repeat}")
    print("| part | s | chars/s | share of extract |\n|---|---|---|---|")
    for name, sec in times.items():
        print(f"| {name} | {sec:.3f} | {n / sec:,.0f} | {sec / times['extract']:.1%} |")
    rest = times["extract"] - sum(v for k, v in times.items() if k != "extract")
    print(f"| extract minus the parts | {rest:.3f} | | {rest / times['extract']:.1%} |")


if __name__ == "__main__":
    main()
