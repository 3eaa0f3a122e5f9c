#!/usr/bin/env python3
"""Reciprocal-rank fusion (k=60) of two runs written by `retrieve eval --run-output`, at
several weights of the second, reported on the first 300 questions of the first run, the
rest, and all (R@1 / MRR@10 against each query's passage_id).

Usage: python3 scripts/fuse_runs.py QUERIES.jsonl FIRST.run.jsonl SECOND.run.jsonl [--weights 0.05 0.1 ...]
"""
import argparse, json


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("queries")
    ap.add_argument("first")
    ap.add_argument("second")
    ap.add_argument("--weights", type=float, nargs="+", default=[0.05, 0.1, 0.2, 0.5, 1])
    ap.add_argument("--split", type=int, default=300)
    args = ap.parse_args()
    gold = {}
    for line in open(args.queries, encoding="utf-8"):
        if line.strip():
            query = json.loads(line)
            gold[query["_id"]] = query["passage_id"]

    def load(path):
        return {r["_id"]: r["hits"] for r in map(json.loads, open(path, encoding="utf-8"))}

    first, second = load(args.first), load(args.second)
    ids = list(first)

    def metrics(run, part):
        r1 = mrr = 0.0
        for q in part:
            hits = run.get(q, [])[:10]
            r1 += bool(hits) and hits[0] == gold[q]
            mrr += 1 / (hits.index(gold[q]) + 1) if gold[q] in hits else 0
        return f"{r1 / len(part):.3f} / {mrr / len(part):.3f}"

    def report(label, run):
        parts = (ids[: args.split], ids[args.split :], ids)
        print(f"{label:>10}  " + "  ".join(metrics(run, p) for p in parts if p))

    print(f"{'':>10}  first {args.split} | rest | all (R@1 / MRR@10)")
    report("first", first)
    report("second", second)
    for weight in args.weights:
        fused = {}
        for q in ids:
            score = {}
            for rank, p in enumerate(first[q][:100]):
                score[p] = score.get(p, 0) + 1 / (61 + rank)
            for rank, p in enumerate(second.get(q, [])[:100]):
                score[p] = score.get(p, 0) + weight / (61 + rank)
            fused[q] = sorted(score, key=lambda p: -score[p])
        report(f"w {weight}", fused)


if __name__ == "__main__":
    main()
