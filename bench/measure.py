"""Run one command and write its wall time, exit status and peak memory as JSON.

    python bench/measure.py RESULT.json COMMAND [ARGS ...]

Why a process of its own: on Linux a child's peak resident memory (`ru_maxrss`)
starts from the memory of the process it was started from, so a command started
by a benchmark that has generated ten million leads reports the generator's size,
not its own. This process is small, so the peak it reads with `wait4` is the
command's. The command keeps this process's standard output and error.
"""

import json
import os
import subprocess
import sys
import time

result, *command = sys.argv[1:]
started = time.perf_counter()
child = subprocess.Popen(command)
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - started
with open(result, "w", encoding="utf-8") as out:
    json.dump({"wall": wall, "status": os.waitstatus_to_exitcode(status), "peak_kb": usage.ru_maxrss}, out)
