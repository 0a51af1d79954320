#!/usr/bin/env python3
"""Starts `fakelab serve` on a fixed port and measures the time from exec to the first 200 of
GET /health, then prints the server's idle RSS. Leaves the server running; prints its pid.

usage: startup.py BINARY PORT [SERVE FLAGS…]
"""
import http.client
import subprocess
import sys
import time

binary, port = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
proc = subprocess.Popen([binary, "serve", "--port", str(port), "--log-level", "warning"] + sys.argv[3:],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/health")
        if conn.getresponse().status == 200:
            break
    except OSError:
        pass
    if time.perf_counter() - start > 10:
        proc.kill()
        sys.exit("server did not answer within 10 s")
    time.sleep(0.0005)
elapsed_ms = (time.perf_counter() - start) * 1000
time.sleep(0.5)
rss_kb = next(int(line.split()[1]) for line in open(f"/proc/{proc.pid}/status") if line.startswith("VmRSS"))
print(f"{proc.pid} {elapsed_ms:.1f} {rss_kb / 1024:.1f}")
