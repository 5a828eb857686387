"""Gazetteers: plain TSV data files (``name<TAB>LABEL``), matched leftmost-longest.

Shipped files live in ``policytext/components/entities/data/``:

| file | label | what |
|---|---|---|
| ``gov_bodies.tsv`` | ORG (a few EVENT) | central party/state bodies with short forms (国家发展改革委, 工信部, 国资委), institutes, media, companies |
| ``body_suffixes.txt`` | ORG | a division (or a run: 上海市黄浦区) followed by one of these is a body (上海市 + 水务局) |
| ``department_stems.txt``, ``department_endings.txt`` | ORG | department names after a division or a bare 省/市/县/区 (工业和信息化局, 房屋管理局; see :mod:`.combine`) |
| ``local_gov_suffixes.txt`` | ORG | suffixes that turn a province/prefecture name into a local body (安徽省 + 人民政府, 合肥 + 数据资源管理局) |
| ``divisions.tsv`` | GPE | all 3,511 administrative divisions with and without suffix (see training/ner/build_gazetteers.py) |
| ``countries.tsv``, ``gpe_extra.tsv`` | GPE | countries, new areas (雄安新区) |
| ``regions.tsv`` | LOC | regions, rivers, continents (长三角, 西部地区, 粤港澳大湾区) |
| ``laws.tsv`` | LAW | law/regulation names usable without 《》 |
| ``programs.tsv`` | PROGRAM | initiatives usable without quotes (东数西算, 一带一路) |
| ``events.tsv`` | EVENT | named meetings and events |
| ``persons.tsv`` | PERSON | national leaders named in official text (the model finds other names) |
| ``not_names.tsv`` | O | common words a newswire model tags as names (中华民族, 中方, 两岸) |
| ``blockers.tsv`` | O | strings where a common word straddles a place name (隆重|庆 ≠ 重庆); they block the match |
| ``titles.tsv`` | TITLE | job titles (kept only next to a name, see :mod:`.combine`) |

A user dictionary has the same format (``#`` comments, blank lines ignored; a missing label means
ORG; label ``O`` suppresses a name) and is passed as the component's ``user_dicts`` setting; its
entries win over everything else.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from ...errors import Errors
from ...keyindex import KeyIndex
from .labels import LABELS

__all__ = ["Gazetteer", "DATA_DIR", "load_tsv", "default_gazetteer", "shipped_gazetteer", "title_gazetteer", "gpe_names",
           "regions"]

DATA_DIR = Path(__file__).resolve().parent / "data"

NAME_FILES = ("gov_bodies.tsv", "divisions.tsv", "countries.tsv", "gpe_extra.tsv", "regions.tsv",
              "laws.tsv", "programs.tsv", "events.tsv")


def load_tsv(path: str | Path, default_label: str = "ORG", allow_o: bool = False) -> list[tuple[str, str]]:
    """Read ``name<TAB>LABEL[<TAB>anything]`` lines; raises ValueError on an unknown label."""
    out: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            name = parts[0].strip()
            label = parts[1].strip().upper() if len(parts) > 1 and parts[1].strip() else default_label
            if label not in LABELS and not (allow_o and label == "O"):
                raise ValueError(Errors.E117.format(path=path, lineno=n, label=label, labels=LABELS))
            if name:
                out.append((name, label))
    return out


class Gazetteer:
    """A dictionary of names matched leftmost-longest, non-overlapping.

    Lookup is indexed by a name's first two characters (one-character names are not allowed);
    the positions where such a pair occurs are found with one vectorised search per text.
    """

    def __init__(self, entries: Iterable[tuple[str, str]] = ()):
        self.names: dict[str, str] = {}
        self._index: dict[str, list[int]] = {}
        self._prefix_keys: KeyIndex | None = None  # hash index of the indexed first two characters
        self.add_all(entries)

    def add(self, name: str, label: str, overwrite: bool = True) -> None:
        if len(name) < 2:
            return
        if not overwrite and name in self.names:
            return
        self.names[name] = label
        self._prefix_keys = None
        lengths = self._index.setdefault(name[:2], [])
        if len(name) not in lengths:
            lengths.append(len(name))
            lengths.sort(reverse=True)

    def add_all(self, entries: Iterable[tuple[str, str]], overwrite: bool = True) -> None:
        for name, label in entries:
            self.add(name, label, overwrite=overwrite)

    def copy(self) -> Gazetteer:
        """An independent copy (adding to it leaves this one as it is)."""
        out = Gazetteer()
        out.names = dict(self.names)
        out._index = {k: list(v) for k, v in self._index.items()}
        out._prefix_keys = self._prefix_keys  # never changed in place: add() drops it
        return out

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def __len__(self) -> int:
        return len(self.names)

    def get(self, name: str) -> str | None:
        return self.names.get(name)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest matches ``(start, end, label)``."""
        return self.find_in(text, ((0, len(text)),))

    def find_in(self, text: str, ranges) -> list[tuple[int, int, str]]:
        """``find(text[a:b])`` for each ``(a, b)`` of ``ranges`` (sorted, non-overlapping), with
        offsets into ``text``. The positions where some name starts (its first two characters
        are indexed) are found for the whole text at once with numpy; the greedy
        leftmost-longest walk then visits only those, not every character."""
        if not self._index or len(text) < 2:
            return []
        out: list[tuple[int, int, str]] = []
        index = self._index
        names = self.names
        cand = self._starts(text)
        pos = 0  # index into cand
        for a, b in ranges:
            i = a
            lo = bisect_left(cand, a, pos)
            hi = bisect_left(cand, b - 1, lo)
            pos = lo
            for p in cand[lo:hi]:
                if p < i:
                    continue
                for ln in index[text[p : p + 2]]:
                    if p + ln <= b:
                        label = names.get(text[p : p + ln])
                        if label is not None:
                            out.append((p, p + ln, label))
                            i = p + ln
                            break
        return out

    def _starts(self, text: str) -> list[int]:
        """Positions ``i`` where ``text[i:i+2]`` begins some name (ascending)."""
        index = self._prefix_keys
        if index is None:
            pairs = np.array([(ord(k[0]) << 21) | ord(k[1]) for k in self._index], dtype=np.int64)
            index = self._prefix_keys = KeyIndex(np.unique(pairs))
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)
        return np.flatnonzero(index.lookup((cps[:-1] << 21) | cps[1:])).tolist()

    def match_at(self, text: str, i: int) -> tuple[int, str] | None:
        """Longest entry starting at ``i``: ``(end, label)`` or None."""
        for ln in self._index.get(text[i : i + 2], ()):
            if i + ln > len(text):
                continue  # a slice cut by the text's end could equal a shorter entry
            label = self.names.get(text[i : i + ln])
            if label is not None:
                return i + ln, label
        return None

    def find_all(self, text: str) -> list[tuple[int, int, str]]:
        """Every match at every position (overlapping), longest first per position."""
        out: list[tuple[int, int, str]] = []
        for i in range(len(text) - 1):
            for ln in self._index.get(text[i : i + 2], ()):
                if i + ln > len(text):
                    continue
                label = self.names.get(text[i : i + ln])
                if label is not None:
                    out.append((i, i + ln, label))
        return out


