"""pytest plugin for Fakelab, registered by the wheel (entry point ``pytest11``).

Fixtures
    ``fakelab_server`` (session): the fake — the bundled binary started on a free port, or the
    one at ``--fakelab-url`` / ``$FAKELAB_URL``.
    ``fakelab`` (function): a :class:`fakelab.Fakelab` bound to a fresh key
    (``sk-pytest-<worker>-<hex>``), with ``base_url`` (``…/v1``), ``api_key``, ``url`` and the
    control methods; the key's state is reset after the test.
    ``fakelab_cassette`` (function): a recorder or replayer for this test's cassette
    (``cassettes/<module>/<test>.cassette`` beside the test file), per ``--fakelab-record-mode``.

Marker
    ``@pytest.mark.fakelab(task_policy=…, faults=[…], seed=…)``: applied to the ``fakelab`` key
    before the test body runs.

Options
    ``--fakelab-verdict`` fails a test whose traffic has a MUST finding
    (``GET /__fakelab/verdict``); see ``pytest --help`` for the rest.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import re
import uuid
from pathlib import Path
from typing import Any, Iterable

import pytest

from ._binary import binary_path
from ._secrets import _TOKEN, ApiKey, MaskedHeaders, mask, scrub
from .client import Fakelab, FakelabError
from .server import FakelabRecorder, FakelabServer, FakelabStartError

RECORD_MODES = ("once", "new_episodes", "none", "all")
_MARKER_KEYS = {"task_policy", "faults", "seed"}

_SESSION = pytest.StashKey["_Session"]()
_CLIENT = pytest.StashKey[Fakelab]()
_RECORDER = pytest.StashKey[FakelabRecorder]()
_SERVER = pytest.StashKey[Any]()


# -- options and configuration -------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakelab", "Fakelab (a fake TokenLab image API)")
    group.addoption(
        "--fakelab-url",
        metavar="URL",
        default=None,
        help="use the fake already running at URL (its root or …/v1) instead of starting one; default $FAKELAB_URL",
    )
    group.addoption(
        "--fakelab-binary",
        metavar="PATH",
        default=None,
        help="the fakelab binary to run (default: $FAKELAB_BINARY, else the one bundled in the wheel)",
    )
    group.addoption("--fakelab-seed", metavar="N", type=int, default=0, help="seed of the session's fake (default 0)")
    group.addoption(
        "--fakelab-server-arg",
        metavar="ARG",
        action="append",
        default=[],
        help="an extra `fakelab serve` argument for the session's fake (repeatable), e.g. --fakelab-server-arg=--rate-limit=0",
    )
    group.addoption(
        "--fakelab-control-token",
        metavar="TOKEN",
        default=None,
        help="X-Fakelab-Control-Token for a fake started with --control-token; default $FAKELAB_CONTROL_TOKEN",
    )
    group.addoption(
        "--fakelab-verdict",
        action="store_true",
        default=False,
        help="fail a test whose traffic to the fake has a MUST finding (GET /__fakelab/verdict); SHOULD findings are reported only",
    )
    group.addoption(
        "--fakelab-record-mode",
        choices=RECORD_MODES,
        default="none",
        help="fakelab_cassette: once (record a missing cassette, else replay), new_episodes (replay, record what is missing), "
        "all (record everything anew), none (replay only; the default)",
    )
    group.addoption(
        "--fakelab-upstream",
        metavar="URL",
        default=None,
        help="what fakelab_cassette records from (default: the session's fake, so record and replay work offline)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fakelab(task_policy=None, faults=(), seed=None): staged on the `fakelab` fixture's key before the test: "
        "task_policy 'polls:1,2' (or {'policy': …, 'model': …, 'poll_path': …}, or {model: policy}), "
        "faults ['server_error', 'rate_limited; retry_after=2', {'fault': …, 'times': 1}], "
        "seed N (the test gets a fake started with --seed N)",
    )
    session = _Session(config)
    config.stash[_SESSION] = session
    atexit.register(session.close)


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.stash.get(_SESSION, None)
    if session is not None:
        session.close()


def pytest_report_header(config: pytest.Config) -> str | None:
    session = config.stash.get(_SESSION, None)
    if session is None:
        return None
    if session.external_url:
        return f"fakelab: {session.external_url} (running elsewhere)"
    try:
        return f"fakelab: {session.binary()} (started on first use, seed {session.seed})"
    except FileNotFoundError as error:
        return f"fakelab: {error}"


# -- the session's fakes ---------------------------------------------------------------------


class ExternalFake:
    """A fake that was already running (``--fakelab-url``); ``url`` and ``base_url`` like a server's."""

    def __init__(self, url: str) -> None:
        root = url.rstrip("/")
        self.url = root[: -len("/v1")] if root.endswith("/v1") else root
        self.base_url = self.url + "/v1"
        self.seed = None

    def __repr__(self) -> str:
        return f"ExternalFake({self.url!r})"

    def client(self, api_key: str | None = None, control_token: str | None = None) -> Fakelab:
        return Fakelab(self.url, api_key, control_token)

    def stderr(self) -> str:
        return ""


