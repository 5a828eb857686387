"""Build ``policytext/words/data/idioms.txt``: four-character (and longer) idioms the segmenter
keeps whole.

The PKU standard makes an idiom (成语) one word (如虎添翼, 负荆请罪); the CRF knows the idioms of
its training text but cuts most others into pieces (如 虎 添翼). The list is jieba's dictionary
(``jieba/dict.txt``, MIT licence; jieba is in the ``eval`` extra) restricted to the words tagged
``i`` (idiom) of at least four Han characters, minus every idiom that the People's Daily training
text (the training split of ``train_pkuseg.prepare``: no dev or test lines) writes as two or more
words: jieba tags some compositional phrases as idioms (坚决贯彻, 全面落实, 当今世界) that the PKU
standard cuts.

    python training/words/idioms.py            # writes policytext/words/data/idioms.txt

Chosen on the development lines of the 1998 text (model alone: F1 0.9704 -> 0.9720 with these
idioms; jieba's ``i`` list unfiltered 0.9690; ``i`` and ``l`` (set phrases) filtered 0.9723, 7 of
its 18 changes wrong); see docs/words.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "policytext" / "words" / "data" / "idioms.txt"


def jieba_idioms(tags: tuple[str, ...] = ("i",), min_len: int = 4) -> list[str]:
    """Words of jieba's dictionary with one of ``tags``, all Han characters, at least ``min_len``."""
    import jieba

    words = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[2] in tags and len(parts[0]) >= min_len \
                    and all("\u4e00" <= c <= "\u9fff" for c in parts[0]):
                words.append(parts[0])
    return words


def split_in_training(candidates: set[str], lines: list[list[str]], max_len: int = 12) -> set[str]:
    """The candidates that occur in ``lines`` (word lists) as a run of two or more words."""
    found = set()
    for words in lines:
        n = len(words)
        for i in range(n):
            s = words[i]
            for j in range(i + 1, n):
                s += words[j]
                if len(s) > max_len:
                    break
                if s in candidates:
                    found.add(s)
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from train_pkuseg import prepare

    with tempfile.TemporaryDirectory() as tmp:
        train_path, _dev, _counts = prepare(Path(tmp))
        lines = [l.split() for l in train_path.read_text(encoding="utf-8").splitlines()]
    import jieba

    idioms = jieba_idioms()
    cut = split_in_training(set(idioms), lines)
    keep = sorted(set(idioms) - cut)
    args.out.write_text(
        "# Idioms kept whole by the word segmenter (PKU standard: an idiom is one word).\n"
        f"# From jieba {jieba.__version__} dict.txt (MIT licence, https://github.com/fxsjy/jieba): words tagged i,\n"
        "# at least four Han characters, minus those the People's Daily 1998 training text cuts into words.\n"
        "# Rebuild: python training/words/idioms.py\n" + "\n".join(keep) + "\n", encoding="utf-8")
    print(f"{len(idioms)} jieba idioms, {len(cut)} cut in the training text, {len(keep)} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
