#!/usr/bin/env python3
"""Print (word, PyStemmer stem) pairs: the expected values of
Tests/NGramRetrievalTests/EnglishStemmerTests.swift were made with this script.

Stems with PyStemmer's Snowball `english` stemmer (Porter2), the stemmer of the BM25 peer
(scripts/bm25_run.py) that `EnglishStemmer` in Sources/NGramRetrieval reproduces.

Needs: pip install PyStemmer
Usage: python3 scripts/stem_pairs.py [--swift] WORD... (or one word a line on stdin)
Prints `word<TAB>stem` lines, or with --swift `("word", "stem"),` lines to paste into the test.
"""
import json, sys

import Stemmer


def main():
    args = sys.argv[1:]
    swift = "--swift" in args
    words = [a for a in args if a != "--swift"] or [l.strip() for l in sys.stdin if l.strip()]
    stemmer = Stemmer.Stemmer("english")
    for word in words:
        stem = stemmer.stemWord(word)
        # JSON string literals are valid Swift string literals for these words.
        print(f"({json.dumps(word, ensure_ascii=False)}, {json.dumps(stem, ensure_ascii=False)})," if swift
              else f"{word}\t{stem}")


if __name__ == "__main__":
    main()
