"""Convert the NER corpora in ../shared/data into spaCy DocBin files for training.

Tokens are exactly the pipeline's (CharTokenizer); entity spans from the character BIO tags are
snapped to token boundaries (``alignment_mode="expand"``; a Latin word or number is one token).
Every character is NFKC-normalised when that keeps it one character (MSRA train is half-width,
MSRA test full-width).

Labels: MSRA/People's Daily PER -> PERSON, ORG -> ORG, LOC -> LOC. The model has no GPE: the
entity component re-labels LOC spans that are known administrative divisions or countries (or
end in a division suffix) to GPE (see docs/entities.md).

Output (git-ignored): tmp/ner_corpus/{train,dev}.spacy

    python training/ner/prepare.py [--data ../shared/data] [--out tmp/ner_corpus] [--dev 1500]
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from spacy.tokens import DocBin  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

from policytext.tokenizer import CharTokenizer  # noqa: E402

LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}


def nfkc_char(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch)
    return n if len(n) == 1 else ch


def read_bio(path: Path, sep: str | None = "\t"):
    """Yield (text, [(start, end, label)]) from a char-per-line BIO file."""
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    yield bio_to_spans(chars, tags)
                chars, tags = [], []
                continue
            if sep == "\t" and "\t" in line:
                ch, tag = line.split("\t", 1)
            else:
                ch, tag = line[0], line[1:].strip()
            chars.append(nfkc_char(ch))
            tags.append(tag.strip())
    if chars:
        yield bio_to_spans(chars, tags)


def bio_to_spans(chars: list[str], tags: list[str]):
    spans = []
    start = None
    label = None
    for i, tag in enumerate(tags + ["O"]):
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != label):
            if start is not None:
                spans.append((start, i, label))
                start, label = None, None
            if tag.startswith("B-") or tag.startswith("I-"):
                start, label = i, tag[2:]
    return "".join(chars), spans


def to_doc(tok: CharTokenizer, text: str, spans, mapping=LABELS):
    doc = tok(text)
    ents = []
    last = 0
    for s, e, lab in spans:
        if lab not in mapping:
            continue
        span = doc.char_span(s, e, label=mapping[lab], alignment_mode="expand")
        if span is None or span.start < last:
            continue
        ents.append(span)
        last = span.end
    doc.ents = ents
    return doc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(ROOT / "tmp" / "ner_corpus"))
    ap.add_argument("--dev", type=int, default=1500)
    args = ap.parse_args(argv)
    data = Path(args.data)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    vocab = Vocab()
    tok = CharTokenizer(vocab)
    sents = list(read_bio(data / "msra_ner" / "msra_train_bio.txt"))
    train, dev = sents[: -args.dev], sents[-args.dev :]
    for name, part in (("train", train), ("dev", dev)):
        db = DocBin(store_user_data=False)
        n_ents = 0
        for text, spans in part:
            if not text.strip():
                continue
            doc = to_doc(tok, text, spans)
            n_ents += len(doc.ents)
            db.add(doc)
        db.to_disk(out / f"{name}.spacy")
        print(f"{name}: {len(part)} sentences, {n_ents} entities -> {out / f'{name}.spacy'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
