"""``xiang-ner extract`` and ``xiang-ner demo``."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import typer

from ..inputs import InputError, InputRecord, iter_inputs
from ..progress import counted
from ..output import RecordWriter, finish, open_output, partial_path, skip_done

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def extract(
    inputs: List[str] = typer.Argument(..., help=".txt, folders of .txt, .jsonl with id/text, - for stdin; .parquet (dask)"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="output file (default: stdout); a folder with --engine dask"),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl or csv (or parquet with --engine dask)"),
    model: Optional[Path] = typer.Option(None, "--model", help="pipeline directory (default: the embedded one)"),
    batch_size: int = typer.Option(64, "--batch-size", min=1),
    n_process: int = typer.Option(1, "--n-process", min=1),
    resume: bool = typer.Option(False, "--resume", help="continue an interrupted run into the same -o file"),
    encoding: str = typer.Option("utf-8", "--encoding"),
    errors: str = typer.Option("strict", "--errors", help="strict or replace (undecodable bytes)"),
    skip_bad_lines: bool = typer.Option(False, "--skip-bad-lines", help="skip malformed JSONL lines instead of stopping"),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
    engine: str = typer.Option("local", "--engine", help="local, or dask: partitions on a Dask cluster, -o DIR"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="dask: scheduler address (default: local)"),
    workers: Optional[int] = typer.Option(None, "--workers", help="dask: local worker processes (default: cores)"),
    partitions: Optional[int] = typer.Option(None, "--partitions", help="dask: partitions (default: 4 per worker)"),
    rerun_failed: bool = typer.Option(False, "--rerun-failed", help="dask: rerun the partitions not done in -o DIR"),
    partitions_only: Optional[str] = typer.Option(None, "--partitions-only", help="dask: rerun these, e.g. 3,7"),
    dask_processes: bool = typer.Option(True, "--dask-processes/--dask-threads", hidden=True),  # threads: tests
) -> None:
    """Extract entities and relations; one JSON record per input document, in input order."""
    from ..pipeline import extract_records, load

    if engine == "dask":
        _extract_dask(
            inputs, output, fmt, model, batch_size, n_process, resume, encoding, errors, skip_bad_lines, progress,
            scheduler, workers, partitions, rerun_failed, partitions_only, dask_processes,
        )  # fmt: skip
        return
    if engine != "local":
        typer.echo(f"error: --engine must be local or dask, not {engine!r}", err=True)
        raise typer.Exit(EXIT_USAGE)
    dask_only = {"--scheduler": scheduler, "--workers": workers, "--partitions": partitions,
                 "--rerun-failed": rerun_failed or None, "--partitions-only": partitions_only}  # fmt: skip
    given = [name for name, value in dask_only.items() if value is not None]
    if given:
        typer.echo(f"error: {', '.join(given)} need --engine dask", err=True)
        raise typer.Exit(EXIT_USAGE)
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


def _extract_dask(
    inputs: List[str], output: Optional[Path], fmt: str, model: Optional[Path], batch_size: int, n_process: int,
    resume: bool, encoding: str, errors: str, skip_bad_lines: bool, progress: bool, scheduler: Optional[str],
    workers: Optional[int], partitions: Optional[int], rerun_failed: bool, partitions_only: Optional[str],
    processes: bool,
) -> None:  # fmt: skip
    """``extract --engine dask``: argument checks and exit codes around :mod:`ner.scale.dask_engine`."""
    def usage(msg: str) -> typer.Exit:
        typer.echo(f"error: {msg}", err=True)
        return typer.Exit(EXIT_USAGE)

    if output is None:
        raise usage("--engine dask needs -o DIR (an output folder: part-NNNNN files and manifest.json)")
    if resume:
        raise usage("--engine dask resumes with --rerun-failed (or --partitions-only N,M), not --resume")
    if n_process != 1:
        raise usage("--n-process is for --engine local; use --workers with --engine dask")
    if errors not in ("strict", "replace", "ignore"):
        raise usage(f"--errors must be strict, replace or ignore, not {errors!r}")
    if partitions is not None and partitions < 1:
        raise usage("--partitions must be at least 1")
    only = None
    if partitions_only is not None:
        try:
            only = [int(x) for x in partitions_only.split(",") if x.strip()]
        except ValueError:
            raise usage(f"--partitions-only takes partition numbers like 3,7, not {partitions_only!r}") from None
        if not only:
            raise usage("--partitions-only needs at least one partition number")
    try:
        from ..scale.dask_engine import DaskOptions, run_extract
        from ..scale.sources import UsageError
    except ImportError as err:
        raise usage(f"--engine dask needs dask.distributed and pyarrow: pip install 'xiang-ner[dask]' ({err})") from None
    opts = DaskOptions(
        inputs=list(inputs), out_dir=output, fmt=fmt, model=str(model) if model else None, batch_size=batch_size,
        encoding=encoding, errors=errors, skip_bad_lines=skip_bad_lines, scheduler=scheduler, workers=workers,
        processes=processes, partitions=partitions, rerun_failed=rerun_failed, only=only, progress=progress,
    )  # fmt: skip
    try:
        summary = run_extract(opts, echo=lambda msg: typer.echo(msg, err=True))
    except UsageError as err:
        raise usage(str(err)) from None
    except (InputError, FileNotFoundError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    totals = summary.manifest.get("totals", {})
    if summary.failed:
        typer.echo(
            f"error: {len(summary.failed)} of {totals.get('partitions')} partitions failed "
            f"({', '.join(map(str, summary.failed))}); see {output / 'manifest.json'}, fix the cause and rerun "
            "them alone with --rerun-failed",
            err=True,
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    if summary.ran and progress:
        typer.echo(
            f"dask extract: {len(summary.ran)} partitions in {summary.seconds:.1f} s; {totals.get('docs', 0):,} docs "
            f"({totals.get('done')}/{totals.get('partitions')} partitions done) in {output}",
            err=True,
        )


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
