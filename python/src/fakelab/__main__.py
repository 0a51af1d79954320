"""``python -m fakelab …`` runs the bundled binary, like the ``fakelab`` command."""

from ._shim import main

main()
