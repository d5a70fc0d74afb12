"""Throughput of ``xiang-ner extract --engine dask`` (1 and 2 local workers) against the plain extract.

Each configuration runs the whole command line, as a user would (interpreter start, model load,
cluster start, planning, writing the output), on the same generated input; configurations take
turns within each round so that load on a shared machine spreads over all of them. Reports the median
(and range) of the wall times, docs/s and chars/s, the ratio to the single-process extract, the mean
load average during the runs, and checks that the dask output equals the single-process output.

    python training/bench_scaleout.py --docs 2000 --repeats 3      # writes training/output/scaleout/
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

from ner.scale.synthetic import generate

REPO = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).with_name("xiang-ner"))


def model_stamp() -> str:
    """A digest of the embedded model's files (names, sizes, times): a retrained model mid-run shows."""
    from ner.pipeline import DEFAULT_MODEL

    h = hashlib.sha1()
    for p in sorted(DEFAULT_MODEL.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(DEFAULT_MODEL)} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:12]


def make_input(path: Path, docs: int, seed: int, min_chars: int, max_chars: int) -> Dict[str, int]:
    """Write the generated JSONL input (reused when it exists with the same parameters)."""
    stamp = path.with_suffix(".params.json")
    params = {"docs": docs, "seed": seed, "min_chars": min_chars, "max_chars": max_chars}
    if not (path.exists() and stamp.exists() and json.loads(stamp.read_text())["params"] == params):
        path.parent.mkdir(parents=True, exist_ok=True)
        chars = 0
        with path.open("w", encoding="utf-8") as f:
            for rec in generate(docs, seed, min_chars, max_chars):
                chars += len(rec["text"])
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        stamp.write_text(json.dumps({"params": params, "chars": chars}))
    return {"docs": docs, "chars": json.loads(stamp.read_text())["chars"]}


def commands(inp: Path, work: Path, partitions: int | None) -> Dict[str, List[str]]:
    extra = ["--partitions", str(partitions)] if partitions else []
    return {
        "extract (single process)": [CLI, "extract", str(inp), "-o", str(work / "single.jsonl"), "--no-progress"],
        "dask, 1 worker": [CLI, "extract", str(inp), "--engine", "dask", "--workers", "1", *extra, "-o", str(work / "dask1"), "--no-progress"],
        "dask, 2 workers": [CLI, "extract", str(inp), "--engine", "dask", "--workers", "2", *extra, "-o", str(work / "dask2"), "--no-progress"],
    }  # fmt: skip


def run_once(cmd: List[str]) -> Dict[str, float]:
    """Wall and CPU time (user + system, the command and the processes it started) of one command,
    after removing the output it will write (the value after -o); for dask, the partitions' own time."""
    target = Path(cmd[cmd.index("-o") + 1])
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {"wall": wall, "cpu": (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), "tasks": 0.0, "tasks_cpu": 0.0}
    if target.is_dir():
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        out["tasks"] = sum(p["seconds"] for p in manifest["partitions"])
        out["tasks_cpu"] = sum(p["cpu_seconds"] for p in manifest["partitions"])
    return out


def same_output(work: Path, folder: str) -> bool:
    manifest = json.loads((work / folder / "manifest.json").read_text(encoding="utf-8"))
    joined = b"".join((work / folder / p["output"]).read_bytes() for p in manifest["partitions"])
    return joined == (work / "single.jsonl").read_bytes()


def main(argv: List[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--min-chars", type=int, default=300)
    ap.add_argument("--max-chars", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--partitions", type=int, default=None, help="default: the engine's (4 per worker)")
    ap.add_argument("--work", type=Path, default=REPO / "training" / "output" / "scaleout")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)

    inp = args.work / "news.jsonl"
    size = make_input(inp, args.docs, args.seed, args.min_chars, args.max_chars)
    print(f"input: {inp} ({size['docs']:,} docs, {size['chars']:,} chars); {os.cpu_count()} CPUs", file=sys.stderr)
    cmds = commands(inp, args.work, args.partitions)
    stamp = model_stamp()
    print(f"embedded model {stamp}", file=sys.stderr)
    times: Dict[str, List[Dict[str, float]]] = {name: [] for name in cmds}
    identical: Dict[str, bool] = {}
    loads: List[float] = []
    for r in range(args.repeats):
        for name, cmd in cmds.items():
            t = run_once(cmd)
            if model_stamp() != stamp:
                sys.exit("the embedded model changed during the benchmark (retrained?): run it again")
            times[name].append(t)
            loads.append(os.getloadavg()[0])
            print(
                f"round {r + 1}: {name}: {t['wall']:.1f} s wall, {t['cpu']:.1f} s CPU; partitions {t['tasks']:.1f} s "
                f"wall, {t['tasks_cpu']:.1f} s CPU (load {loads[-1]:.1f})",
                file=sys.stderr,
            )
        for name, folder in (("dask, 1 worker", "dask1"), ("dask, 2 workers", "dask2")):
            identical[name] = identical.get(name, True) and same_output(args.work, folder)
    base = statistics.median(t["wall"] for t in times["extract (single process)"])
    base_cpu = statistics.median(t["cpu"] for t in times["extract (single process)"])
    results = []
    print(
        "\n| command | median wall s (min-max) | docs/s | chars/s | wall vs single | CPU s (vs single) "
        "| partitions: wall s, CPU s | output identical |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, runs in times.items():
        ts = [t["wall"] for t in runs]
        med = statistics.median(ts)
        cpu = statistics.median(t["cpu"] for t in runs)
        tasks = statistics.median(t["tasks"] for t in runs)
        tasks_cpu = statistics.median(t["tasks_cpu"] for t in runs)
        row = {
            "config": name,
            "command": " ".join(Path(c).name if c == CLI else c for c in cmds[name]),
            "runs": runs,
            "cpu_s": cpu,
            "tasks_s": tasks,
            "tasks_cpu_s": tasks_cpu,
            "median_s": med,
            "docs_per_s": size["docs"] / med,
            "chars_per_s": size["chars"] / med,
            "ratio_to_single": med / base,
            "identical": identical.get(name, True),
        }
        results.append(row)
        print(
            f"| {name} | {med:.1f} ({min(ts):.1f}-{max(ts):.1f}) | {row['docs_per_s']:.1f} | {row['chars_per_s']:,.0f} "
            f"| {row['ratio_to_single']:.2f}x | {cpu:.0f} ({cpu / base_cpu:.2f}x) | {tasks:.0f}, {tasks_cpu:.0f} "
            f"| {'yes' if row['identical'] else 'NO'} |"
        )
    print(f"\nmean load average during the runs: {statistics.mean(loads):.1f} on {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(json.dumps({"input": size, "model": stamp, "results": results, "load": loads}, indent=1))


if __name__ == "__main__":
    main()
