"""Keeping API keys out of reprs, error text and logs.

A key is shown as ``sk-…abcd`` (its last four characters), the way the fake masks it in the
journal. :class:`ApiKey` is a ``str`` whose ``repr`` is masked, so a key held in a local
variable stays masked in pytest's tracebacks (``--showlocals``) and assertion messages, while
``str(key)`` and f-strings still give the full key for headers.
"""

from __future__ import annotations

import re

# TokenLab keys: sk- + 8 or more of [A-Za-z0-9_-] (mt- keys are masked the same way).
_TOKEN = re.compile(r"\b(sk|mt)-[A-Za-z0-9_\-]{8,}")


def mask(key: object) -> str:
    """``sk-…abcd`` for a key, ``None``/empty shown as ``None``."""
    if key is None:
        return "None"
    text = str(key)
    if not text:
        return "''"
    prefix = text.split("-", 1)[0] + "-" if "-" in text[:4] else ""
    tail = text[-4:] if len(text) > 8 else ""
    return f"{prefix}…{tail}"


def scrub(text: str) -> str:
    """Replace every token-shaped string in ``text`` with its masked form."""
    return _TOKEN.sub(lambda m: mask(m.group(0)), text)


class ApiKey(str):
    """A ``str`` holding an API key; ``repr`` shows it masked."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(mask(str.__str__(self)))


class MaskedHeaders(dict):
    """Request headers whose ``repr`` masks credentials (``Authorization``, control token)."""

    _SECRET = {"authorization", "x-fakelab-control-token", "cookie", "x-api-key"}

    def __repr__(self) -> str:
        shown = {k: (scrub(str(v)) if k.lower() in self._SECRET else v) for k, v in self.items()}
        for k in shown:
            if k.lower() == "x-fakelab-control-token":
                shown[k] = "…"
        return repr(shown)
