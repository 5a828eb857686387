"""The policy-term dictionary: words the segmenter keeps whole.

Built from the entity gazetteers (government bodies, programmes, laws, events, regions and new
areas: ``policytext/components/entities/data/``), our list of policy terms
(``policytext/words/data/policy_terms.txt``: 数据要素, 新质生产力, 算力 ...), idioms
(``policytext/words/data/idioms.txt``: 如虎添翼, 负荆请罪; the PKU standard makes an idiom one word)
and any user dictionaries. A user dictionary is a UTF-8 text file in the jieba or pkuseg format: one word per
line, optionally followed by a frequency and/or a part-of-speech tag separated by whitespace or a
tab (``数据要素 10 n``, ``数据要素\tn``, ``数据要素``); blank lines and ``#`` comments are ignored.

Matching (:class:`TermDictionary`) is leftmost and non-overlapping, linear in the text: a term is
taken where each of its edges is a word boundary of the model's output or cuts a model "word" that
is not in the model's vocabulary (政府采购法|要: the model glued 法要), the longest such term at each
position, and its inner boundaries are removed. So a term never breaks a known word: 数据要素 and
not 数据要素市场 in 数据要素市场化配置 (the model reads 市场化), no 西亚 inside 马来西亚, no 外交部
inside 外交部长. Person names and administrative divisions are left to the model (the PKU
standard splits 江/泽民 and short place names are often parts of ordinary words).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from ..components.entities.gazetteer import DATA_DIR as ENTITY_DATA, load_tsv

__all__ = ["POLICY_TERMS", "IDIOMS", "default_idioms", "GAZETTEER_FILES", "TermDictionary", "read_user_dictionary", "default_terms",
           "build_dictionary"]

POLICY_TERMS = Path(__file__).resolve().parent / "data" / "policy_terms.txt"
#: Idioms (成语) kept whole: jieba's idioms minus those the PKU training text cuts
#: (``training/words/idioms.py``).
IDIOMS = Path(__file__).resolve().parent / "data" / "idioms.txt"
#: Entity gazetteers whose names become dictionary words.
GAZETTEER_FILES = ("gov_bodies.tsv", "programs.tsv", "laws.tsv", "events.tsv", "regions.tsv", "gpe_extra.tsv")


class TermDictionary:
    """Terms of at least two characters, indexed by their first two characters."""

    def __init__(self, terms: Iterable[str] = ()):
        self.terms = frozenset(t for t in terms if len(t) >= 2 and not any(c.isspace() for c in t))
        index: dict[str, set[int]] = {}
        for t in self.terms:
            index.setdefault(t[:2], set()).add(len(t))
        self._lengths = {k: sorted(v, reverse=True) for k, v in index.items()}

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, term: str) -> bool:
        return term in self.terms

    def find(self, text: str, is_boundary: Callable[[int], bool] | None = None) -> list[tuple[int, int]]:
        """Non-overlapping matches ``(start, end)``, leftmost first, longest first. With
        ``is_boundary`` a match must have an acceptable edge at both ends (the segmenter accepts a
        model word boundary, or a model word across the edge that is not a known word: 西亚 is not
        taken out of 马来西亚, nor 外交部 out of 外交部长)."""
        lengths = self._lengths
        if not lengths:
            return []
        terms = self.terms
        n = len(text)
        out: list[tuple[int, int]] = []
        last = 0
        for i in [i for i in range(n - 1) if text[i : i + 2] in lengths]:
            if i < last:
                continue
            found = [i + ln for ln in lengths[text[i : i + 2]] if i + ln <= n and text[i : i + ln] in terms]
            if not found:
                continue
            if is_boundary is None:
                end = found[0]
            elif not is_boundary(i):
                continue
            else:
                end = next((e for e in found if is_boundary(e)), -1)
                if end < 0:
                    continue
            out.append((i, end))
            last = end
        return out


def read_user_dictionary(path: str | Path) -> list[str]:
    """The words of a jieba/pkuseg user dictionary (first field of each line). ``path`` must be a
    plain file (a FIFO or device would hang the read: :func:`~policytext.model_folders.check_regular_file`)."""
    from ..model_folders import check_regular_file

    words: list[str] = []
    with open(check_regular_file(path, "word user dictionary"), encoding="utf-8-sig") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            word = line.split()[0]
            if word:
                words.append(word)
    return words


@lru_cache(maxsize=1)
def default_terms() -> frozenset[str]:
    """The shipped dictionary: gazetteer names and our policy terms (at least two characters)."""
    terms = set(read_user_dictionary(POLICY_TERMS))
    for name in GAZETTEER_FILES:
        terms.update(n for n, _label in load_tsv(ENTITY_DATA / name, allow_o=True))
    return frozenset(t for t in terms if len(t) >= 2 and not any(c.isspace() for c in t))


@lru_cache(maxsize=1)
def default_idioms() -> frozenset[str]:
    """The shipped idioms (``IDIOMS``)."""
    return frozenset(read_user_dictionary(IDIOMS))


def build_dictionary(use_default: bool = True, user_dicts: Iterable[str | Path] = (),
                     words: Iterable[str] = (), exclude: Iterable[str] = (),
                     idioms: bool | None = None) -> TermDictionary:
    """A matcher over the shipped terms (``use_default``), the shipped idioms (``idioms``; by
    default with the shipped terms), the words of ``user_dicts`` files and ``words``, minus
    ``exclude`` (used by the evaluation to hold terms out)."""
    terms = set(default_terms()) if use_default else set()
    if use_default if idioms is None else idioms:
        terms.update(default_idioms())
    for path in user_dicts:
        terms.update(read_user_dictionary(path))
    terms.update(words)
    terms.difference_update(exclude)
    return TermDictionary(terms)
