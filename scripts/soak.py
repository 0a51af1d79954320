"""Soak driver: N client threads mix sync generations, async tasks with polling, multipart edits,
validation errors and injected faults against one server for a fixed time, then report.

Fails (exit 1) on: an unexpected 5xx (one no fault asked for), a request that errored without a
fault to explain it, a task created twice (same id) or lost (never reached a terminal status),
memory growth past the bound, and — against the recorder — a completed exchange missing from
the cassette.  Standard library only.
   usage: python3 soak.py --base URL --seconds S --clients N --pid PID [--cassette FILE]"""
import argparse, base64, http.client, json, os, random, sqlite3, struct, sys, threading, time, urllib.parse, zlib


def png(width, height, seed):
    """A real RGB PNG (zlib only) for the edits."""
    rows = b"".join(b"\x00" + bytes(v for x in range(width) for v in ((x + seed) & 255, (y * 2) & 255, (x ^ y) & 255))
                    for y in range(height))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts, self.problems, self.tasks = {}, [], {}
        self.completed_v1 = 0          # /v1 exchanges whose whole answer reached the client

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + n

    def problem(self, text):
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)
            self.counts["problems"] = self.counts.get("problems", 0) + 1


class Client(threading.Thread):
    FAULTS = [("rate_limited; retry_after=1", 429), ("server_error", 500), ("all_channels_failed", 503), ("reset", None),
              ("truncate", None), ("delay; ms=50", 200)]

    def __init__(self, n, args, stats, deadline, edit_png):
        super().__init__(daemon=True)
        self.key, self.args, self.stats, self.deadline, self.edit_png = f"sk-soak-{n:04d}-abcdef", args, stats, deadline, edit_png
        self.rng = random.Random(n)
        u = urllib.parse.urlsplit(args.base)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def request(self, method, path, body=None, ctype=None, fault=None):
        """(status, headers, body) or None when the connection broke; reconnects as needed."""
        headers = {"Authorization": "Bearer " + self.key}
        if ctype:
            headers["Content-Type"] = ctype
        if fault:
            headers["X-Fakelab-Fault"] = fault
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close(); self.conn = None
                if path.startswith("/v1/"):
                    self.stats.count("completed_v1")
                    # Through the recorder: answers it recorded say so; its own 502s (the
                    # upstream reset or cut the answer) are not exchanges and are not recorded.
                    if r.getheader("X-Fakelab-Cassette") == "record":
                        self.stats.count("recorded_v1")
                return r.status, r, data
            except (ConnectionError, http.client.HTTPException, OSError) as e:
                self.conn.close(); self.conn = None
                if fault or attempt == 1:
                    return None
                # A keep-alive connection the server closed between requests: once more, fresh.
        return None

    def run(self):
        while time.monotonic() < self.deadline:
            roll = self.rng.random()
            try:
                if roll < 0.35: self.sync()
                elif roll < 0.60: self.task()
                elif roll < 0.70: self.edit()
                elif roll < 0.80: self.invalid()
                else: self.fault()
            except Exception as e:  # a bug in the driver or an answer it cannot read
                self.stats.problem(f"{type(e).__name__}: {e}")

    def expect(self, what, got, want):
        self.stats.count(what)
        if got is None:
            self.stats.problem(f"{what}: connection broke without a fault")
        elif got[0] != want:
            kind = "unexpected 5xx" if got[0] >= 500 else "unexpected status"
            self.stats.count("unexpected_5xx" if got[0] >= 500 else "unexpected_status")
            self.stats.problem(f"{what}: {kind} {got[0]} (wanted {want}): {got[2][:160]!r}")
        return got if got and got[0] == want else None

    def sync(self):
        body = json.dumps({"model": "gpt-image-2", "prompt": f"soak {self.rng.randrange(50)}", "size": "1024x1024"})
        got = self.expect("sync", self.request("POST", "/v1/images/generations", body, "application/json"), 200)
        if got and self.rng.random() < 0.2:
            link = urllib.parse.urlsplit(json.loads(got[2])["data"][0]["url"])
            image = self.expect("image_download", self.request("GET", link.path + ("?" + link.query if link.query else "")), 200)
            if image and not image[2].startswith((b"\x89PNG", b"\xff\xd8", b"RIFF")):
                self.stats.problem("downloaded result is not an image")

    def task(self):
        body = json.dumps({"model": "flux-pro", "prompt": f"soak task {self.rng.randrange(1 << 30)}"})
        got = self.expect("task_create", self.request("POST", "/v1/images/generations", body, "application/json"), 200)
        if not got:
            return
        answer = json.loads(got[2])
        task = answer.get("task_id") or answer.get("id")
        with self.stats.lock:
            if task in self.stats.tasks:
                self.stats.counts["duplicated_tasks"] = self.stats.counts.get("duplicated_tasks", 0) + 1
                self.stats.problems.append(f"task id {task} created twice")
            self.stats.tasks[task] = "pending"
        poll = urllib.parse.urlsplit(answer["poll_url"]).path
        for _ in range(100):
            time.sleep(0.05)
            got = self.expect("task_poll", self.request("GET", poll), 200)
            if not got:
                return
            status = json.loads(got[2])["status"]
            if status in ("completed", "failed"):
                with self.stats.lock:
                    self.stats.tasks[task] = status
                return

    def edit(self):
        boundary = "soak" + str(self.rng.randrange(1 << 40))
        parts = [b'--%s\r\nContent-Disposition: form-data; name="model"\r\n\r\ngpt-image-2\r\n' % boundary.encode(),
                 b'--%s\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nrepaint\r\n' % boundary.encode(),
                 b'--%s\r\nContent-Disposition: form-data; name="image"; filename="in.png"\r\nContent-Type: image/png\r\n\r\n' % boundary.encode()
                 + self.edit_png + b"\r\n", b"--%s--\r\n" % boundary.encode()]
        self.expect("edit", self.request("POST", "/v1/images/edits", b"".join(parts), "multipart/form-data; boundary=" + boundary), 200)

    def invalid(self):
        body = json.dumps({"model": "gpt-image-2", "prompt": "x", "size": "1000x1000"})
        got = self.expect("invalid_400", self.request("POST", "/v1/images/generations", body, "application/json"), 400)
        if got and json.loads(got[2])["error"].get("param") != "size":
            self.stats.problem("400 without param=size")

    def fault(self):
        fault, want = self.rng.choice(self.FAULTS)
        body = json.dumps({"model": "gpt-image-2", "prompt": "faulted"})
        got = self.request("POST", "/v1/images/generations", body, "application/json", fault=fault)
        self.stats.count("fault_" + fault.split(";")[0])
        if want is None:
            return  # a broken connection (or a cut body the client noticed) is the point
        if got is None or got[0] != want:
            self.stats.problem(f"fault {fault}: got {got[0] if got else 'a broken connection'}, wanted {want}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--cassette")
    p.add_argument("--max-growth", type=float, default=1.2, help="RSS at the end / RSS after warm-up")
    p.add_argument("--warmup", type=float, default=0.5, help="share of the run before the memory baseline (bounded caches fill first)")
    args = p.parse_args()
    stats = Stats()
    start = time.monotonic()
    deadline = start + args.seconds
    edit_png = png(256, 256, 1)
    clients = [Client(n, args, stats, deadline, edit_png) for n in range(args.clients)]
    for c in clients:
        c.start()
    samples, warm = [], None
    while any(c.is_alive() for c in clients):
        time.sleep(min(5, max(0.5, args.seconds / 20)))
        elapsed = time.monotonic() - start
        samples.append((round(elapsed, 1), round(rss_mb(args.pid), 1)))
        if warm is None and elapsed >= args.seconds * args.warmup:
            warm = samples[-1][1]
    for c in clients:
        c.join()
    time.sleep(0.5)
    end_rss = rss_mb(args.pid)
    lost = [t for t, s in stats.tasks.items() if s == "pending"]
    total = sum(v for k, v in stats.counts.items() if k not in ("problems", "completed_v1", "recorded_v1", "unexpected_5xx", "unexpected_status", "duplicated_tasks"))
    report = {"seconds": args.seconds, "clients": args.clients, "operations": total,
              "per_second": round(total / (time.monotonic() - start), 1), "counts": stats.counts,
              "tasks": len(stats.tasks), "lost_tasks": len(lost), "rss_mb": {"warm": warm, "end": round(end_rss, 1), "samples": samples}}
    failures = list(stats.problems)
    if lost:
        failures.append(f"{len(lost)} task(s) never reached a terminal status, e.g. {lost[:3]}")
    if warm and end_rss > warm * args.max_growth + 5:
        failures.append(f"memory grew from {warm} MB to {end_rss:.1f} MB")
    if args.cassette:
        db = sqlite3.connect(f"file:{args.cassette}?mode=ro", uri=True)
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        stored = db.execute("SELECT count(*) FROM exchanges WHERE path LIKE '/v1/%'").fetchone()[0]
        completed = stats.counts.get("recorded_v1", 0)
        cut = stats.counts.get("fault_reset", 0) + stats.counts.get("fault_truncate", 0)
        unrecorded = stats.counts.get("completed_v1", 0) - completed
        report["cassette"] = {"integrity": integrity, "v1_exchanges": stored, "completed_by_clients": completed,
                              "recorder_502s": unrecorded}
        if unrecorded > cut:
            failures.append(f"{unrecorded} answers were not recorded but only {cut} upstream connections were cut")
        if integrity != "ok":
            failures.append(f"cassette integrity_check: {integrity}")
        if stored < completed:
            failures.append(f"cassette holds {stored} /v1 exchanges, clients completed {completed}")
    print(json.dumps(report))
    if failures:
        print("SOAK FAILED:\n  " + "\n  ".join(failures[:20]))
        sys.exit(1)
    print(f"soak OK: {total} operations by {args.clients} clients in {args.seconds:.0f} s, 0 unexpected 5xx, "
          f"{len(stats.tasks)} tasks, 0 lost, 0 duplicated, RSS {warm} → {end_rss:.1f} MB"
          + (f", cassette {report['cassette']['v1_exchanges']} ≥ {report['cassette']['completed_by_clients']} completed" if args.cassette else ""))


main()
