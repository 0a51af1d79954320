"""The `fakelab` console script: the bundled binary, on PATH."""

from __future__ import annotations

import shutil
import subprocess
import sys

import fakelab


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def test_fakelab_on_path_runs_the_bundled_binary():
    command = shutil.which("fakelab")
    assert command, "the wheel's console script is not on PATH"
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
    bad = _run(shutil.which("fakelab") or "fakelab", "serve", "--port", "not-a-port")
    assert bad.returncode != 0 and "port" in bad.stderr.lower()


def test_version_matches_the_repository():
    assert fakelab.__version__ and fakelab.__version__ != "0+unknown"
