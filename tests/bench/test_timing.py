"""The benchmark's timing helper reports each command's own peak memory.

On Linux a child's `ru_maxrss` starts from the process that started it; a benchmark
that generated its data in the same process once reported the generator's 2,034 MB
for every program it timed.
"""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from run import timed  # noqa: E402

GROW = "b = bytearray({mb} * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"


def test_a_child_does_not_carry_the_parents_peak() -> None:
    ballast = bytearray(600 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched, so it is resident
    timing, code = timed([sys.executable, "-c", "pass"])
    assert code == 0
    assert timing.peak_mb < 100, f"a bare Python reported {timing.peak_mb:.0f} MB: the parent's peak"
    del ballast


def test_a_childs_own_peak_is_measured() -> None:
    timing, code = timed([sys.executable, "-c", GROW.format(mb=300)])
    assert code == 0
    assert 300 <= timing.peak_mb < 400
    assert timing.wall > 0
