"""The `leadspec` command's first moment, before the tool has loaded.

Loading takes most of a second. A Ctrl-C or a SIGTERM in that time must not raise
inside an import: from Python code that ends in a traceback, and inside a native
module's initialisation (DuckDB's) it aborts the process. So while the tool loads a
signal is only noted; once loaded, a noted signal ends the process quietly with the
status a shell expects (130 or 143), as `cli` does once it runs.
"""

from __future__ import annotations

import signal
import sys


def main() -> None:
    received: list[int] = []

    def note(signum: int, frame: object) -> None:
        received.append(signum)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, note)
    # NOTE: DuckDB is loaded here, not in the middle of a command whose handlers raise.
    import duckdb  # noqa: F401

    from .cli import main as command

    if received:
        print(f"\ninterrupted by {signal.Signals(received[0]).name}: nothing was written", file=sys.stderr)
        sys.exit(128 + received[0])
    # NOTE: from here the command sets its own handlers for its run and restores these. A
    # signal after the run, while Python shuts down, is ignored: raised there it prints a
    # traceback, and obeyed it skips the clean-up at exit (the spill folder stays).
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    command()