class _Session:
    """The fakes of one pytest process (one per xdist worker): the default one and one per marker seed."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.external_url = config.getoption("fakelab_url") or os.environ.get("FAKELAB_URL") or None
        self.seed = config.getoption("fakelab_seed")
        self.extra_args = list(config.getoption("fakelab_server_arg") or [])
        self.control_token = config.getoption("fakelab_control_token") or os.environ.get("FAKELAB_CONTROL_TOKEN") or None
        self._servers: dict[int, FakelabServer] = {}
        self._failures: dict[int, BaseException] = {}
        self._external: ExternalFake | None = None

    def binary(self) -> str:
        return self.config.getoption("fakelab_binary") or os.environ.get("FAKELAB_BINARY") or binary_path()

    def server(self, seed: int | None = None) -> FakelabServer | ExternalFake:
        if self.external_url:
            if seed is not None:
                pytest.fail(
                    f"@pytest.mark.fakelab(seed={seed}) needs a fake started by the plugin; "
                    "--fakelab-url / FAKELAB_URL points at one started with its own seed",
                    pytrace=False,
                )
            if self._external is None:
                fake = ExternalFake(self.external_url)
                if not fake.client(control_token=self.control_token).health():
                    pytest.fail(f"no fake answers GET {fake.url}/health (--fakelab-url / FAKELAB_URL)", pytrace=False)
                self._external = fake
            return self._external
        seed = self.seed if seed is None else int(seed)
        if seed in self._failures:  # not retried: each test that needs this fake gets the same error at once
            raise self._failures[seed]
        server = self._servers.get(seed)
        if server is None or not server.running:
            if server is not None:
                server.stop()  # it died: reap it; its stderr went into the failing test's report
            server = FakelabServer(seed=seed, args=self.extra_args, binary=self.binary())
            try:
                server.start()
            except (FakelabStartError, FileNotFoundError) as error:
                self._failures[seed] = error
                raise
            self._servers[seed] = server
        return server

    def close(self) -> None:
        servers, self._servers = list(self._servers.values()), {}
        for server in servers:
            server.stop()


def _session(config: pytest.Config) -> _Session:
    return config.stash[_SESSION]


def _worker() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return re.sub(r"[^A-Za-z0-9_]", "_", worker) or "main"


def new_test_key() -> ApiKey:
    """A fresh key for one test: ``sk-pytest-<worker>-<32 hex>`` (unique across xdist workers)."""
    return ApiKey(f"sk-pytest-{_worker()}-{uuid.uuid4().hex}")


# -- fixtures ----------------------------------------------------------------------------------


class SessionFake:
    """What ``fakelab_server`` gives: the session's fake, looked up on each use, so a fake that
    crashed is replaced for the tests after it. Attributes are the fake's (``url``, ``base_url``,
    ``pid``, ``client(key)``, ``stderr()``)."""

    def __init__(self, session: "_Session") -> None:
        self._session = session

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session.server(), name)

    def __repr__(self) -> str:
        return f"SessionFake({self._session.server()!r})"


@pytest.fixture(scope="session")
def fakelab_server(request: pytest.FixtureRequest) -> SessionFake:
    """The session's fake (per xdist worker): ``url``, ``base_url``, ``client(key)``."""
    session = _session(request.config)
    session.server()  # started now, so a fake that cannot start fails here
    return SessionFake(session)


@pytest.fixture(autouse=True)
def _fakelab_marker(request: pytest.FixtureRequest) -> None:
    """A test marked ``@pytest.mark.fakelab`` gets the ``fakelab`` key set up even when it does not
    ask for the fixture (``fakelab_cassette`` records with that key)."""
    if request.node.get_closest_marker("fakelab") is None or "fakelab" in request.fixturenames:
        return
    if "fakelab_cassette" in request.fixturenames and request.config.getoption("fakelab_record_mode") == "none":
        return  # a replay answers from the cassette: nothing to stage, and no fake to start
    request.getfixturevalue("fakelab")


