#!/usr/bin/env python3
"""Make the tokenizer.json fixtures of Tests/TokenizersTests (BytePairTokenizer+TokenizerJSON).

(a) Trains a tiny byte-level BPE (vocabulary 300, special token <|endoftext|>) with Hugging
    Face `tokenizers` on the inline sentences below and writes, into OUT_DIR (default
    Tests/TokenizersTests/Fixtures/tokenizer-json):
      tiny-pairs.tokenizer.json     as the library saves it (merges as ["a", "b"] pairs)
      tiny-strings.tokenizer.json   the same file with merges as "a b" strings, the layout
                                    of files written before tokenizers 0.20 (0.23.3 only
                                    writes pairs, so this script rewrites the list)
      tiny-reference.json           [{"text", "ids", "tokens"}] as `tokenizers` encodes them
(b) With --gpt2 OUT.json, also converts Tests/Fixtures/gpt2-tokenizer/vocab.json +
    merges.txt into a real GPT-2 tokenizer.json at OUT.json (a temporary path; not committed).
    The tests use it when NEXTTOKEN_GPT2_TOKENIZER_JSON names it, or when it is
    /tmp/gpt2-tokenizer.json.

Needs: pip install tokenizers==0.23.3
Usage: python3 scripts/make_tokenizer_json_fixture.py [OUT_DIR] [--gpt2 Tests/Fixtures/gpt2-tokenizer-json/tokenizer.json [--gpt2-folder DIR]]
"""
import argparse, json, os

import tokenizers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "A tokenizer turns text into numbers, and the numbers back into text.",
    "Byte-level byte-pair encoding merges the most frequent pairs of bytes first.",
    "There is the theory of the thing, and then there is the thing itself.",
    "Hello world! Hello there, hello again; they said hello to the other ones.",
    "In 2024 the 3 tokenizers handled 12345 lines in 67 seconds.",
    "Café, naïve, résumé and Zürich keep their accents.",
    "<|endoftext|>",
]

REFERENCE_TEXTS = [
    "",
    "Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "the theory of the thing",
    "hello<|endoftext|>world",
    "<|endoftext|>The end<|endoftext|>",
    "Café naïve résumé",
    "Zürich, São Paulo, Kraków",
    "emoji: 🙂👍🏽 and 🇫🇷",
    "日本語のテキスト",
    "12345 67 8.9 1,000,000",
    "a   b    c",
    "  leading and trailing spaces  ",
    "tabs\tand\nnewlines\r\n\n",
    "I'm sure they've done it, we'll see; DON'T",
    "x" * 60,
    "snake_case and kebab-case and CamelCase",
    "!!! ??? ... ---",
    "\u00a0non-breaking\u2003em space",
    "<|endoftext",
]


def train_tiny():
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=300, special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(CORPUS * 4, trainer=trainer)
    return tokenizer


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(value, out, ensure_ascii=False, indent=1)
        out.write("\n")


def make_tiny(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    tokenizer = train_tiny()
    pairs_path = os.path.join(out_dir, "tiny-pairs.tokenizer.json")
    tokenizer.save(pairs_path, pretty=True)
    document = json.load(open(pairs_path, encoding="utf-8"))
    merges = document["model"]["merges"]
    assert merges and all(isinstance(m, list) and len(m) == 2 for m in merges), "expected merges as pairs"
    assert all(" " not in part for m in merges for part in m)
    document["model"]["merges"] = [left + " " + right for left, right in merges]
    strings_path = os.path.join(out_dir, "tiny-strings.tokenizer.json")
    write_json(strings_path, document)

    reference = []
    reloaded = [Tokenizer.from_file(pairs_path), Tokenizer.from_file(strings_path)]
    for text in REFERENCE_TEXTS:
        encoding = tokenizer.encode(text)
        for other in reloaded:
            assert other.encode(text).ids == encoding.ids, text
        assert tokenizer.decode(encoding.ids, skip_special_tokens=False) == text, text
        reference.append({"text": text, "ids": encoding.ids, "tokens": encoding.tokens})
    write_json(os.path.join(out_dir, "tiny-reference.json"), reference)
    print(f"tokenizers {tokenizers.__version__}: vocabulary {tokenizer.get_vocab_size()}, "
          f"{len(merges)} merges, {len(reference)} reference strings -> {out_dir}")


def make_gpt2(out_path, folder):
    model = models.BPE.from_file(os.path.join(folder, "vocab.json"), os.path.join(folder, "merges.txt"))
    tokenizer = Tokenizer(model)
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    tokenizer.add_special_tokens(["<|endoftext|>"])
    tokenizer.save(out_path)
    # The same split spelled as a Sequence of a Split on GPT-2's pattern and a ByteLevel without
    # its own regex, as converted tiktoken-style files have it; BytePairTokenizer reads both.
    split = Tokenizer.from_file(out_path)
    split.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(tokenizers.Regex(GPT2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    checked = 0
    for line in open(os.path.join(folder, "reference.jsonl"), encoding="utf-8"):
        case = json.loads(line)
        for candidate in (tokenizer, split):
            assert candidate.encode(case["text"], add_special_tokens=False).ids == case["ids"], case["text"]
        checked += 1
    print(f"GPT-2 tokenizer.json -> {out_path} (it and the Split + ByteLevel variant match "
          f"{checked} lines of reference.jsonl)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", nargs="?", default=os.path.join(ROOT, "Tests", "TokenizersTests", "Fixtures", "tokenizer-json"))
    parser.add_argument("--gpt2", metavar="OUT.json", help="also write GPT-2's tokenizer.json here (committed as Tests/Fixtures/gpt2-tokenizer-json/tokenizer.json)")
    parser.add_argument("--gpt2-folder", default=os.path.join(ROOT, "Tests", "Fixtures", "gpt2-tokenizer"),
                        help="folder with GPT-2's vocab.json, merges.txt and reference.jsonl (default: Tests/Fixtures/gpt2-tokenizer)")
    args = parser.parse_args()
    make_tiny(args.out_dir)
    if args.gpt2:
        make_gpt2(args.gpt2, args.gpt2_folder)


if __name__ == "__main__":
    main()
