"""A corpus of hostile requests, sent over raw sockets so nothing tidies them on the way:
malformed and truncated multipart, huge headers, deep JSON nesting, invalid UTF-8, PNGs that
claim absurd dimensions, 10,000 fields. Every answer must be a 4xx in TokenLab's envelope
({"error": {"message", "type", "code", "param"}}) — or, where HTTP itself is broken, a closed
connection — the server must stay up, and its memory must not balloon. The envelope is what
TokenLab publishes (ApiError; docs/tokenlab.md §7.1): `message` and `type` always,
`code` and `param` when they apply. Requests that are not HTTP/1.1 at all (a bad request line,
a negative Content-Length, thousands of headers) are refused by SwiftNIO's HTTP parser with a
bare 400 and a closed connection before any route sees them: accepted as "4xx-or-close".
   usage: python3 hostile.py --port PORT --pid PID [--rounds N]"""
import argparse, json, socket, struct, sys, time, zlib

KEY = "sk-hostile-corpus-0001"
# ApiError.error.type of TokenLab's published OpenAPI.
ERROR_TYPES = {"unauthorized", "invalid_api_key", "expired_api_key", "permission_error", "insufficient_balance", "quota_exceeded",
               "invalid_request_error", "model_not_found", "context_length_exceeded", "unsupported_tool_choice", "rate_limit_exceeded",
               "server_error", "upstream_error", "all_channels_failed", "timeout_error", "not_found_error", "no_contract_compatible_route",
               "request_shape_channel_mismatch", "upstream_contract_mismatch", "platform_normalization_error", "async_task_not_found",
               "async_task_mapping_invalid"}


def png_header(width, height, idat=b""):
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def multipart(parts, boundary="hostile", close=True):
    out = b""
    for name, value, filename, ctype in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n".encode() + (f"Content-Type: {ctype}\r\n" if ctype else "").encode() + b"\r\n" + value + b"\r\n"
    return out + (f"--{boundary}--\r\n".encode() if close else b"")


def http(method, path, body=b"", ctype="application/json", extra=b"", length=None):
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\nConnection: close\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body) if length is None else length}\r\n").encode()
    return head + extra + b"\r\n" + body


def cases():
    bomb = zlib.compress(b"\x00" * (8 << 20), 9)          # 8 MiB of zeros in ~8 KiB
    deep = b'{"model":"gpt-image-2","prompt":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    yield "deep JSON nesting (100,000 arrays)", http("POST", "/v1/images/generations", deep), "400"
    yield "deep JSON nesting, unterminated", http("POST", "/v1/images/generations", b"[" * 200_000), "400"
    yield "invalid UTF-8 in a JSON string", http("POST", "/v1/images/generations", b'{"model":"gpt-image-2","prompt":"\xff\xfe\xc3("}'), "400"
    yield "invalid UTF-8 in a JSON key", http("POST", "/v1/images/generations", b'{"mo\xc0del":"gpt-image-2","prompt":"x"}'), "400"
    yield "10,000 JSON fields", http("POST", "/v1/images/generations", json.dumps({"model": "gpt-image-2", "prompt": "x", **{f"f{i}": i for i in range(10_000)}}).encode()), "400"
    yield "JSON number 1e999999", http("POST", "/v1/images/generations", b'{"model":"gpt-image-2","prompt":"x","n":1e999999}'), "400"
    yield "JSON with NUL bytes", http("POST", "/v1/images/generations", b'{"model":"gpt-image-2\x00","prompt":"x"}'), "400"
    yield "top-level JSON string", http("POST", "/v1/images/generations", b'"just a string"'), "400"
    yield "empty body", http("POST", "/v1/images/generations", b""), "400"
    yield "wrong content type", http("POST", "/v1/images/generations", b"model=gpt-image-2", ctype="text/plain"), "4xx"
    yield "multipart without a boundary", http("POST", "/v1/images/edits", b"--x\r\n", ctype="multipart/form-data"), "400"
    yield "multipart with a 500-byte boundary", http("POST", "/v1/images/edits", b"--x\r\n", ctype="multipart/form-data; boundary=" + "b" * 500), "400"
    yield "multipart, no closing boundary", http("POST", "/v1/images/edits", multipart([("model", b"gpt-image-2", None, None), ("prompt", b"x", None, None)], close=False), ctype="multipart/form-data; boundary=hostile"), "400"
    yield "multipart, non-ASCII header name (crashed MultipartKit 4.7.1)", http("POST", "/v1/images/edits", b'--hostile\r\nContent-Disposition: form-data; name="model"\r\nX\xc3\xa9: 1\r\n\r\ngpt-image-2\r\n--hostile--\r\n', ctype="multipart/form-data; boundary=hostile"), "400"
    yield "multipart, garbage between parts", http("POST", "/v1/images/edits", b"--hostile\r\nnot a header line\r\n\r\nzzz\r\n--hostile--\r\n", ctype="multipart/form-data; boundary=hostile"), "400"
    yield "multipart, 10,000 fields", http("POST", "/v1/images/edits", multipart([("model", b"gpt-image-2", None, None)] + [(f"f{i}", b"v", None, None) for i in range(10_000)]), ctype="multipart/form-data; boundary=hostile"), "4xx"
    yield "multipart, 10,000 image parts", http("POST", "/v1/images/edits", multipart([("model", b"gpt-image-2", None, None), ("prompt", b"x", None, None)] + [("image[]", png_header(1, 1), "a.png", "image/png")] * 10_000), ctype="multipart/form-data; boundary=hostile"), "4xx"
    yield "PNG claiming 100000x100000", http("POST", "/v1/images/edits", multipart([("model", b"gpt-image-2", None, None), ("prompt", b"x", None, None), ("image", png_header(100_000, 100_000, bomb), "bomb.png", "image/png")]), ctype="multipart/form-data; boundary=hostile"), "400"
    yield "PNG claiming 4294967295x1", http("POST", "/v1/images/edits", multipart([("model", b"gpt-image-2", None, None), ("prompt", b"x", None, None), ("image", png_header(0xFFFFFFFF, 1, bomb), "wide.png", "image/png")]), ctype="multipart/form-data; boundary=hostile"), "400"
    yield "PNG 4096x4096 zlib bomb", http("POST", "/v1/images/edits", multipart([("model", b"gpt-image-2", None, None), ("prompt", b"x", None, None), ("image", png_header(4096, 4096, bomb), "bomb.png", "image/png")]), ctype="multipart/form-data; boundary=hostile"), "400"
    yield "truncated PNG", http("POST", "/v1/images/variations", multipart([("model", b"dall-e-2", None, None), ("image", png_header(256, 256)[:30], "cut.png", "image/png")]), ctype="multipart/form-data; boundary=hostile"), "400"
    yield "not an image, named .png", http("POST", "/v1/images/variations", multipart([("model", b"dall-e-2", None, None), ("image", b"GIF89a" + b"\x00" * 100, "x.png", "image/png")]), ctype="multipart/form-data; boundary=hostile"), "400"
    yield "a 64 KiB header", http("POST", "/v1/images/generations", b"{}", extra=b"X-Big: " + b"a" * 65536 + b"\r\n"), "4xx-or-close"
    yield "2,000 headers", http("POST", "/v1/images/generations", b"{}", extra=b"".join(b"X-H%d: v\r\n" % i for i in range(2000))), "4xx-or-close"
    yield "a 16 KiB path", http("GET", "/v1/tasks/" + "a" * 16384), "4xx-or-close"
    yield "path traversal in a task id", http("GET", "/v1/tasks/..%2F..%2Fetc%2Fpasswd"), "4xx"
    yield "percent-garbage path", http("GET", "/v1/models/%ff%fe%00"), "4xx"
    yield "body shorter than Content-Length", http("POST", "/v1/images/generations", b'{"model":"gpt', length=100), "4xx-or-close"
    yield "Content-Length 10 GB", http("POST", "/v1/images/generations", b"{}", length=10 << 30), "4xx-or-close"
    yield "negative Content-Length", http("POST", "/v1/images/generations", b"{}", length=-5), "4xx-or-close"
    yield "not HTTP at all", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 200, "4xx-or-close"
    yield "HTTP/0.9 request line", b"GET /v1/models\r\n\r\n", "4xx-or-close"
    yield "chunked body, bad chunk size", (f"POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\n"
                                           "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n").encode(), "4xx-or-close"


