"""Shared helpers. The plugin under test is the installed one (entry point ``pytest11``)."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

import pytest

pytest_plugins = ["pytester"]

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Answer:
    def __init__(self, status: int, headers: dict, raw: bytes) -> None:
        self.status = status
        self.headers = headers
        self.raw = raw

    @property
    def json(self):
        return json.loads(self.raw)


def call(method: str, url: str, key: str | None = None, body=None, headers: dict | None = None, timeout: float = 30) -> Answer:
    """One HTTP request; any status comes back as an Answer (no exception for 4xx/5xx)."""
    sent = dict(headers or {})
    if key:
        sent["Authorization"] = f"Bearer {key}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return Answer(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def generate(lab, body=None, headers=None) -> Answer:
    """POST /v1/images/generations with the fixture's key."""
    return call("POST", lab.base_url + "/images/generations", lab.api_key, body or {"model": "gpt-image-2", "prompt": "a cup"}, headers)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner pytest runs must not inherit this run's xdist worker id or fakelab settings."""
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_ADDOPTS", "FAKELAB_URL", "FAKELAB_CONTROL_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def verdict_available(server) -> bool:
    """Whether this binary serves GET /__fakelab/verdict (contracts §2; it lands this round)."""
    answer = call("GET", server.url + "/__fakelab/verdict", "sk-probe-verdict-0001")
    return answer.status != 404


@pytest.fixture(scope="session")
def needs_verdict(fakelab_server) -> None:
    if not verdict_available(fakelab_server):
        pytest.skip("this fakelab binary has no GET /__fakelab/verdict yet (404)")


HELPERS = '''
import json, urllib.error, urllib.request

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def post(lab_or_url, key, body, headers=None):
    url = (lab_or_url if isinstance(lab_or_url, str) else lab_or_url.base_url) + "/images/generations"
    sent = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", **(headers or {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=sent, method="POST")
    try:
        with _OPENER.open(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")

def get(url, key=None):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with _OPENER.open(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
'''


@pytest.fixture
def inner(pytester: pytest.Pytester, clean_env):
    """Writes ``helpers.py`` beside inner test files, returns pytester."""
    pytester.makepyfile(helpers=HELPERS)
    return pytester


def no_key_in(text: str, keys) -> None:
    for key in keys:
        assert key not in text, "a full API key reached the output"


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
