#!/usr/bin/env python3
"""Clients of scripts/scale-check: N keys through nginx (hash $http_authorization consistent) to 3 fakes.

Usage: scale_clients.py --url NGINX --replicas ADDR=PID,… [--clients 64] [--phase1 S] [--phase2 S]

Phase 1 (all replicas up). Each client has its own key `sk-scale-NN-…` and a keep-alive
connection to nginx, and loops: a sync generation (nano-banana, inline), every 2nd round an async
one (flux-pro, a task) polled through its poll_url to completion, every 4th round a fault
staged first through the control API (`rate_limited; retry_after=N`, N = the client's own number,
times 1) so the next generation must be that 429 with *its* N, every 50th round the result image
fetched (drawn at fetch time: the costly request). nginx adds the answering replica to each
response (X-Fakelab-Upstream). Then per key: every request went to one replica; every task created is found (GET /v1/tasks/{id}: completed);
the journal (`GET /__fakelab/journal`, through nginx) holds exactly the /v1/ requests the client
sent, by X-Request-ID, all complete, with the key's own masked suffix; the rules
(`GET /__fakelab/faults`) are the key's own and fired as often as staged; no 429 ever reached a
client that had not staged one, and none carried another client's N.

Phase 2. One replica is stopped (SIGTERM) and the clients go on. Keys on the other replicas must
see no change: same replica, old tasks found, journals complete. The stopped replica's keys are
reported: failed requests, where nginx sent them instead (rehash), and what they lost (their
tasks: 404; their journal: only what came after the move; their task policy and rules: gone).

Exit status 0 when every check passed. Standard library only.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit


class Client:
    def __init__(self, number: int, base: str) -> None:
        self.number = number
        self.key = f"sk-scale-{number:02d}-{secrets.token_hex(8)}"
        self.host, self.port = urlsplit(base).hostname, urlsplit(base).port
        self.conn: http.client.HTTPConnection | None = None
        self.phase = 1
        # By phase: 1 and 2 are the load phases, 3 the checks after phase 2.
        self.upstreams: dict[int, Counter] = defaultdict(Counter)
        self.request_ids: dict[int, set[str]] = defaultdict(set)  # /v1/ requests answered
        self.v1_sent: dict[int, int] = defaultdict(int)
        self.statuses: dict[int, Counter] = defaultdict(Counter)
        self.tasks: dict[int, list[str]] = defaultdict(list)
        self.tasks_completed = 0
        self.faults_staged: dict[int, int] = defaultdict(int)
        self.faults_received = 0
        self.problems: list[str] = []
        self.leaks: list[str] = []  # a fault this key did not stage
        self.latencies: list[float] = []
        self.rounds = 0
        self.finals: dict[int, Counter] = defaultdict(Counter)  # /v1/ requests by the replica that answered
        self.kept_tasks = self.lost_tasks = 0
        self.moved_to = ""
        self.journal_fresh = False
        self.state_reset = False
        self.found_phase1 = 0  # phase-1 tasks found after phase 1
        self.journal_phase1 = 0  # /v1/ journal entries after phase 1

    # --- HTTP ---------------------------------------------------------------------------------

    def request(self, method: str, path: str, body: object | None = None, auth: bool = True) -> tuple[int, dict, bytes]:
        headers = {"Authorization": f"Bearer {self.key}"} if auth else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                start = time.perf_counter()
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                payload = resp.read()
                self.latencies.append(time.perf_counter() - start)
                head = {k.lower(): v for k, v in resp.getheaders()}
                if head.get("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                break
            except (OSError, http.client.HTTPException) as error:
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    self.statuses[self.phase]["conn-error"] += 1
                    if path.startswith("/v1/"):
                        self.v1_sent[self.phase] += 1  # nginx may have passed it on before failing
                    return 0, {}, str(error).encode()
        upstream = head.get("x-fakelab-upstream", "?")
        self.upstreams[self.phase][upstream] += 1
        self.statuses[self.phase][resp.status] += 1
        if path.startswith("/v1/"):
            self.v1_sent[self.phase] += 1
            self.finals[self.phase][upstream.split(", ")[-1]] += 1
            if "x-request-id" in head:
                self.request_ids[self.phase].add(head["x-request-id"])
        return resp.status, head, payload

    def control(self, method: str, path: str, body: object | None = None) -> object:
        status, _, payload = self.request(method, "/__fakelab/" + path, body)
        if status != 200:
            raise RuntimeError(f"control {method} {path}: {status} {payload[:200]!r}")
        return json.loads(payload)

    # --- the workload -------------------------------------------------------------------------

    def generation(self, model: str, expect_fault: bool) -> dict | None:
        body = {"model": model, "prompt": f"scale client {self.number} round {self.rounds}"}
        status, _, payload = self.request("POST", "/v1/images/generations", body)
        if status == 429:
            answer = json.loads(payload)
            mine = answer.get("error", {}).get("retry_after") == self.number + 1
            if expect_fault and mine:
                self.faults_received += 1
                return None
            self.leaks.append(f"429 retry_after={answer.get('error', {}).get('retry_after')} (staged: {expect_fault})")
            return None
        if expect_fault and status == 200:
            self.problems.append("a staged fault did not fire")
        if status != 200:
            if self.phase == 1:
                self.problems.append(f"POST {model}: {status} {payload[:160]!r}")
            return None
        return json.loads(payload)

    def round(self) -> None:
        expect_fault = self.rounds % 4 == 3
        if expect_fault:
            self.control("POST", "faults", {"rules": [{"fault": f"rate_limited; retry_after={self.number + 1}",
                                                        "route": "/v1/images/generations", "method": "POST", "times": 1}]})
            self.faults_staged[self.phase] += 1
        answer = self.generation("nano-banana", expect_fault)
        if answer and self.rounds % 50 == 0:
            url = urlsplit(answer["data"][0]["url"])
            status, head, payload = self.request("GET", url.path)
            if status != 200 or not head.get("content-type", "").startswith("image/") or len(payload) < 100:
                self.problems.append(f"image fetch: {status}")
        if self.rounds % 2 == 0:
            task = self.generation("flux-pro", False)
            if task:
                self.tasks[self.phase].append(task["id"])
                self.follow(task)
        self.rounds += 1

    def follow(self, task: dict) -> None:
        poll = task.get("poll_url") or f"/v1/tasks/{task['id']}"
        for attempt in range(100):
            if attempt >= 3:
                time.sleep(0.05)  # past the polls:1,1 timeline (a moved key has the server's default policy)
            status, _, payload = self.request("GET", poll)
            if status != 200:
                if self.phase == 1:
                    self.problems.append(f"poll {task['id']}: {status}")
                return
            if json.loads(payload)["status"] in ("completed", "failed"):
                self.tasks_completed += 1
                return
        if self.phase == 1:
            self.problems.append(f"task {task['id']} never finished")

    def run(self, deadline: float, errors: list) -> None:
        try:
            if self.phase == 1:
                self.control("PUT", "task-policy", {"policy": "polls:1,1"})
            while time.monotonic() < deadline:
                self.round()
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            errors.append(f"client {self.number}: {error!r}")
            if self.phase == 1:
                self.problems.append(repr(error))

    # --- checks -------------------------------------------------------------------------------

    def tasks_found(self, phase: int) -> tuple[int, Counter]:
        found, statuses = 0, Counter()
        for task in self.tasks[phase]:
            status, _, payload = self.request("GET", f"/v1/tasks/{task}")
            statuses[status] += 1
            if status == 200 and json.loads(payload)["status"] == "completed":
                found += 1
        return found, statuses

    def journal(self) -> list[dict]:
        return [e for e in self.control("GET", "journal")["data"] if e["path"].startswith("/v1/")]


def run_phase(clients: list[Client], seconds: float, phase: int) -> list[str]:
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    for c in clients:
        c.phase = phase
    threads = [threading.Thread(target=c.run, args=(deadline, errors)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def check_phase1_key(c: Client) -> list[str]:
    failures = []
    if len(c.upstreams[1]) != 1:
        failures.append(f"key {c.number}: answered by {dict(c.upstreams[1])}")
    found, statuses = c.tasks_found(1)
    c.found_phase1 = found
    if found != len(c.tasks[1]):
        failures.append(f"key {c.number}: {found}/{len(c.tasks[1])} tasks found ({dict(statuses)})")
    entries = c.journal()
    ids = {e["request_id"] for e in entries}
    expected = c.request_ids[1]
    if len(entries) != c.v1_sent[1] or ids != expected:
        failures.append(f"key {c.number}: journal has {len(entries)} /v1/ entries, client sent {c.v1_sent[1]}"
                        f" ({len(expected - ids)} missing, {len(ids - expected)} foreign)")
    if any(e.get("in_flight") or e.get("status") is None for e in entries):
        failures.append(f"key {c.number}: journal entries still in flight")
    suffix = c.key[-4:]
    foreign = [e for e in entries if not e["headers"].get("authorization", "").endswith(suffix)]
    if foreign:
        failures.append(f"key {c.number}: {len(foreign)} journal entries of another key")
    faulted = [e for e in entries if e.get("fault")]
    if len(faulted) != c.faults_staged[1] or any(e.get("retry_after") not in (None, c.number + 1) for e in faulted):
        failures.append(f"key {c.number}: journal shows {len(faulted)} faults, {c.faults_staged[1]} staged")
    rules = c.control("GET", "faults")["rules"]
    mine = f"retry_after={c.number + 1}"
    foreign_rules = [r for r in rules if mine not in r["fault"].replace(" ", "")]
    if foreign_rules:
        failures.append(f"key {c.number}: rules that are not its own: {foreign_rules[:2]}")
    fired = sum(r["fired"] for r in rules)
    if fired != c.faults_staged[1]:
        failures.append(f"key {c.number}: its rules fired {fired} times, {c.faults_staged[1]} staged")
    if c.faults_received != c.faults_staged[1]:
        failures.append(f"key {c.number}: staged {c.faults_staged[1]} faults, received {c.faults_received}")
    c.journal_phase1 = len(entries)
    return failures


def check_unaffected_key(c: Client) -> list[str]:
    bad = []
    if set(c.upstreams[2]) != set(c.upstreams[1]):
        bad.append(f"key {c.number} moved: {dict(c.upstreams[1])} → {dict(c.upstreams[2])}")
    if any(s not in (200, 429) for s in c.statuses[2]):
        bad.append(f"key {c.number}: {dict(c.statuses[2])}")
    found, statuses = c.tasks_found(1)
    if found != len(c.tasks[1]):
        bad.append(f"key {c.number}: {found}/{len(c.tasks[1])} phase-1 tasks found ({dict(statuses)})")
    entries = c.journal()
    if len(entries) != c.v1_sent[1] + c.v1_sent[2] + c.v1_sent[3]:
        bad.append(f"key {c.number}: journal {len(entries)} ≠ sent {c.v1_sent[1] + c.v1_sent[2] + c.v1_sent[3]}")
    return bad + [f"key {c.number}: {leak}" for leak in c.leaks + c.problems]


def check_moved_key(c: Client, victim: str) -> list[str]:
    found, statuses = c.tasks_found(1)
    c.kept_tasks, c.lost_tasks = found, statuses.get(404, 0)
    finals = [a for a in c.finals[2] if a != victim]
    c.moved_to = Counter(finals).most_common(1)[0][0] if finals else "nowhere"
    entries = c.journal()
    c.journal_fresh = len(entries) == c.finals[2][c.moved_to] + c.finals[3][c.moved_to] and all(e["seq"] <= len(entries) for e in entries)
    state = c.control("GET", "state")  # its task policy (set in phase 1 only) and rules on the new replica
    c.state_reset = state["task_policy"] is None and len(state["rules"]) == c.faults_staged[2]
    return []


def parallel(function, clients: list[Client]) -> list[str]:
    """Runs a per-key check for every client, 16 at a time (each client uses its own connection)."""
    with ThreadPoolExecutor(16) as pool:
        return [failure for failures in pool.map(function, clients) for failure in failures]


def stop_replica(addr: str, pid: int) -> None:
    os.kill(pid, signal.SIGTERM)
    host, port = addr.rsplit(":", 1)
    for _ in range(200):
        try:
            socket.create_connection((host, int(port)), timeout=0.2).close()
            time.sleep(0.05)
        except OSError:
            return
    raise RuntimeError(f"replica {addr} did not stop")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--replicas", required=True, help="ADDR=PID,… in nginx's upstream order")
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--phase1", type=float, default=25)
    ap.add_argument("--phase2", type=float, default=10)
    args = ap.parse_args()
    replicas = dict(r.split("=") for r in args.replicas.split(","))
    clients = [Client(i, args.url) for i in range(args.clients)]

    t0 = time.monotonic()
    errors = run_phase(clients, args.phase1, 1)
    elapsed = time.monotonic() - t0
    placement = Counter(next(iter(c.upstreams[1])) for c in clients if c.upstreams[1])
    requests = sum(sum(c.statuses[1].values()) for c in clients)
    tasks = sum(len(c.tasks[1]) for c in clients)
    lat = sorted(x for c in clients for x in c.latencies)
    print(f"phase 1: {args.clients} clients, {elapsed:.0f} s, {requests} requests ({requests / elapsed:.0f}/s, "
          f"p50 {statistics.median(lat) * 1000:.1f} ms, p99 {lat[int(len(lat) * 0.99)] * 1000:.1f} ms), "
          f"{sum(c.v1_sent[1] for c in clients)} on /v1/, {tasks} tasks ({sum(c.tasks_completed for c in clients)} polled to completion), "
          f"{sum(c.faults_staged[1] for c in clients)} faults staged, {sum(c.faults_received for c in clients)} received by their own key")
    print(f"  keys per replica: {', '.join(f'{a}: {placement.get(a, 0)}' for a in replicas)}")
    failures = [p for c in clients for p in c.problems] + errors
    failures += parallel(check_phase1_key, clients)
    misrouted = sum(1 for c in clients if len(c.upstreams[1]) != 1)
    leaks = [f"key {c.number}: {leak}" for c in clients for leak in c.leaks]
    print(f"  misrouted keys: {misrouted}; faults seen by another key: {len(leaks)}; "
          f"journals complete: {sum(1 for c in clients if c.journal_phase1 == c.v1_sent[1])}/{len(clients)}; "
          f"tasks found: {sum(c.found_phase1 for c in clients)}/{tasks}")
    failures += leaks
    if failures:
        counted = Counter(failures)
        print(f"phase 1 FAILED ({len(failures)} findings):", *(f"{n} x {f}" for f, n in counted.most_common(20)), sep="\n  ")
        return 1

    # Phase 2: one replica stops.
    victim = max(replicas, key=lambda a: (placement.get(a, 0), a))
    affected = [c for c in clients if c.upstreams[1].get(victim)]
    others = [c for c in clients if c not in affected]
    for c in clients:
        c.leaks.clear()
    stop_replica(victim, int(replicas[victim]))
    print(f"phase 2: stopped replica {victim} ({len(affected)} keys on it); {len(others)} keys on the others go on")
    errors = run_phase(clients, args.phase2, 2)
    for c in clients:
        c.phase = 3
    bad = parallel(check_unaffected_key, others) + errors
    others_requests = sum(sum(c.statuses[2].values()) for c in others)
    print(f"  keys on the surviving replicas: {len(others)}; {others_requests} requests in phase 2, "
          f"{'all answered by the same replica as before, phase-1 tasks all found, journals complete' if not bad else 'FAILED'}")
    if bad:
        print("phase 2 FAILED for the unaffected keys:", *bad[:20], sep="\n  ")
        return 1

    # The stopped replica's keys: what happened to them.
    parallel(lambda c: check_moved_key(c, victim), affected)
    failed_by = Counter()
    for c in affected:
        failed_by.update({s: n for s, n in c.statuses[2].items() if s not in (200, 429)})
    failed = sum(failed_by.values())
    total = sum(sum(c.statuses[2].values()) for c in affected)
    moved_to = Counter(c.moved_to for c in affected)
    retried = sum(n for c in affected for a, n in c.upstreams[2].items() if ", " in a)
    lost = sum(c.lost_tasks for c in affected)
    kept = sum(c.kept_tasks for c in affected)
    old_tasks = sum(len(c.tasks[1]) for c in affected)
    fresh = sum(1 for c in affected if c.journal_fresh)
    print(f"  keys of the stopped replica: {len(affected)}; {total} requests in phase 2, {failed} failed {dict(failed_by)}; "
          f"{retried} passed on by nginx to the next replica after the refused connection; "
          f"rehashed to {dict(moved_to)}, every key to one replica (consistent hash: no other key moved)")
    print(f"  what they lost: {lost}/{old_tasks} phase-1 tasks now 404 async_task_not_found ({kept} still found); "
          f"{fresh}/{len(affected)} journals hold only the requests after the move; "
          f"{sum(1 for c in affected if c.state_reset)}/{len(affected)} found their task policy back at the server default "
          f"and only the rules staged after the move")
    if not affected or kept or fresh != len(affected) or not all(c.state_reset for c in affected) or any(len(set(c.finals[2])) != 1 for c in affected):
        print("phase 2 FAILED: the stopped replica's keys should have moved to one replica each and lost their state")
        return 1
    print(f"scale-check: OK ({time.monotonic() - t0:.0f} s of load and checks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
