"""Running the bundled ``fakelab`` binary as a child process.

:class:`FakelabServer` runs ``fakelab serve --port 0``; :class:`FakelabRecorder` runs
``fakelab record`` / ``fakelab replay``. Both read the ``… listening on http://…`` line the
binary prints, wait for ``/health``, and stop the child on exit (SIGTERM, then SIGKILL), so no
process outlives the ``with`` block. On Linux the child also gets SIGTERM if this process dies
without cleaning up (``PR_SET_PDEATHSIG``). The child's stderr is kept in a bounded buffer and
shown when start-up fails.
"""

from __future__ import annotations

import collections
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any, Sequence

from ._binary import binary_path
from ._secrets import scrub
from .client import Fakelab

__all__ = ["FakelabProcess", "FakelabServer", "FakelabRecorder", "FakelabStartError"]

_LISTENING = re.compile(r"listening on (https?://\S+)")
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class FakelabStartError(RuntimeError):
    """The binary exited or did not come up in time; the message carries its stderr tail."""


def _pdeathsig_hook() -> Any:
    """A function for ``preexec_fn`` that asks Linux to SIGTERM the child when its parent dies.

    ``prctl`` is looked up here, in the parent: the child, between fork and exec, only calls it
    (importing there could deadlock on a lock another thread held at fork time).
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    term = int(signal.SIGTERM)

    def hook() -> None:
        prctl(1, term)  # PR_SET_PDEATHSIG

    return hook


class _Tail:
    """The last ``limit`` bytes of a stream, read by a daemon thread so the pipe never fills."""

    def __init__(self, stream: Any, limit: int, on_line: Any = None) -> None:
        self._chunks: collections.deque[bytes] = collections.deque()
        self._size = 0
        self._limit = limit
        self._lock = threading.Lock()
        self._on_line = on_line
        self._thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self._thread.start()

    def _run(self, stream: Any) -> None:
        try:
            for line in iter(stream.readline, b""):
                if self._on_line is not None:
                    self._on_line(line)
                with self._lock:
                    self._chunks.append(line)
                    self._size += len(line)
                    while self._size > self._limit and len(self._chunks) > 1:
                        self._size -= len(self._chunks.popleft())
        except (OSError, ValueError):
            pass
        finally:
            try:
                stream.close()
            except OSError:
                pass

    def text(self) -> str:
        with self._lock:
            data = b"".join(self._chunks)[-self._limit :]
        return scrub(data.decode("utf-8", "replace"))

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


class FakelabProcess:
    """One ``fakelab`` subcommand that listens on a port (``serve``, ``record``, ``replay``).

    Use as a context manager, or call :meth:`start` / :meth:`stop`. ``url`` is the root
    (``http://127.0.0.1:PORT``), ``base_url`` the API base (``…/v1``).
    """

    def __init__(
        self,
        args: Sequence[str],
        *,
        binary: str | None = None,
        startup_timeout: float = 30.0,
        stop_timeout: float = 10.0,
        stderr_limit: int = 64 * 1024,
        env: dict[str, str] | None = None,
        die_with_parent: bool = True,
    ) -> None:
        self.binary = binary or binary_path()
        self.args = list(args)
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.stderr_limit = stderr_limit
        self.env = env
        self.die_with_parent = die_with_parent
        self.url: str | None = None
        self.process: subprocess.Popen | None = None
        self._stderr: _Tail | None = None
        self._stdout: _Tail | None = None
        self._announced = threading.Event()

    # -- context manager -------------------------------------------------------------------

    def __enter__(self) -> "FakelabProcess":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"{type(self).__name__}({self.args[0] if self.args else ''!s}, url={self.url!r}, {state})"

    @property
    def base_url(self) -> str:
        if self.url is None:
            raise RuntimeError("not started")
        return self.url + "/v1"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def stderr(self) -> str:
        """What the binary wrote to stderr (the last ``stderr_limit`` bytes, keys masked)."""
        return self._stderr.text() if self._stderr else ""

    def client(self, api_key: str | None = None, control_token: str | None = None) -> Fakelab:
        """A control-API client for this process (a fresh key by default)."""
        if self.url is None:
            raise RuntimeError("not started")
        return Fakelab(self.url, api_key, control_token)

    # -- life cycle ------------------------------------------------------------------------

    def _on_stdout(self, line: bytes) -> None:
        if self.url is None:
            match = _LISTENING.search(line.decode("utf-8", "replace"))
            if match:
                self.url = match.group(1).rstrip("/")
                self._announced.set()

    def start(self) -> "FakelabProcess":
        if self.process is not None:
            raise RuntimeError("already started")
        command = [self.binary, *self.args]
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self.env,
                close_fds=True,
                preexec_fn=_pdeathsig_hook() if self.die_with_parent else None,
            )
        except OSError as error:
            raise FakelabStartError(f"cannot run {self.binary}: {error.strerror}") from None
        self._stdout = _Tail(self.process.stdout, 16 * 1024, self._on_stdout)
        self._stderr = _Tail(self.process.stderr, self.stderr_limit)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout
        while not self._announced.wait(0.02):
            if self.process.poll() is not None:
                self._fail(f"exited with status {self.process.returncode} before listening")
            if time.monotonic() > deadline:
                self._fail(f"printed no 'listening on http://…' line within {self.startup_timeout:g} s")
        while True:
            try:
                with _OPENER.open(f"{self.url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None:
                self._fail(f"exited with status {self.process.returncode} before /health answered")
            if time.monotonic() > deadline:
                self._fail(f"/health did not answer 200 within {self.startup_timeout:g} s")
            time.sleep(0.02)

    def _fail(self, what: str) -> None:
        if self._stderr is not None and self.process is not None and self.process.poll() is not None:
            self._stderr.join(1.0)
        tail = self.stderr().strip()
        shown = " ".join([os.path.basename(self.binary), *self.args])
        raise FakelabStartError(f"{shown}: {what}" + (f"\n--- stderr ---\n{tail}" if tail else "\n(no stderr)"))

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after ``stop_timeout``; returns the exit status."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            try:
                process.send_signal(signal.SIGTERM)
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            except ProcessLookupError:
                pass
        for tail in (self._stdout, self._stderr):
            if tail is not None:
                tail.join(2.0)
        return process.returncode


class FakelabServer(FakelabProcess):
    """``fakelab serve`` on a free port::

        with FakelabServer(seed=42) as server:
            lab = server.client()                 # a fresh key
            post(server.base_url + "/images/generations", headers=lab.headers, …)

    ``args`` are extra ``serve`` flags (``["--task-policy", "instant"]``).
    """

    def __init__(
        self,
        seed: int = 0,
        args: Sequence[str] = (),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **options: Any,
    ) -> None:
        self.seed = seed
        super().__init__(["serve", "--host", host, "--port", str(port), "--seed", str(seed), *args], **options)


class FakelabRecorder(FakelabProcess):
    """``fakelab record`` (``mode`` once, new_episodes, all, passthrough) or, with ``mode="none"``,
    ``fakelab replay``, on a free port, for one cassette file."""

    def __init__(
        self,
        cassette: str | os.PathLike,
        mode: str = "once",
        upstream: str | None = None,
        args: Sequence[str] = (),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **options: Any,
    ) -> None:
        self.cassette = os.fspath(cassette)
        self.mode = mode
        common = ["--cassette", self.cassette, "--host", host, "--port", str(port), *args]
        if mode == "none":
            command = ["replay", *common]
        else:
            if not upstream:
                raise ValueError(f"record mode {mode!r} needs an upstream URL")
            command = ["record", "--upstream", upstream, "--mode", mode, *common]
        super().__init__(command, **options)

    def status(self) -> dict:
        """``GET /__fakelab/recorder``: the mode and counters."""
        return self.client().request("GET", "/__fakelab/recorder") or {}
