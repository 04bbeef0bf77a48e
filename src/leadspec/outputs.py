"""Write report files all or nothing: every output is rendered before any file is touched.

Each file is written to a temporary name beside its target and renamed into place,
so an interrupted run never leaves a half-written report for CI to pick up.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_all(texts: dict[Path, str], files: dict[Path, Callable[[Path], None]]) -> None:
    """Write `texts` (path -> content) and `files` (path -> writer of a temp path) atomically."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, text in texts.items():
            temp = _temp_beside(target)
            temp.write_text(text, encoding="utf-8")
            staged.append((temp, target))
        for target, write in files.items():
            temp = _temp_beside(target)
            write(temp)
            staged.append((temp, target))
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, target in staged:
        os.replace(temp, target)


def _temp_beside(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    return Path(name)
