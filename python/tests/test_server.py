"""FakelabServer / FakelabRecorder: start, stop, failures, no orphans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import call, generate

from fakelab import FakelabRecorder, FakelabServer, FakelabStartError, binary_path


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # a zombie still answers kill(0): look at its state
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().split(")")[-1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_server_starts_on_a_free_port_and_stops():
    with FakelabServer(seed=3) as server:
        assert server.running and server.base_url.endswith("/v1")
        assert call("GET", server.url + "/health").json == {"status": "ok"}
        pid = server.pid
    assert not server.running and _gone(pid)
    with pytest.raises(OSError):
        call("GET", server.url + "/health", timeout=2)


def test_same_seed_same_answer():
    urls = []
    for _ in range(2):
        with FakelabServer(seed=42) as server:
            answer = generate(server.client())
            urls.append(answer.json["data"][0]["url"].split("/fakelab/images/")[1])
    assert urls[0] == urls[1]


def test_start_failure_shows_stderr():
    with pytest.raises(FakelabStartError) as caught:
        FakelabServer(args=["--task-policy", "whenever"]).start()
    text = str(caught.value)
    assert "exited with status" in text and "--- stderr ---" in text and "whenever" in text


def test_stderr_is_bounded():
    server = FakelabServer(args=["--log-level", "trace"], stderr_limit=512)
    with server:
        lab = server.client()
        for _ in range(20):
            generate(lab)
    assert len(server.stderr()) <= 512 * 2  # bounded (a whole line may straddle the limit)


def test_a_missing_binary_is_a_clear_error(tmp_path):
    with pytest.raises(FakelabStartError, match="cannot run"):
        FakelabServer(binary=str(tmp_path / "nope")).start()


def test_no_orphan_when_the_parent_is_killed(tmp_path):
    """PR_SET_PDEATHSIG: SIGKILL the Python parent, the fake goes too."""
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, time
            from fakelab import FakelabServer
            server = FakelabServer().start()
            print(server.pid, flush=True)
            time.sleep(600)
            """
        )
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert not _gone(child, 0.2)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    assert _gone(child), "the fake outlived its killed parent"


def test_record_then_replay_without_the_upstream(tmp_path):
    cassette = tmp_path / "one.cassette"
    body = {"model": "gpt-image-2", "prompt": "a fox", "size": "1024x1024"}
    with FakelabServer(seed=1) as upstream:
        with FakelabRecorder(cassette, "once", upstream.url) as recorder:
            recorded = generate(recorder.client(), body)
            assert recorded.status == 200
            assert recorder.status()
    assert cassette.is_file()
    with FakelabRecorder(cassette, "none") as replay:  # the upstream is gone
        replayed = generate(replay.client(), body)
        assert replayed.status == 200
        assert replayed.json["billing_transaction_id"] == recorded.json["billing_transaction_id"]
        missed = generate(replay.client(), {**body, "size": "512x512"})
        assert missed.status == 404 and missed.json["error"]["code"] == "cassette_miss"


def test_record_modes_need_an_upstream(tmp_path):
    with pytest.raises(ValueError):
        FakelabRecorder(tmp_path / "x.cassette", "once")


def test_binary_path_is_executable():
    path = binary_path()
    assert os.path.isfile(path) and os.access(path, os.X_OK)


def test_new_episodes_adds_to_a_cassette(tmp_path):
    cassette = tmp_path / "grow.cassette"
    first = {"model": "gpt-image-2", "prompt": "one"}
    second = {"model": "gpt-image-2", "prompt": "two"}
    key = "sk-test-new-episodes-01"
    with FakelabServer() as upstream:
        with FakelabRecorder(cassette, "once", upstream.url) as recorder:
            assert generate(recorder.client(key), first).status == 200
        with FakelabRecorder(cassette, "new_episodes", upstream.url) as recorder:
            assert generate(recorder.client(key), first).status == 200  # replayed
            assert generate(recorder.client(key), second).status == 200  # recorded
        assert len(upstream.client(key).journal(method="POST")) == 2  # the replayed one never went upstream
    with FakelabRecorder(cassette, "none") as replay:
        assert generate(replay.client(key), first).status == 200
        assert generate(replay.client(key), second).status == 200
