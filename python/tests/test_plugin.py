"""The pytest plugin, run as a user would run it (pytester, in a subprocess)."""

from __future__ import annotations

import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import no_key_in, verdict_available
from test_server import _gone

from fakelab import FakelabServer

KEY = re.compile(r"sk-pytest-(\w+)-([0-9a-f]{32})")


def _lines(path) -> list[list[str]]:
    return [line.split() for line in path.read_text().splitlines() if line.strip()]


def test_fixture_gives_each_test_its_own_key(inner):
    inner.makepyfile(
        test_keys="""
        from helpers import post

        def _note(lab):
            with open("seen.txt", "a") as f:
                f.write(f"{lab.api_key} {lab.url} {lab.base_url}\\n")

        def test_a(fakelab):
            fakelab.fault("server_error")
            assert post(fakelab, fakelab.api_key, {"model": "gpt-image-2", "prompt": "a"})[0] == 500
            _note(fakelab)

        def test_b(fakelab):
            status, body = post(fakelab, fakelab.api_key, {"model": "gpt-image-2", "prompt": "b"})
            assert status == 200 and body["data"][0]["url"]
            assert [e["status"] for e in fakelab.journal()] == [200]   # nothing of test_a's
            assert fakelab.faults() == []
            _note(fakelab)

        def test_server_fixture(fakelab_server, fakelab):
            assert fakelab.url == fakelab_server.url
        """
    )
    result = inner.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    (key_a, url_a, base_a), (key_b, url_b, _) = _lines(inner.path / "seen.txt")
    assert key_a != key_b and url_a == url_b and base_a == url_a + "/v1"
    assert KEY.fullmatch(key_a).group(1) == "main" and KEY.fullmatch(key_b)
    no_key_in(result.stdout.str() + result.stderr.str(), [key_a, key_b])


def test_marker_stages_faults_and_task_policies(inner):
    inner.makepyfile(
        test_marked="""
        import json
        import pytest
        from helpers import post, get

        @pytest.mark.fakelab(faults=["all_channels_failed"])
        def test_503(fakelab):
            status, body = post(fakelab, fakelab.api_key, {"model": "gpt-image-2", "prompt": "a"})
            assert status == 503 and body["error"]["type"]

        @pytest.mark.fakelab(faults=[{"fault": "rate_limited; retry_after=3", "times": 1}])
        def test_rule_object(fakelab):
            assert post(fakelab, fakelab.api_key, {"model": "gpt-image-2", "prompt": "a"})[0] == 429
            assert post(fakelab, fakelab.api_key, {"model": "gpt-image-2", "prompt": "a"})[0] == 200

        @pytest.mark.fakelab(task_policy="polls:1,1")
        def test_policy(fakelab):
            assert fakelab.state()["task_policy"] == "polls:1,1"
            status, task = post(fakelab, fakelab.api_key, {"model": "gpt-image-2", "prompt": "a", "async": True})
            assert status == 200
            seen = [json.loads(get(fakelab.url + task["poll_url"], fakelab.api_key)[1])["status"] for _ in range(3)]
            assert seen == ["pending", "processing", "completed"]

        @pytest.mark.fakelab(task_policy={"flux-pro": "instant"})
        def test_policy_per_model(fakelab):
            assert fakelab.state()["model_task_policies"] == {"flux-pro": "instant"}

        @pytest.mark.fakelab(faults=["server_error"])
        class TestLayered:
            @pytest.mark.fakelab(faults=["upstream_error"], task_policy="instant")
            def test_both_layers(self, fakelab):
                assert [r["fault"] for r in fakelab.faults()] == ["server_error", "upstream_error"]
                assert post(fakelab, fakelab.api_key, {"model": "gpt-image-2", "prompt": "a"})[0] == 500

        @pytest.mark.fakelab(seed=7)
        def test_seed(fakelab, fakelab_server):
            assert fakelab.url != fakelab_server.url
            with open("seed.txt", "a") as f:
                f.write(fakelab.url + "\\n")

        @pytest.mark.fakelab(seed=7)
        def test_same_seed_same_server(fakelab):
            with open("seed.txt", "a") as f:
                f.write(fakelab.url + "\\n")

        @pytest.mark.fakelab(fault="server_error")
        def test_typo(fakelab):
            pass

        @pytest.mark.fakelab(faults=["no_such_fault"])
        def test_bad_fault(fakelab):
            pass
        """
    )
    result = inner.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=7, errors=2)
    assert len(set((inner.path / "seed.txt").read_text().split())) == 1
    out = result.stdout.str()
    assert "unknown fault" in out and "known: task_policy, faults, seed" in out


