#!/usr/bin/env python3
"""The async frames of a Swift binary's functions, largest first.

Every async function has an "async function pointer" (a symbol ending in `Tu`) holding the size
of its frame. The task allocator keeps a connection's frames while the connection lives, so a
large frame on the request path is memory every open connection holds, and memory every request
writes. Needs `nm`, `readelf` and `swift demangle`.

usage: Benchmarks/async_frames.py BINARY [MODULE] [COUNT]
       e.g. Benchmarks/async_frames.py .build/release/fakelab FakelabServer 20
"""
import struct
import subprocess
import sys


def sections(path):
    """(address, file offset, size) of every section with file contents."""
    out = subprocess.run(["readelf", "-SW", path], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith("[") or "]" not in line:
            continue
        fields = line[line.index("]") + 1 :].split()
        try:
            name, address, offset, size = fields[0], int(fields[2], 16), int(fields[3], 16), int(fields[4], 16)
        except (IndexError, ValueError):
            continue
        if name not in (".bss", ".tbss"):
            found.append((address, offset, size))
    return found


def frames(path, module):
    """[(frame bytes, demangled name)] of the async functions whose mangled name mentions `module`."""
    secs = sections(path)
    data = open(path, "rb").read()
    rows = []
    symbols = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    for line in symbols.splitlines():
        parts = line.split()
        if len(parts) != 3 or not parts[2].endswith("Tu") or module not in parts[2]:
            continue
        address = int(parts[0], 16)
        offset = next((o + address - a for a, o, s in secs if a <= address < a + s), None)
        if offset is None:
            continue
        # { Int32 relative offset of the function, UInt32 size of its frame }
        rows.append((struct.unpack("<iI", data[offset : offset + 8])[1], parts[2]))
    rows.sort(reverse=True)
    names = subprocess.run(
        ["swift", "demangle", "--simplified"], input="\n".join(r[1] for r in rows), capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return [(size, name.replace("async function pointer to ", "")) for (size, _), name in zip(rows, names)]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    module = sys.argv[2] if len(sys.argv) > 2 else "Fakelab"
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    for size, name in frames(path, module)[:count]:
        print(f"{size:6d}  {name[:140]}")


if __name__ == "__main__":
    main()
