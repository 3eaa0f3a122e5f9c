#!/usr/bin/env python3
"""Copies the monochrome SVG icons of a freedesktop icon theme into a dataset folder.

Usage: copy-theme-icons.py THEME_DIR OUT_DIR [SUBDIR...]
  SUBDIR  folders of the theme to read, relative to THEME_DIR (e.g. symbolic, 16x16/actions,
          actions/22); each is copied to OUT_DIR/SUBDIR. Default: every folder of the theme that
          holds SVG files, except the @2x/@3x copies and folders that are links to others.

An icon is monochrome when everything it draws has one colour: `currentColor` or a single
`ColorScheme-*` class, or one explicit fill/stroke colour, with no gradient or raster image.
(Colours defined in a `<style>` block but not used are ignored.) Symbolic links are icon
aliases: each is written as a copy under its own name, so the dataset builder merges it with
its target and keeps both names as keywords. A trailing "-symbolic" is dropped from names.
Prints per folder how many icons were read and kept.
"""
import os
import re
import shutil
import sys

COLOUR = re.compile(r'(?:fill|stroke|stop-color)\s*[:=]\s*"?\s*(#[0-9a-fA-F]{3,8}|rgba?\([^)]*\)|[A-Za-z]+)')
SCHEME_CLASS = re.compile(r'class="[^"]*?(ColorScheme-[A-Za-z]+)')
NOT_A_COLOUR = {"none", "currentcolor", "transparent", "inherit", "url"}


def is_monochrome(text):
    if "Gradient" in text or "<image" in text:
        return False
    text = re.sub(r"<style.*?</style>", "", text, flags=re.S)
    colours = {c.lower() for c in COLOUR.findall(text)} - NOT_A_COLOUR
    return len(colours | set(SCHEME_CLASS.findall(text))) <= 1


def svg_folders(theme):
    found = []
    for root, folders, files in os.walk(theme):
        folders[:] = sorted(f for f in folders if "@" not in f and not os.path.islink(os.path.join(root, f)))
        if any(name.endswith(".svg") for name in files):
            found.append(os.path.relpath(root, theme))
    return found


def main(theme, out, subdirs):
    subdirs = subdirs or svg_folders(theme)
    for subdir in subdirs:
        source = os.path.join(theme, subdir)
        if not os.path.isdir(source):
            sys.exit(f"error: {source}: no such folder")
        target = os.path.join(out, subdir)
        os.makedirs(target, exist_ok=True)
        read = kept = 0
        for name in sorted(os.listdir(source)):
            path = os.path.join(source, name)
            if not name.endswith(".svg") or not os.path.isfile(path):
                continue
            read += 1
            with open(path, encoding="utf-8", errors="replace") as handle:
                if not is_monochrome(handle.read()):
                    continue
            stem = name[: -len(".svg")]
            stem = stem[: -len("-symbolic")] if stem.endswith("-symbolic") else stem
            shutil.copyfile(os.path.realpath(path), os.path.join(target, stem + ".svg"))
            kept += 1
        if kept == 0:
            os.rmdir(target)
        print(f"{kept:6d} of {read:6d} monochrome in {source}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
