#!/usr/bin/env python3
"""Writes THIRD-PARTY-NOTICES for the `make dist` binary: what is linked into it, and under which license.

Usage: third_party_notices.py SCRATCH BIN_DIR OUT

Notices only, no code. Which Swift packages are in the binary is read from the release build
itself: the object folders the link step used (BIN_DIR/<Module>.build), each traced to its
sources (output-file-map.json for Swift modules, the compiler's .d files for C targets) and so
to its checkout under SCRATCH/checkouts. Each such package contributes its LICENSE and NOTICE
files (and those of vendored C code it carries, e.g. swift-nio's llhttp); versions come from
SCRATCH/workspace-state.json. The Swift runtime, Foundation and the C libraries linked from
static archives get the toolchain's license and Debian's /usr/share/doc/PACKAGE/copyright.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

# Static archives `make dist` links (Debian package whose copyright file covers it, what it is).
C_LIBRARIES = [
    ("libturbojpeg0", "libjpeg-turbo (libturbojpeg.a): JPEG encoding and decoding"),
    ("libwebp7", "libwebp (libwebp.a, with its sharpyuv): WebP encoding and decoding"),
    ("zlib1g", "zlib (libz.a): PNG deflate"),
    ("libsqlite3-0", "SQLite (libsqlite3.a): cassettes, through GRDB"),
    ("libstdc++6", "GCC's libstdc++ (libstdc++.a) and unwinder (libgcc_eh.a), needed by the Swift runtime and ICU;"
     " under the GCC Runtime Library Exception, which permits this"),
]
# Code vendored inside a linked Swift package whose license text the checkout does not carry.
VENDORED = {
    "Yams": [("libyaml-0-2", "libyaml, vendored by Yams as CYaml (MIT)")],
    "swift-nio-ssl": [("libssl3", "BoringSSL, vendored by swift-nio-ssl as CNIOBoringSSL (OpenSSL / SSLeay and ISC licenses;"
                       " swift-nio-ssl's NOTICE.txt above names it). Debian's OpenSSL copyright below carries the OpenSSL"
                       " and SSLeay texts BoringSSL inherited")],
}
# libyaml's own license (its License file), for build machines without Debian's libyaml-0-2.
LIBYAML_MIT = """Copyright (c) 2017-2020 Ingy döt Net
Copyright (c) 2006-2016 Kirill Simonov

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""
FALLBACK = {"libyaml-0-2": LIBYAML_MIT}
LICENSE_NAMES = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE)(\.(txt|md|MIT|APACHE))?$|^LICENSE-[A-Z]+$", re.I)


def rule(title: str) -> str:
    return f"\n{'=' * 100}\n{title}\n{'=' * 100}\n\n"


def module_sources(build_dir: Path) -> list[Path]:
    mapping = build_dir / "output-file-map.json"
    if mapping.exists():
        return [Path(k) for k in json.loads(mapping.read_text()) if k]
    sources = []
    for dep in build_dir.rglob("*.d"):
        text = dep.read_text(errors="replace").replace("\\\n", " ")
        parts = text.split(":", 1)[1].split() if ":" in text else []
        sources += [Path(p) for p in parts[:1]]
    return sources


def linked_modules(bin_dir: Path) -> list[Path]:
    """The <Module>.build folders whose objects the link of `fakelab` used (its response file)."""
    folders: set[Path] = set()
    for resp in bin_dir.glob("fakelab.product/Objects.LinkFileList"):
        for line in resp.read_text().split():
            p = Path(line.strip("'\""))
            for parent in p.parents:
                if parent.suffix == ".build":
                    folders.add(parent)
                    break
    if not folders:  # older layouts: every module folder (over-inclusive, never short)
        folders = set(bin_dir.glob("*.build"))
    return sorted(folders)


def debian_copyright(package: str) -> str | None:
    path = Path("/usr/share/doc") / package / "copyright"
    return path.read_text(errors="replace") if path.exists() else None


