"""Tiny binary fixtures for the replica: baseline grayscale JPEGs and a one-page PDF.

Hand-written so the replica needs no imaging library at runtime.
"""

from __future__ import annotations

import random

# Standard JPEG luminance DC table (ITU T.81 K.3); symbols are the size categories 0..11.
_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_VALS = tuple(range(12))
# Every block is flat, so the only AC symbol ever written is EOB (0x00): a one-code table
# keeps the encoder tiny and is still a valid baseline Huffman table.
_AC_BITS = (1,) + (0,) * 15
_AC_VALS = (0x00,)
# Quantiser 8 everywhere: a flat block of value v then has quantised DC exactly v - 128.
_QUANT = 8


def _canonical_codes(bits: tuple[int, ...], vals: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    codes: dict[int, tuple[int, int]] = {}
    code = 0
    k = 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


_DC_CODES = _canonical_codes(_DC_BITS, _DC_VALS)
_AC_CODES = _canonical_codes(_AC_BITS, _AC_VALS)


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def write(self, value: int, length: int) -> None:
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self._emit()

    def _emit(self) -> None:
        self.out.append(self.acc)
        if self.acc == 0xFF:
            self.out.append(0x00)  # byte stuffing, required inside entropy-coded data
        self.acc = 0
        self.n = 0

    def flush(self) -> bytes:
        if self.n:
            pad = 8 - self.n
            self.acc = (self.acc << pad) | ((1 << pad) - 1)
            self.n = 8
            self._emit()
        return bytes(self.out)


def encode_gray_jpeg(blocks: list[list[int]]) -> bytes:
    """Encode a grid of 8x8 flat blocks (values 0..255, rows of equal length) as JPEG."""
    rows = len(blocks)
    cols = len(blocks[0])
    height, width = rows * 8, cols * 8
    seg = bytearray(b"\xff\xd8")
    seg += b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    seg += b"\xff\xdb\x00\x43\x00" + bytes([_QUANT] * 64)
    seg += b"\xff\xc0\x00\x0b\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big")
    seg += b"\x01\x01\x11\x00"
    dht = bytes([0x00, *_DC_BITS, *_DC_VALS, 0x10, *_AC_BITS, *_AC_VALS])
    seg += b"\xff\xc4" + (len(dht) + 2).to_bytes(2, "big") + dht
    seg += b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
    bw = _BitWriter()
    prev = 0
    eob_code, eob_len = _AC_CODES[0x00]
    for row in blocks:
        for value in row:
            dc = max(0, min(255, value)) - 128
            diff = dc - prev
            prev = dc
            size = abs(diff).bit_length()
            code, length = _DC_CODES[size]
            bw.write(code, length)
            if size:
                bw.write(diff if diff > 0 else diff - 1 + (1 << size), size)
            bw.write(eob_code, eob_len)
    seg += bw.flush()
    seg += b"\xff\xd9"
    return bytes(seg)


def page_scan_jpeg(seed: str, articles: int = 3) -> bytes:
    """A small portrait 'newspaper page': masthead, headline bars and grey text columns."""
    rng = random.Random(seed)
    cols, rows = 10, 14
    grid = [[236] * cols for _ in range(rows)]
    for c in range(1, cols - 1):
        grid[1][c] = 40  # masthead
    y = 3
    for _ in range(max(1, articles)):
        if y >= rows - 1:
            break
        span = rng.randint(4, cols - 2)
        start = rng.randint(1, cols - 1 - span)
        for c in range(start, start + span):
            grid[y][c] = rng.randint(30, 80)
        for r in range(y + 1, min(rows - 1, y + 1 + rng.randint(1, 3))):
            for c in range(1, cols - 1):
                grid[r][c] = rng.choice((150, 165, 180, 200))
        y += rng.randint(3, 4)
    return encode_gray_jpeg(grid)


def picture_jpeg(seed: str) -> bytes:
    """A small landscape 'photo': a vertical gradient with a blob."""
    rng = random.Random(seed)
    cols, rows = 12, 8
    base = rng.randint(60, 140)
    grid = [[min(255, base + r * 12) for _ in range(cols)] for r in range(rows)]
    cx, cy = rng.randint(2, cols - 3), rng.randint(2, rows - 3)
    for r in range(rows):
        for c in range(cols):
            if (r - cy) ** 2 + (c - cx) ** 2 <= 4:
                grid[r][c] = rng.randint(10, 60)
    return encode_gray_jpeg(grid)


def one_page_pdf(title: str) -> bytes:
    """A minimal valid PDF 1.4 with one A-size page and one ASCII line of text."""
    safe = "".join(ch for ch in title if 32 <= ord(ch) < 127 and ch not in "()\\")
    stream = f"BT /F1 18 Tf 40 380 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 297 420] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out += trailer.encode()
    return bytes(out)
