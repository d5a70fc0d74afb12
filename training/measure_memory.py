"""Peak and resident memory of a single-process ``xiang-ner extract`` run over a big JSONL (issue 7.2).

Runs the extract as a subprocess and, every ``--interval`` seconds, reads its VmRSS and VmHWM from
``/proc/PID/status`` (Linux) and counts the records written so far (lines of ``OUT.partial``). Writes a
CSV of ``elapsed_s, docs_done, rss_mib, hwm_mib`` and prints RSS after given document counts and
the peak.

    python training/make_synthetic_docs.py -n 100000 -o /tmp/docs100k.jsonl
    nice -n 10 python training/measure_memory.py /tmp/docs100k.jsonl -o /tmp/mem.csv --out /tmp/out100k.jsonl
    python training/measure_memory.py --summarize -o /tmp/mem.csv     # the summary again, from the CSV

Extra arguments after ``--`` go to ``xiang-ner extract`` (``-- --batch-size 128``).

``--in-process N`` instead runs the same record path (``ner.pipeline.extract_records``) inside this
process and writes, every N documents, the RSS with the sizes of the vocab's StringStore and lexeme
table: does the vocab grow with new text?
"""
from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple


def proc_mem_kib(pid: int) -> Tuple[Optional[int], Optional[int]]:
    """(VmRSS, VmHWM) of a process in KiB, or (None, None) once it is gone."""
    vals: Dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    vals[key] = int(rest.split()[0])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return None, None
    return vals.get("VmRSS"), vals.get("VmHWM")


class LineCounter:
    """Count the lines of a file that is still being written, reading only what is new."""

    def __init__(self, path: Path) -> None:
        self.path, self.pos, self.lines = path, 0, 0

    def update(self) -> int:
        try:
            with self.path.open("rb") as f:
                f.seek(self.pos)
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    self.lines += chunk.count(b"\n")
                    self.pos += len(chunk)
        except FileNotFoundError:
            pass
        return self.lines


def in_process(input_path: Path, out: Path, csv_path: Path, every: int) -> int:
    """Run extract_records here; sample RSS and vocab sizes every ``every`` documents."""
    import json
    import os

    from ner.inputs import iter_inputs
    from ner.pipeline import extract_records, load

    nlp = load()
    t0 = time.monotonic()
    n = 0
    with csv_path.open("w", newline="", encoding="utf-8") as f, out.open("w", encoding="utf-8") as o:
        w = csv.writer(f)
        w.writerow(["elapsed_s", "docs_done", "rss_mib", "hwm_mib", "strings", "lexemes"])

        def sample() -> None:
            rss, hwm = proc_mem_kib(os.getpid())
            row = (round(time.monotonic() - t0, 1), n, round((rss or 0) / 1024, 1), round((hwm or 0) / 1024, 1),
                   len(nlp.vocab.strings), len(nlp.vocab))  # fmt: skip
            w.writerow(row)
            f.flush()
            print(*row, sep="\t", file=sys.stderr)

        sample()
        for rec in extract_records(nlp, iter_inputs([str(input_path)])):
            o.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
            if n % every == 0:
                sample()
        sample()
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", type=Path, nargs="?", help="JSONL input (id, text)")
    ap.add_argument("-o", "--csv", type=Path, required=True, help="CSV of the samples")
    ap.add_argument("--out", type=Path, help="extract output (JSONL)")
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between samples")
    ap.add_argument("--marks", default="10000,50000,100000", help="report RSS after these document counts")
    ap.add_argument("--cli", default=None, help="the xiang-ner executable (default: next to this Python)")
    ap.add_argument("--summarize", action="store_true", help="only summarise an existing -o CSV")
    ap.add_argument("--in-process", type=int, default=0, metavar="N", help="run in this process, sampling every N docs")
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []  # more arguments for xiang-ner extract
    args = ap.parse_args(argv[: len(argv) - len(extra) - (1 if "--" in argv else 0)])
    marks = [int(m) for m in args.marks.split(",") if m]
    if args.summarize:
        summarize(read_csv(args.csv), marks)
        return 0
    if args.input is None or args.out is None:
        ap.error("INPUT and --out are needed to run (only --summarize works without them)")
    if args.in_process:
        return in_process(args.input, args.out, args.csv, args.in_process)

    cli = args.cli or str(Path(sys.executable).with_name("xiang-ner"))
    if not Path(cli).exists():
        cli = shutil.which("xiang-ner") or cli
    for p in (args.out, args.out.with_name(args.out.name + ".partial")):
        p.unlink(missing_ok=True)
    cmd = [cli, "extract", str(args.input), "-o", str(args.out), "--no-progress", *extra]
    print("running:", " ".join(cmd), file=sys.stderr)
    counter = LineCounter(args.out.with_name(args.out.name + ".partial"))
    rows: List[Tuple[float, int, float, float]] = []
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)
    with args.csv.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["elapsed_s", "docs_done", "rss_mib", "hwm_mib"])
        while True:
            rss, hwm = proc_mem_kib(proc.pid)
            done = counter.update()
            if rss is None or proc.poll() is not None:
                break
            row = (round(time.monotonic() - t0, 1), done, round(rss / 1024, 1), round((hwm or rss) / 1024, 1))
            rows.append(row)
            w.writerow(row)
            f.flush()
            time.sleep(args.interval)
    rc = proc.wait()
    elapsed = time.monotonic() - t0
    done = LineCounter(args.out).update() if args.out.exists() else counter.update()
    print(f"exit {rc}; {done} documents in {elapsed:.0f} s ({done / max(elapsed, 1e-9):.0f} docs/s); {len(rows)} samples")
    summarize(rows, marks)
    return rc


def summarize(rows: List[Tuple[float, int, float, float]], marks: List[int], bucket: int = 10_000) -> None:
    """RSS at the marks, median and max RSS per ``bucket`` documents, and the peak."""
    rows = [r for r in rows if r[1] > 0]  # from the first record on (model loaded)
    if not rows:
        return
    for m in marks:
        hit = next((r for r in rows if r[1] >= m), None)
        if hit is None:  # the run ended between two samples: the last sample before the end
            hit = rows[-2] if len(rows) > 1 else rows[-1]
            print(f"RSS at {hit[1]:>7,} docs (last full sample before the end): {hit[2]:7.1f} MiB (t={hit[0]:.0f} s)")
        else:
            print(f"RSS after {m:>7,} docs: {hit[2]:7.1f} MiB (t={hit[0]:.0f} s)")
    print(f"{'docs':>15}  samples  median RSS  max RSS  (MiB)")
    for lo in range(0, rows[-1][1] + 1, bucket):
        vals = sorted(r[2] for r in rows if lo <= r[1] < lo + bucket)
        if vals:
            print(f"{lo:>7,}-{lo + bucket:<7,}  {len(vals):7d}  {vals[len(vals) // 2]:10.1f}  {vals[-1]:7.1f}")
    peak = max(rows, key=lambda r: r[3])
    first_peak = next(r for r in rows if r[3] >= peak[3])
    print(f"peak RSS (VmHWM): {peak[3]:.1f} MiB, first reached at {first_peak[1]:,} docs (t={first_peak[0]:.0f} s)")


def read_csv(path: Path) -> List[Tuple[float, int, float, float]]:
    with path.open(encoding="utf-8") as f:
        return [(float(r["elapsed_s"]), int(r["docs_done"]), float(r["rss_mib"]), float(r["hwm_mib"])) for r in csv.DictReader(f)]


if __name__ == "__main__":
    sys.exit(main())
