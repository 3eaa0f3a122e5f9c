#!/usr/bin/env python3
"""Peer for `bench tokenizer`: Hugging Face `tokenizers` (byte-level BPE, GPT-2 files) encoding
the same SQuAD passages. Setup: pip install tokenizers.
Usage: python3 scripts/tokenizer_peer.py [--tokenizer DIR] [--corpus FILE] [--repetitions N]"""
import argparse, json, statistics, time
from tokenizers import Tokenizer, models, pre_tokenizers, decoders

ap = argparse.ArgumentParser()
ap.add_argument("--tokenizer", default="Tests/Fixtures/gpt2-tokenizer")
ap.add_argument("--corpus", default="data/retrieval/squad-v1.1-dev.corpus.jsonl")
ap.add_argument("--repetitions", type=int, default=5)
args = ap.parse_args()

def load():
    t = Tokenizer(models.BPE.from_file(f"{args.tokenizer}/vocab.json", f"{args.tokenizer}/merges.txt"))
    t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    t.decoder = decoders.ByteLevel()
    return t

texts = [json.loads(line)["text"] for line in open(args.corpus, encoding="utf-8")]
whole = "\n".join(texts)
size = len(whole.encode("utf-8"))
t = load()
start = time.perf_counter(); ids = t.encode(whole).ids; cold = time.perf_counter() - start
warm = statistics.median([(lambda s: (t.encode(whole), time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(args.repetitions)])
def per_doc():
    s = time.perf_counter(); tk = load()
    for x in texts: tk.encode(x)
    return time.perf_counter() - s
doc = statistics.median([per_doc() for _ in range(args.repetitions)])
print(json.dumps(dict(bytes=size, tokens=len(ids), documents=len(texts), coldMegabytesPerSecond=size / cold / 1e6,
                      wholeTextMegabytesPerSecond=size / warm / 1e6, perDocumentMegabytesPerSecond=size / doc / 1e6)))
