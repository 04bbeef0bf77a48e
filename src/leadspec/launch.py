"""The `leadspec` command's first moment, before the tool has loaded.

Loading takes most of a second; a Ctrl-C or a SIGTERM in that time would end in a
traceback from whatever module was being imported. Here either ends the process
quietly with the status a shell expects (130 or 143), as `cli` does once it runs.
"""

from __future__ import annotations

import signal
import sys


def main() -> None:
    received: list[int] = []

    def interrupt(signum: int, frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, interrupt)
    try:
        from .cli import main as command
    except KeyboardInterrupt:
        signum = received[0] if received else signal.SIGINT
        print(f"\ninterrupted by {signal.Signals(signum).name}: nothing was written", file=sys.stderr)
        sys.exit(128 + signum)
    # NOTE: from here the command sets its own handlers for its run and restores these. A
    # signal after the run, while Python shuts down, is ignored: raised there it prints a
    # traceback, and obeyed it skips the clean-up at exit (the spill folder stays).
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    command()
