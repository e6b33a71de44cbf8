#!/usr/bin/env python3
"""Write N synthetic article files for load and crash tests (our own text, no publisher's).

Stories of a few articles each from different outlets (drop/OUTLET/NAME.txt); every 20th file
is an exact copy of an earlier one and every 15th a near copy (one sentence added), so the
daemon's three levels of "the same" all get work. Deterministic for a given --seed.

    make-flood.py DIR N [--seed S] [--prefix P] [--flat]
"""

import argparse
import os
import random

COMMON = (
    "the a of and to in on for with at by from after before over said says officials people "
    "city government report week year new local minister police court company market"
).split()
OUTLETS = ["wire", "herald", "tribune", "courier", "gazette", "ledger", "post", "times"]


def word(rng):
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))


def story_text(rng, vocab, outlet):
    head = " ".join(rng.choice(vocab).capitalize() for _ in range(rng.randint(4, 7)))
    sentences = []
    for _ in range(rng.randint(5, 9)):
        words = [rng.choice(vocab if rng.random() < 0.55 else COMMON) for _ in range(rng.randint(9, 20))]
        sentences.append(" ".join(words).capitalize() + ".")
    return f"{head}\n\n" + " ".join(sentences) + f" Reported by {outlet}.\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--prefix", default="f")
    ap.add_argument("--flat", action="store_true", help="no outlet subfolders")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    written = []
    vocab = []
    for i in range(a.n):
        outlet = OUTLETS[i % len(OUTLETS)]
        if i % 5 == 0:
            vocab = [word(rng) for _ in range(40)]
        if i % 20 == 19 and written:
            text = rng.choice(written)
        elif i % 15 == 14 and written:
            text = rng.choice(written).rstrip("\n") + " " + " ".join(word(rng) for _ in range(8)) + ".\n"
        else:
            text = story_text(rng, vocab, outlet)
        written.append(text)
        folder = a.dir if a.flat else os.path.join(a.dir, outlet)
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".{a.prefix}{i:06d}.txt.part")
        with open(tmp, "w") as f:
            f.write(text)
        os.rename(tmp, os.path.join(folder, f"{a.prefix}{i:06d}.txt"))


if __name__ == "__main__":
    main()
