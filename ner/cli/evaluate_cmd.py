"""``xiang-ner evaluate``: scores, confusion table and error lists against gold data."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ..corpus.gold import CorpusError, GoldDoc, GoldSpan


def _public(name: str) -> List[GoldDoc]:
    from ..corpus.converters import SPLITS

    split = next((s for s in SPLITS if s.name == name), None)
    if split is None:
        raise CorpusError(f"unknown public corpus {name!r}; known: {', '.join(s.name for s in SPLITS)}")
    docs = []
    for i, (text, spans) in enumerate(split.reader(split.path())):
        docs.append(GoldDoc(f"{name}-{i}", text, {}, [GoldSpan(f"T{k}", s, e, lab, text[s:e]) for k, (s, e, lab) in enumerate(spans)], []))
    return docs


def load_gold(specs: List[str]) -> List[GoldDoc]:
    """Gold documents from JSONL / stand-off files and ``public:NAME`` test sets."""
    from ..corpus.standoff import load_documents

    docs: List[GoldDoc] = []
    for g in specs:
        docs += _public(g.split(":", 1)[1]) if g.startswith("public:") else load_documents([g])
    return docs


def evaluate(
    gold: List[str] = typer.Argument(..., help="gold JSONL / stand-off files, or public:NAME (e.g. public:msra_test)"),
    model: Optional[Path] = typer.Option(None, "--model"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write all scores as JSON"),
    errors_out: Optional[Path] = typer.Option(None, "--errors", help="write false positives/negatives as JSONL"),
    gold_ents: bool = typer.Option(False, "--gold-ents", help="run relations on the gold entities"),
    split: Optional[str] = typer.Option(None, "--split", help="only documents of this split (corpus/split.json)"),
) -> None:
    """Entity and relation P/R/F per label and micro (strict, lenient, same-sentence), confusion, errors."""
    from ..corpus.stats import load_split
    from ..evaluation import evaluate as run_eval
    from ..evaluation import format_report
    from ..pipeline import load
    from ..corpus.public import PUBLIC_LABELS
    from ..schema import ENTITY_LABELS

    public = any(g.startswith("public:") for g in gold)
    try:
        docs = load_gold(gold)
    except (CorpusError, FileNotFoundError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1)
    if split:
        keep = set(load_split()[split])
        docs = [d for d in docs if d.id in keep]
    labels = list(PUBLIC_LABELS) if public else list(ENTITY_LABELS)
    nlp = load(model)
    result = run_eval(nlp, docs, labels=labels, use_gold_ents=gold_ents, relations=not public)
    typer.echo(f"{len(docs)} documents\n")
    typer.echo(format_report(result, labels, relations=not public))
    if json_out:
        json_out.write_text(json.dumps(result.scores, indent=2, ensure_ascii=False))
    if errors_out:
        with errors_out.open("w", encoding="utf-8") as f:
            for e in result.errors:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)
