"""Corpus commands of ``xiang-ner``: ``validate FILE...``, ``corpus stats [FILE...]`` and ``corpus consistency``."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..corpus.gold import CorpusError
from ..corpus.sources import REPO_ROOT
from ..settings import corpus_path

corpus_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Gold corpus tools.")

#: files under corpus/ that are not gold annotations
NOT_GOLD = {"selection.jsonl"}


def default_gold_files() -> List[Path]:
    """corpus/*.jsonl (without selection.jsonl) plus the seed gold from the data root, if present."""
    files = sorted(p for p in (REPO_ROOT / "corpus").glob("*.jsonl") if p.name not in NOT_GOLD)
    seed = corpus_path("corpora/seed/gold.jsonl")
    if seed.is_file():
        files.append(seed)
    return files


def validate(
    files: List[Path] = typer.Argument(..., help="gold JSONL or stand-off files"),
    data_root: Optional[Path] = typer.Option(None, "--data-root", help="data root (default: XIANG_NER_DATA or ../shared)"),
) -> None:
    """Check gold / stand-off files; print every problem as file:line: message (exit 1 if any)."""
    from ..corpus.validate import validate_files

    problems = validate_files(files, data_root)
    for p in problems:
        typer.echo(str(p))
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {len(files)} file(s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"{len(files)} file(s) OK", err=True)


@corpus_app.command("stats")
def stats(
    files: Optional[List[Path]] = typer.Argument(None, help="gold / stand-off files (default: corpus/*.jsonl + seed gold)"),
    split_file: Optional[Path] = typer.Option(None, "--split", help="split file (default: corpus/split.json)"),
    data_root: Optional[Path] = typer.Option(None, "--data-root", help="data root"),
) -> None:
    """Documents, characters, spans per label and relations per type, per split."""
    from ..corpus.stats import corpus_stats, format_stats, load_split

    paths = list(files) if files else default_gold_files()
    if not paths:
        typer.echo("no gold files found (corpus/*.jsonl, seed gold)", err=True)
        raise typer.Exit(1)
    try:
        split = load_split(split_file) if split_file else load_split()
        table = corpus_stats(paths, split, data_root)
    except CorpusError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1)
    typer.echo("files: " + ", ".join(str(p) for p in paths))
    typer.echo(format_stats(table))


@corpus_app.command("consistency")
def consistency(
    files: Optional[List[Path]] = typer.Argument(None, help="gold / stand-off files (default: corpus/*.jsonl + seed gold)"),
    labels: Optional[List[str]] = typer.Option(None, "--label", "-l", help="only surfaces tagged with this label (repeatable)"),
    top: int = typer.Option(40, "--top", help="how many surfaces to list"),
    data_root: Optional[Path] = typer.Option(None, "--data-root", help="data root"),
) -> None:
    """Surfaces tagged in some places and untagged in others, most mixed first, with an untagged example."""
    from ..corpus.consistency import format_reports, surface_reports
    from ..corpus.standoff import load_documents
    from ..schema import ENTITY_LABELS

    bad = [l for l in labels or [] if l not in ENTITY_LABELS]
    if bad:
        typer.echo(f"error: unknown label(s) {', '.join(bad)}; labels are {', '.join(ENTITY_LABELS)}", err=True)
        raise typer.Exit(2)
    paths = list(files) if files else default_gold_files()
    try:
        docs = load_documents(paths, data_root)
    except CorpusError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1)
    reports = surface_reports(docs, labels=labels or None)
    typer.echo(format_reports(reports, {d.id: d for d in docs}, top=top))


def register(app: typer.Typer) -> None:
    """Add ``validate`` and the ``corpus`` sub-app to the main CLI."""
    app.command("validate")(validate)
    app.add_typer(corpus_app, name="corpus")
