"""``xiang-ner benchmark``: speed (and accuracy, given gold) of the pipeline against baselines.

All systems run in one process on one core (BLAS threads limited to 1) over the same texts; each is
timed ``--repeat`` times and the median is reported, with its ratio to jieba.posseg when available.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

import typer

from ..inputs import InputRecord, iter_inputs

DEFAULT_CORPUS = "corpora/cctv_xwlb_news/xwlb_domestic_2022_2026.jsonl"


def _texts(corpus: List[str], limit: int) -> List[str]:
    from ..settings import corpus_path

    specs = corpus or [str(corpus_path(DEFAULT_CORPUS))]
    out: List[str] = []
    for rec in iter_inputs(specs):
        out.append(rec.text)
        if len(out) >= limit:
            break
    return out


def _measure(fn: Callable[[List[str]], Any], texts: List[str], repeat: int) -> Tuple[float, float]:
    """Median seconds over ``repeat`` untraced runs, and the peak traced memory (MiB) of one more run."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn(texts)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak


def _jieba_system() -> Optional[Callable[[List[str]], Any]]:
    try:
        import jieba
        import jieba.posseg as pseg
    except ImportError:
        return None
    jieba.setLogLevel(60)
    jieba.initialize()

    def run(texts: List[str]) -> None:
        for t in texts:
            for _ in pseg.cut(t):
                pass

    return run


def benchmark(
    corpus: List[str] = typer.Option([], "--corpus", help="texts to run (.txt/.jsonl); default: CCTV news from the data root"),
    limit: int = typer.Option(300, "--limit", help="number of documents"),
    model: Optional[Path] = typer.Option(None, "--model", help="pipeline (default: the embedded one)"),
    baseline: List[str] = typer.Option([], "--baseline", help="NAME=PATH of another spaCy pipeline to time"),
    repeat: int = typer.Option(3, "--repeat", min=1),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the results as JSON"),
) -> None:
    """Characters per second and peak memory of tokenizer, full pipeline and baselines, one core."""
    from threadpoolctl import threadpool_limits

    from ..pipeline import extract_records, load

    threadpool_limits(1)
    texts = _texts(corpus, limit)
    n_chars = sum(len(t) for t in texts)
    nlp = load(model)
    systems: List[Tuple[str, Callable[[List[str]], Any]]] = [
        ("tokenizer only", lambda ts: [nlp.make_doc(t) for t in ts]),
        (
            "xiang-ner full pipeline (extract)",
            lambda ts: list(extract_records(nlp, (InputRecord(str(i), t) for i, t in enumerate(ts)))),
        ),
    ]
    for spec in baseline:
        name, _, path = spec.partition("=")
        if not path:
            typer.echo(f"error: --baseline wants NAME=PATH, got {spec!r}", err=True)
            raise typer.Exit(2)
        other = load(path)
        systems.append((name, lambda ts, other=other: list(other.pipe(ts, batch_size=64))))
    jieba_run = _jieba_system()
    if jieba_run is not None:
        systems.append(("jieba.posseg", jieba_run))
    else:
        typer.echo("note: jieba not installed; `pip install jieba` to include the jieba.posseg baseline", err=True)
    results: List[Dict[str, Any]] = []
    for name, fn in systems:
        fn(texts[:5])  # warm up
        secs, peak = _measure(fn, texts, repeat)
        results.append({"system": name, "seconds": secs, "chars_per_s": n_chars / secs, "peak_mib": peak})
        typer.echo(f"  {name}: {n_chars / secs:,.0f} chars/s", err=True)
    ref = next((r for r in results if r["system"] == "jieba.posseg"), None)
    lines = [
        f"{len(texts)} documents, {n_chars:,} characters; median of {repeat} runs; one process, one core",
        "",
        "| system | chars/s | x jieba.posseg | peak traced MiB |",
        "|---|---|---|---|",
    ]
    for r in results:
        ratio = f"{r['chars_per_s'] / ref['chars_per_s']:.2f}" if ref else "-"
        lines.append(f"| {r['system']} | {r['chars_per_s']:,.0f} | {ratio} | {r['peak_mib']:.1f} |")
    typer.echo("\n".join(lines))
    if json_out:
        json_out.write_text(json.dumps({"docs": len(texts), "chars": n_chars, "results": results}, indent=2))


def register(app: typer.Typer) -> None:
    app.command("benchmark")(benchmark)