def _local_bodies(divisions: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    suffixes = [s for s, _ in load_tsv(DATA_DIR / "local_gov_suffixes.txt")]
    out = []
    for name, _label, level in divisions:
        if level.startswith("prov") or level.startswith("pref"):
            for suf in suffixes:
                out.append((name + suf, "ORG"))
    return out


def _load_divisions() -> list[tuple[str, str, str]]:
    rows = []
    with open(DATA_DIR / "divisions.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            rows.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return rows


@lru_cache(maxsize=1)
def _shipped_entries() -> tuple[tuple[str, str], ...]:
    divisions = _load_divisions()
    # blockers (label O) first: a real name with the same string overwrites them
    entries: list[tuple[str, str]] = list(load_tsv(DATA_DIR / "blockers.tsv", allow_o=True))
    entries += load_tsv(DATA_DIR / "not_names.tsv", allow_o=True)
    # later files overwrite earlier ones; bodies last so 国务院常务会议 etc. keep their label
    entries += [(n, lab) for n, lab, _ in divisions]
    for fname in ("countries.tsv", "gpe_extra.tsv", "regions.tsv", "laws.tsv", "programs.tsv", "events.tsv",
                  "persons.tsv"):
        entries += load_tsv(DATA_DIR / fname)
    entries += _local_bodies(divisions)
    entries += load_tsv(DATA_DIR / "gov_bodies.tsv")
    return tuple(entries)


@lru_cache(maxsize=1)
def shipped_gazetteer() -> Gazetteer:
    """The shipped name gazetteer, built once per process and shared: do not add to it (take
    :func:`default_gazetteer`, a copy, for that)."""
    return Gazetteer(_shipped_entries())


def default_gazetteer(user_dicts: Iterable[str | Path] = ()) -> Gazetteer:
    """The shipped name gazetteer plus user dictionaries (user entries overwrite shipped ones)."""
    gaz = shipped_gazetteer().copy()
    for path in user_dicts:
        gaz.add_all((n, lab) for n, lab in load_tsv(path, allow_o=True) if lab != "TITLE")
    return gaz


@lru_cache(maxsize=1)
def body_suffixes() -> "Gazetteer":
    """Suffixes that make a body out of a division name (``body_suffixes.txt``)."""
    return Gazetteer((n, "ORG") for n, _ in load_tsv(DATA_DIR / "body_suffixes.txt"))


def title_gazetteer(user_dicts: Iterable[str | Path] = ()) -> Gazetteer:
    gaz = Gazetteer(load_tsv(DATA_DIR / "titles.tsv"))
    for path in user_dicts:
        gaz.add_all((n, lab) for n, lab in load_tsv(path, allow_o=True) if lab == "TITLE")
    return gaz


@lru_cache(maxsize=1)
def blocker_names() -> frozenset[str]:
    """Strings of ``blockers.tsv`` (not also in ``not_names.tsv``). They only stop gazetteer
    matches (leftmost-longest matching reads 巴黎城 as one unit, so 黎城 is never matched); they do
    not veto a model span inside them (the model's 巴黎 in 巴黎城边 stands)."""
    blockers = {n for n, _ in load_tsv(DATA_DIR / "blockers.tsv", allow_o=True)}
    blockers -= {n for n, _ in load_tsv(DATA_DIR / "not_names.tsv", allow_o=True)}
    return frozenset(blockers)


@lru_cache(maxsize=1)
def division_names() -> frozenset[str]:
    """Administrative divisions of China, with and without suffix (no countries)."""
    names = {n for n, _lab, _ in _load_divisions()}
    names.update(n for n, lab in load_tsv(DATA_DIR / "gpe_extra.tsv") if lab == "GPE")
    return frozenset(names)


@lru_cache(maxsize=1)
def regions() -> frozenset[str]:
    """Region names of ``regions.tsv`` (LOC): 华北, 长三角, 西部地区."""
    return frozenset(n for n, lab in load_tsv(DATA_DIR / "regions.tsv") if lab == "LOC")


@lru_cache(maxsize=1)
def gpe_names() -> frozenset[str]:
    """Names known to be GPEs (divisions with/without suffix, countries, new areas)."""
    names = {n for n, _lab, _ in _load_divisions()}
    for fname in ("countries.tsv", "gpe_extra.tsv"):
        names.update(n for n, lab in load_tsv(DATA_DIR / fname) if lab == "GPE")
    return frozenset(names)
