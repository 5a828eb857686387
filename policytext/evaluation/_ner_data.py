"""Readers for the third-party NER corpora in ``../shared/data`` (one module for evaluation and training).

Used by :mod:`policytext.evaluation.entities` (test sets), ``training/ner/train_fast.py`` and
``training/ner/prepare.py`` (training sets), so that every side reads a corpus the same way.
Every character is NFKC-normalised when that keeps it one character (MSRA train is half-width,
MSRA test full-width), so offsets stay those of the file's characters.

* :func:`read_bio` — character-per-line BIO files (MSRA, People's Daily NER): labels as in the file
  (``PER``/``ORG``/``LOC``).
* :func:`read_weibo` — Weibo NER: names (``.NAM``) only, ``PER``/``ORG``/``LOC`` and ``GPE`` kept
  as ``GPE`` or folded into ``LOC`` (``gpe=``); nominal mentions are left out (O).
* :func:`read_cluener` — CLUENER2020 JSON lines: a type → label map; types in ``unknown`` come back
  as *missing* ranges (neither entity nor O for training).
* :func:`read_pd_pos` — People's Daily 1998-01 POS corpus: ``nr``/``ns``/``nt`` → PER/LOC/ORG,
  compound organisations it leaves unbracketed and ``nz``/``j`` as missing ranges.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Iterator

Span = tuple[int, int, str]
__all__ = ["nfkc_char", "bio_to_spans", "read_bio", "read_weibo", "read_cluener", "read_pd_pos", "pd_sentence"]


def nfkc_char(ch: str) -> str:
    """``ch`` NFKC-normalised when that keeps it one character, else unchanged."""
    n = unicodedata.normalize("NFKC", ch)
    return n if len(n) == 1 else ch


def bio_to_spans(chars: list[str], tags: list[str]) -> tuple[str, list[Span]]:
    """Characters and their BIO tags → (text, [(start, end, label)]); an ``I-`` of another label
    (or with no ``B-``) starts a new span."""
    spans: list[Span] = []
    start, label = None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != label):
            if start is not None:
                spans.append((start, i, label))
            start, label = (i, tag[2:]) if tag[:2] in ("B-", "I-") else (None, None)
    return "".join(chars), spans


def _char_lines(path: Path) -> Iterator[list[str]]:
    """Blocks of non-empty lines separated by empty lines."""
    block: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if block:
                    yield block
                block = []
                continue
            block.append(line)
    if block:
        yield block


def read_bio(path: Path) -> list[tuple[str, list[Span]]]:
    """Char-per-line BIO (``char<TAB>tag`` or ``char tag``) → [(text, spans)]."""
    out = []
    for block in _char_lines(Path(path)):
        chars, tags = [], []
        for line in block:
            if "\t" in line:
                ch, tag = line.split("\t", 1)
            else:
                ch, tag = line[0], line[1:]
            chars.append(nfkc_char(ch))
            tags.append(tag.strip())
        out.append(bio_to_spans(chars, tags))
    return out


def read_weibo(path: Path, gpe: str = "LOC") -> list[tuple[str, list[Span]]]:
    """Weibo NER (``char+digit<TAB>tag``, BIO with ``.NAM``/``.NOM``): names only, labels
    PER/ORG/LOC, and GPE as ``gpe`` (``"LOC"``: MSRA's convention; ``"GPE"``: kept)."""
    labels = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": gpe}
    out = []
    for block in _char_lines(Path(path)):
        chars, tags = [], []
        for line in block:
            tok, _, tag = line.partition("\t")
            ch = tok[:-1] if len(tok) > 1 and tok[-1].isdigit() else tok
            chars.append(nfkc_char(ch[:1] or " "))
            tag = tag.strip() or "O"
            lab = labels.get(tag[2:-4]) if tag.endswith(".NAM") else None
            tags.append(f"{tag[:2]}{lab}" if lab else "O")
        out.append(bio_to_spans(chars, tags))
    return out


def read_cluener(path: Path, labels: dict[str, str], unknown: frozenset[str] | set[str] = frozenset()
                 ) -> list[tuple[str, list[Span], list[tuple[int, int]]]]:
    """CLUENER2020 JSON lines → [(text, spans, missing)]: types in ``labels`` become spans with the
    mapped label, types in ``unknown`` missing ranges, other types nothing."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text = "".join(nfkc_char(c) for c in row["text"])
            spans: list[Span] = []
            missing: list[tuple[int, int]] = []
            for typ, names in row.get("label", {}).items():
                for _name, offs in names.items():
                    for s, e in offs:
                        if typ in labels:
                            spans.append((s, e + 1, labels[typ]))
                        elif typ in unknown:
                            missing.append((s, e + 1))
            out.append((text, spans, missing))
    return out


PD_NOUNISH = {"n", "nt", "ns", "nz", "j", "vn", "an", "nr", "Ng", "l", "i"}
PD_SPLIT = set("。！？；!?;")
PD_ORG_END = set("部委会局院厅社校学所行团党队处室办司署馆台站组军厂营协盟心报刊社庭")


def read_pd_pos(path: Path) -> Iterator[tuple[str, list[Span], list[tuple[int, int]]]]:
    """Yield (text, spans, missing) per sentence of the People's Daily 1998 POS corpus: ``nr`` →
    PER (a one-character surname token joins the given name after it), ``nt`` → ORG, ``ns`` → LOC;
    a run of nouns ending in an organisation suffix (``中央/n 人民/n 广播/vn 电台/n``: an ORG the
    corpus does not bracket) and ``nz``/``j`` tokens are missing (unknown), not O."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            toks = []
            for item in line.split():
                w, _, t = item.rpartition("/")
                if not w:
                    continue
                toks.append(("".join(nfkc_char(c) for c in w), t))
            sent: list[tuple[str, str]] = []
            for w, t in toks:
                sent.append((w, t))
                if w in PD_SPLIT:
                    yield pd_sentence(sent)
                    sent = []
            if sent:
                yield pd_sentence(sent)


def pd_sentence(toks: list[tuple[str, str]]) -> tuple[str, list[Span], list[tuple[int, int]]]:
    """One sentence of (word, POS tag) tokens → (text, spans, missing) (see :func:`read_pd_pos`)."""
    offs = []
    pos = 0
    for w, _t in toks:
        offs.append((pos, pos + len(w)))
        pos += len(w)
    text = "".join(w for w, _ in toks)
    spans: list[Span] = []
    missing: list[tuple[int, int]] = []
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