def send(port, raw, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(raw)
            s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: what it said is still readable
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            data += chunk
        return data
    finally:
        s.close()


def judge(data, expect):
    """(ok, what came)"""
    if not data:
        return expect == "4xx-or-close", "connection closed, no answer"
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
    if not 400 <= status < 500:
        return False, f"status {status}"
    if not body and expect == "4xx-or-close":
        return True, f"{status}, no body (HTTP parser), connection closed"
    if b"chunked" in head.lower():
        return True, f"{status} (chunked body)"
    try:
        error = json.loads(body)["error"]
        envelope = (isinstance(error.get("message"), str) and error.get("type") in ERROR_TYPES
                    and all(isinstance(error.get(k, ""), (str, type(None))) for k in ("code", "param")))
    except Exception:
        envelope = False
    if not envelope:
        return False, f"{status} without TokenLab's envelope: {body[:120]!r}"
    return (expect in ("4xx", "4xx-or-close") or str(status) == expect), f"{status} {error.get('code')} param={error.get('param')}"


def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--max-growth-mb", type=float, default=16, help="RSS growth allowed after the first round (which sets the high-water mark)")
    args = p.parse_args()
    start_rss, failures, sent = rss(args.pid), [], 0
    warm_rss = None
    for r in range(args.rounds):
        if r == 1:
            warm_rss = rss(args.pid)
        for name, raw, expect in cases():
            t = time.monotonic()
            ok, what = judge(send(args.port, raw), expect)
            sent += 1
            if r == 0:
                print(f"  {'ok ' if ok else 'BAD'} {name:60s} → {what} ({(time.monotonic() - t) * 1000:.0f} ms)")
            if not ok:
                failures.append(f"{name}: {what}")
            alive = send(args.port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            if not alive.startswith(b"HTTP/1.1 200"):
                print(f"the server stopped answering after: {name}")
                sys.exit(1)
    end_rss = rss(args.pid)
    warm_rss = warm_rss or end_rss
    print(f"hostile corpus: {sent} requests ({args.rounds} rounds), {len(failures)} bad answers; server alive; "
          f"RSS {start_rss:.1f} → {warm_rss:.1f} MB after round 1 → {end_rss:.1f} MB")
    if end_rss - warm_rss > args.max_growth_mb:
        failures.append(f"memory grew by {end_rss - warm_rss:.1f} MB after the first round (it should stay flat)")
    if failures:
        print("FAILED:\n  " + "\n  ".join(sorted(set(failures))))
        sys.exit(1)


main()