@pytest.fixture
def fakelab(request: pytest.FixtureRequest) -> Iterable[Fakelab]:
    """The fake, bound to a fresh API key for this test, with the ``fakelab`` marker applied."""
    session = _session(request.config)
    markers = list(request.node.iter_markers("fakelab"))  # closest first
    for marker in markers:
        if marker.args:
            pytest.fail("@pytest.mark.fakelab takes keywords: task_policy=, faults=, seed=", pytrace=False)
        unknown = set(marker.kwargs) - _MARKER_KEYS
        if unknown:
            pytest.fail(f"@pytest.mark.fakelab: unknown {', '.join(sorted(unknown))}; known: task_policy, faults, seed", pytrace=False)
    seed = next((m.kwargs["seed"] for m in markers if m.kwargs.get("seed") is not None), None)
    server = session.server(seed)
    lab = Fakelab(server.url, new_test_key(), session.control_token)
    request.node.stash[_CLIENT] = lab
    request.node.stash[_SERVER] = server
    for marker in reversed(markers):  # module, then class, then function
        _apply_marker(lab, marker.kwargs)
    yield lab
    try:
        lab.reset()  # frees the key's journal and tasks on a long-lived fake
    except FakelabError:
        pass


def _apply_marker(lab: Fakelab, kwargs: dict) -> None:
    policy = kwargs.get("task_policy")
    if isinstance(policy, str):
        lab.task_policy(policy)
    elif isinstance(policy, dict):
        if "policy" in policy:
            lab.task_policy(**policy)
        else:  # {model: policy}; the key None is the key-wide policy
            for model, text in policy.items():
                lab.task_policy(text, model=model)
    elif isinstance(policy, (list, tuple)):
        for item in policy:
            lab.task_policy(**item) if isinstance(item, dict) else lab.task_policy(item)
    elif policy is not None:
        pytest.fail(f"@pytest.mark.fakelab(task_policy=…): a string or dict, not {type(policy).__name__}", pytrace=False)
    faults = kwargs.get("faults")
    if faults:
        if isinstance(faults, (str, dict)):
            faults = [faults]
        lab.rules(faults)


class Cassette:
    """What ``fakelab_cassette`` yields: the recorder (or replayer) for this test's cassette."""

    def __init__(self, recorder: FakelabRecorder, path: Path, mode: str, api_key: ApiKey) -> None:
        self.recorder = recorder
        self.path = path
        self.mode = mode
        self.api_key = api_key
        self.url = recorder.url
        self.base_url = recorder.base_url

    def __repr__(self) -> str:
        return f"Cassette({str(self.path)!r}, mode={self.mode!r}, url={self.url!r}, api_key={mask(self.api_key)!r})"

    @property
    def recording(self) -> bool:
        return self.mode != "none"

    @property
    def headers(self) -> MaskedHeaders:
        return MaskedHeaders({"Authorization": f"Bearer {self.api_key}"})

    def status(self) -> dict:
        """``GET /__fakelab/recorder``: mode and counters."""
        return self.recorder.status()

    def exchanges(self) -> list[dict]:
        """The cassette's exchanges (``GET /__fakelab/cassette``)."""
        answer = self.recorder.client(self.api_key).request("GET", "/__fakelab/cassette") or {}
        return list(answer.get("exchanges", []))


def _cassette_path(request: pytest.FixtureRequest) -> Path:
    node = request.node
    module = Path(str(node.path if hasattr(node, "path") else node.fspath))
    name = node.name
    if request.cls is not None:
        name = f"{request.cls.__name__}.{name}"
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name.replace("[", "-").replace("]", ""))
    return module.parent / "cassettes" / module.stem / f"{name}.cassette"


@pytest.fixture
def fakelab_cassette(request: pytest.FixtureRequest) -> Iterable[Cassette]:
    """A ``fakelab record`` / ``fakelab replay`` process for this test's cassette."""
    session = _session(request.config)
    mode = request.config.getoption("fakelab_record_mode")
    path = _cassette_path(request)
    if mode == "none":
        if not path.is_file():
            pytest.fail(f"no cassette at {path}; record it with --fakelab-record-mode=once", pytrace=False)
        recorder = FakelabRecorder(path, "none", binary=session.binary())
    else:
        upstream = request.config.getoption("fakelab_upstream") or session.server().url
        path.parent.mkdir(parents=True, exist_ok=True)
        recorder = FakelabRecorder(path, mode, upstream, binary=session.binary())
    # The test's `fakelab` key when it has one, so control calls and recorded traffic share a tenant.
    if "fakelab" in request.fixturenames:
        request.getfixturevalue("fakelab")
    lab = request.node.stash.get(_CLIENT, None)
    key = lab.api_key if lab is not None else new_test_key()
    recorder.start()
    request.node.stash[_RECORDER] = recorder
    try:
        yield Cassette(recorder, path, mode, key)
    finally:
        recorder.stop()  # SIGTERM: the recorder checkpoints the cassette before it exits


# -- keys stay masked in failure reports ---------------------------------------------------------


