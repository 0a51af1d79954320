"""The ``fakelab`` console script: replaces this Python process with the bundled binary."""

from __future__ import annotations

import os
import sys

from ._binary import binary_path


def main() -> None:
    try:
        path = binary_path()
    except FileNotFoundError as error:
        sys.stderr.write(f"fakelab: {error}\n")
        raise SystemExit(127) from None
    argv = [path, *sys.argv[1:]]
    try:
        os.execv(path, argv)  # never returns: signals and exit status are the binary's own
    except OSError as error:
        sys.stderr.write(f"fakelab: cannot run {path}: {error.strerror}\n")
        raise SystemExit(126) from None


if __name__ == "__main__":
    main()
