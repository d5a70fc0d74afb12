"""``xiang-ner extract --engine dask``: extract partitions of a large input on a Dask cluster.

The driver plans partitions (:mod:`ner.scale.sources`), writes ``manifest.json`` into the output
folder and submits one task per partition to a ``distributed`` cluster (a LocalCluster of worker
processes by default, or the scheduler at ``--scheduler``). Each task loads the pipeline once per
worker thread (cached; one thread per local worker process), reads its input range and runs the same
:func:`ner.pipeline.extract_records` as the single-process path, writing ``part-NNNNN.<fmt>``
through a ``.partial`` file. The manifest records every partition's input ranges, status, document
and character counts and error, so failed partitions can be rerun alone (``--rerun-failed``,
``--partitions-only``). Workers read the inputs and write the outputs at the driver's absolute
paths: a real cluster needs them on a shared file system, and ``xiang-ner`` installed on every worker
(for speed, started without ``MALLOC_TRIM_THRESHOLD_``: see ``_client``). Called from a script,
:func:`run_extract` needs the usual ``if __name__ == "__main__":`` guard (local workers are spawned).
"""
from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ..inputs import InputError
from .records_io import FORMATS, SUFFIX, PartitionWriter, read_records
from .sources import UsageError, describe_range, fingerprint, plan, read_partition

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
PARTITIONS_PER_WORKER = 4
Echo = Callable[[str], None]

_local = threading.local()


def _cached_nlp(model: Optional[str]) -> Tuple[Any, bool]:
    """The pipeline for ``model`` loaded once per worker thread; returns (nlp, loaded_now)."""
    if not hasattr(_local, "nlp"):
        _local.nlp = {}
    cache: Dict[str, Any] = _local.nlp
    key = model or ""
    if key not in cache:
        from ..pipeline import load

        cache[key] = load(model)
        return cache[key], True
    return cache[key], False


def run_partition(part: Dict[str, Any], job: Dict[str, Any]) -> Dict[str, Any]:
    """Worker task: extract one partition into its output file; returns counts and timings.

    Raises on any error (bad input, model, writing); the output file is only in place when it is complete.
    """
    from ..pipeline import extract_records

    t0, cpu0 = time.perf_counter(), time.thread_time()
    nlp, loaded = _cached_nlp(job["model"])
    t_load = time.perf_counter() - t0
    warnings: List[str] = []
    records = read_partition(
        part["ranges"],
        encoding=job["encoding"],
        errors=job["errors"],
        skip_bad_lines=job["skip_bad_lines"],
        warn=warnings.append,
    )
    writer = PartitionWriter(Path(job["out_dir"]) / part["output"], job["format"])
    docs = chars = 0
    try:
        for rec in extract_records(nlp, records, batch_size=job["batch_size"]):
            writer.write(rec)
            docs += 1
            chars += len(rec["text"])
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    return {
        "docs": docs,
        "chars": chars,
        "seconds": round(time.perf_counter() - t0, 3),
        "cpu_seconds": round(time.thread_time() - cpu0, 3),
        "load_seconds": round(t_load, 3) if loaded else 0.0,
        "model_loaded": loaded,
        "warnings": warnings,
        "host": f"{os.uname().nodename}:{os.getpid()}",
    }


# --- manifest ------------------------------------------------------------------------------------


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def read_manifest(out_dir: Path) -> Dict[str, Any]:
    """The manifest of an output folder (raises UsageError when there is none)."""
    path = out_dir / MANIFEST
    if not path.is_file():
        raise UsageError(f"{out_dir}: no {MANIFEST} to rerun from (run once without --rerun-failed/--partitions-only)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not a valid manifest ({err})") from None


def write_manifest(out_dir: Path, manifest: Dict[str, Any]) -> None:
    """Write ``manifest.json`` atomically (temporary file, then rename)."""
    manifest["updated"] = _now()
    done = [p for p in manifest["partitions"] if p["status"] == "done"]
    manifest["totals"] = {
        "partitions": len(manifest["partitions"]),
        "done": len(done),
        "failed": sum(p["status"] == "failed" for p in manifest["partitions"]),
        "docs": sum(p.get("docs") or 0 for p in done),
        "chars": sum(p.get("chars") or 0 for p in done),
    }
    tmp = out_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, out_dir / MANIFEST)


def iter_output(out_dir: Path) -> Iterator[Dict[str, Any]]:
    """All records of a finished run, partitions concatenated in order (JSONL or Parquet output)."""
    manifest = read_manifest(Path(out_dir))
    for part in manifest["partitions"]:
        if part["status"] != "done":
            raise InputError(f"{out_dir}: partition {part['index']} is {part['status']}, not done")
        yield from read_records(Path(out_dir) / part["output"], manifest["format"])


