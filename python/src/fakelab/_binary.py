"""Where the ``fakelab`` executable is."""

from __future__ import annotations

import os
from pathlib import Path

_BUNDLED = Path(__file__).resolve().parent / "bin" / "fakelab"


def binary_path() -> str:
    """The path of the ``fakelab`` binary bundled in this wheel.

    Without a bundled binary (a source checkout or an editable install) the ``FAKELAB_BINARY``
    environment variable names one instead.
    """
    if _BUNDLED.is_file():
        return str(_BUNDLED)
    env = os.environ.get("FAKELAB_BINARY")
    if env:
        if not os.path.isfile(env):
            raise FileNotFoundError(f"FAKELAB_BINARY={env} is not a file")
        return env
    raise FileNotFoundError(
        f"no fakelab binary bundled at {_BUNDLED} (a source or editable install?); "
        "install the wheel, or set FAKELAB_BINARY to a built binary"
    )
