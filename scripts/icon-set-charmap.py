#!/usr/bin/env python3
"""Names and keywords of the glyphs of an icon font, from the metadata its Debian package ships.

Usage: icon-set-charmap.py KIND FONT.ttf SOURCE CHARMAP_OUT.json KEYWORDS_OUT.json

KIND says how to read SOURCE:
  css    a stylesheet with rules such as `.fa-remove:before, .fa-close:before { content: "\\f00d"; }`;
         the first selector of a rule names the glyph, the others are its aliases
  yml    Fork Awesome's icons.yml (id, aliases, filter words, categories)
  prawn  a prawn-icon data file ({prefix: {name: "\\uf100", ...}})
  cmap   no metadata: glyph names from the font, or the Unicode character name when the glyph
         is only called uniXXXX (Entypo and Glyphicons put their icons on pictographic code points)
  symbols  a symbol font (Symbola, Noto Sans Symbols): only the glyphs of the pictographic Unicode
         blocks below, named by their Unicode character names

Writes CHARMAP_OUT ({name: "0xf00d"}, one name per code point, the input of
extract-font-icons.py) and KEYWORDS_OUT ({name: [extra keywords]}).
"""
import json
import re
import sys
import unicodedata

from fontTools.ttLib import TTFont

SELECTOR = re.compile(r"\.([A-Za-z0-9_-]+?)(?:::?before)")
CONTENT = re.compile(r'content:\s*"\\([0-9a-fA-F]+)"')


def from_css(path, font_codes):
    names, keywords = {}, {}
    text = open(path, encoding="utf-8").read()
    for block in re.finditer(r"([^{}]+)\{([^{}]*)\}", text):
        selectors, body = block.group(1), block.group(2)
        content = CONTENT.search(body)
        if not content or ":before" not in selectors:
            continue
        code = int(content.group(1), 16)
        if code not in font_codes:
            continue
        found = [m.group(1) for m in SELECTOR.finditer(selectors)]
        # Drop the stylesheet's prefix ("fa-", "el-", "glyphicon-") and a leading "_" before digits.
        found = [re.sub(r"^(fa|el|glyphicon|material-icons)-", "", name).lstrip("_") for name in found]
        found = [name for name in found if name and name != "material-icons"]
        if not found:
            continue
        primary = names.get(code)
        if primary is None:
            names[code] = primary = found[0]
            keywords[primary] = []
        for alias in found:
            if alias != primary and alias not in keywords[primary]:
                keywords[primary].append(alias)
    return names, keywords


def from_yml(path, font_codes):
    import yaml

    names, keywords = {}, {}
    for icon in yaml.safe_load(open(path, encoding="utf-8"))["icons"]:
        code = int(str(icon["unicode"]), 16)
        if code not in font_codes or code in names:
            continue
        names[code] = icon["id"]
        extra = [icon.get("name", "")] + list(icon.get("aliases") or []) + list(icon.get("filter") or [])
        extra += [c.replace(" Icons", "") for c in icon.get("categories") or []]
        keywords[icon["id"]] = [str(e) for e in extra if e]
    return names, keywords


def from_prawn(path, font_codes):
    import yaml

    names, keywords = {}, {}
    for table in yaml.safe_load(open(path, encoding="utf-8")).values():
        for name, character in sorted(table.items()):
            if name.startswith("__") or not isinstance(character, str) or len(character) != 1:
                continue
            code = ord(character)
            if code in font_codes and code not in names:
                names[code] = name
                keywords[name] = []
    return names, keywords


# Unicode blocks of pictographs, symbols and arrows (first, last code point).
PICTOGRAPHIC_BLOCKS = [
    (0x2190, 0x21FF),  # Arrows
    (0x2300, 0x23FF),  # Miscellaneous Technical
    (0x2600, 0x26FF),  # Miscellaneous Symbols
    (0x2700, 0x27BF),  # Dingbats
    (0x27F0, 0x27FF),  # Supplemental Arrows-A
    (0x2900, 0x297F),  # Supplemental Arrows-B
    (0x2B00, 0x2BFF),  # Miscellaneous Symbols and Arrows
    (0x1F000, 0x1F0FF),  # Mahjong, Domino and Playing Cards
    (0x1F300, 0x1F5FF),  # Miscellaneous Symbols and Pictographs
    (0x1F600, 0x1F64F),  # Emoticons
    (0x1F680, 0x1F6FF),  # Transport and Map Symbols
    (0x1F780, 0x1F7FF),  # Geometric Shapes Extended
    (0x1F800, 0x1F8FF),  # Supplemental Arrows-C
    (0x1F900, 0x1F9FF),  # Supplemental Symbols and Pictographs
    (0x1FA00, 0x1FAFF),  # Chess Symbols; Symbols and Pictographs Extended-A
]


def from_symbols(cmap):
    names, keywords = {}, {}
    for code in sorted(cmap):
        if not any(first <= code <= last for first, last in PICTOGRAPHIC_BLOCKS):
            continue
        name = unicodedata.name(chr(code), "").lower().replace(" ", "-")
        if name and name not in keywords:
            names[code] = name
            keywords[name] = []
    return names, keywords


def from_cmap(cmap):
    names, keywords = {}, {}
    for code, glyph in cmap.items():
        if code < 0x2000 and chr(code).isascii():
            continue  # letters, digits and punctuation that pictographic fonts also carry
        name = glyph
        if re.fullmatch(r"(uni|u)[0-9A-Fa-f]{4,6}", glyph) or glyph.startswith("glyph"):
            name = unicodedata.name(chr(code), "").lower().replace(" ", "-")
        if not name or name in keywords:
            continue
        names[code] = name
        keywords[name] = []
    return names, keywords


def main(kind, font_path, source, charmap_out, keywords_out):
    cmap = TTFont(font_path).getBestCmap()
    if kind == "css":
        names, keywords = from_css(source, set(cmap))
    elif kind == "yml":
        names, keywords = from_yml(source, set(cmap))
    elif kind == "prawn":
        names, keywords = from_prawn(source, set(cmap))
    elif kind == "cmap":
        names, keywords = from_cmap(cmap)
    elif kind == "symbols":
        names, keywords = from_symbols(cmap)
    else:
        sys.exit(f"error: unknown KIND {kind!r} (css, yml, prawn, cmap or symbols)")
    json.dump({name: hex(code) for code, name in sorted(names.items())}, open(charmap_out, "w"), indent=0, sort_keys=True)
    json.dump(keywords, open(keywords_out, "w"), indent=0, sort_keys=True)
    print(f"{font_path}: {len(names)} named glyphs from {kind}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:])
