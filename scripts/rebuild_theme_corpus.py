#!/usr/bin/env python
"""Rebuild the full texts of the theme corpus (corpora/themes/annotations.jsonl).

CCTV (xwlb), pkulaw and scraped-sample paragraphs are stored as references only (source file,
record index, character offsets, sha1); this script reads them back from ../shared/data and writes
a JSONL with text for every row. The default output lies under corpora/themes/build/, which git
ignores: never commit it (CCTV text may not be redistributed).

    python scripts/rebuild_theme_corpus.py [--data-dir ../shared/data] [-o corpora/themes/build/corpus.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policytext.components.themes.corpus import default_corpus_path, default_data_dir, load_corpus  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", default=None, help="../shared/data (default: beside the repository)")
    ap.add_argument("--corpus", default=None, help="annotations file (default corpora/themes/annotations.jsonl)")
    ap.add_argument("-o", "--output", default=str(ROOT / "corpora" / "themes" / "build" / "corpus.jsonl"))
    args = ap.parse_args(argv)
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    if not data_dir.is_dir():
        print(f"error: {data_dir} not found", file=sys.stderr)
        return 1
    rows = load_corpus(args.corpus or default_corpus_path(), data_dir)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} paragraphs written to {out}; splits {dict(Counter(r['split'] for r in rows))}; "
          f"sources {dict(Counter(r['source'] for r in rows))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
