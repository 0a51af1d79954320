"""Fakelab: a fake TokenLab image API, packaged with its binary.

- :func:`binary_path` — the bundled ``fakelab`` executable (also on PATH as ``fakelab``).
- :class:`Fakelab` — a client for the control API (faults, task policies, clock, journal,
  verify, verdict), bound to one API key.
- :class:`FakelabServer` / :class:`FakelabRecorder` — the binary as a child process.
- the pytest plugin (:mod:`fakelab.pytest_plugin`), registered by the wheel: fixtures
  ``fakelab``, ``fakelab_server``, ``fakelab_cassette``, marker ``@pytest.mark.fakelab``.
"""

from __future__ import annotations

from ._binary import binary_path
from ._secrets import ApiKey, mask
from .client import Fakelab, FakelabConnectionError, FakelabError, Verdict, fault_spec, new_key
from .server import FakelabProcess, FakelabRecorder, FakelabServer, FakelabStartError

try:
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("fakelab")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "ApiKey",
    "Fakelab",
    "FakelabConnectionError",
    "FakelabError",
    "FakelabProcess",
    "FakelabRecorder",
    "FakelabServer",
    "FakelabStartError",
    "Verdict",
    "binary_path",
    "fault_spec",
    "mask",
    "new_key",
    "__version__",
]
