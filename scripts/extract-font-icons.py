#!/usr/bin/env python3
"""Writes each named glyph of a TrueType icon font as an SVG file (for `icons dataset build`).

Usage: extract-font-icons.py FONT.ttf CHARMAP.json OUT_DIR
CHARMAP.json maps icon names to code points ("0xf01c9"), as qtawesome ships them.
Glyph outlines are y-up in font units; each SVG flips them with a transform on the path, on a
viewBox spanning the advance width and ascent - descent, the box the icon was designed in.
"""
import json
import os
import sys

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont


def main(font_path, charmap_path, out_dir):
    font = TTFont(font_path)
    glyph_set = font.getGlyphSet()
    cmap = font.getBestCmap()
    ascent, descent = font["hhea"].ascent, font["hhea"].descent
    height = ascent - descent
    names = json.load(open(charmap_path, encoding="utf-8"))
    os.makedirs(out_dir, exist_ok=True)
    written = skipped = 0
    for name, code in sorted(names.items()):
        glyph_name = cmap.get(int(code, 16))
        if glyph_name is None:
            skipped += 1
            continue
        pen = SVGPathPen(glyph_set)
        glyph_set[glyph_name].draw(pen)
        d = pen.getCommands()
        if not d:
            skipped += 1
            continue
        width = glyph_set[glyph_name].width or height
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
               f'<path transform="matrix(1 0 0 -1 0 {ascent})" d="{d}"/></svg>\n')
        with open(os.path.join(out_dir, f"{name}.svg"), "w", encoding="utf-8") as handle:
            handle.write(svg)
        written += 1
    print(f"{font_path}: {written} glyphs written, {skipped} without outline or code point", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
