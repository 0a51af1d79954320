#!/usr/bin/env python3
"""The official OpenAI Python SDK as a real client of the fake (loopback only).

usage: openai_sdk_check.py BASE_URL     (e.g. http://127.0.0.1:8080)
Prints one line per check and `openai-sdk: N passed, N failed`; exits non-zero on a failure.
"""
import base64
import struct
import sys
import time
import urllib.request

import openai

BASE = sys.argv[1].rstrip("/")
results = []


def check(name):
    def run(fn):
        try:
            fn()
            results.append((name, None))
            print(f"ok    {name}")
        except Exception as e:  # noqa: BLE001 - report every failure and go on
            results.append((name, e))
            print(f"FAIL  {name}: {type(e).__name__}: {e}")
        return fn
    return run


def client(key="sk-openai-sdk-000001", retries=0):
    return openai.OpenAI(base_url=BASE + "/v1", api_key=key, max_retries=retries, timeout=20)


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def tiny_png(w, h, alpha=False):
    import zlib
    channels = 4 if alpha else 3
    row = b"\x00" + bytes([200, 100, 50] + ([0] if alpha else [])) * w
    raw = row * h

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6 if alpha else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def control(path, key, body=None, method="POST"):
    req = urllib.request.Request(BASE + path, method=method, data=body, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        import json
        return json.load(r)


@check("generate url: the URL serves a PNG of the asked size")
def _():
    r = client().images.generate(model="gpt-image-2", prompt="a cup", size="1536x1024")
    assert r.data[0].url, r
    with urllib.request.urlopen(r.data[0].url, timeout=10) as img:
        assert png_size(img.read()) == (1536, 1024)


@check("generate b64_json: n images, decodable")
def _():
    r = client().images.generate(model="gpt-image-2", prompt="a cup", size="1024x1024", n=2, response_format="b64_json")
    assert len(r.data) == 2
    assert all(png_size(base64.b64decode(d.b64_json)) == (1024, 1024) for d in r.data)


@check("request id reaches the SDK (x-request-id)")
def _():
    raw = client().images.with_raw_response.generate(model="nano-banana", prompt="a cup", extra_body={"aspect_ratio": "16:9"})
    assert raw.headers.get("x-request-id", "").startswith("req_")
    assert png_size(urllib.request.urlopen(raw.parse().data[0].url, timeout=10).read()) == (1344, 768)


@check("unknown model: BadRequestError with code and param")
def _():
    try:
        client().images.generate(model="gpt-image-3", prompt="a cup")
        raise AssertionError("no error")
    except openai.BadRequestError as e:
        assert e.code == "model_not_found" and e.param == "model", (e.code, e.param)


@check("bad key: AuthenticationError")
def _():
    try:
        client(key="not-a-key").images.generate(model="gpt-image-2", prompt="a cup")
        raise AssertionError("no error")
    except openai.AuthenticationError as e:
        assert e.status_code == 401


@check("429 then retry: the SDK honours Retry-After and succeeds")
def _():
    key = "sk-openai-sdk-retry-01"
    control("/__fakelab/reset", key)
    control("/__fakelab/faults", key, b'{"fault":"rate_limited; retry_after=1","times":1}')
    start = time.monotonic()
    r = client(key=key, retries=2).images.generate(model="gpt-image-2", prompt="a cup")
    assert r.data and time.monotonic() - start >= 0.95
    verdict = control("/__fakelab/verify", key, b'{"checks":[{"check":"retry_after_respected"},{"check":"count","path":"/v1/images/generations","equals":2}]}')
    assert verdict["ok"], verdict


@check("async task: create, poll poll_url to completed, URL-only data")
def _():
    key = "sk-openai-sdk-async-01"
    control("/__fakelab/reset", key)
    control("/__fakelab/task-policy", key, b'{"policy":"polls:1,1"}', method="PUT")
    c = client(key=key)
    created = c.post("/images/generations", body={"model": "gpt-image-2", "prompt": "a cup", "async": True, "response_format": "b64_json"}, cast_to=object)
    assert created["status"] == "pending" and created["data"] == []
    status = created
    while status["status"] in ("pending", "processing"):
        status = c.get(created["poll_url"].removeprefix("/v1"), cast_to=object)
    assert status["status"] == "completed" and "url" in status["data"][0] and "b64_json" not in status["data"][0]
    assert control("/__fakelab/verify", key, b'{"checks":[{"check":"no_poll_after_terminal"}]}')["ok"]


@check("images.edit with one image (multipart)")
def _():
    r = client().images.edit(model="gpt-image-2", image=("in.png", tiny_png(64, 64), "image/png"), prompt="make it blue")
    assert r.data[0].url


@check("images.edit with several images and a mask")
def _():
    images = [("a.png", tiny_png(64, 64), "image/png"), ("b.png", tiny_png(64, 64), "image/png")]
    r = client().images.edit(model="gpt-image-2", image=images, mask=("mask.png", tiny_png(64, 64, alpha=True), "image/png"), prompt="merge")
    assert r.data[0].url


@check("images.create_variation (dall-e-2)")
def _():
    r = client().images.create_variation(model="dall-e-2", image=("in.png", tiny_png(64, 64), "image/png"), size="512x512")
    assert png_size(urllib.request.urlopen(r.data[0].url, timeout=10).read()) == (512, 512)


failed = [n for n, e in results if e]
print(f"openai-sdk: {len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
