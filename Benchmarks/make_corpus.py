#!/usr/bin/env python3
"""Deterministic benchmark corpora from the evaluation data: N article files in a drop folder.

    make_corpus.py EVAL_DIR OUT_DIR N [--seed S]

Built from the real articles of EVAL_DIR (../shared/eval: Multi-News, ECB+, MEANTIME), so the
sizes, sentence lengths and vocabulary are those of real news; the files are written under
OUT_DIR only, never into the repository (the texts belong to their publishers).

To reach 100,000 distinct files from about a thousand articles, each synthetic story takes one
real cluster and renames its people, places and organisations (every capitalised word outside
a short list) to names of its own, and each of its articles takes a different subset of the
cluster's sentences. So stories stay stories (their articles share names and events), two
stories made from the same cluster do not merge, and two articles of a story are not near
duplicates of each other. On top: about 8 % near duplicates (a copy with a sentence dropped, its
end cut, or a line of furniture added) and 3 % exact copies, under other outlets' names.
About one file in five is JSON. The same N and seed give the same bytes.
"""

import argparse
import hashlib
import json
import os
import random
import re

SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
CAPITALISED = re.compile(r"\b([A-Z][a-z]{2,})\b")
KEEP = set(
    """The A An In On At For But And Or So If As It Its This That These Those He She They We You I
    His Her Their Our Your There Here When Where What Who Why How After Before While Since During
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Mr Mrs Ms Dr President Minister Police""".split()
)
FURNITURE = [
    "Follow us for more updates on this story.",
    "Sign up for our daily newsletter.",
    "This article has been updated with new information.",
    "Share this article with your friends.",
]
OUTLETS = [
    "".join(p)
    for p in [
        (a, b)
        for a in ["north", "south", "east", "west", "city", "coast", "valley", "metro"]
        for b in ["wire", "herald", "post", "times", "ledger"]
    ]
]


def load_clusters(eval_dir):
    clusters = {}
    with open(os.path.join(eval_dir, "multinews_val100.jsonl"), encoding="utf-8") as f:
        for line in f:
            story = json.loads(line)
            for a in story["articles"]:
                if not a.get("boilerplate"):
                    clusters.setdefault("mn/" + str(story["cluster_id"]), []).append(a["text"])
    for name in ["ecbplus_dev.jsonl", "meantime_en.jsonl"]:
        with open(os.path.join(eval_dir, name), encoding="utf-8") as f:
            for line in f:
                a = json.loads(line)
                clusters.setdefault(a["cluster"], []).append(a["text"])
    out = []
    for key in sorted(clusters):
        sentences = [[s for s in SENTENCE.split(" ".join(t.split())) if len(s.split()) >= 4] for t in clusters[key]]
        sentences = [s for s in sentences if len(s) >= 3]
        if sentences:
            out.append(sentences)
    return out


def pseudo_name(story, word):
    h = hashlib.blake2b(f"{story}:{word}".encode(), digest_size=6).digest()
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    name = "".join(consonants[h[i] % 16] + vowels[h[i + 1] % 5] for i in range(0, 2 + h[5] % 2 * 2, 2))
    return name.capitalize() + ("ton" if h[4] % 3 == 0 else "")


def renamer(story):
    cache = {}

    def sub(m):
        w = m.group(1)
        if w in KEEP:
            return w
        if w not in cache:
            cache[w] = pseudo_name(story, w)
        return cache[w]

    return lambda text: CAPITALISED.sub(sub, text)


def near_copy(rng, sentences):
    s = list(sentences)
    kind = rng.randrange(3)
    if kind == 0 and len(s) > 3:
        del s[rng.randrange(1, len(s))]
    elif kind == 1 and len(s) > 4:
        s = s[: max(3, len(s) * 3 // 4)]
    else:
        s.insert(rng.randrange(1, len(s) + 1), rng.choice(FURNITURE))
    return s


def write(out_dir, n, outlet, title, sentences, as_json):
    folder = os.path.join(out_dir, outlet)
    os.makedirs(folder, exist_ok=True)
    if as_json:
        path = os.path.join(folder, f"a{n:06d}.json")
        body = json.dumps({"title": title, "text": " ".join(sentences), "source": outlet}, ensure_ascii=False)
    else:
        path = os.path.join(folder, f"a{n:06d}.txt")
        body = title + "\n\n" + " ".join(sentences) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(body)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir")
    ap.add_argument("out_dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    clusters = load_clusters(args.eval_dir)
    os.makedirs(args.out_dir, exist_ok=True)
    written = []  # (title, sentences) of files written, for copies
    last_path = []
    n = 0
    story = 0
    near = exact = 0
    while n < args.n:
        cluster = clusters[story % len(clusters)]
        rename = renamer(story) if story >= len(clusters) else (lambda t: t)
        outlets = rng.sample(OUTLETS, k=len(OUTLETS))
        for j in range(min(rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8, 12]), args.n - n)):
            roll = rng.random()
            if written and roll < 0.03:
                # An exact copy of a recent file, under another outlet.
                src = rng.choice(last_path[-200:])
                with open(src, "rb") as f:
                    data = f.read()
                folder = os.path.join(args.out_dir, outlets[(j + 7) % len(outlets)])
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, f"a{n:06d}" + os.path.splitext(src)[1]), "wb") as f:
                    f.write(data)
                exact += 1
            elif written and roll < 0.11:
                title, sentences = rng.choice(written[-200:])
                last_path.append(write(args.out_dir, n, outlets[(j + 3) % len(outlets)], title,
                                       near_copy(rng, sentences), rng.random() < 0.2))
                near += 1
            else:
                # Each article tells the story its own way: its lead from one article of the
                # cluster, then about four sentences in ten of that one and of another.
                base = rng.choice(cluster)
                other = rng.choice(cluster)
                keep = base[:1] + [s for s in base[1:] + other if rng.random() < 0.4]
                if len(keep) < 4:
                    keep = base[:4]
                sentences = [rename(s) for s in keep]
                words = sentences[0].split()
                title = " ".join(words[: min(12, len(words))]).rstrip(".,;:")
                written.append((title, sentences))
                last_path.append(write(args.out_dir, n, outlets[j % len(outlets)], title, sentences[1:] or sentences,
                                       rng.random() < 0.2))
            n += 1
        story += 1
    print(f"{n} files in {args.out_dir}: {story} stories, {near} near copies, {exact} exact copies")


if __name__ == "__main__":
    main()
