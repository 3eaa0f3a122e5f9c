#!/usr/bin/env python3
"""Write a BM25 run for `retrieve eval --fuse`, with the settings of
Benchmarks/peers/bm25_baseline.py (bm25s, lowercase regex tokenizer, English stopwords,
Snowball stemmer, k1=1.5, b=0.75, Lucene variant, text only).

Needs: pip install bm25s PyStemmer numpy scipy
Usage: python3 scripts/bm25_run.py CORPUS.jsonl QUERIES.jsonl OUT.jsonl [--k 100]
Each output line: {"_id": query id, "hits": [passage ids, best first]}.
"""
import argparse, json, time

import bm25s
import Stemmer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("queries")
    ap.add_argument("out")
    ap.add_argument("--k", type=int, default=100)
    args = ap.parse_args()
    corpus = [json.loads(l) for l in open(args.corpus, encoding="utf-8") if l.strip()]
    queries = [json.loads(l) for l in open(args.queries, encoding="utf-8") if l.strip()]
    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    retriever.index(bm25s.tokenize([c["text"] for c in corpus], stopwords="en", stemmer=stemmer, show_progress=False),
                    show_progress=False)
    start = time.perf_counter()
    tokens = bm25s.tokenize([q["text"] for q in queries], stopwords="en", stemmer=stemmer, show_progress=False)
    results, _ = retriever.retrieve(tokens, k=min(args.k, len(corpus)), show_progress=False, n_threads=1)
    seconds = time.perf_counter() - start
    with open(args.out, "w", encoding="utf-8") as out:
        for query, row in zip(queries, results):
            out.write(json.dumps({"_id": query["_id"], "hits": [corpus[i]["_id"] for i in row]}) + "\n")
    print(json.dumps({"queries": len(queries), "queries_per_s": round(len(queries) / seconds, 1)}))


if __name__ == "__main__":
    main()
