"""Convert the NER corpora in ../shared/data into spaCy DocBin files for training.

Tokens are exactly the pipeline's (CharTokenizer); entity spans from the character BIO tags are
snapped to token boundaries (``alignment_mode="expand"``; a Latin word or number is one token).
Every character is NFKC-normalised when that keeps it one character (MSRA train is half-width,
MSRA test full-width).

Labels: MSRA/People's Daily PER -> PERSON, ORG -> ORG, LOC -> LOC. The model has no GPE: the
entity component re-labels LOC spans that are known administrative divisions or countries (or
end in a division suffix) to GPE (see docs/entities.md).

With ``--pd-pos`` the People's Daily 1998-01 POS corpus is added to the training part (never to
dev). It has no entity brackets, so only what its tags make certain is used: ``nr`` → PERSON (a
one-character surname token joins the given-name token after it), ``nt`` → ORG, ``ns`` → LOC;
a run of nouns ending in an organisation suffix (``中央/n 人民/n 广播/vn 电台/n``, ``北京/ns
大学/n``: ORGs that this corpus does not bracket) and ``nz``/``j`` tokens are left *missing*
(unknown to the loss), not O. PD 1998-01 shares no
sentences with the MSRA test set nor with the People's Daily NER test set (checked: 0/198).

Output (git-ignored): tmp/ner_corpus/{train,dev}.spacy

    python training/ner/prepare.py [--data ../shared/data] [--out tmp/ner_corpus] [--dev 1500] [--pd-pos]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from spacy.tokens import DocBin  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

from policytext.evaluation import _ner_data  # noqa: E402
from policytext.evaluation._ner_data import nfkc_char, read_pd_pos  # noqa: E402,F401  (one reader for all scripts)
from policytext.tokenizer import CharTokenizer  # noqa: E402

LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}


def read_bio(path: Path):
    """(text, [(start, end, label)]) per sentence of a char-per-line BIO file."""
    yield from _ner_data.read_bio(path)


def to_doc(tok: CharTokenizer, text: str, spans, mapping=LABELS, missing=()):
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
    if missing:
        taken = {i for sp in ents for i in range(sp.start, sp.end)}
        miss = []
        for s, e in missing:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None and not taken.intersection(range(span.start, span.end)):
                miss.append(span)
        doc.set_ents(ents, missing=miss, default="outside")
    else:
        doc.ents = ents
    return doc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(ROOT / "tmp" / "ner_corpus"))
    ap.add_argument("--dev", type=int, default=1500)
    ap.add_argument("--pd-pos", action="store_true", help="add PD 1998-01 POS (nr/ns/nt) to train")
    args = ap.parse_args(argv)
    data = Path(args.data)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    vocab = Vocab()
    tok = CharTokenizer(vocab)
    sents = list(read_bio(data / "msra_ner" / "msra_train_bio.txt"))
    train, dev = sents[: -args.dev], sents[-args.dev :]
    train = [(t, s, ()) for t, s in train]
    dev = [(t, s, ()) for t, s in dev]
    if args.pd_pos:
        pd = [x for x in read_pd_pos(data / "people_daily_1998_01_pos" / "199801.txt") if x[0].strip()]
        print(f"PD 1998-01 POS: {len(pd)} sentences added to train")
        train = train + pd
    for name, part in (("train", train), ("dev", dev)):
        db = DocBin(store_user_data=False)
        n_ents = 0
        for text, spans, missing in part:
            if not text.strip():
                continue
            doc = to_doc(tok, text, spans, missing=missing)
            n_ents += len(doc.ents)
            db.add(doc)
        db.to_disk(out / f"{name}.spacy")
        print(f"{name}: {len(part)} sentences, {n_ents} entities -> {out / f'{name}.spacy'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
