"""Time `leadspec check` and `pilot` against the floors and against pandas, as whole processes.

    python bench/run.py                       # 1,000,000 leads: check, pilot, both floors, pandas
    python bench/run.py --leads 10000000 --memory-limit 4GB --no-pandas

Each command runs as its own process, so start-up, reading and writing count; wall
time and peak memory (the largest resident set of the process, from the operating
system) are taken per run. Check, pilot and the two floors (floor.py) take turns,
round after round; the median of each is printed, and each ratio is the median of
the rounds' ratios. Each command is started by the small process of measure.py, so
its peak is its own and not this process's (see there). The data is generated once
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="folder for the generated export (default: a folder per size in /tmp)",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="rounds of check, pilot and the floors; medians count"
    )
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
    leadspec = str(Path(python).with_name("leadspec"))
    export = [str(data / "leads.csv"), "--events", str(data / "events.csv"), "--mapping", "generic"]
    export += ["--as-of", AS_OF.replace(" ", "T")]
    check = [leadspec, "check", *export, "--json", str(report), *limit]
    pilot = [leadspec, "pilot", *export, "--json", str(data / "pilot.json"), *limit]
    programs = {
        "leadspec check": check,
        "leadspec pilot": pilot,
        "fair floor": [python, str(HERE / "floor.py"), str(data), "--fair", *limit],
        "plain floor": [python, str(HERE / "floor.py"), str(data), *limit],
    }

    sizes = f"{(data / 'leads.csv').stat().st_size / 1e6:,.0f} MB + {(data / 'events.csv').stat().st_size / 1e6:,.0f} MB"
    print(f"data: {data} ({sizes})", flush=True)
    # NOTE: the programs take turns, so a change in the machine's speed touches all alike;
    # each ratio is taken within a round, and the median of the rounds' ratios is printed.
    rounds: list[dict[str, Timing]] = []
    for n in range(args.runs):
        measured = {name: timed(command)[0] for name, command in programs.items()}
        rounds.append(measured)
        print(
            f"round {n + 1}: "
            + ", ".join(f"{k} {t.wall:.2f} s / {t.peak_mb:,.0f} MB" for k, t in measured.items()),
            flush=True,
        )
    results = json.loads(report.read_text())

    def ratio(top: str, bottom: str) -> float:
        return statistics.median(r[top].wall / r[bottom].wall for r in rounds)

    def middle(name: str) -> Timing:
        runs = [r[name] for r in rounds]
        return Timing(statistics.median(t.wall for t in runs), statistics.median(t.peak_mb for t in runs))

    checked = middle("leadspec check")
    rows = [
        ("leadspec check", checked, ""),
        (
            "leadspec pilot",
            middle("leadspec pilot"),
            f"{ratio('leadspec pilot', 'fair floor'):.2f}x the fair floor",
        ),
        ("fair floor", middle("fair floor"), f"check {ratio('leadspec check', 'fair floor'):.2f}x"),
        ("plain floor", middle("plain floor"), f"check {ratio('leadspec check', 'plain floor'):.2f}x"),
    ]
    print(f"leadspec check: {len(results['rules'])} rules, {results['leads']:,} leads", flush=True)
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
    for name, timing, note in rows:
        print(f"| {name} | {timing.wall:.2f} | {timing.peak_mb:,.0f} | {note} |")


if __name__ == "__main__":
    main()
