#!/usr/bin/env python
"""Draw the web-page paragraphs to annotate for themes (corpora/themes/web_pages.jsonl).

Pages of ``../shared/data/web_pages/pages.jsonl`` are grouped (renderings of the same article,
found by character 4-gram overlap after OpenCC t2s and pinyin removal, share a group), the groups
are shuffled with ``random.Random(23)`` and taken whole until at least ``--min`` paragraphs are
drawn; each group goes to ``test`` when the first hex digit of ``sha1(group)`` is below 4 (about a
quarter), else ``train``. Paragraph = one non-blank line with >= 20 characters and >= 8 Han
characters (:func:`policytext.components.themes.corpus.iter_web_paragraphs`). The texts are written
to ``corpora/themes/build/web_candidates.jsonl`` (git-ignored: never commit them); only references
and labels go into the repository.

    python scripts/web_theme_candidates.py [--data-dir ../shared/data] [--min 640]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policytext.components.themes.corpus import default_data_dir, iter_web_paragraphs, text_sha1  # noqa: E402

_PINYIN = re.compile(r"[(（【\[][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\s]{1,8}[)）】\]]")


def _shingles(text: str) -> set[str]:
    import opencc

    t = opencc.OpenCC("t2s").convert(_PINYIN.sub("", text))
    t = "".join(ch for ch in t if "\u4e00" <= ch <= "\u9fff")
    return {t[i:i + 4] for i in range(len(t) - 3)}


def page_groups(pages: list[dict], min_overlap: float = 0.3) -> dict[str, str]:
    """Page id -> group id (the smallest page id of its connected near-duplicate set)."""
    sh = {p["id"]: _shingles(p["text"]) for p in pages}
    parent = {p["id"]: p["id"] for p in pages}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    ids = [p["id"] for p in pages]
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            sa, sb = sh[a], sh[b]
            if sa and sb and len(sa & sb) / min(len(sa), len(sb)) > min_overlap:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in ids}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--min", type=int, default=640, help="draw whole page groups until this many paragraphs")
    ap.add_argument("-o", "--output", default=str(ROOT / "corpora" / "themes" / "build" / "web_candidates.jsonl"))
    args = ap.parse_args(argv)
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    path = data_dir / "web_pages" / "pages.jsonl"
    pages = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    groups = page_groups(pages)
    members: dict[str, list[dict]] = {}
    for p in pages:
        members.setdefault(groups[p["id"]], []).append(p)
    order = sorted(members)
    random.Random(23).shuffle(order)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for g in order:
            if n >= args.min:
                break
            split = "test" if int(hashlib.sha1(g.encode()).hexdigest()[0], 16) < 4 else "train"
            for p in members[g]:
                genre = "press" if "transcript" in p.get("noise", []) else "web"
                for index, start, end, text in iter_web_paragraphs(p["text"]):
                    ref = {"source": "web", "file": "pages.jsonl", "page": p["id"], "para": index,
                           "start": start, "end": end, "sha1": text_sha1(text)}
                    fh.write(json.dumps({"ref": ref, "group": g, "genre": genre, "split": split,
                                         "noise": p.get("noise", []), "text": text}, ensure_ascii=False) + "\n")
                    n += 1
    print(f"{n} paragraphs written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
