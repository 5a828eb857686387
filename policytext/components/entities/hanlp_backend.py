"""A HanLP NER model as the entity stage's statistical backend (``backend="hanlp"``).

For users who have a HanLP NER model on disk: ``pip install "policytext[hanlp]"`` and

    nlp.add_pipe("policytext_entities", config={"backend": "hanlp", "model_path": "/models/hanlp_ner"})

``model_path`` is passed to ``hanlp.load`` (a local folder, or an identifier HanLP resolves from
its own cache: policytext never downloads anything itself). HanLP models are PyTorch files, which
unpickle code when loaded: use only models you trust. The model is called on the pipeline's tokens
(whitespace tokens left out), in chunks of at most 400 tokens cut at sentence ends.

HanLP's tag sets differ by model; :func:`map_hanlp_label` maps them to the contract's labels:
PKU/MSRA-style ``nr``/``NR``, ``ns``/``NS``, ``nt``/``NT`` and HanLP 1.x's finer PKU tags built on
them (``nrf`` transliterated and ``nrj`` Japanese names, ``nsf`` transliterated places, ``ntc``
companies, ``ntu`` universities, ``nts`` schools, ``nth`` hospitals, ``nto`` other bodies…); MSRA
full names ``PERSON``, ``LOCATION``, ``ORGANIZATION``; OntoNotes ``PERSON``, ``GPE``, ``LOC``,
``ORG``, ``FAC``. Other tags (dates, numbers, laws, ``NORP`` …) are left to the rules and dropped.
"""

from __future__ import annotations

from pathlib import Path

from .backends import BackendUnavailable, _chunks
from ...errors import Errors

__all__ = ["map_hanlp_label", "HanLPBackend", "load_hanlp_backend", "HANLP_LABELS"]

HANLP_LABELS = {
    "NR": "PERSON", "PER": "PERSON", "PERSON": "PERSON", "PEOPLE": "PERSON",
    "NT": "ORG", "ORG": "ORG", "ORGANIZATION": "ORG",
    "NS": "LOC", "LOC": "LOC", "LOCATION": "LOC", "FAC": "LOC",
    "GPE": "GPE",
}


def map_hanlp_label(tag: str) -> str | None:
    """HanLP entity tag → contract label (PERSON, ORG, LOC, GPE), or None to drop it.

    Case and BIO/BIOES prefixes are ignored: ``nr``, ``B-NR``, ``S-ORGANIZATION``."""
    t = tag.strip().upper()
    if len(t) > 2 and t[1] == "-" and t[0] in "BIMES":
        t = t[2:]
    if t in HANLP_LABELS:
        return HANLP_LABELS[t]
    # HanLP 1.x's finer PKU tags: nrf, nrj (names), nsf (places), ntc, ntcb, ntu, nts, nth, nto (bodies)
    if 3 <= len(t) <= 4 and t[:2] in ("NR", "NS", "NT") and t.isalpha():
        return HANLP_LABELS[t[:2]]
    return None


class HanLPBackend:
    """Wraps a loaded HanLP NER callable: ``model(list[list[str]]) -> list[list[(text, tag, start, end)]]``
    with token offsets, end exclusive (HanLP's output for a batch of tokenised sentences)."""

    def __init__(self, model, batch_size: int = 32):
        self.model = model
        self.batch_size = batch_size

    def predict(self, words: list[str], spaces: list[bool]) -> list[tuple[int, int, str]]:
        offsets, pos = [], 0
        for w, s in zip(words, spaces):
            offsets.append(pos)
            pos += len(w) + (1 if s else 0)
        pieces: list[list[int]] = []  # token indices (whitespace left out) per chunk
        for a, b in _chunks(words):
            idx = [i for i in range(a, b) if not words[i].isspace()]
            if idx:
                pieces.append(idx)
        out: list[tuple[int, int, str]] = []
        for k in range(0, len(pieces), self.batch_size):
            batch = pieces[k : k + self.batch_size]
            results = self.model([[words[i] for i in idx] for idx in batch])
            for idx, ents in zip(batch, results):
                for ent in ents:
                    _text, tag, s, e = ent[:4]
                    label = map_hanlp_label(str(tag))
                    if label is None or not (0 <= s < e <= len(idx)):
                        continue
                    first, last = idx[s], idx[e - 1]
                    out.append((offsets[first], offsets[last] + len(words[last]), label))
        return out


def load_hanlp_backend(model_path: str | Path | None) -> HanLPBackend:
    if not model_path:
        raise BackendUnavailable(Errors.E346)
    try:
        import hanlp  # optional extra
    except ImportError as exc:
        raise BackendUnavailable(Errors.E347) from exc
    try:
        model = hanlp.load(str(model_path))
    except Exception as exc:  # HanLP raises many kinds; the stage falls back to rules with a warning
        raise BackendUnavailable(Errors.E348.format(path=model_path, detail=exc)) from exc
    return HanLPBackend(model)
