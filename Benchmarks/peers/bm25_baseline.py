#!/usr/bin/env python3
"""BM25 baseline for the SQuAD v1.1 dev passage-retrieval benchmark in
data/retrieval, from scripts/fetch-data squad (corpus = the 2,067 dev paragraphs, a question's only
relevant passage = its own paragraph).

Needs: pip install bm25s PyStemmer numpy scipy
Usage: python bm25_baseline.py [DATA_DIR] [--no-stem] [--title] [--k1 1.5] [--b 0.75] [--threads 1]
Prints recall@1/5/20/100, MRR@10, index build time and query throughput.
"""
import argparse, json, os, time

import bm25s
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "data", "retrieval"))  # scripts/fetch-data squad


def load(data_dir):
    base = os.path.join(data_dir, "squad-v1.1-dev")
    corpus = [json.loads(l) for l in open(base + ".corpus.jsonl", encoding="utf-8")]
    queries = [json.loads(l) for l in open(base + ".queries.jsonl", encoding="utf-8")]
    return corpus, queries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir", nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--no-stem", action="store_true")
    ap.add_argument("--title", action="store_true", help="prepend the article title to each passage")
    ap.add_argument("--k1", type=float, default=1.5)
    ap.add_argument("--b", type=float, default=0.75)
    ap.add_argument("--method", default="lucene")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--k", type=int, default=100)
    args = ap.parse_args()

    corpus, queries = load(args.data_dir)
    pid_index = {c["_id"]: i for i, c in enumerate(corpus)}
    docs = [(c["title"].replace("_", " ") + " " + c["text"]) if args.title else c["text"] for c in corpus]
    gold = np.array([pid_index[q["passage_id"]] for q in queries])
    qtexts = [q["text"] for q in queries]

    stemmer = None
    if not args.no_stem:
        import Stemmer
        stemmer = Stemmer.Stemmer("english")

    t0 = time.perf_counter()
    doc_tokens = bm25s.tokenize(docs, stopwords="en", stemmer=stemmer, show_progress=False)
    t1 = time.perf_counter()
    retriever = bm25s.BM25(method=args.method, k1=args.k1, b=args.b)
    retriever.index(doc_tokens, show_progress=False)
    t2 = time.perf_counter()

    k = min(args.k, len(docs))
    t3 = time.perf_counter()
    q_tokens = bm25s.tokenize(qtexts, stopwords="en", stemmer=stemmer, show_progress=False)
    t4 = time.perf_counter()
    results, scores = retriever.retrieve(q_tokens, k=k, show_progress=False, n_threads=args.threads)
    t5 = time.perf_counter()

    hit = results == gold[:, None]            # (n_queries, k)
    first = np.where(hit.any(1), hit.argmax(1), k)  # 0-based rank of gold, k if missing
    out = {
        "queries": len(queries), "passages": len(docs),
        "config": {"stem": not args.no_stem, "title": args.title, "k1": args.k1, "b": args.b,
                   "method": args.method, "stopwords": "en", "threads": args.threads},
    }
    for r in (1, 5, 10, 20, 100):
        if r <= k:
            out["recall@%d" % r] = round(float((first < r).mean()), 4)
    rr = np.where(first < 10, 1.0 / (first + 1), 0.0)
    out["mrr@10"] = round(float(rr.mean()), 4)
    out["index_build_s"] = {"tokenize": round(t1 - t0, 3), "index": round(t2 - t1, 3), "total": round(t2 - t0, 3)}
    out["search_s"] = {"tokenize_queries": round(t4 - t3, 3), "retrieve": round(t5 - t4, 3)}
    out["queries_per_s_end_to_end"] = round(len(queries) / (t5 - t3), 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
