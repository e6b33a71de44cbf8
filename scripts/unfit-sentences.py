#!/usr/bin/env python3
"""Share of a digest's brief sentences unfit to stand alone (issue 20): one day made of the
Multi-News stories of DATA (each article a file) through `BIN once`, its sentences counted by the
rules in kinds() below. Usage: scripts/unfit-sentences.py BIN ../shared/eval/multinews_val100.jsonl [--show]"""
import json, os, re, subprocess, sys, tempfile, shutil
bin_, data = sys.argv[1], sys.argv[2]
show = '--show' in sys.argv
work = tempfile.mkdtemp(prefix='unfit-')
drop = os.path.join(work, 'drop'); os.makedirs(drop)
for i, line in enumerate(open(data)):
    st = json.loads(line)
    for j, a in enumerate(st['articles']):
        with open(os.path.join(drop, f'{i:03d}-{j}.json'), 'w') as f:
            json.dump({'title': a.get('title', ''), 'text': a['text'], 'source': a.get('source') or f'outlet{j}'}, f)
cfg = os.path.join(work, 'c.toml'); open(cfg, 'w').write('[digest]\ntimezone = "UTC"\n[input]\nsettle_ms = 0\n')
subprocess.run([bin_, 'once', '--drop', drop, '--state', work + '/state', '--digests', work + '/digests',
                '--config', cfg, '--keep-inputs', '--day', '2026-01-01'], check=True, capture_output=True)
d = json.load(open(work + '/digests/2026-01-01.json'))
shutil.rmtree(work)

def kinds(t):
    k = []
    # quotation cut open or begun inside: unbalanced double quotes ('' counts as one)
    q = t.replace("''", '"').count('"')
    if q % 2: k.append('open quotation')
    if re.search(r'(\.\.\.|\u2026)\W*$', t): k.append('teaser cut with ...')
    if re.match(r'(FILE\s*[-\u2013\u2014]|In this\b[^.]{0,80}?\b(photo|image|picture)\b|A (photo|picture|file photo) (from|of|taken)|This (undated )?(photo|image))', t) \
       or re.search(r'\((AP|Reuters|AFP|Getty)[^)]*(Photo|Images)', t): k.append('caption')
    if re.match(r'(Produced by|Directed by|Written by|Starring|With:|Cast:|Running time|Rated [A-Z])', t): k.append('credits')
    if ' | ' in t: k.append('headline glued to deck')
    return k

total = 0; unfit = 0; by = {}
for s in d['stories']:
    for x in s['summary']:
        total += 1
        k = kinds(x['text'])
        if k:
            unfit += 1
            for kk in k: by[kk] = by.get(kk, 0) + 1
            if show: print(k, x['text'][:160])
print(f"stories {len(d['stories'])} sentences {total} unfit {unfit} ({100*unfit/max(1,total):.1f} %) {by}")
