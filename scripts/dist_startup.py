#!/usr/bin/env python3
"""Start-up time of `fakelab serve`: from exec to the "fakelab listening on" line, N runs.

Usage: dist_startup.py N COMMAND…   (COMMAND is run with `serve --port 0 --log-level warning` added)

Prints one line per run and the median. The clock starts just before the process is spawned
and stops when the line arrives on its stdout, so it includes exec, the dynamic loader, the
Swift runtime's start, argument parsing, the catalog load and binding the socket.
"""

import statistics
import subprocess
import sys
import time


def once(command: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(command + ["serve", "--port", "0", "--log-level", "warning"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if b"fakelab listening on" in line:
                return time.perf_counter() - start
        raise RuntimeError(f"exited ({proc.wait()}) without listening")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> int:
    runs = int(sys.argv[1])
    times = []
    for i in range(runs):
        t = once(sys.argv[2:])
        times.append(t)
        print(f"  start-up run {i + 1}: {t * 1000:.1f} ms")
    print(f"start-up time (exec to 'fakelab listening on', median of {runs}): {statistics.median(times) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
