"""The control-API client against the real binary (through the plugin's own fixtures)."""

from __future__ import annotations

import re

import pytest
from conftest import call, generate

from fakelab import ApiKey, Fakelab, FakelabConnectionError, FakelabError, fault_spec, mask


def test_fault_spec_is_the_documented_text_form():
    assert fault_spec("delay", ms=1500) == "delay; ms=1500"
    assert fault_spec("rate_limited", retry_after=2, limit=10) == "rate_limited; limit=10; retry_after=2"
    assert fault_spec("server_error") == "server_error"
    assert Fakelab.fault_header("task_failed", reason="content_policy") == {"X-Fakelab-Fault": "task_failed; reason=content_policy"}
    with pytest.raises(ValueError):
        fault_spec("delay", ms="1; reset")


def test_base_url_forms():
    for given in ("http://127.0.0.1:9/v1", "http://127.0.0.1:9/", "http://127.0.0.1:9"):
        lab = Fakelab(given, "sk-test-00000001")
        assert (lab.url, lab.base_url) == ("http://127.0.0.1:9", "http://127.0.0.1:9/v1")
    with pytest.raises(ValueError):
        Fakelab("127.0.0.1:9")


def test_a_client_without_a_key_gets_a_fresh_one(fakelab_server):
    a, b = Fakelab(fakelab_server.url), Fakelab(fakelab_server.url)
    assert a.api_key != b.api_key and re.fullmatch(r"sk-py-[0-9a-f]{32}", a.api_key)
    a.fault("server_error")
    assert a.faults() and not b.faults()


def test_fault_rule_hits_the_next_matching_request(fakelab):
    rules = fakelab.fault("server_error", route="/v1/images/generations", method="POST", times=1)
    assert rules[0]["fault"] == "server_error" and rules[0]["times"] == 1
    assert generate(fakelab).status == 500
    assert generate(fakelab).status == 200
    assert fakelab.faults()[0]["fired"] == 1
    fakelab.clear_faults()
    assert fakelab.faults() == []


def test_fault_parameters_reach_the_answer(fakelab):
    fakelab.fault("rate_limited", retry_after=2, times=1)
    answer = generate(fakelab)
    assert answer.status == 429 and answer.headers["retry-after"] == "2"
    assert answer.json["error"]["retry_after"] == 2


def test_rules_accept_texts_and_objects(fakelab):
    fakelab.rules(["upstream_error", {"fault": "all_channels_failed; retry_after=1", "route": "/v1/tasks/*"}])
    assert [r["fault"] for r in fakelab.faults()] == ["upstream_error", "all_channels_failed; retry_after=1"]
    assert generate(fakelab).status == 502


def test_one_request_fault_by_header(fakelab):
    answer = generate(fakelab, headers=Fakelab.fault_header("all_channels_failed"))
    assert answer.status == 503
    assert generate(fakelab).status == 200


def test_task_policy_and_clock(fakelab):
    fakelab.task_policy("duration:120,30")
    assert fakelab.state()["task_policy"] == "duration:120,30"
    task = generate(fakelab, {"model": "gpt-image-2", "prompt": "a cup", "async": True}).json
    assert task["status"] == "pending"
    poll = fakelab.url + task["poll_url"]
    assert call("GET", poll, fakelab.api_key).json["status"] == "pending"
    assert fakelab.advance(150)["clock_offset_seconds"] == 150
    assert call("GET", poll, fakelab.api_key).json["status"] == "completed"


def test_task_policy_per_model_and_cleared(fakelab):
    fakelab.task_policy("polls:1,1", model="flux-pro")
    assert fakelab.state()["model_task_policies"] == {"flux-pro": "polls:1,1"}
    fakelab.task_policy(None)
    assert fakelab.state()["model_task_policies"] == {} and fakelab.state()["task_policy"] is None


def test_journal_and_verify(fakelab):
    generate(fakelab)
    generate(fakelab, {"model": "gpt-image-2", "prompt": "a cup", "size": "1000x1024"})
    entries = fakelab.journal()
    assert [e["status"] for e in entries] == [200, 400]
    assert [e["seq"] for e in fakelab.journal(since=entries[0]["seq"])] == [entries[1]["seq"]]
    assert len(fakelab.journal(method="POST", limit=1)) == 1
    result = fakelab.verify([{"check": "count", "method": "POST", "path": "/v1/images/generations", "equals": 2}])
    assert result["ok"] is True
    assert fakelab.verify({"checks": [{"check": "count", "path": "/v1/images/generations", "equals": 5}]})["ok"] is False


