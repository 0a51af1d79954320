"""Checks a screenshot of the HTML conformance report: the verdict table and the thumbnails are
on screen. Reads the PNG with zlib only (Chromium writes 8-bit RGB/RGBA, non-interlaced).
   usage: python3 screenshot_check.py SHOT.png DOM.html"""
import re, struct, sys, zlib

# Verdict cell backgrounds of Reports.html (PASS, NON-STRICT, FAIL, ERROR).
VERDICT_COLOURS = {(0xD9, 0xF2, 0xD9): "PASS", (0xFF, 0xF2, 0xC2): "NON-STRICT", (0xF8, 0xD0, 0xD0): "FAIL", (0xE3, 0xC7, 0xF0): "ERROR"}


def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG (depth {depth}, colour {colour})"
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


def bands(ys):
    """Runs of consecutive pixel rows: one per table cell (cells are split by a border row)."""
    out = []
    for y in sorted(ys):
        if out and y - out[-1][1] == 1: out[-1][1] = y
        else: out.append([y, y])
    return out


def main(shot, dom_path):
    dom = open(dom_path, encoding="utf-8", errors="replace").read()
    rows_in_dom = len(re.findall(r"<td class=\"(PASS|NON-STRICT|FAIL|ERROR)\"", dom))
    thumbs_in_dom = len(re.findall(r"<img class=\"thumb\"[^>]*src=\"data:image/png;base64,", dom))
    width, height, px = read_png(shot)
    verdict_rows, thumb_rows, seen = set(), {}, set()
    for y, row in enumerate(px):
        saturated = 0
        for x, p in enumerate(row):
            if p in VERDICT_COLOURS:
                verdict_rows.add(y); seen.add(VERDICT_COLOURS[p])
            elif max(p) - min(p) > 60:      # picture pixels: text and borders here are grey
                saturated += 1
        if saturated >= 24:
            thumb_rows[y] = saturated
    verdict_bands = [b for b in bands(verdict_rows) if b[1] - b[0] >= 10]
    thumb_bands = [b for b in bands(thumb_rows) if b[1] - b[0] >= 24]
    print(f"screenshot {width}x{height}: {len(verdict_bands)} verdict cells on screen ({', '.join(sorted(seen))}), "
          f"{len(thumb_bands)} rows of thumbnails; DOM: {rows_in_dom} verdict rows, {thumbs_in_dom} thumbnails")
    problems = []
    if rows_in_dom == 0 or thumbs_in_dom == 0: problems.append("the DOM lacks the verdict table or thumbnails")
    if len(verdict_bands) < min(8, rows_in_dom): problems.append(f"only {len(verdict_bands)} verdict cells visible")
    if len(thumb_bands) < min(5, thumbs_in_dom): problems.append(f"only {len(thumb_bands)} rows of thumbnails visible")
    if problems:
        print("screenshot check FAILED: " + "; ".join(problems)); sys.exit(1)
    print("screenshot check: OK")


if __name__ == "__main__":
    main(*sys.argv[1:3])
