"""Run `leadspec` as a real process under a bound on time and memory.

A hostile case that hangs or balloons must fail in seconds, not hold CI until its
own timeout or take the runner's memory: the child is killed as soon as it passes
either bound, and the case fails saying which.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LEADSPEC = Path(sys.executable).with_name("leadspec")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\w+(Error|Exception): ", re.M)


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float
    stopped: str = ""  # why the bound killed the process, when it did

    @property
    def text(self) -> str:
        return self.out + self.err


def _rss_kb(pid: int) -> int:
    """Resident memory of `pid` in KiB, 0 once it has gone."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def run_bounded(
    args: Sequence[str],
    *,
    cwd: Path,
    seconds: float = 20,
    megabytes: int = 600,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    signal_after: tuple[float, int] | None = None,
) -> Outcome:
    """`leadspec ARGS` in `cwd`, killed past `seconds` or `megabytes` of resident memory.

    `signal_after` = (delay, signal number) sends that signal once, `delay` seconds in.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        child = subprocess.Popen(
            [str(LEADSPEC), *args],
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            env={**os.environ, "COLUMNS": "200", **(env or {})},
            text=True,
        )
        if stdin is not None:
            assert child.stdin is not None
            child.stdin.write(stdin)
            child.stdin.close()
        peak, stopped = 0, ""
        while child.poll() is None:
            elapsed = time.monotonic() - started
            peak = max(peak, _rss_kb(child.pid))
            if signal_after and elapsed >= signal_after[0]:
                child.send_signal(signal_after[1])
                signal_after = None
            if elapsed > seconds:
                stopped = f"still running after {seconds:g} s"
            elif peak > megabytes * 1024:
                stopped = f"passed {megabytes} MB of memory"
            if stopped:
                child.kill()
                child.wait()
                break
            time.sleep(0.01)
        elapsed = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Outcome(child.returncode, out.read(), err.read(), elapsed, peak / 1024, stopped)


def assert_outcome(outcome: Outcome, code: int, fragment: str | re.Pattern[str]) -> None:
    """The run ended by itself, with `code`, a message holding `fragment`, and no traceback."""
    shown = (
        f"exit {outcome.code} in {outcome.seconds:.1f} s\n--- stdout\n{outcome.out[-3000:]}"
        f"\n--- stderr\n{outcome.err[-3000:]}"
    )
    assert not outcome.stopped, f"the run {outcome.stopped}\n{shown}"
    assert not TRACEBACK.search(outcome.text), f"a traceback reached the user\n{shown}"
    assert outcome.code == code, f"expected exit {code}\n{shown}"
    if isinstance(fragment, re.Pattern):
        assert fragment.search(outcome.text), f"no match for {fragment.pattern!r}\n{shown}"
    else:
        assert fragment in outcome.text, f"{fragment!r} is not in the output\n{shown}"
