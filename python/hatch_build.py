"""Hatchling build hook: put the ``fakelab`` binary into the wheel and tag the wheel honestly.

The binary comes from ``FAKELAB_BINARY`` (``scripts/wheel-check`` and ``make dist`` set it) and
lands at ``fakelab/bin/fakelab`` with mode 0755; a ``LICENSE`` and ``THIRD-PARTY-NOTICES`` beside
it (the release tarball's layout) go into ``.dist-info/extra_metadata/``.

The tag is read from the binary itself (its ELF dynamic section and symbol versions):

- ``py3-none-manylinux_2_28_x86_64`` when the binary needs only libraries every manylinux_2_28
  system has (libc, libm, libpthread, libdl, librt, libgcc_s, libstdc++, …) at versions no newer
  than glibc 2.28 / GCC 7 (PEP 600). pip then installs it on any glibc ≥ 2.28 x86-64 Linux and
  refuses it elsewhere (musl, older glibc), and PyPI accepts it.
- ``py3-none-linux_x86_64`` otherwise — a debug build that loads the Swift runtime from
  ``/opt/swift``, or a release build linked against a newer glibc. pip installs it on this kind
  of machine only by its platform; it claims no portability it does not have (PyPI refuses it).

``FAKELAB_WHEEL_TAG`` forces a tag, e.g. ``py3-none-manylinux_2_36_x86_64`` for a static binary
linked on Debian 12 (glibc 2.36); a manylinux tag the binary does not satisfy is refused.

``python hatch_build.py BINARY`` prints what the binary needs and the tag it would get.
"""

from __future__ import annotations

import mmap
import os
import re
import struct
import sys

PY_TAG = "py3-none"
MANYLINUX = "manylinux_2_28_x86_64"
LINUX = "linux_x86_64"

# PEP 600 / auditwheel policy for manylinux_2_28 (x86_64), limited to what a CLI could need.
ALLOWED_LIBRARIES = {
    "libc.so.6",
    "libm.so.6",
    "libdl.so.2",
    "librt.so.1",
    "libpthread.so.0",
    "libutil.so.1",
    "libresolv.so.2",
    "libnsl.so.1",
    "libcrypt.so.1",
    "libgcc_s.so.1",
    "libstdc++.so.6",
    "ld-linux-x86-64.so.2",
}
MAX_VERSIONS = {"GLIBC": (2, 28), "GLIBCXX": (3, 4, 24), "CXXABI": (1, 3, 11), "GCC": (7, 0, 0)}

SHT_DYNAMIC = 6
SHT_GNU_VERNEED = 0x6FFFFFFE
DT_NEEDED = 1


class ElfInfo:
    def __init__(self, machine: int, needed: list[str], versions: dict[str, set[str]], interpreter: bool) -> None:
        self.machine = machine
        self.needed = needed  # DT_NEEDED libraries
        self.versions = versions  # library -> symbol versions it asks for (GLIBC_2.34, …)
        self.dynamic = interpreter or bool(needed)

    def newest(self, prefix: str) -> tuple[int, ...] | None:
        found: list[tuple[int, ...]] = []
        for names in self.versions.values():
            for name in names:
                match = re.fullmatch(re.escape(prefix) + r"_([0-9.]+)", name)
                if match:
                    found.append(tuple(int(p) for p in match.group(1).split(".") if p))
        return max(found) if found else None


def read_elf(path: str) -> ElfInfo:
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ValueError(f"{path} is not a 64-bit little-endian ELF file")
        (machine,) = struct.unpack_from("<H", data, 18)
        (phoff, shoff) = struct.unpack_from("<QQ", data, 0x20)
        (phentsize, phnum, shentsize, shnum) = struct.unpack_from("<HHHH", data, 0x36)
        interpreter = any(struct.unpack_from("<I", data, phoff + i * phentsize)[0] == 3 for i in range(phnum))  # PT_INTERP
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]

        def string(section: int, offset: int) -> str:
            start = sections[section][4] + offset
            end = data.find(b"\0", start)
            return data[start:end].decode("ascii", "replace")

        needed: list[str] = []
        versions: dict[str, set[str]] = {}
        for _, kind, _, _, offset, size, link, info, _, _ in sections:
            if kind == SHT_DYNAMIC:
                for at in range(offset, offset + size, 16):
                    tag, value = struct.unpack_from("<qQ", data, at)
                    if tag == 0:
                        break
                    if tag == DT_NEEDED:
                        needed.append(string(link, value))
            elif kind == SHT_GNU_VERNEED:
                at = offset
                for _ in range(info):
                    _, count, file_name, aux, following = struct.unpack_from("<HHIII", data, at)
                    library = string(link, file_name)
                    names = versions.setdefault(library, set())
                    aux_at = at + aux
                    for _ in range(count):
                        _, _, _, name, aux_next = struct.unpack_from("<IHHII", data, aux_at)
                        names.add(string(link, name))
                        aux_at += aux_next
                    if following == 0:
                        break
                    at += following
        return ElfInfo(machine, needed, versions, interpreter)


