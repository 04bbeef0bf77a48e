"""Time `leadspec check` against its floor and against pandas, as whole processes.

    python bench/run.py                       # 1,000,000 leads: check, floor, pandas
    python bench/run.py --leads 10000000 --memory-limit 4GB --no-pandas

Each command runs as its own process, so start-up, reading and writing count; wall
time and peak memory (the largest resident set of the process, from the operating
system) are taken per run and the median is printed. Each is started by the small
process of measure.py, so its peak is its own and not this process's (see there). The data is generated once
into --data (bench/generate.py) and reused. The pandas baseline must report the same
checked and violating counts as leadspec for every rule, or the run fails: a speed-up
over a program that computes something else would mean nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import AS_OF, generate  # noqa: E402


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    peak_mb: float  # largest resident set of the process


def timed(command: list[str]) -> tuple[Timing, int]:
    """Run `command` once, from the small process of measure.py; its wall time, peak memory
    and exit status. The peak is the command's own, whatever this process has grown to."""
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "result.json"
        subprocess.run(
            [sys.executable, str(HERE / "measure.py"), str(result), *command],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            check=False,
        )
        errors.seek(0)
        message = errors.read().decode(errors="replace")
        if not result.exists():
            sys.exit(f"{' '.join(command)} could not be measured:\n{message}")
        measured = json.loads(result.read_text(encoding="utf-8"))
    code = measured["status"]
    if code not in (0, 1):
        sys.exit(f"{' '.join(command)} failed with status {code}:\n{message}")
    if message.strip():
        print(message.strip(), file=sys.stderr)
    return Timing(measured["wall"], measured["peak_kb"] / 1024), code


def median(command: list[str], runs: int) -> Timing:
    results = [timed(command)[0] for _ in range(runs)]
    return Timing(statistics.median(r.wall for r in results), statistics.median(r.peak_mb for r in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="folder for the generated export (default: a folder per size in /tmp)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of check and floor; the median counts")
    parser.add_argument("--memory-limit", default=None, help="passed to both leadspec and the floor")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    args = parser.parse_args()
    data = args.data or Path(tempfile.gettempdir()) / f"leadspec-bench-{args.leads}"
    if not (data / "events.csv").exists():
        print(f"generating {args.leads:,} leads into {data} ...", flush=True)
        generate(data, args.leads, seed=1)
    python = sys.executable
    limit = ["--memory-limit", args.memory_limit] if args.memory_limit else []
    report = data / "report.json"
    check = [
        str(Path(python).with_name("leadspec")),
        "check",
        str(data / "leads.csv"),
        "--events",
        str(data / "events.csv"),
        "--mapping",
        "generic",
        "--as-of",
        AS_OF.replace(" ", "T"),
        "--json",
        str(report),
        *limit,
    ]
    floor = [python, str(HERE / "floor.py"), str(data), *limit]

    sizes = f"{(data / 'leads.csv').stat().st_size / 1e6:,.0f} MB + {(data / 'events.csv').stat().st_size / 1e6:,.0f} MB"
    print(f"data: {data} ({sizes})", flush=True)
    checked = median(check, args.runs)
    results = json.loads(report.read_text())
    print(
        f"leadspec check: {checked.wall:.2f} s, peak {checked.peak_mb:,.0f} MB "
        f"({len(results['rules'])} rules, {results['leads']:,} leads)",
        flush=True,
    )
    floored = median(floor, args.runs)
    print(
        f"floor (DuckDB reads and parses both files): {floored.wall:.2f} s, peak {floored.peak_mb:,.0f} MB",
        flush=True,
    )
    rows = [("leadspec check", checked, ""), ("floor", floored, f"{checked.wall / floored.wall:.2f}x")]
    if not args.no_pandas:
        phases = data / "pandas.json"
        pandas = [
            python,
            str(HERE / "pandas_rules.py"),
            str(data / "leads.csv"),
            str(data / "events.csv"),
            "--compare",
            str(report),
            "--json",
            str(phases),
        ]
        baseline, status = timed(pandas)
        if status != 0:
            sys.exit("the pandas baseline disagrees with leadspec; see the rules it listed above")
        seconds = ", ".join(
            f"{name} {value:.1f} s" for name, value in json.loads(phases.read_text())["seconds"].items()
        )
        print(
            f"pandas (same rules, same counts): {baseline.wall:.2f} s, peak {baseline.peak_mb:,.0f} MB "
            f"({seconds})",
            flush=True,
        )
        rows.append(("pandas", baseline, f"{baseline.wall / checked.wall:.1f}x slower"))
    print(f"\n| {results['leads']:,} leads | wall s | peak MB | ratio |\n|---|---:|---:|---|")
    for name, timing, ratio in rows:
        print(f"| {name} | {timing.wall:.2f} | {timing.peak_mb:,.0f} | {ratio} |")


if __name__ == "__main__":
    main()
