#!/usr/bin/env python3
"""Checks that an image file is what dist-check asked for: magic bytes, format and dimensions.

Usage: dist_decode.py FILE FORMAT WIDTH HEIGHT   (FORMAT: png, jpeg or webp)

Standard library only (the host side of dist-check; the minimal root has no Python).
PNG is decoded fully (IHDR, every IDAT inflated, the row count and filter bytes checked);
JPEG is walked marker by marker to its SOF and EOI; WebP's RIFF header and its VP8 / VP8L /
VP8X chunk give the size. When the host has djpeg or dwebp they decode the whole picture too.
"""

import shutil
import struct
import subprocess
import sys
import zlib


def png(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, width, height, bpp, idat, ended = 8, 0, 0, 0, b"", False
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0]
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"bad CRC in {kind!r}")
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
            bpp = channels * depth // 8 or 1
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            ended = True
            break
        pos += 12 + length
    if not ended:
        raise ValueError("no IEND")
    raw = zlib.decompress(idat)
    stride = 1 + width * bpp
    if len(raw) != stride * height:
        raise ValueError(f"pixel data is {len(raw)} bytes, expected {stride * height}")
    if any(raw[row * stride] > 4 for row in range(height)):
        raise ValueError("bad filter byte")
    return width, height


def jpeg(data: bytes) -> tuple[int, int]:
    if data[:3] != b"\xff\xd8\xff":
        raise ValueError("no JPEG SOI")
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise ValueError("no JPEG EOI")
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"marker expected at {pos}")
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    raise ValueError("no SOF marker")


def webp(data: bytes) -> tuple[int, int]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("no RIFF/WEBP header")
    if struct.unpack("<I", data[4:8])[0] + 8 != len(data):
        raise ValueError("RIFF size does not match the file")
    chunk = data[12:16]
    if chunk == b"VP8 ":
        if data[23:26] != b"\x9d\x01\x2a":
            raise ValueError("no VP8 start code")
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L":
        if data[20] != 0x2F:
            raise ValueError("no VP8L signature")
        bits = struct.unpack("<I", data[21:25])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    raise ValueError(f"unknown WebP chunk {chunk!r}")


def full_decode(path: str, fmt: str) -> str:
    """Decodes the whole picture with the host's djpeg / dwebp when present."""
    tool = {"jpeg": ["djpeg", "-outfile", "/dev/null", path], "webp": ["dwebp", path, "-o", "/dev/null"]}.get(fmt)
    if tool is None or shutil.which(tool[0]) is None:
        return ""
    subprocess.run(tool, check=True, capture_output=True)
    return f", {tool[0]} decoded it"


def main() -> int:
    path, fmt, width, height = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    data = open(path, "rb").read()
    try:
        got = {"png": png, "jpeg": jpeg, "webp": webp}[fmt](data)
        extra = full_decode(path, fmt) if fmt != "png" else ", every row inflated"
    except Exception as error:  # noqa: BLE001 - any failure is the finding
        print(f"FAIL {fmt}: {path}: {error}")
        return 1
    if got != (width, height):
        print(f"FAIL {fmt}: {path}: {got[0]}x{got[1]}, expected {width}x{height}")
        return 1
    print(f"ok   {fmt}: {len(data)} bytes, {got[0]}x{got[1]}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