# --- driver --------------------------------------------------------------------------------------


@dataclass
class DaskOptions:
    """What ``extract --engine dask`` was asked to do."""

    inputs: List[str]
    out_dir: Path
    fmt: str = "jsonl"
    model: Optional[str] = None
    batch_size: int = 64
    encoding: str = "utf-8"
    errors: str = "strict"
    skip_bad_lines: bool = False
    scheduler: Optional[str] = None
    workers: Optional[int] = None
    processes: bool = True
    partitions: Optional[int] = None
    rerun_failed: bool = False
    only: Optional[List[int]] = None
    progress: bool = True


@dataclass
class RunSummary:
    """The outcome of one driver run."""

    manifest: Dict[str, Any]
    ran: List[int] = field(default_factory=list)
    failed: List[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _check_options(opts: DaskOptions) -> None:
    if opts.fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)} with --engine dask, not {opts.fmt!r}")
    if opts.rerun_failed and opts.only is not None:
        raise UsageError("give either --rerun-failed or --partitions-only, not both")
    if opts.out_dir.exists() and not opts.out_dir.is_dir():
        raise UsageError(f"{opts.out_dir}: -o must be a folder with --engine dask (it is a file)")
    if opts.workers is not None and opts.workers < 1:
        raise UsageError("--workers must be at least 1")
    if opts.model and not Path(opts.model).exists():
        raise InputError(f"cannot load model: model not found: {opts.model}")
    if opts.fmt == "parquet" or any(str(i).lower().endswith((".parquet", ".pq")) for i in opts.inputs):
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UsageError("Parquet needs pyarrow: pip install 'xiang-ner[dask]'") from None


def _model_id(model: Optional[str]) -> Optional[str]:
    return str(Path(model).resolve()) if model else None


def _new_manifest(opts: DaskOptions, parts: List[List[Dict[str, Any]]]) -> Dict[str, Any]:
    suffix = SUFFIX[opts.fmt]
    return {
        "version": MANIFEST_VERSION,
        "engine": "dask",
        "created": _now(),
        "input": [str(Path(i).resolve()) for i in opts.inputs],
        "input_fingerprints": [fingerprint(i) for i in opts.inputs],
        "model": _model_id(opts.model),
        "format": opts.fmt,
        "partitions": [
            {
                "index": k,
                "ranges": ranges,
                "output": f"part-{k:05d}.{suffix}",
                "status": "pending",
                "docs": None,
                "chars": None,
                "seconds": None,
                "error": None,
            }
            for k, ranges in enumerate(parts)
        ],
    }


def _select_rerun(opts: DaskOptions, echo: Echo) -> Tuple[Dict[str, Any], List[int]]:
    """Load the manifest for a rerun, check it matches the command, and pick the partitions to run."""
    manifest = read_manifest(opts.out_dir)
    inputs = [str(Path(i).resolve()) for i in opts.inputs]
    if inputs != manifest["input"]:
        raise UsageError(f"the inputs differ from the manifest's ({', '.join(manifest['input'])})")
    for spec, seen in zip(manifest["input"], manifest.get("input_fingerprints", [])):
        if fingerprint(spec) != seen:
            raise InputError(
                f"{spec} changed since this run was planned (size, time or files differ from {MANIFEST}); its "
                "partition ranges no longer apply: run again into a new output folder"
            )
    if _model_id(opts.model) != manifest["model"]:
        raise UsageError(f"--model differs from the manifest's ({manifest['model'] or 'the embedded default'})")
    if opts.fmt != manifest["format"]:
        raise UsageError(f"--format differs from the manifest's ({manifest['format']})")
    if opts.partitions is not None and opts.partitions != len(manifest["partitions"]):
        echo(f"note: --partitions is ignored on a rerun; the manifest has {len(manifest['partitions'])} partitions")
    n = len(manifest["partitions"])
    if opts.only is not None:
        bad = [k for k in opts.only if not 0 <= k < n]
        if bad:
            raise UsageError(f"--partitions-only: no partition {bad[0]} (the manifest has 0..{n - 1})")
        return manifest, sorted(set(opts.only))
    todo = [
        p["index"]
        for p in manifest["partitions"]
        if p["status"] != "done" or not (opts.out_dir / p["output"]).is_file()
    ]
    return manifest, todo


def _local_workers(opts: DaskOptions) -> int:
    return opts.workers or os.cpu_count() or 1


