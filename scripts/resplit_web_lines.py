"""Split the held-out web pages (old split ``test``) into ``dev`` and a new ``test`` split by site.

    python scripts/resplit_web_lines.py [--shared ../shared/data]

Rewrites the split column of ``corpora/web_lines/labels.tsv`` and ``labels_second.tsv``. Train
pages stay train. A held-out page whose site (registered domain of its URL; the versions of one
article count as one site) also has train pages goes to ``dev``; every other site goes to
``test`` or ``dev`` by the parity of SHA-1(``web-split-2:`` + site). Idempotent.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
LABEL_FILES = (ROOT / "corpora/web_lines/labels.tsv", ROOT / "corpora/web_lines/labels_second.tsv")
VERSION_GROUPS = (("w009", "w078"), ("w139", "w145", "w147", "w148"), ("w041", "w043"))


def site(url: str) -> str:
    parts = urlparse(url).netloc.lower().split(":")[0].split(".")
    if len(parts) >= 3 and parts[-2] in ("gov", "com", "org", "net", "edu") and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def new_splits(urls: dict[str, str], old: dict[str, str]) -> dict[str, str]:
    train_sites = {site(urls[p]) for p, s in old.items() if s == "train"}
    out = {}
    for p, s in old.items():
        if s == "train":
            out[p] = "train"
            continue
        group = next((g for g in VERSION_GROUPS if p in g), (p,))
        sites = sorted(site(urls[q]) for q in group)
        if train_sites & set(sites):
            out[p] = "dev"
        else:
            h = int(hashlib.sha1(("web-split-2:" + "+".join(sites)).encode()).hexdigest(), 16)
            out[p] = "test" if h % 2 == 0 else "dev"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared/data")
    args = ap.parse_args()
    with open(args.shared / "web_pages/pages.jsonl", encoding="utf-8") as f:
        urls = {p["id"]: p["url"] for p in map(json.loads, f)}
    rows = [ln.rstrip("\n").split("\t") for ln in LABEL_FILES[0].open(encoding="utf-8")][1:]
    splits = new_splits(urls, {r[0]: r[1] for r in rows})
    for path in LABEL_FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        body = [ln.split("\t") for ln in lines[1:]]
        path.write_text("\n".join([lines[0]] + ["\t".join([r[0], splits[r[0]], *r[2:]]) for r in body]) + "\n",
                        encoding="utf-8")


if __name__ == "__main__":
    main()
