"""``xiang-ner benchmark``: speed (and accuracy, given gold) of the pipeline against baselines.

All systems run in one process on one core (BLAS threads limited to 1) over the same texts; each is
timed ``--repeat`` times and the median is reported, with its ratio to jieba.posseg when available.
Baselines: other spaCy pipelines (``--baseline NAME=PATH``) and character CRFs (``--crf [NAME=]PATH``,
training/train_crf.py; needs sklearn-crfsuite).
"""
from __future__ import annotations

import json
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

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


JIEBA_LABELS = {"nr": "PERSON", "ns": "LOC", "nt": "ORG"}


def jieba_entities(text: str) -> List[Tuple[int, int, str]]:
    """Entities from jieba.posseg: words tagged nr/ns/nt as PERSON/LOC/ORG, with char offsets."""
    import jieba.posseg as pseg

    out, pos = [], 0
    for w in pseg.cut(text):
        label = JIEBA_LABELS.get(w.flag)
        if label:
            out.append((pos, pos + len(w.word), label))
        pos += len(w.word)
    return out


def accuracy(name: str, nlp: Any, docs: List[Any], all_labels: bool = True) -> Dict[str, float]:
    """Strict micro F over PERSON/LOC/ORG (what every system predicts) and over all our labels."""
    from ..corpus.public import PUBLIC_LABELS
    from ..evaluation import gold_ents
    from ..pipeline import extract_records
    from ..schema import ENTITY_LABELS
    from ..scoring import score_entity_sets

    if name == "jieba.posseg":
        pred = [jieba_entities(d.text) for d in docs]
    elif name.startswith("xiang-ner"):
        recs = extract_records(nlp, (InputRecord(d.id, d.text) for d in docs))
        pred = [[(e["start"], e["end"], e["label"]) for e in r["ents"]] for r in recs]
    elif name == "tokenizer only":
        return {}
    elif _is_crf(nlp):
        pred = [nlp(d.text) for d in docs]
    else:
        pred = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(d.text for d in docs)]
    gold = [gold_ents(d) for d in docs]
    out = {"f_per_loc_org": score_entity_sets(gold, pred, labels=PUBLIC_LABELS)["ents_micro_f"]}
    if name != "jieba.posseg" and all_labels:  # jieba has only PERSON/LOC/ORG
        out["f_all_labels"] = score_entity_sets(gold, pred, labels=ENTITY_LABELS)["ents_micro_f"]
    return out


CRF_NAME = "CRF (sklearn-crfsuite, char features)"


def _is_crf(model: Any) -> bool:
    from ..baselines.crf import CRFTagger

    return isinstance(model, CRFTagger)


def _crf_system(spec: str) -> Tuple[str, Any]:
    """``[NAME=]PATH`` of a CRF model (training/train_crf.py; a folder means its model.crfsuite)."""
    name, sep, path = spec.partition("=")
    if not sep:
        name, path = CRF_NAME, spec
    p = Path(path)
    if p.is_dir():
        p = p / "model.crfsuite"
    try:
        from ..baselines.crf import CRFTagger

        return name, CRFTagger(p)
    except ImportError:
        typer.echo("error: --crf needs sklearn-crfsuite: pip install -e '.[bench]'", err=True)
        raise typer.Exit(2)
    except (FileNotFoundError, OSError) as err:
        typer.echo(f"error: --crf {spec}: {err}", err=True)
        raise typer.Exit(2)


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
    crf: List[str] = typer.Option(
        [], "--crf", help="[NAME=]PATH of a character CRF (training/train_crf.py: model.crfsuite or its folder) to time"
    ),
    repeat: int = typer.Option(3, "--repeat", min=1),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the results as JSON"),
    gold: List[str] = typer.Option([], "--gold", help="also score each system on these gold files (or public:NAME)"),
) -> None:
    """Characters per second and peak memory of tokenizer, full pipeline and baselines, one core."""
    from threadpoolctl import threadpool_limits

    from ..pipeline import extract_records, load

    threadpool_limits(1)
    texts = _texts(corpus, limit)
    n_chars = sum(len(t) for t in texts)
    nlp = load(model)
    models: Dict[str, Any] = {"tokenizer only": nlp, "xiang-ner full pipeline (extract)": nlp}
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
        models[name] = other
        systems.append((name, lambda ts, other=other: list(other.pipe(ts, batch_size=64))))
    for spec in crf:
        name, tagger = _crf_system(spec)
        models[name] = tagger
        systems.append((name, lambda ts, tagger=tagger: list(tagger.pipe(ts))))
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
    if gold:
        from ..cli.evaluate_cmd import load_gold

        gold_docs = load_gold(gold)
        for r in results:
            # public test sets only mark PERSON/LOC/ORG: an all-label score would count the rest as errors
            r.update(accuracy(r["system"], models.get(r["system"]), gold_docs, not any(g.startswith("public:") for g in gold)))
    ref = next((r for r in results if r["system"] == "jieba.posseg"), None)
    lines = [
        f"{len(texts)} documents, {n_chars:,} characters; median of {repeat} runs; one process, one core",
        "",
        "| system | chars/s | x jieba.posseg | peak traced MiB | F PER/LOC/ORG | F all labels |",
        "|---|---|---|---|---|---|",
    ]
    fmt = lambda r, k: f"{r[k]:.3f}" if k in r else "-"  # noqa: E731
    for r in results:
        ratio = f"{r['chars_per_s'] / ref['chars_per_s']:.2f}" if ref else "-"
        lines.append(
            f"| {r['system']} | {r['chars_per_s']:,.0f} | {ratio} | {r['peak_mib']:.1f} | "
            f"{fmt(r, 'f_per_loc_org')} | {fmt(r, 'f_all_labels')} |"
        )
    typer.echo("\n".join(lines))
    if json_out:
        json_out.write_text(json.dumps({"docs": len(texts), "chars": n_chars, "results": results}, indent=2))


def register(app: typer.Typer) -> None:
    app.command("benchmark")(benchmark)
