"""The `fakelab` console script: the bundled binary, on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig

import fakelab


def _console_script() -> str | None:
    """The wheel's `fakelab` script: in this interpreter's scripts folder (a venv's bin), else on PATH."""
    beside = os.path.join(sysconfig.get_path("scripts"), "fakelab")
    return beside if os.access(beside, os.X_OK) else shutil.which("fakelab")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def test_fakelab_on_path_runs_the_bundled_binary():
    command = _console_script()
    assert command, "the wheel's console script is not installed"
    result = _run(command, "--help")
    assert result.returncode == 0, result.stderr
    for subcommand in ("serve", "record", "replay", "cassette", "conform"):
        assert subcommand in result.stdout


def test_record_and_replay_flags_the_plugin_uses():
    record = _run(fakelab.binary_path(), "record", "--help").stdout
    for flag in ("--upstream", "--cassette", "--mode", "--port", "--host"):
        assert flag in record
    replay = _run(fakelab.binary_path(), "replay", "--help").stdout
    for flag in ("--cassette", "--port", "--host"):
        assert flag in replay


def test_python_dash_m_and_exit_status():
    assert _run(sys.executable, "-m", "fakelab", "serve", "--help").returncode == 0
    bad = _run(_console_script() or "fakelab", "serve", "--port", "not-a-port")
    assert bad.returncode != 0 and "port" in bad.stderr.lower()


def test_version_matches_the_repository():
    assert fakelab.__version__ and fakelab.__version__ != "0+unknown"
