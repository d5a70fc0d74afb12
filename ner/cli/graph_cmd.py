"""``xiang-ner graph``: a cross-article entity/relation graph as CSV and GraphML."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..inputs import InputError
from .extract_cmd import EXIT_BAD_INPUT, EXIT_USAGE


def graph(
    inputs: List[str] = typer.Argument(
        ..., help=".txt files, folders, .jsonl with id/text (extracted here) or extract-record .jsonl (used as is)"
    ),
    output: Path = typer.Option(..., "-o", "--output", help="output folder for nodes.csv, edges.csv, graph.graphml"),
    model: Optional[Path] = typer.Option(None, "--model", help="pipeline directory (default: the embedded one)"),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
) -> None:
    """Build one graph over all articles: nodes are entities, edges relations (Gephi/Neo4j-ready)."""
    from ..graph import build_graph, iter_records

    if output.exists() and not output.is_dir():
        typer.echo(f"error: -o {output} exists and is not a folder", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        g = build_graph(iter_records(inputs, model, progress=progress, name="graph"))
    except InputError as err:
        typer.echo(f"\nerror: {err}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    paths = g.write(output)
    typer.echo(
        f"graph: {g.n_records} docs, {len(g.nodes)} nodes, {len(g.edges)} edges -> "
        + ", ".join(str(p) for p in paths.values()),
        err=True,
    )


def register(app: typer.Typer) -> None:
    app.command("graph")(graph)