def main() -> int:
    scratch, bin_dir, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    checkouts = (scratch / "checkouts").resolve()
    versions = {}
    for dep in json.loads((scratch / "workspace-state.json").read_text())["object"]["dependencies"]:
        state = dep["state"].get("checkoutState", {})
        versions[dep["subpath"]] = (state.get("version") or state.get("revision", "?")[:12], dep["packageRef"]["location"])

    packages: dict[str, set[str]] = {}
    for folder in linked_modules(bin_dir):
        for source in module_sources(folder):
            try:
                rel = source.resolve().relative_to(checkouts)
            except ValueError:
                continue  # our own package
            packages.setdefault(rel.parts[0], set()).add(folder.stem)
            break

    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    toolchain_license = Path(subprocess.run(["sh", "-c", "dirname $(dirname $(readlink -f $(command -v swift)))"],
                                            capture_output=True, text=True).stdout.strip()) / "share/swift/LICENSE.txt"

    text = ["THIRD-PARTY NOTICES for fakelab\n",
            "The fakelab binary is statically linked: besides the C library it needs nothing installed, because the",
            "libraries below are inside it. Each is listed with the license it is distributed under; the license",
            "texts follow. Fakelab itself is under the MIT license (LICENSE). No source code of these libraries is",
            "included in this archive.\n",
            "Contents:",
            f"  - The Swift runtime, standard library, Foundation, Dispatch and ICU data ({swift[0] if swift else 'Swift'})"]
    for name in sorted(packages, key=str.lower):
        version, location = versions.get(name, ("?", "?"))
        text.append(f"  - {name} {version} ({location}): modules {', '.join(sorted(packages[name]))}")
    for package, what in C_LIBRARIES:
        text.append(f"  - {what} (Debian package {package})")

    text.append(rule("The Swift runtime, standard library, Foundation, Dispatch (Apache License 2.0 with Runtime Library Exception)"))
    text.append("Swift, swift-corelibs-foundation, swift-foundation and swift-corelibs-libdispatch are linked from the\n"
                "toolchain's static libraries (--static-swift-stdlib). Their license, as the toolchain ships it:\n")
    text.append(toolchain_license.read_text() if toolchain_license.exists() else "Apache License 2.0 with Runtime Library Exception\n")
    icu = debian_copyright("libicu72")
    text.append(rule("ICU (Unicode License), inside Foundation's lib_FoundationICU.a"))
    text.append("Foundation carries ICU's code and data (swift-foundation-icu). ICU's license, as Debian's libicu72 states it\n"
                "(the ICU version inside Foundation is newer; the license is the same Unicode license family):\n\n")
    text.append(icu or "ICU: Unicode License (see ICU's LICENSE file).\n")

    for name in sorted(packages, key=str.lower):
        root = checkouts / name
        version, location = versions.get(name, ("?", "?"))
        files = sorted(p for p in root.iterdir() if p.is_file() and LICENSE_NAMES.match(p.name))
        for module in sorted(packages[name]):  # vendored code with a license of its own (e.g. CNIOLLHTTP)
            for candidate in (root / "Sources" / module).glob("*"):
                if candidate.is_file() and LICENSE_NAMES.match(candidate.name):
                    files.append(candidate)
        text.append(rule(f"{name} {version} ({location})"))
        if not files:
            text.append("(no license file in the package)\n")
        for f in files:
            text.append(f"--- {f.relative_to(root)} ---\n\n{f.read_text(errors='replace').rstrip()}\n\n")
        for package, what in VENDORED.get(name, []):
            notice = debian_copyright(package)
            text.append(f"--- {what} ---\n\n")
            if notice:
                text.append(f"(from Debian's /usr/share/doc/{package}/copyright)\n\n{notice}\n")
            else:
                text.append(FALLBACK.get(package, "(license text not available on the build machine)\n"))

    for package, what in C_LIBRARIES:
        notice = debian_copyright(package)
        if notice is None:
            print(f"third_party_notices: no /usr/share/doc/{package}/copyright", file=sys.stderr)
            return 1
        text.append(rule(f"{what}\n(from Debian's /usr/share/doc/{package}/copyright)"))
        text.append(notice)

    out.write_text("\n".join(text))
    print(f"{out}: {len(packages)} Swift packages, {len(C_LIBRARIES)} C libraries, {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