def _client(opts: DaskOptions) -> Tuple[Any, Any]:
    """A distributed Client (and the LocalCluster it owns, or None)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--engine dask needs dask.distributed: pip install 'xiang-ner[dask]'") from None
    if opts.scheduler:
        try:
            return Client(opts.scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as err:
            raise InputError(f"cannot connect to the Dask scheduler at {opts.scheduler}: {err}") from None
    import dask

    # Nannies set MALLOC_TRIM_THRESHOLD_=65536 in workers by default: glibc then hands memory back after
    # every large free, and spaCy frees many arrays (about twice the system time on 300 documents);
    # the statistical profiler (for the dashboard, which is off) sampled the task thread for ~5% CPU.
    quiet = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None, "distributed.worker.profile.enabled": False}
    with dask.config.set(quiet):
        cluster = LocalCluster(
            n_workers=_local_workers(opts),
            threads_per_worker=1,
            processes=opts.processes,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    return Client(cluster), cluster


def _error_text(err: BaseException) -> str:
    msg = str(err).strip() or repr(err)
    return msg if isinstance(err, InputError) else f"{type(err).__name__}: {msg}"


def run_extract(opts: DaskOptions, echo: Echo = _stderr) -> RunSummary:
    """Plan (or reload) the partitions, run the selected ones on the cluster, keep the manifest current.

    Raises UsageError (exit 2) or InputError (exit 1) before anything runs; partition failures are
    recorded in the manifest and returned in ``RunSummary.failed``.
    """
    _check_options(opts)
    rerun = opts.rerun_failed or opts.only is not None
    if rerun:
        manifest, todo = _select_rerun(opts, echo)
        if not todo:
            echo(f"nothing to rerun: all {len(manifest['partitions'])} partitions are done")
            return RunSummary(manifest)
    elif (opts.out_dir / MANIFEST).exists():
        raise UsageError(
            f"{opts.out_dir} already holds a run ({MANIFEST}); rerun its failed partitions with --rerun-failed, "
            "or choose a new folder"
        )
    if opts.scheduler and opts.workers:
        echo("note: --workers is for the local cluster; the cluster at --scheduler has its own workers")
    t0 = time.perf_counter()
    parts = None
    if not rerun and not opts.scheduler:  # plan (and report bad input) before starting a local cluster
        parts = plan(opts.inputs, opts.partitions or PARTITIONS_PER_WORKER * _local_workers(opts))
    client, cluster = _client(opts)
    try:
        if not rerun:
            if parts is None:
                threads = max(1, sum(client.nthreads().values()))
                parts = plan(opts.inputs, opts.partitions or PARTITIONS_PER_WORKER * threads)
            opts.out_dir.mkdir(parents=True, exist_ok=True)
            manifest = _new_manifest(opts, parts)
            todo = [p["index"] for p in manifest["partitions"]]
        summary = RunSummary(manifest, ran=list(todo))
        _run(client, opts, manifest, todo, summary, echo)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def _run(
    client: Any, opts: DaskOptions, manifest: Dict[str, Any], todo: List[int], summary: RunSummary, echo: Echo
) -> None:
    """Submit the partitions in ``todo``, record each result in the manifest as it arrives."""
    from distributed import as_completed

    job = {
        "model": manifest["model"],
        "format": manifest["format"],
        "out_dir": str(opts.out_dir.resolve()),
        "batch_size": opts.batch_size,
        "encoding": opts.encoding,
        "errors": opts.errors,
        "skip_bad_lines": opts.skip_bad_lines,
    }
    parts = manifest["partitions"]
    for k in todo:
        parts[k].update(status="pending", error=None, docs=None, chars=None, seconds=None)
        out = opts.out_dir / parts[k]["output"]
        if out.exists():
            out.unlink()
    write_manifest(opts.out_dir, manifest)
    run_id = uuid.uuid4().hex[:8]
    futures = {
        client.submit(run_partition, parts[k], job, key=f"xiang-extract-{run_id}-{k:05d}", pure=False): k for k in todo
    }
    finished = 0
    for fut in as_completed(list(futures)):
        k = futures[fut]
        part = parts[k]
        finished += 1
        try:
            res = fut.result()
        except Exception as err:  # any task error: the partition fails, the others go on
            part.update(status="failed", error=_error_text(err))
            summary.failed.append(k)
            where = "; ".join(describe_range(r) for r in part["ranges"])
            echo(f"partition {k} FAILED ({where}): {part['error']}")
        else:
            for w in res.pop("warnings"):
                echo(f"partition {k}: {w}")
            part.update(status="done", error=None, docs=res["docs"], chars=res["chars"], seconds=res["seconds"])
            part.update(cpu_seconds=res["cpu_seconds"], load_seconds=res["load_seconds"], worker=res["host"])
            if opts.progress:
                echo(
                    f"partition {k} done: {res['docs']} docs, {res['chars']:,} chars in {res['seconds']:.1f} s "
                    f"({finished}/{len(todo)})"
                )
        write_manifest(opts.out_dir, manifest)
    summary.failed.sort()
