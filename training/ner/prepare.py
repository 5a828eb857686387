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


PD_NOUNISH = {"n", "nt", "ns", "nz", "j", "vn", "an", "nr", "Ng", "l", "i"}
PD_SPLIT = set("。！？；!?;")


def read_pd_pos(path: Path):
    """Yield (text, spans, missing) per sentence of the PD 1998 POS corpus (see module doc)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            toks = []
            for item in line.split():
                w, _, t = item.rpartition("/")
                if not w:
                    continue
                toks.append(("".join(nfkc_char(c) for c in w), t))
            # cut into sentences
            sent: list[tuple[str, str]] = []
            for w, t in toks:
                sent.append((w, t))
                if w in PD_SPLIT:
                    yield pd_sentence(sent)
                    sent = []
            if sent:
                yield pd_sentence(sent)


PD_ORG_END = set("部委会局院厅社校学所行团党队处室办司署馆台站组军厂营协盟心报刊社庭")


def pd_sentence(toks):
    offs = []
    pos = 0
    for w, _t in toks:
        offs.append((pos, pos + len(w)))
        pos += len(w)
    text = "".join(w for w, _ in toks)
    spans, missing = [], []
    i, n = 0, len(toks)
    while i < n:
        w, t = toks[i]
        if t == "nr":
            if len(w) == 1 and i + 1 < n and toks[i + 1][1] == "nr" and len(toks[i + 1][0]) <= 2:
                spans.append((offs[i][0], offs[i + 1][1], "PER"))
                i += 2
            else:
                spans.append((offs[i][0], offs[i][1], "PER"))
                i += 1
            continue
        if t not in PD_NOUNISH:
            i += 1
            continue
        j = i
        while j < n and toks[j][1] in PD_NOUNISH and toks[j][1] != "nr":
            j += 1
        run = toks[i:j]
        if len(run) >= 2 and run[-1][1] != "nt" and run[-1][0][-1] in PD_ORG_END:
            # an ORG the corpus does not bracket (中央/n 人民/n 广播/vn 电台/n): unknown, not O
            missing.append((offs[i][0], offs[j - 1][1]))
        else:
            for k in range(i, j):
                tk = toks[k][1]
                if tk == "nt":
                    spans.append((offs[k][0], offs[k][1], "ORG"))
                elif tk == "ns":
                    spans.append((offs[k][0], offs[k][1], "LOC"))
                elif tk in ("nz", "j"):
                    missing.append((offs[k][0], offs[k][1]))
        i = j
    return text, spans, missing


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