VERDICT_TESTS = """
from helpers import post

BAD = {"model": "gpt-image-2", "prompt": "a cup", "size": "1000x1024"}
GOOD = {"model": "gpt-image-2", "prompt": "a cup", "size": "1024x1024"}

def test_careless(fakelab):
    for _ in range(2):   # retries a 400
        post(fakelab, fakelab.api_key, BAD)

def test_careful(fakelab):
    status, body = post(fakelab, fakelab.api_key, BAD)
    assert status == 400 and body["error"]["param"] == "size"
    assert post(fakelab, fakelab.api_key, GOOD)[0] == 200   # fixed the request instead

def test_no_fakelab():
    pass
"""


def test_verdict_fails_a_careless_test_only(inner, fakelab_server):
    if not verdict_available(fakelab_server):
        pytest.skip("this fakelab binary has no GET /__fakelab/verdict yet (404)")
    inner.makepyfile(test_verdict=VERDICT_TESTS)
    result = inner.runpytest_subprocess("-p", "no:cacheprovider", "--fakelab-verdict", "-rA")
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    assert re.search(r"test_careless FAILED|FAILED test_verdict.py::test_careless", out)
    assert "MUST retried_non_retryable" in out
    assert "requests: #1 POST /v1/images/generations → 400" in out
    without = inner.runpytest_subprocess("-p", "no:cacheprovider")
    without.assert_outcomes(passed=3)


