"""A client for Fakelab's control API (``/__fakelab/``), standard library only.

Every call acts on one API key — the tenant the fake keeps its faults, task policies, clock,
journal and tasks under — so clients with different keys never see each other's state::

    lab = Fakelab("http://127.0.0.1:8080/v1", api_key="sk-test-00000001")
    lab.fault("rate_limited", retry_after=2, times=1)      # the next matching request gets a 429
    lab.task_policy("polls:1,2")
    ...
    assert lab.verdict()["ok"]
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Iterable, Mapping, Sequence

from ._secrets import ApiKey, MaskedHeaders, mask, scrub

__all__ = ["Fakelab", "FakelabError", "FakelabConnectionError", "Verdict", "fault_spec", "new_key"]

# Rule fields the control API matches on; everything else given to `fault()` is a fault parameter.
_RULE_FIELDS = ("route", "method", "model", "times", "after", "probability")

# Loopback traffic must never go through an HTTP(S)_PROXY from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def new_key(prefix: str = "sk-py") -> ApiKey:
    """A fresh API key (``prefix-<32 hex>``): a new, empty tenant on the fake."""
    return ApiKey(f"{prefix}-{uuid.uuid4().hex}")


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def fault_spec(name: str, **params: Any) -> str:
    """The fault's text form, as the ``X-Fakelab-Fault`` header and rules take it.

    ``fault_spec("delay", ms=1500)`` → ``"delay; ms=1500"``. Parameters are sorted, the order
    the fake itself prints them in. A ``name`` that already holds parameters is kept as given.
    """
    if not name or any(c in name for c in "\r\n"):
        raise ValueError(f"not a fault name: {name!r}")
    pieces = [name.strip()]
    for key in sorted(params):
        value = params[key]
        if value is None:
            continue
        text = _value(value)
        if any(c in text for c in ";\r\n") or "=" in key or ";" in key:
            raise ValueError(f"fault parameter {key}={text!r} cannot hold ';', '=' or a newline")
        pieces.append(f"{key}={text}")
    return "; ".join(pieces)


class FakelabError(Exception):
    """An error answer from the fake, in TokenLab's envelope.

    ``status`` (HTTP status), ``code``, ``param``, ``message``, ``type`` and ``request_id`` come
    from ``{"error": {…}}``; ``body`` is the whole decoded answer (or its text). Never carries the key.
    """

    def __init__(
        self,
        status: int | None,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        type: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        method: str = "",
        path: str = "",
    ) -> None:
        self.status = status
        self.request_id = request_id
        self.code = code
        self.param = param
        self.type = type
        self.message = scrub(message or "")
        self.body = body
        self.method = method
        self.path = path
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.method} {self.path}: " if self.method else ""
        status = f"{self.status} " if self.status is not None else ""
        details = ", ".join(f"{k}={v}" for k, v in (("code", self.code), ("param", self.param), ("request_id", self.request_id)) if v)
        return f"{where}{status}{self.message}" + (f" ({details})" if details else "")

    def __repr__(self) -> str:
        return f"FakelabError(status={self.status!r}, code={self.code!r}, param={self.param!r}, message={self.message!r})"


class FakelabConnectionError(FakelabError):
    """The fake could not be reached (refused, reset, timed out)."""


class Verdict(dict):
    """``GET /__fakelab/verdict``: ``{"ok", "findings", "counts"}`` with helpers."""

    @property
    def ok(self) -> bool:
        return bool(self.get("ok"))

    @property
    def findings(self) -> list[dict]:
        return list(self.get("findings") or [])

    @property
    def must(self) -> list[dict]:
        return [f for f in self.findings if f.get("level") == "MUST"]

    @property
    def should(self) -> list[dict]:
        return [f for f in self.findings if f.get("level") == "SHOULD"]


class Fakelab:
    """The control API of one fake, bound to one API key.

    ``base_url`` is the fake's root (``http://127.0.0.1:8080``) or its API base
    (``…/v1``); ``url`` is always the root and ``base_url`` the API base. Without ``api_key`` a
    fresh key is made, so a new client starts with a tenant of its own. ``control_token`` is sent
    as ``X-Fakelab-Control-Token`` (a fake started with ``--control-token``).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        control_token: str | None = None,
        *,
        timeout: float = 30.0,
    ) -> None:
        root = base_url.rstrip("/")
        if root.endswith("/v1"):
            root = root[: -len("/v1")]
        parsed = urllib.parse.urlsplit(root)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.url = root
        self.base_url = root + "/v1"
        self.api_key = ApiKey(api_key) if api_key else new_key()
        self._control_token = control_token
        self.timeout = timeout

    def __repr__(self) -> str:
        token = ", control_token='…'" if self._control_token else ""
        return f"{type(self).__name__}(url={self.url!r}, api_key={mask(self.api_key)!r}{token})"

    # -- helpers ---------------------------------------------------------------------------

    @property
    def headers(self) -> MaskedHeaders:
        """``Authorization`` for this key (a dict whose repr masks it)."""
        return MaskedHeaders({"Authorization": f"Bearer {self.api_key}"})

    def with_key(self, api_key: str | None = None) -> "Fakelab":
        """The same fake, another key (a fresh one by default)."""
        return Fakelab(self.url, api_key, self._control_token, timeout=self.timeout)

    @staticmethod
    def fault_header(name: str, **params: Any) -> dict[str, str]:
        """``{"X-Fakelab-Fault": "…"}`` for one request: ``fault_header("delay", ms=1500)``."""
        return {"X-Fakelab-Fault": fault_spec(name, **params)}

    def request(self, method: str, path: str, body: Any = None, query: Mapping[str, Any] | None = None) -> Any:
        """One call to the fake with this key; the decoded JSON answer. Raises :class:`FakelabError`."""
        if query:
            items = [(k, _value(v)) for k, v in query.items() if v is not None]
            if items:
                path = f"{path}?{urllib.parse.urlencode(items)}"
        data = None
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        if self._control_token:
            headers["X-Fakelab-Control-Token"] = self._control_token
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with _OPENER.open(req, timeout=self.timeout) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as error:
            raw = error.read() if error.fp else b""
            raise self._error(error.code, raw, method, path) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FakelabConnectionError(
                None, f"cannot reach {self.url}: {reason}", code="connection_error", method=method, path=path
            ) from None
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise FakelabError(
                200, f"answer is not JSON: {raw[:200]!r}", code="invalid_json", body=raw, method=method, path=path
            ) from None

    @staticmethod
    def _error(status: int, raw: bytes, method: str, path: str) -> FakelabError:
        try:
            body = json.loads(raw)
        except ValueError:
            text = raw.decode("utf-8", "replace")
            return FakelabError(status, text[:500] or f"HTTP {status}", body=text, method=method, path=path)
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return FakelabError(status, json.dumps(body)[:500], body=body, method=method, path=path)
        return FakelabError(
            status,
            str(error.get("message") or f"HTTP {status}"),
            code=error.get("code"),
            param=error.get("param"),
            type=error.get("type"),
            request_id=error.get("request_id"),
            body=body,
            method=method,
            path=path,
        )

    # -- the control API -------------------------------------------------------------------

    def health(self) -> bool:
        """True when ``GET /health`` answers ``{"status": "ok"}``."""
        try:
            return (self.request("GET", "/health") or {}).get("status") == "ok"
        except FakelabError:
            return False

    def fault(
        self,
        name: str,
        *,
        route: str | None = None,
        method: str | None = None,
        model: str | None = None,
        times: int | None = None,
        after: int | None = None,
        probability: float | None = None,
        rule_seed: int | None = None,
        **params: Any,
    ) -> list[dict]:
        """Add one fault rule for this key; returns the key's rules.

        ``params`` become the fault's own parameters (``fault("delay", ms=1500)`` stages
        ``delay; ms=1500``; ``seed=`` is the delay's seed). ``route`` (a path or ``prefix*``),
        ``method``, ``model``, ``times``, ``after`` and ``probability`` say which requests it hits;
        ``rule_seed`` seeds the rule's ``probability`` draws.
        """
        rule: dict[str, Any] = {"fault": fault_spec(name, **params)}
        for key, value in zip(_RULE_FIELDS, (route, method, model, times, after, probability)):
            if value is not None:
                rule[key] = value
        if rule_seed is not None:
            rule["seed"] = rule_seed
        return self.rules([rule])

    def rules(self, rules: Iterable[Mapping[str, Any] | str]) -> list[dict]:
        """Add fault rules (rule objects as the README documents them, or fault texts such as
        ``"server_error"`` / ``"rate_limited; retry_after=2"``); returns the key's rules."""
        items = [{"fault": r} if isinstance(r, str) else dict(r) for r in rules]
        if not items:
            return self.faults()
        return list((self.request("POST", "/__fakelab/faults", {"rules": items}) or {}).get("rules", []))

    def faults(self) -> list[dict]:
        """The key's fault rules and how often each fired."""
        return list((self.request("GET", "/__fakelab/faults") or {}).get("rules", []))

    def clear_faults(self) -> None:
        """Forget the key's fault rules."""
        self.request("DELETE", "/__fakelab/faults")

    def task_policy(self, policy: str | None, model: str | None = None, poll_path: str | None = None) -> dict:
        """Set the key's task timeline (``instant``, ``polls:P,R``, ``duration:P,R``, optionally
        ``+fail:REASON``), for one ``model`` if given. ``poll_path`` picks the route the answers'
        ``poll_url`` names for the key's new tasks (``/v1/tasks/{id}`` or
        ``/v1/images/generations/{id}``); it can be sent alone (``policy=None``). With neither,
        the key's policies are cleared."""
        if policy is None and poll_path is None:
            return self.request("DELETE", "/__fakelab/task-policy") or {}
        body: dict[str, Any] = {}
        if policy is not None:
            body["policy"] = policy
        if model is not None:
            body["model"] = model
        if poll_path is not None:
            body["poll_path"] = poll_path
        return self.request("PUT", "/__fakelab/task-policy", body) or {}

    def clear_task_policy(self) -> None:
        self.task_policy(None)

    def advance(self, seconds: float) -> dict:
        """Move this key's clock forward (its tasks age; nobody else's do)."""
        return self.request("POST", "/__fakelab/clock/advance", {"seconds": seconds}) or {}

    def journal(self, **filters: Any) -> list[dict]:
        """What this key sent and got, oldest first. Filters: ``path`` (``/v1/tasks/*``),
        ``method``, ``status``, ``since`` (a seq), ``limit``."""
        return list((self.request("GET", "/__fakelab/journal", query=filters) or {}).get("data", []))

    def verify(self, checks: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> dict:
        """``POST /__fakelab/verify``: ``{"ok": …, "results": […]}`` for the checks given (a list of
        check objects, or ``{"checks": […]}``)."""
        body = dict(checks) if isinstance(checks, Mapping) else {"checks": [dict(c) for c in checks]}
        return self.request("POST", "/__fakelab/verify", body) or {}

    def verdict(self, since: int | None = None) -> Verdict:
        """``GET /__fakelab/verdict``: what the key's traffic did wrong (MUST / SHOULD findings)."""
        return Verdict(self.request("GET", "/__fakelab/verdict", query={"since": since}) or {})

    def reset(self) -> None:
        """Forget the key's rules, policies, clock, journal, rate window and tasks."""
        self.request("POST", "/__fakelab/reset")

    def state(self) -> dict:
        """The key's task policies, rules, clock offset and journal size."""
        return self.request("GET", "/__fakelab/state") or {}
