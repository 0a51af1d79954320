"""Benchmarks/counts' client: N requests over 4 keep-alive connections, every answer checked.

usage: keepalive.py PORT health|generation N
"""

import http.client
import sys
import threading

BODY = b'{"model":"gpt-image-2","prompt":"a red fox in snow","size":"1024x1024"}'
HEADERS = {"Authorization": "Bearer sk-benchmark-000000001", "Content-Type": "application/json"}


def worker(port, route, count, failures):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(count):
        if route == "health":
            connection.request("GET", "/health")
        else:
            connection.request("POST", "/v1/images/generations", BODY, HEADERS)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            failures.append(response.status)


def main():
    port, route, total = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    failures = []
    threads = [threading.Thread(target=worker, args=(port, route, total // 4, failures)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"keepalive.py: {len(failures)} answers were not 200 (first: {failures[0]})")


if __name__ == "__main__":
    main()
