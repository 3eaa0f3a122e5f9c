#!/usr/bin/env python3
"""How much the training questions say about held-out ones: BM25 on the held-out questions
(the id-hash split of `retrieve eval --split heldout`) over the passages as they are, and over
each passage with its training questions appended once and twice (document expansion with
the real questions, a ceiling on what a generator trained on them could add).

Settings of Benchmarks/peers/bm25_baseline.py (bm25s, English stopwords, Snowball stemmer,
k1=1.5, b=0.75, Lucene variant, text only).

Needs: pip install bm25s PyStemmer numpy scipy
Usage: python3 scripts/bm25_expansion.py CORPUS.jsonl QUERIES.jsonl [--held-out-percent 20]
"""
import argparse, json

import bm25s
import Stemmer


def held_out(query_id, percent):
    """FNV-1a 64 of the UTF-8 id, modulo 100 (QuerySplit.isHeldOut)."""
    h = 0xCBF29CE484222325
    for byte in query_id.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h % 100 < percent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("queries")
    ap.add_argument("--held-out-percent", type=int, default=20)
    args = ap.parse_args()
    corpus = [json.loads(l) for l in open(args.corpus, encoding="utf-8") if l.strip()]
    queries = [json.loads(l) for l in open(args.queries, encoding="utf-8") if l.strip()]
    test = [q for q in queries if held_out(q["_id"], args.held_out_percent)]
    train = [q for q in queries if not held_out(q["_id"], args.held_out_percent)]
    position = {c["_id"]: i for i, c in enumerate(corpus)}
    stemmer = Stemmer.Stemmer("english")
    test_tokens = bm25s.tokenize([q["text"] for q in test], stopwords="en", stemmer=stemmer, show_progress=False)

    def evaluate(texts, label):
        retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
        retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
        results, _ = retriever.retrieve(test_tokens, k=10, show_progress=False)
        r1 = mrr = 0.0
        for query, row in zip(test, results):
            row, gold = list(row), position[query["passage_id"]]
            r1 += row[0] == gold
            mrr += 1 / (row.index(gold) + 1) if gold in row else 0
        print(f"{label}: R@1 {r1 / len(test):.3f}  MRR@10 {mrr / len(test):.3f}  ({len(test)} held-out questions)")

    expansion = {c["_id"]: [] for c in corpus}
    for query in train:
        expansion[query["passage_id"]].append(query["text"])
    evaluate([c["text"] for c in corpus], "BM25")
    for times in (1, 2):
        evaluate([c["text"] + (" " + " ".join(expansion[c["_id"]])) * times for c in corpus],
                 f"BM25, passages + their {len(train)} training questions x{times}")


if __name__ == "__main__":
    main()
