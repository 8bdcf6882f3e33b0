#!/usr/bin/env python3
"""Prints the radicals Noto Sans CJK SC draws with an ideograph's glyph, as pairs of radical and ideograph:
the table of src/Chengxin/Reports/PdfTextLayer.cs. Usage: scripts/radical-equivalents.py [font.ttc] [face]"""
import struct, sys, unicodedata

path = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
face = int(sys.argv[2]) if len(sys.argv) > 2 else 2  # fc-match -f '%{index}' 'Noto Sans CJK SC'
data = open(path, "rb").read()
u16 = lambda o: struct.unpack(">H", data[o:o + 2])[0]
u32 = lambda o: struct.unpack(">I", data[o:o + 4])[0]

base = u32(12 + 4 * face) if data[:4] == b"ttcf" else 0
tables = {data[base + 12 + 16 * i:base + 16 + 16 * i]: u32(base + 20 + 16 * i) for i in range(u16(base + 4))}
cmap = tables[b"cmap"]
format12 = next(cmap + u32(cmap + 8 + 8 * i) for i in range(u16(cmap + 2)) if u16(cmap + u32(cmap + 8 + 8 * i)) == 12)
glyph = {}
for group in range(u32(format12 + 12)):
    start, end, first = (u32(format12 + 16 + 12 * group + k) for k in (0, 4, 8))
    for code in range(start, end + 1):
        glyph[code] = first + code - start

# The ideograph a glyph stands for: unified ideographs first, then extension A, then the others.
def rank(code):
    for position, (low, high) in enumerate([(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x3FFFF), (0xF900, 0xFAFF)]):
        if low <= code <= high:
            return position
    return None

ideograph = {}
for code in sorted((c for c in glyph if rank(c) is not None), key=lambda c: (rank(c), c)):
    ideograph.setdefault(glyph[code], code)
pairs = [chr(r) + unicodedata.normalize("NFKC", chr(ideograph[glyph[r]]))
         for r in range(0x2E80, 0x2FE0) if r in glyph and glyph[r] in ideograph]
for line in range(0, len(pairs), 32):
    print("".join(pairs[line:line + 32]))
