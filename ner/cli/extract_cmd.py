"""``xiang-ner extract`` and ``xiang-ner demo``."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

import typer

from ..inputs import InputError, InputRecord, iter_inputs
from ..progress import counted
from ..output import RecordWriter, finish, open_output, partial_path, skip_done

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def extract(
    inputs: List[str] = typer.Argument(..., help=".txt files, folders of .txt, .jsonl with id/text, or - for stdin"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="output file (default: stdout)"),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl or csv"),
    model: Optional[Path] = typer.Option(None, "--model", help="pipeline directory (default: the embedded one)"),
    batch_size: int = typer.Option(64, "--batch-size", min=1),
    n_process: int = typer.Option(1, "--n-process", min=1),
    resume: bool = typer.Option(False, "--resume", help="continue an interrupted run into the same -o file"),
    encoding: str = typer.Option("utf-8", "--encoding"),
    errors: str = typer.Option("strict", "--errors", help="strict or replace (undecodable bytes)"),
    skip_bad_lines: bool = typer.Option(False, "--skip-bad-lines", help="skip malformed JSONL lines instead of stopping"),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
) -> None:
    """Extract entities and relations; one JSON record per input document, in input order."""
    from ..pipeline import extract_records, load

    if fmt not in ("jsonl", "csv"):
        typer.echo(f"error: --format must be jsonl or csv, not {fmt!r}", err=True)
        raise typer.Exit(EXIT_USAGE)
    if errors not in ("strict", "replace", "ignore"):
        typer.echo(f"error: --errors must be strict, replace or ignore, not {errors!r}", err=True)
        raise typer.Exit(EXIT_USAGE)
    if resume and output is None:
        typer.echo("error: --resume needs -o OUT", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        nlp = load(model)
    except (FileNotFoundError, OSError) as err:
        typer.echo(f"error: cannot load model: {err}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    stream = None
    try:
        stream, done = open_output(output, fmt, resume)
        appending = bool(output) and resume and partial_path(output).stat().st_size > 0
        writer = RecordWriter(stream, fmt, write_header=not appending)
        records: Iterable[InputRecord] = iter_inputs(
            inputs, encoding=encoding, errors=errors, skip_bad_lines=skip_bad_lines
        )
        if done:
            records = skip_done(records, done)
            typer.echo(f"resuming after {len(done)} finished documents", err=True)
        for rec in extract_records(nlp, counted(records, "extract", progress, lambda r: r.text), batch_size=batch_size, n_process=n_process):
            writer.write(rec)
    except InputError as err:
        typer.echo(f"\nerror: {err}", err=True)
        if output is not None:
            typer.echo(f"records written so far are kept in {partial_path(output)}; rerun with --resume", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    finally:
        if stream is not None and stream is not sys.stdout:
            stream.close()
    finish(output)


def _table(rows: List[List[str]], headers: List[str]) -> str:
    def width(s: str) -> int:
        return sum(2 if ord(c) > 0x2E80 else 1 for c in s)

    cols = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def fmt(r: List[str]) -> str:
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(r, cols)).rstrip()

    return "\n".join([fmt(headers), fmt(["-" * w for w in cols])] + [fmt(r) for r in rows])


def render_record(rec: Dict[str, Any]) -> str:
    """A readable table of a record's entities and relations."""
    flat = lambda s: s.replace("\n", "⏎")  # noqa: E731
    ents = _table([[e["label"], flat(e["text"]), f"{e['start']}-{e['end']}"] for e in rec["ents"]], ["label", "entity", "offsets"])
    rels = _table(
        [
            [
                r["label"],
                flat(r["head"]["text"]),
                flat(r["tail"]["text"]),
                ", ".join(
                    f"{k}={v['text'] if isinstance(v, dict) else v}" for k, v in r.get("attrs", {}).items()
                )
                + (" (cross)" if r.get("cross_sentence") else ""),
            ]
            for r in rec["relations"]
        ],
        ["relation", "head", "tail", "attrs"],
    )
    return f"== {rec['id']}: {len(rec['ents'])} entities, {len(rec['relations'])} relations\n{ents}\n\n{rels}\n"


SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample_article.txt"


def demo(
    inputs: List[str] = typer.Argument(None, help="more .txt/.jsonl inputs (the repo's sample article is always shown)"),
    model: Optional[Path] = typer.Option(None, "--model"),
) -> None:
    """Run the embedded pipeline over a sample article (and any inputs) and print tables."""
    from ..pipeline import extract_records, load

    nlp = load(model)
    try:
        for rec in extract_records(nlp, iter_inputs([str(SAMPLE)] + list(inputs or []))):
            typer.echo(render_record(rec))
    except InputError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
    app.command("demo")(demo)