def test_reset_forgets_the_key(fakelab):
    fakelab.fault("server_error")
    generate(fakelab)
    fakelab.reset()
    assert fakelab.faults() == [] and fakelab.journal() == []


def test_errors_carry_the_envelope_and_never_the_key(fakelab):
    with pytest.raises(FakelabError) as caught:
        fakelab.task_policy("sometimes")
    error = caught.value
    assert (error.status, error.param) == (400, "policy")
    assert error.code and error.message
    with pytest.raises(FakelabError) as caught:
        fakelab.fault("no_such_fault")
    assert caught.value.status == 400 and "no_such_fault" in caught.value.message
    for text in (str(error), repr(error), str(caught.value), repr(fakelab), repr(fakelab.api_key), repr(fakelab.headers)):
        assert fakelab.api_key not in text
    assert mask(fakelab.api_key) in repr(fakelab)
    assert repr(fakelab.api_key) == repr(mask(fakelab.api_key)) and str(fakelab.api_key).startswith("sk-pytest-")


def test_error_text_scrubs_tokens():
    error = FakelabError(400, "bad key sk-abcdefgh12345678 sent")
    assert "sk-abcdefgh12345678" not in str(error) and "sk-…5678" in str(error)
    assert isinstance(ApiKey("sk-abcdefgh12345678"), str)


def test_connection_errors_are_fakelab_errors():
    with pytest.raises(FakelabConnectionError) as caught:
        Fakelab("http://127.0.0.1:1", "sk-test-00000001", timeout=2).state()
    assert caught.value.status is None and "127.0.0.1:1" in str(caught.value)


def test_verdict_of_a_careful_client(fakelab, needs_verdict):
    assert generate(fakelab).status == 200
    verdict = fakelab.verdict()
    assert verdict.ok and verdict.must == [] and verdict["counts"]["requests"] >= 1


def test_verdict_of_a_careless_client(fakelab, needs_verdict):
    bad = {"model": "gpt-image-2", "prompt": "a cup", "size": "1000x1024"}
    assert generate(fakelab, bad).status == 400
    assert generate(fakelab, bad).status == 400  # the same 400 again: a MUST finding
    verdict = fakelab.verdict()
    assert not verdict.ok
    assert "retried_non_retryable" in [f["finding"] for f in verdict.must]
    assert fakelab.verdict(since=fakelab.journal()[-1]["seq"]).must == []


def test_control_token(inner):
    from fakelab import FakelabServer

    with FakelabServer(args=["--control-token", "tok-123456"]) as server:
        with pytest.raises(FakelabError) as caught:
            server.client().state()
        assert caught.value.status == 403
        lab = server.client(control_token="tok-123456")
        assert lab.state()["journal_entries"] == 0
        assert "tok-123456" not in repr(lab)
        inner.makepyfile(test_tok="def test_one(fakelab):\n    fakelab.fault('server_error')\n    assert fakelab.faults()\n")
        result = inner.runpytest_subprocess("-p", "no:cacheprovider", f"--fakelab-url={server.url}", "--fakelab-control-token=tok-123456")
        result.assert_outcomes(passed=1)


def test_poll_path(fakelab):
    try:
        fakelab.task_policy(None, poll_path="/v1/images/generations/{id}")
    except FakelabError as error:
        if error.param == "policy":
            pytest.skip("this fakelab binary predates poll_path (issue 14)")
        raise
    task = generate(fakelab, {"model": "flux-pro", "prompt": "a cup"}).json
    assert task["poll_url"] == f"/v1/images/generations/{task['id']}"
    fakelab.task_policy("instant", poll_path="/v1/tasks/{id}")
    task = generate(fakelab, {"model": "flux-pro", "prompt": "a cup"}).json
    assert task["poll_url"] == f"/v1/tasks/{task['id']}"
    assert call("GET", fakelab.url + task["poll_url"], fakelab.api_key).json["status"] == "completed"
