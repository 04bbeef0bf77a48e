"""What every hostile family shares: a case, a copy of the input it breaks, and its run."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pytest

from bounded import Outcome, run_bounded
from conftest import copy_spec

Fragment = str | re.Pattern[str]
T = TypeVar("T")
Prepare = Callable[[Path], list[str]]  # writes the input under a folder, returns the arguments


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it, and what the run must end with."""

    code: int
    fragment: Fragment
    prepare: Prepare
    seconds: float = 15
    megabytes: int = 500
    extra: Callable[[Outcome], None] | None = None  # further assertions on the outcome


class Runs(Generic[T]):
    """The family's cases, run side by side on first use; each test waits for its own."""

    def __init__(self, cases: dict[str, Case], run: Callable[[str, Case], T], wanted: set[str]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=3)
        self._futures: dict[str, Future[T]] = {
            name: self._pool.submit(run, name, cases[name]) for name in sorted(wanted)
        }

    def __getitem__(self, name: str) -> T:
        return self._futures[name].result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def wanted_cases(request: pytest.FixtureRequest, test_name: str) -> set[str]:
    """The case names of `test_name` that this session will run (all of them, or those -k keeps)."""
    return {
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "originalname", "") == test_name
        and item.module is request.module
        and hasattr(item, "callspec")
    }


def spec_runs(
    request: pytest.FixtureRequest, base: Path, cases: dict[str, Case], test_name: str, spec: Path
) -> Runs[Outcome]:
    """Each case on its own copy of `spec`, in its own folder under `base`.

    NOTE: the folders are made here, not with tmp_path_factory, which is not safe to call
    from the worker threads.
    """

    def run(name: str, case: Case) -> Outcome:
        root = copy_spec(spec, base / name / "spec")
        return run_bounded(case.prepare(root), cwd=root, seconds=case.seconds, megabytes=case.megabytes)

    return Runs(cases, run, wanted_cases(request, test_name))