def _scrub_repr(obj: Any, depth: int = 0) -> Any:
    """Masks keys inside pytest's structured failure repr in place (traceback lines, ``-l`` locals,
    function arguments, the crash message), so the report keeps its shape and its summary line."""
    if isinstance(obj, str):
        return scrub(obj)
    if depth > 10:
        return obj
    if isinstance(obj, list):
        obj[:] = [_scrub_repr(item, depth + 1) for item in obj]
        return obj
    if isinstance(obj, tuple):
        return tuple(_scrub_repr(item, depth + 1) for item in obj)
    if type(obj).__module__.startswith("_pytest") and hasattr(obj, "__dict__"):
        for name, value in list(vars(obj).items()):
            cleaned = _scrub_repr(value, depth + 1)
            if cleaned is not value:
                setattr(obj, name, cleaned)
    return obj


def _scrub_report(report: pytest.TestReport) -> None:
    """A failure report (traceback, ``-l`` locals, assertion diffs, captured output) shows every
    token-shaped string masked (``sk-…abcd``), however the test handled its key."""
    longrepr = report.longrepr
    if longrepr is not None and not isinstance(longrepr, tuple):  # a tuple is a skip location
        if _TOKEN.search(str(longrepr)):
            try:
                report.longrepr = _scrub_repr(longrepr)
            except (AttributeError, TypeError, dataclasses.FrozenInstanceError):
                pass
            if _TOKEN.search(str(report.longrepr)):  # whatever the structure held: plain text then
                report.longrepr = scrub(str(longrepr))
    if report.sections:
        report.sections = [(title, scrub(content)) for title, content in report.sections]


# -- the verdict, after the call phase ----------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    try:
        if call.when == "call":
            _verdict_phase(item, report)
    finally:
        _scrub_report(report)


def _verdict_phase(item: pytest.Item, report: pytest.TestReport) -> None:
    if report.failed:
        recorder = item.stash.get(_RECORDER, None)
        tail = recorder.stderr().strip() if recorder is not None else ""
        if tail:
            report.sections.append(("fakelab recorder stderr", tail))
        server = item.stash.get(_SERVER, None)
        if isinstance(server, FakelabServer) and server.process is not None and not server.running:
            report.sections.append(
                (f"fakelab server exited with status {server.process.returncode}", server.stderr().strip() or "(no stderr)")
            )
    lab = item.stash.get(_CLIENT, None)
    if lab is None or not item.config.getoption("fakelab_verdict") or report.skipped:
        return
    try:
        verdict = lab.verdict()
    except FakelabError as error:
        text = f"--fakelab-verdict: cannot read the verdict for {mask(lab.api_key)}: {error}"
        if error.status == 404:
            text += "\n(this fake has no GET /__fakelab/verdict; a newer binary has it)"
        if report.passed:
            report.outcome = "failed"
            report.longrepr = text
        else:
            report.sections.append(("fakelab verdict", text))
        return
    must, should = verdict.must, verdict.should
    if not must and not should:
        return
    try:
        journal = {entry.get("seq"): entry for entry in lab.journal()}
    except FakelabError:
        journal = {}
    text = _format_verdict(lab, verdict, journal)
    if must and report.passed:
        report.outcome = "failed"
        report.longrepr = text
    else:
        report.sections.append(("fakelab verdict", text))


def _format_verdict(lab: Fakelab, verdict: Any, journal: dict) -> str:
    counts = verdict.get("counts") or {}
    must, should = verdict.must, verdict.should
    lines = [
        f"fakelab verdict for {mask(lab.api_key)}: {len(must)} MUST, {len(should)} SHOULD finding(s) "
        f"over {counts.get('requests', len(journal))} request(s)"
        + ("" if must else " (SHOULD findings do not fail the test)")
    ]
    for finding in must + should:
        lines.append(f"  {finding.get('level', '?')} {finding.get('finding', '?')}: {finding.get('message', '')}")
        seqs = finding.get("requests") or []
        if seqs:
            lines.append("      requests: " + "; ".join(_describe(seq, journal.get(seq)) for seq in seqs))
        if finding.get("advice"):
            lines.append(f"      advice: {finding['advice']}")
    return "\n".join(lines)


def _describe(seq: Any, entry: dict | None) -> str:
    if not entry:
        return f"#{seq}"
    status = entry.get("status")
    code = (entry.get("error") or {}).get("code")
    fault = entry.get("fault")
    answer = "in flight" if status is None else str(status)
    extra = ", ".join(x for x in (code, f"fault {fault}" if fault else None) if x)
    return f"#{seq} {entry.get('method', '?')} {entry.get('path', '?')} → {answer}" + (f" ({extra})" if extra else "")
