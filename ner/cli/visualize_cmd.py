"""``xiang-ner visualize``: one self-contained HTML page with highlighted entities and relations."""
from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer

from ..inputs import InputError
from .extract_cmd import EXIT_BAD_INPUT, EXIT_USAGE


def visualize(
    inputs: List[str] = typer.Argument(
        ..., help=".txt files, folders, .jsonl with id/text (extracted here) or extract-record .jsonl (used as is)"
    ),
    output: Path = typer.Option(..., "-o", "--output", help="the HTML page to write"),
    model: Optional[Path] = typer.Option(None, "--model", help="pipeline directory (default: the embedded one)"),
    title: str = typer.Option("xiang-ner", "--title", help="page title"),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
) -> None:
    """Write an offline HTML page: one section per document, entities marked, relations tabled."""
    from ..graph import iter_records
    from ..visualize import render_page

    if output.is_dir():
        typer.echo(f"error: -o {output} is a folder; give a file name such as page.html", err=True)
        raise typer.Exit(EXIT_USAGE)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            for piece in render_page(iter_records(inputs, model, progress=progress, name="visualize"), title):
                f.write(piece)
    except InputError as err:
        tmp.unlink(missing_ok=True)
        typer.echo(f"\nerror: {err}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, output)
    typer.echo(f"visualize: wrote {output}", err=True)


def register(app: typer.Typer) -> None:
    app.command("visualize")(visualize)
