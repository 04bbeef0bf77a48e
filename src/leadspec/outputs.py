"""Write report files all or nothing: every output is rendered before any file is touched.

Each file is written to a temporary name beside its target and renamed into place,
so an interrupted run never leaves a half-written report for CI to pick up; the
temporary files go whatever stops the run. A renamed file gets the mode the target
had, or the one the umask gives a new file, not the temporary file's private 0600.
Whether every target can be written is tried before the work starts, so a run on
ten million leads does not end with a folder that refuses its report.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


class OutputError(Exception):
    """An output file that cannot be written: names it and says why."""

    def __init__(self, target: Path, error: OSError) -> None:
        reason = error.strerror or str(error)
        blocking = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            reason = f"{blocking} is a file, not a folder"
        super().__init__(f"cannot write {target}: {reason}. Choose a folder you can write to")


def check_writable(targets: Iterable[Path | None]) -> None:
    """Raise OutputError for the first target whose folder cannot take a new file."""
    for target in targets:
        if target is not None:
            _temp_beside(target).unlink()


def write_all(texts: dict[Path, str], files: dict[Path, Callable[[Path], None]]) -> None:
    """Write `texts` (path -> content) and `files` (path -> writer of a temp path) atomically."""
    writers = {**{target: _text_writer(text) for target, text in texts.items()}, **files}
    staged: list[tuple[Path, Path]] = []
    try:
        for target, write in writers.items():
            temp = _temp_beside(target)
            staged.append((temp, target))
            try:
                write(temp)
                temp.chmod(_mode(target))
            except OSError as exc:
                raise OutputError(target, exc) from None
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, target in staged:
        os.replace(temp, target)


def _text_writer(text: str) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    return write


def _temp_beside(target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise OutputError(target, exc) from None
    os.close(handle)
    return Path(name)


def _mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