def manylinux_problems(info: ElfInfo, glibc: tuple[int, int] = (2, 28)) -> list[str]:
    """Why the binary is not manylinux_2_28 (or manylinux_<glibc>; empty when it is)."""
    name = f"manylinux_{glibc[0]}_{glibc[1]}"
    maxima = dict(MAX_VERSIONS) if glibc == (2, 28) else {"GLIBC": glibc}  # other policies: glibc only
    problems = []
    if info.machine != 62:
        problems.append(f"machine {info.machine} is not x86-64")
    extra = sorted(set(info.needed) - ALLOWED_LIBRARIES)
    if extra:
        problems.append(f"needs libraries outside {name}: " + ", ".join(extra))
    for prefix, maximum in maxima.items():
        newest = info.newest(prefix)
        if newest and newest > maximum:
            problems.append(f"needs {prefix}_{'.'.join(map(str, newest))} ({name} allows up to {'.'.join(map(str, maximum))})")
    return problems


def choose_tag(binary: str) -> tuple[str, list[str]]:
    info = read_elf(binary)
    problems = manylinux_problems(info)
    forced = os.environ.get("FAKELAB_WHEEL_TAG", "").strip()
    if forced:
        match = re.search(r"manylinux_(\d+)_(\d+)_", forced)
        if match:  # a manylinux tag is a promise: refuse one the binary breaks
            broken = manylinux_problems(info, (int(match.group(1)), int(match.group(2))))
            if broken:
                raise ValueError(f"FAKELAB_WHEEL_TAG={forced} but {binary} " + "; ".join(broken))
        return forced, problems
    return (f"{PY_TAG}-{LINUX}" if problems else f"{PY_TAG}-{MANYLINUX}"), problems


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # `python hatch_build.py BINARY` outside a build
    BuildHookInterface = object  # type: ignore[misc,assignment]


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an sdist or editable install carries no binary; binary_path() then reads FAKELAB_BINARY
        binary = os.environ.get("FAKELAB_BINARY")
        if not binary:
            raise RuntimeError("set FAKELAB_BINARY to the fakelab binary the wheel should carry")
        binary = os.path.abspath(binary)
        if not os.path.isfile(binary) or not os.access(binary, os.X_OK):
            raise RuntimeError(f"FAKELAB_BINARY={binary} is not an executable file")
        tag, problems = choose_tag(binary)
        if problems:
            self.app.display_info(f"fakelab wheel tagged {tag}: " + "; ".join(problems))
        build_data["tag"] = tag
        build_data["pure_python"] = False
        build_data["force_include"][binary] = "fakelab/bin/fakelab"
        # The release tarball ships LICENSE and THIRD-PARTY-NOTICES beside the binary (it links
        # ICU, SQLite, libwebp, libjpeg-turbo, zlib and the Swift runtime statically): they go
        # into the wheel (.dist-info/extra_metadata/).
        for name in ("LICENSE", "THIRD-PARTY-NOTICES"):
            notice = os.path.join(os.path.dirname(binary), name)
            if os.path.isfile(notice):
                build_data.setdefault("extra_metadata", {})[notice] = name


def _explain(binary: str) -> int:
    info = read_elf(binary)
    tag, problems = choose_tag(binary)
    print(f"binary: {binary} ({os.path.getsize(binary) / 1e6:.1f} MB, {'dynamic' if info.dynamic else 'static'})")
    print("needs: " + (", ".join(info.needed) or "nothing (static)"))
    for prefix in MAX_VERSIONS:
        newest = info.newest(prefix)
        if newest:
            print(f"newest {prefix} symbol version: {'.'.join(map(str, newest))}")
    print(f"wheel tag: {tag}")
    for problem in problems:
        print(f"  not manylinux_2_28: {problem}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python hatch_build.py BINARY", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(_explain(sys.argv[1]))