class _StubFake(BaseHTTPRequestHandler):
    """Enough of a fake to drive the verdict hook: each key's first POST body names its verdict."""

    wanted: dict = {}

    def log_message(self, *args):
        pass

    def _key(self):
        return self.headers.get("Authorization", "")

    def _send(self, status, body):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):
        if self.path == "/health":
            return self._send(200, {"status": "ok"})
        kind = self.wanted.get(self._key())
        if self.path.startswith("/__fakelab/journal"):
            entry = {"seq": 1, "method": "POST", "path": "/v1/images/generations", "status": 400, "error": {"code": "invalid_value"}}
            return self._send(200, {"object": "list", "data": [entry, {**entry, "seq": 2}]})
        if self.path.startswith("/__fakelab/verdict"):
            if kind == "404":
                return self._send(404, {"error": {"message": "Unknown route", "type": "invalid_request_error", "code": "not_found"}})
            findings = {
                "must": [{"finding": "retried_non_retryable", "level": "MUST", "message": "a 400 was sent again unchanged", "requests": [1, 2], "advice": "fix the request"}],
                "should": [{"finding": "no_backoff", "level": "SHOULD", "message": "retried at once", "requests": [2]}],
            }.get(kind, [])
            must = sum(f["level"] == "MUST" for f in findings)
            return self._send(200, {"ok": must == 0, "findings": findings, "counts": {"requests": 2, "must": must, "should": len(findings) - must}})
        return self._send(404, {"error": {"message": "no", "code": "not_found"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/v1/images/generations":
            self.wanted[self._key()] = body.get("verdict")
        return self._send(200, {})


@pytest.fixture
def stub_fake():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubFake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_verdict_hook_must_fails_should_reports(inner, stub_fake):
    """The hook's logic, against a stub whose verdicts are fixed (runs whatever the binary has)."""
    inner.makepyfile(
        test_stub="""
        from helpers import post

        def test_must(fakelab):
            post(fakelab, fakelab.api_key, {"verdict": "must"})

        def test_should_only(fakelab):
            post(fakelab, fakelab.api_key, {"verdict": "should"})

        def test_clean(fakelab):
            post(fakelab, fakelab.api_key, {"verdict": "none"})

        def test_endpoint_missing(fakelab):
            post(fakelab, fakelab.api_key, {"verdict": "404"})

        def test_already_failing(fakelab):
            post(fakelab, fakelab.api_key, {"verdict": "must"})
            assert False, "its own failure"
        """
    )
    result = inner.runpytest_subprocess("-p", "no:cacheprovider", f"--fakelab-url={stub_fake}/v1", "--fakelab-verdict", "-rA")
    result.assert_outcomes(passed=2, failed=3)
    out = result.stdout.str()
    for name in ("test_must", "test_endpoint_missing", "test_already_failing"):
        assert f"FAILED test_stub.py::{name}" in out
    assert "MUST retried_non_retryable: a 400 was sent again unchanged" in out
    assert "requests: #1 POST /v1/images/generations → 400 (invalid_value); #2 POST" in out
    assert "advice: fix the request" in out
    assert "SHOULD no_backoff: retried at once" in out
    assert "(SHOULD findings do not fail the test)" in out
    assert "has no GET /__fakelab/verdict" in out
    assert "its own failure" in out
    assert re.search(r"sk-…[0-9a-f]{4}", out)


def test_cassette_records_then_replays_with_the_fake_stopped(inner):
    inner.makepyfile(
        test_cass="""
        import hashlib
        from helpers import post, get

        def test_generation(fakelab_cassette, fakelab_server):
            status, body = post(fakelab_cassette.base_url, fakelab_cassette.api_key, {"model": "gpt-image-2", "prompt": "a fox"})
            assert status == 200, body
            code, image = get(body["data"][0]["url"])
            assert code == 200 and image[:4] == b"\\x89PNG"
            with open("seen.txt", "a") as f:
                f.write(f"{fakelab_cassette.mode} {body['billing_transaction_id']} {hashlib.sha256(image).hexdigest()} "
                        f"{getattr(fakelab_server, 'pid', None)}\\n")
        """
    )
    recorded = inner.runpytest_subprocess("-p", "no:cacheprovider", "--fakelab-record-mode=once")
    recorded.assert_outcomes(passed=1)
    cassette = inner.path / "cassettes" / "test_cass" / "test_generation.cassette"
    assert cassette.is_file()
    (mode, billing, digest, pid), = _lines(inner.path / "seen.txt")
    assert mode == "once" and _gone(int(pid)), "the session's fake must be stopped after the recording run"

    # Replay: no fake anywhere (--fakelab-url points at a closed port, so nothing could reach one).
    inner.makepyfile(
        test_cass="""
        import hashlib
        from helpers import post, get

        def test_generation(fakelab_cassette):
            status, body = post(fakelab_cassette.base_url, fakelab_cassette.api_key, {"model": "gpt-image-2", "prompt": "a fox"})
            assert status == 200, body
            code, image = get(body["data"][0]["url"])
            with open("seen.txt", "a") as f:
                f.write(f"{fakelab_cassette.mode} {body['billing_transaction_id']} {hashlib.sha256(image).hexdigest()} -\\n")

        def test_miss(fakelab_cassette):
            status, body = post(fakelab_cassette.base_url, fakelab_cassette.api_key, {"model": "gpt-image-2", "prompt": "a fox"})
            raise AssertionError("unreachable")
        """
    )
    replayed = inner.runpytest_subprocess("-p", "no:cacheprovider", "--fakelab-url=http://127.0.0.1:1", "-k", "test_generation")
    replayed.assert_outcomes(passed=1)
    assert _lines(inner.path / "seen.txt")[1][:3] == ["none", billing, digest]

    missing = inner.runpytest_subprocess("-p", "no:cacheprovider", "-k", "test_miss")
    missing.assert_outcomes(errors=1)
    assert "no cassette at" in missing.stdout.str() and "--fakelab-record-mode=once" in missing.stdout.str()


def test_cassette_records_from_the_upstream_given(inner):
    inner.makepyfile(
        test_up="""
        from helpers import post

        def test_one(fakelab_cassette):
            assert fakelab_cassette.recording and fakelab_cassette.mode == "all"
            assert post(fakelab_cassette.base_url, fakelab_cassette.api_key, {"model": "gpt-image-2", "prompt": "x"})[0] == 200
            with open("key.txt", "w") as f:
                f.write(str(fakelab_cassette.api_key))
        """
    )
    with FakelabServer(seed=5) as upstream:
        result = inner.runpytest_subprocess("-p", "no:cacheprovider", "--fakelab-record-mode=all", f"--fakelab-upstream={upstream.url}")
        result.assert_outcomes(passed=1)
        key = (inner.path / "key.txt").read_text()
        assert [e["path"] for e in upstream.client(key).journal()] == ["/v1/images/generations"]
    no_key_in(result.stdout.str(), [key])


def test_xdist_workers_are_isolated(inner):
    pytest.importorskip("xdist")
    tests = "\n".join(
        f"""
def test_{i}(fakelab):
    import os
    fakelab.fault("server_error", times={i % 3 + 1})
    statuses = [post(fakelab, fakelab.api_key, {{"model": "gpt-image-2", "prompt": "{i}"}})[0] for _ in range(4)]
    assert statuses == [500] * {i % 3 + 1} + [200] * (3 - {i % 3})
    assert len(fakelab.journal()) == 4
    with open("seen-{i}.txt", "w") as f:
        f.write(f"{{os.environ.get('PYTEST_XDIST_WORKER')}} {{fakelab.api_key}} {{fakelab.url}}")
"""
        for i in range(8)
    )
    inner.makepyfile(test_par="from helpers import post\n" + tests)
    result = inner.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=8)
    seen = [(inner.path / f"seen-{i}.txt").read_text().split() for i in range(8)]
    workers = {w for w, _, _ in seen}
    assert workers == {"gw0", "gw1"}
    keys = [k for _, k, _ in seen]
    assert len(set(keys)) == 8
    for worker, key, _ in seen:
        assert KEY.fullmatch(key).group(1) == worker
    assert len({u for _, _, u in seen}) == 2  # one fake per worker
    no_key_in(result.stdout.str() + result.stderr.str(), keys)


def test_an_external_fake_and_another_binary(inner, tmp_path):
    inner.makepyfile(
        test_ext="""
        def test_url(fakelab, fakelab_server):
            with open("url.txt", "w") as f:
                f.write(fakelab.url)
        """
    )
    with FakelabServer() as server:
        result = inner.runpytest_subprocess("-p", "no:cacheprovider", f"--fakelab-url={server.url}/v1")
        result.assert_outcomes(passed=1)
        assert (inner.path / "url.txt").read_text() == server.url
        os.environ["FAKELAB_URL"] = server.url
        try:
            inner.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
        finally:
            del os.environ["FAKELAB_URL"]
    log = tmp_path / "ran.txt"
    wrapper = tmp_path / "fakelab-wrapper"
    from fakelab import binary_path

    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {binary_path()} "$@"\n')
    wrapper.chmod(0o755)
    result = inner.runpytest_subprocess("-p", "no:cacheprovider", f"--fakelab-binary={wrapper}", "--fakelab-seed=11")
    result.assert_outcomes(passed=1)
    assert "serve --host 127.0.0.1 --port 0 --seed 11" in log.read_text()


def test_a_fake_that_cannot_start_is_explained(inner):
    inner.makepyfile(
        test_broken="""
        def test_one(fakelab):
            pass

        def test_two(fakelab):
            pass
        """
    )
    result = inner.runpytest_subprocess("-p", "no:cacheprovider", "--fakelab-server-arg=--task-policy=whenever")
    result.assert_outcomes(errors=2)
    out = result.stdout.str()
    assert "FakelabStartError" in out and "--- stderr ---" in out and "whenever" in out


def test_no_key_in_any_output(inner):
    inner.makepyfile(
        test_leaky="""
        import pytest
        from helpers import post

        def _keep(key):
            with open("keys.txt", "a") as f:
                f.write(str(key) + "\\n")

        def test_compare_key(fakelab):
            _keep(fakelab.api_key)
            key = fakelab.api_key
            headers = fakelab.headers
            assert key == "sk-something-else-entirely"

        def test_compare_plain_string(fakelab):
            _keep(fakelab.api_key)
            auth = "Bearer " + str(fakelab.api_key)
            assert {"Authorization": auth} == {}

        def test_error(fakelab):
            _keep(fakelab.api_key)
            fakelab.task_policy("whenever")

        def test_repr(fakelab):
            _keep(fakelab.api_key)
            assert fakelab is None

        def test_cassette(fakelab_cassette):
            _keep(fakelab_cassette.api_key)
            assert fakelab_cassette is None
        """
    )
    result = inner.runpytest_subprocess("-p", "no:cacheprovider", "-vv", "-l", "-rA", "--fakelab-record-mode=once")
    result.assert_outcomes(failed=5)
    keys = (inner.path / "keys.txt").read_text().split()
    assert len(keys) == 5
    out = result.stdout.str() + result.stderr.str()
    no_key_in(out, keys)
    assert "sk-…" in out


def test_marker_faults_are_recorded_then_replayed(inner):
    """The marker stages on the cassette's key too: an error answer is recorded, then replayed offline."""
    inner.makepyfile(
        test_err="""
        import pytest
        from helpers import post

        @pytest.mark.fakelab(faults=["all_channels_failed"])
        def test_error_answer(fakelab_cassette):
            status, body = post(fakelab_cassette.base_url, fakelab_cassette.api_key, {"model": "gpt-image-2", "prompt": "a"})
            assert status == 503, body
        """
    )
    inner.runpytest_subprocess("-p", "no:cacheprovider", "--fakelab-record-mode=once").assert_outcomes(passed=1)
    replay = inner.runpytest_subprocess("-p", "no:cacheprovider", "--fakelab-url=http://127.0.0.1:1")
    replay.assert_outcomes(passed=1)


def test_a_crashed_fake_is_reported_and_replaced(inner):
    inner.makepyfile(
        test_crash="""
        import os, signal, time

        def test_kills_it(fakelab, fakelab_server):
            os.kill(fakelab_server.pid, signal.SIGKILL)
            time.sleep(0.2)
            fakelab.state()

        def test_next_one_gets_a_new_fake(fakelab):
            assert fakelab.state()["journal_entries"] == 0
        """
    )
    result = inner.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    assert "fakelab server exited with status -9" in result.stdout.str()
