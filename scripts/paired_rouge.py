#!/usr/bin/env python3
"""Is newsdigest ahead of each peer beyond noise? Paired over the same stories: mean difference,
a bootstrap 95% interval of it (fixed seed), and how many stories newsdigest wins."""
import json, random, sys

data = json.load(open(sys.argv[1]))
per = data["per_story"]
nd = per["newsdigest"]
rng = random.Random(7)
for peer in [s for s in per if s != "newsdigest"]:
    for metric in ("rouge1", "rouge2"):
        diffs = [a - b for a, b in zip(nd[metric], per[peer][metric])]
        n = len(diffs)
        means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(2000))
        wins = sum(d > 0 for d in diffs)
        print(f"vs {peer:<9} {metric}: {sum(diffs) / n:+.2f} (95% CI {means[50]:+.2f} .. {means[1949]:+.2f}), "
              f"wins {wins}/{n}")
