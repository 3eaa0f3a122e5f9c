#!/usr/bin/env python3
"""Peer of `bench retrieve`: the PyPI `fm-index` package (a Rust FM-index over str) on the
same token text and count patterns as NextToken's FMIndex. Each symbol becomes one
character (U+1000 + symbol), so an n-gram of k tokens is a k-character pattern.

Needs: pip install fm-index   (4.0.0 when this was written)
Usage: fm_index_peer.py TEXT PATTERNS REPEATS
TEXT and PATTERNS as for sdsl_peer.cpp; only "count" patterns are used (the package has no
next-symbol operation). Prints one JSON object on stdout.
"""
import json, pickle, sys, time
from array import array

from fm_index import FMIndex


def main():
    text_file, pattern_file, repeats = sys.argv[1], sys.argv[2], max(1, int(sys.argv[3]))
    symbols = array("I")
    with open(text_file, "rb") as f:
        symbols.frombytes(f.read())
    text = "".join(chr(0x1000 + s) for s in symbols)
    builds = []
    for _ in range(repeats):
        start = time.perf_counter()
        index = FMIndex(text)
        builds.append(time.perf_counter() - start)
    builds.sort()
    out = {"tokens": len(symbols), "build_seconds": builds[len(builds) // 2], "size_bytes": len(pickle.dumps(index))}
    groups = {}
    for line in open(pattern_file):
        fields = line.split()
        if len(fields) < 2 or fields[0] != "count":
            continue
        # Reading order -> the reversed documents of the text.
        groups.setdefault(int(fields[1]), []).append("".join(chr(0x1000 + int(s)) for s in reversed(fields[2:])))
    for length, patterns in sorted(groups.items()):
        best, total = float("inf"), 0
        for _ in range(5):
            start = time.perf_counter()
            total = sum(index.count(p) for p in patterns)
            best = min(best, time.perf_counter() - start)
        out["count_%d_us" % length] = best / len(patterns) * 1e6
        out["count_%d_mean" % length] = total / len(patterns)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
