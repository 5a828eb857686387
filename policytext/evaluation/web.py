"""Cleaning on real scraped web pages: ``html`` + ``repair`` + ``normalize`` on a held-out page split.

    python -m policytext.evaluation.web [--shared ../shared/data] [--split dev|test|train|all]
                                        [--ftfy-cases DIR] [--show N]

Data: ``web_pages/pages.jsonl`` (196 scraped page excerpts, not in this repository) and the line
labels in ``corpora/web_lines/labels.tsv`` (page id, split, line index, first 8 hex digits of the
SHA-1 of the stripped line, label: content / furniture / spam / pinyin_junk / unsure). A line
whose hash no longer matches is skipped and counted. The split is by page (versions of one
article stay on one side): ``train`` (119 pages, the classifier's training lines), ``dev`` (43
pages, the old held-out pages whose site also has train pages, and half of the other sites: for
tuning) and ``test`` (34 pages of sites seen nowhere else: looked at once, at the end).

For the full stages and for the rules-only path (``repair`` with ``line_model`` off) it prints:

- line-level precision / recall / F1 of furniture+spam+pinyin-junk removal (a line counts as
  removed when removals cover at least half of its non-space characters; ``unsure`` lines are
  left out);
- characters of content lost (Han, letters and digits of content lines inside removals; the
  small inline widgets ``【打印】``, ``字号：大 中 小`` and page counters are not counted);
- pinyin left (annotations such as ``數(shù)`` / ``中【zhōng】`` and lines of bare pinyin in the
  output) and real parentheses lost (bracketed content in content lines that is not a pinyin
  reading of the character before it, e.g. ``（试行）``, ``(2024-2030年)``, ``(GB/T 1.1)``, deleted);
- pages emptied (output without any letter, digit or Han character), and those emptied without
  an error-level warning;
- unflagged garbage: spans of the output that look damaged (U+FFFD, private-use code points, C1
  controls, ``??`` runs and line-initial ``?``, runs of three rare characters, Latin-1 mojibake
  signatures, ``„ ‟``) whose raw offsets no edit of a mojibake kind and no ``repair`` warning
  (``at raw [a, b)``) covers.

Then: the clean/damaged pairs (character error rate of the cleaned damaged version against the
cleaned clean version, both in simplified script without spaces and punctuation, over the part
the two excerpts share), and ftfy's behaviour on Western text: a built-in set of Latin-script
lines (correct text that looks odd, and the same sentences as UTF-8 read as cp1252 / Latin-1,
twice) where ``repair`` must equal ``ftfy.fix_encoding``; ``--ftfy-cases DIR`` adds ftfy's own
JSON test cases (``tests/test-cases/*.json`` of the ftfy repository, not shipped here).

Needs ``corpora/web_lines/labels.tsv`` and ``../shared/data/web_pages`` (``--shared``): data that does not ship with the package, so the command runs from a
repository checkout (see :mod:`policytext.evaluation`); a missing file stops it with an error
naming the path.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..state import TextState
from policytext.evaluation._data import CORPORA, require, run

REMOVE_LABELS = frozenset({"furniture", "spam", "pinyin_junk"})
LABELS_PATH = CORPORA / "web_lines" / "labels.tsv"

# pairs of renderings of one article (SOURCE.md): (damaged, clean)
PAIRS = (("w009", "w078"), ("w139", "w145"), ("w147", "w145"), ("w148", "w145"), ("w041", "w043"))

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"


# --------------------------------------------------------------------------- data


@dataclass
class LineLabel:
    page: str
    split: str
    line: int
    sha: str
    label: str


def load_labels(path: Path = LABELS_PATH) -> list[LineLabel]:
    out = []
    with open(require(path, "web line labels"), encoding="utf-8") as f:
        next(f)
        for row in f:
            page, split, line, sha, label = row.rstrip("\n").split("\t")
            out.append(LineLabel(page, split, int(line), sha, label))
    return out


def agreement(first: list[LineLabel], second: list[LineLabel]) -> dict[str, tuple[int, float, float]]:
    """Cohen's kappa of two labelling passes on the lines both labelled: ``{"labels": (n, observed
    agreement, kappa)}`` over the four labels, and ``"garbage"`` for furniture+spam against content
    (lines either pass marked unsure left out)."""
    by_line = {(lab.page, lab.line): lab.label for lab in first}
    pairs = [(by_line[(lab.page, lab.line)], lab.label) for lab in second if (lab.page, lab.line) in by_line]
    binary = [tuple("garbage" if x in ("furniture", "spam") else x for x in pair) for pair in pairs
              if "unsure" not in pair]
    return {"labels": _kappa(pairs), "garbage": _kappa(binary)}


def _kappa(pairs: list[tuple[str, ...]]) -> tuple[int, float, float]:
    n = len(pairs)
    if not n:
        return 0, 0.0, 0.0
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return n, observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def line_sha(line: str) -> str:
    return hashlib.sha1(line.strip().encode("utf-8")).hexdigest()[:8]


def load_pages(shared: Path) -> dict[str, dict]:
    path = shared / "web_pages" / "pages.jsonl"
    with open(path, encoding="utf-8") as f:
        return {p["id"]: p for p in map(json.loads, f)}


def line_spans(text: str) -> list[tuple[int, int]]:
    """Raw ``(start, end)`` of every line of ``text`` split on ``\\n`` (index = line number)."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


# --------------------------------------------------------------------------- running


@dataclass
class PageRun:
    page: str
    raw: str
    text: str
    removed: list[tuple[int, int, str, str]]  # raw start, raw end, kind, note
    edits: list[tuple[int, int, str, str, str]]  # raw start, raw end, kind, before, after
    warnings: list[str]
    state: TextState = field(repr=False, default=None)  # type: ignore[assignment]


def run_page(raw: str, page: str, rules_only: bool = False) -> PageRun:
    from ..stages.base import create_text_stage
    import policytext.stages.html  # noqa: F401  (registers the stages)
    import policytext.stages.normalize  # noqa: F401
    import policytext.stages.repair  # noqa: F401

    st = TextState(raw=raw, doc_id=page)
    stages = [create_text_stage("html"), create_text_stage("repair", config={"line_model": not rules_only}),
              create_text_stage("normalize")]
    for s in stages:
        s(st)
    removed, edits = [], []
    for r in st.records:
        if r.edit.removal:
            removed.append((r.raw_start, r.raw_end, r.edit.kind, r.edit.note or ""))
        else:
            edits.append((r.raw_start, r.raw_end, r.edit.kind, r.before, r.edit.replacement))
    return PageRun(page, raw, st.text, removed, edits, list(st.warnings), st)


# --------------------------------------------------------------------------- detectors (independent of the stages)


def _pinyin_syllables() -> frozenset[str]:
    from pypinyin.pinyin_dict import pinyin_dict

    out = set()
    for v in pinyin_dict.values():
        for r in v.split(","):
            out.add(_toneless(r))
    out.discard("")
    return frozenset(out)


_SYLLABLES: frozenset[str] | None = None


def _toneless(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower()).replace("u\u0308", "v")  # ǜ -> v, not u
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.rstrip("12345")


def is_pinyin_token(tok: str) -> bool:
    global _SYLLABLES
    if _SYLLABLES is None:
        _SYLLABLES = _pinyin_syllables()
    t = _toneless(tok)
    if not t or not t.isalpha():
        return False
    if t in _SYLLABLES:
        return True
    # syllables written together (shùjù): split greedily from the left, longest first
    i = 0
    while i < len(t):
        for n in range(min(6, len(t) - i), 0, -1):
            if t[i : i + n] in _SYLLABLES:
                i += n
                break
        else:
            return False
    return True


_ANNOT = re.compile(
    rf"(?P<prev>[\u3400-\u9fff\ufffd?？])[ \u3000]?[(（【\[〔][ \u3000]?(?P<py>[A-Za-z{_TONED}]+(?:[ '’-][A-Za-z{_TONED}]+){{0,3}}[1-5]?)"
    r"[ \u3000]?[)）】\]〕]"
)


def _is_annotation(inner: str) -> bool:
    toks = [t for t in re.split(r"[ '’-]", inner) if t]
    if not toks or any(c.isupper() for c in inner) and not any(c in _TONED for c in inner.lower()):
        return False
    if len(toks) == 1 and len(_toneless(toks[0])) < 2 and not any(c in _TONED for c in toks[0]):
        return False
    return all(is_pinyin_token(t) for t in toks)


def pinyin_left(text: str) -> list[str]:
    """Pinyin annotations and bare-pinyin lines still in ``text``."""
    out = [m.group() for m in _ANNOT.finditer(text) if _is_annotation(m.group("py"))]
    for line in text.split("\n"):
        toks = re.findall(rf"[A-Za-z{_TONED}]+", line)
        if len(toks) >= 3 and not re.search(r"[\u3400-\u9fff]", line):
            py = sum(1 for t in toks if is_pinyin_token(t) and (any(c in _TONED for c in t) or len(t) >= 2))
            toned = sum(1 for t in toks if any(c in _TONED for c in t))
            if py >= 0.85 * len(toks) and (toned >= 1 or py == len(toks)):
                out.append(line.strip()[:40])
    return out


_PAREN = re.compile(r"[(（](?P<inner>[^()（）\n]{1,60})[)）]")


def real_parentheses(line: str) -> list[tuple[int, int]]:
    """Spans (in ``line``) of bracketed content that is not a pinyin annotation."""
    out = []
    for m in _PAREN.finditer(line):
        inner = m.group("inner").strip()
        k = m.start()
        while k > 0 and (line[k - 1] in " \u3000" or unicodedata.category(line[k - 1]) in ("So", "Sk", "Cf", "Mn")):
            k -= 1
        # a reading of the character before it, of a garbled one, or a repeat of the annotation before it
        if _is_annotation(inner) and k > 0 and (re.match(r"[\u3400-\u9fff\ufffd?？)）】\]]", line[k - 1]) or (
                k > 1 and line[k - 1].isascii() and line[k - 1].isalpha() and "\u3400" <= line[k - 2] <= "\u9fff")):
            continue  # (睍r(shí): a misaligned GBK pair before the annotation)
        if not re.search(r"[\w\u3400-\u9fff]", inner):
            continue
        out.append((m.start(), m.end()))
    return out


_GARBAGE = re.compile(
    "[\ufffd\ue000-\uf8ff\u0080-\u009f„‟]+"
    "|[?？]{2,}"
    "|(?m:^[ \t\u3000]*[?？](?=[^\\s?？a-zA-Z0-9]|$))"
    "|[ÃÂâåæçèéä][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]"
    "|[?？\ufffd][a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,6}[)）](?=[^\x00-\x7f])"  # an annotation whose ( was eaten
)


def _rare_runs(text: str) -> list[tuple[int, int]]:
    """Runs of three or more non-ASCII letters or symbols that never occur in the official-text
    character table (the output is simplified, so the table's script): mojibake."""
    from ..plausibility import char_logprob_table

    table, floor = char_logprob_table()
    out = []
    start = None
    padded = text + "\n"
    for i, ch in enumerate(padded):
        alphabet = "\u0100" <= ch <= "\u024f" or "\u0370" <= ch <= "\u03ff" or "\u0400" <= ch <= "\u04ff" \
            or "\u00c0" <= ch <= "\u00ff"
        # a Greek, Cyrillic or accented letter alone between Han characters is mojibake (睂τ陉)
        lone = alphabet and not (i > 0 and padded[i - 1].isalpha() and padded[i - 1] < "\u2e80") \
            and not (padded[i + 1 : i + 2].isalpha() and padded[i + 1] < "\u2e80")
        rare = ord(ch) > 0x7F and not ch.isspace() and ch not in table and \
            (unicodedata.category(ch)[0] == "L" or unicodedata.category(ch) == "Sm" or "\u00a0" <= ch <= "\u00ff") \
            and (not alphabet or lone)
        if rare and start is None:
            start = i
        elif not rare and start is not None:
            if i - start >= 3:
                out.append((start, i))
            start = None
    return out


def garbage_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _GARBAGE.finditer(text)]
    spans += _rare_runs(text)
    return sorted(spans)


_WARN_SPAN = re.compile(r"at raw \[(\d+), (\d+)\)")
_FLAG_KINDS = ("mojibake", "damage")


def unflagged_garbage(run: PageRun) -> list[str]:
    st = run.state
    flagged: list[tuple[int, int]] = [(a, b) for a, b, k, _, _ in run.edits if k.startswith(_FLAG_KINDS)]
    flagged += [(a, b) for a, b, k, _ in run.removed if k.startswith(_FLAG_KINDS)]
    for w in run.warnings:
        flagged += [(int(m.group(1)), int(m.group(2))) for m in _WARN_SPAN.finditer(w)]
    out = []
    for a, b in garbage_spans(run.text):
        ra, rb = st.to_raw(a, b)
        if not any(fa < max(rb, ra + 1) and fb > ra for fa, fb in flagged):
            out.append(run.text[max(0, a - 6) : b + 6])
    return out


# --------------------------------------------------------------------------- scoring


def _coverage(spans: list[tuple[int, int]], a: int, b: int, raw: str) -> tuple[int, int]:
    """(covered, total) non-space characters of raw[a:b] inside ``spans``."""
    total = covered = 0
    for i in range(a, b):
        if raw[i].isspace():
            continue
        total += 1
        if any(s <= i < e for s, e in spans):
            covered += 1
    return covered, total


_INLINE = re.compile(r"\binline\b")
_CONTENT_CHAR = re.compile(r"[\w\u3400-\u9fff]")


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    content_chars_lost: int = 0
    pinyin_left: int = 0
    parens_lost: int = 0
    pages: int = 0
    pages_emptied: int = 0
    emptied_silently: int = 0
    garbage_unflagged: int = 0
    stale_labels: int = 0
    by_kind: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=lambda: defaultdict(list))

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pages: dict[str, dict], labels: Iterable[LineLabel], split: str, rules_only: bool) -> Scores:
    by_page: dict[str, list[LineLabel]] = defaultdict(list)
    for lab in labels:
        if split == "all" or lab.split == split:
            by_page[lab.page].append(lab)
    sc = Scores()
    for pid in sorted(by_page):
        page = pages.get(pid)
        if page is None:
            continue
        raw = page["text"]
        run = run_page(raw, pid, rules_only=rules_only)
        sc.pages += 1
        spans = line_spans(raw)
        lines = raw.split("\n")
        removals = [(a, b) for a, b, _, _ in run.removed]
        # whole-line removals (inline widgets and the inline spam names are not content)
        full_removals = [(a, b) for a, b, _, note in run.removed if not _INLINE.search(note)]
        deletions = [(a, b) for a, b, k, note in run.removed if not _INLINE.search(note)]
        deletions += [(a, b) for a, b, _, before, after in run.edits if after == "" and before]
        content_lines = 0
        for lab in by_page[pid]:
            if lab.line >= len(lines) or line_sha(lines[lab.line]) != lab.sha:
                sc.stale_labels += 1
                continue
            a, b = spans[lab.line]
            cov, tot = _coverage(removals, a, b, raw)
            gone = tot > 0 and cov * 2 >= tot
            if lab.label == "unsure":
                continue
            positive = lab.label in REMOVE_LABELS
            if lab.label == "content":
                content_lines += 1
                lost = sum(1 for i in range(a, b) if _CONTENT_CHAR.match(raw[i])
                           and any(s <= i < e for s, e in full_removals))
                sc.content_chars_lost += lost
                if lost:
                    sc.examples["content lost"].append(f"{pid}:{lab.line} {lines[lab.line].strip()[:60]}")
                for pa, pb in real_parentheses(lines[lab.line]):
                    if any(s < a + pb and e > a + pa and (min(e, a + pb) - max(s, a + pa)) * 2 >= pb - pa
                           for s, e in deletions):
                        sc.parens_lost += 1
                        sc.examples["parenthesis lost"].append(f"{pid}:{lab.line} {lines[lab.line][pa:pb]}")
            if positive and gone:
                sc.tp += 1
            elif positive:
                sc.fn += 1
                sc.examples["missed"].append(f"{pid}:{lab.line} [{lab.label}] {lines[lab.line].strip()[:60]}")
            elif gone:
                sc.fp += 1
                kinds = {k for s, e, k, _ in run.removed if s < b and e > a}
                sc.examples["removed content"].append(f"{pid}:{lab.line} {sorted(kinds)} {lines[lab.line].strip()[:60]}")
            else:
                sc.tn += 1
        left = pinyin_left(run.text)
        sc.pinyin_left += len(left)
        sc.examples["pinyin left"].extend(f"{pid}: {x}" for x in left)
        if content_lines and not _CONTENT_CHAR.search(run.text):
            sc.pages_emptied += 1
            if not any(w.lower().startswith("error") for w in run.warnings):
                sc.emptied_silently += 1
        bad = unflagged_garbage(run)
        sc.garbage_unflagged += len(bad)
        sc.examples["unflagged garbage"].extend(f"{pid}: {x!r}" for x in bad)
        for _, _, k, _ in run.removed:
            sc.by_kind[k] += 1
    return sc


# --------------------------------------------------------------------------- pairs


def _comparable(text: str) -> str:
    from ..stages.normalize.script import get_converter

    conv = get_converter("t2s")
    text = unicodedata.normalize("NFKC", conv.convert(text) if conv is not None else text)
    return "".join(c for c in text if c.isalnum())


def _cer(hyp: str, ref: str) -> float:
    from .repair import _lev

    return _lev(hyp, ref) / max(1, len(ref))


def _shared_part(a: str, b: str) -> tuple[str, str]:
    """The stretches of ``a`` and ``b`` between their first and last long common block."""
    import difflib

    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in sm.get_matching_blocks() if m.size >= 8]
    if not blocks:
        return a, b
    first, last = blocks[0], blocks[-1]
    return a[first.a : last.a + last.size], b[first.b : last.b + last.size]


def pair_cer(pages: dict[str, dict]) -> list[tuple[str, str, float, float]]:
    out = []
    for dmg, clean in PAIRS:
        if dmg not in pages or clean not in pages:
            continue
        ref = _comparable(run_page(pages[clean]["text"], clean).text)
        raw = _comparable(pages[dmg]["text"])
        got = _comparable(run_page(pages[dmg]["text"], dmg).text)
        h0, r0 = _shared_part(raw, ref)
        h1, r1 = _shared_part(got, ref)
        out.append((dmg, clean, _cer(h0, r0), _cer(h1, r1)))
    return out


# --------------------------------------------------------------------------- ftfy behaviour

# Latin-script lines (written here, not from any corpus): correct text that looks odd to a
# mojibake detector, and correct text that gets damaged below.
WESTERN_OK = (
    "Ôôô VIDA MINHA",
    "ESSE CARA AI QUEM É¿",
    "C O N C L U S Ã O",
    "NESTLÉ® requiere contratar personal",
    "Offering 5×£35 pin ups",
    "2012—∞",
    "[x]\u00a0©",
    "SELKÄ\u00a0EDELLÄ\u00a0MAAHAN",
    "L’épisode 8 est trop fou",
    "Ça fait déjà très longtemps, señor Muñoz.",
    "Größere Straßen führen über die Brücke.",
    "Ministério da Economia anuncia medidas económicas",
    "Året började med snö i Malmö och Tromsø",
    "Prime Minister’s “Government Work Report” — full text…",
    "Правительство утвердило план",
    "Η κυβέρνηση ενέκρινε το σχέδιο",
)


def western_cases() -> list[tuple[str, str]]:
    """(input, label) pairs: the correct lines, and their UTF-8 bytes read as cp1252/Latin-1 (once and twice)."""
    out = [(s, "correct") for s in WESTERN_OK]
    for s in WESTERN_OK[9:]:  # the sentences (the odd-looking lines above stay as they are)
        for codec in ("cp1252", "latin-1"):
            try:
                once = s.encode("utf-8").decode(codec)
            except UnicodeDecodeError:
                continue
            out.append((once, f"utf-8 as {codec}"))
            try:
                out.append((once.encode("utf-8").decode(codec), f"utf-8 as {codec}, twice"))
            except UnicodeDecodeError:
                pass
    return out


def ftfy_cases(folder: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            if case.get("expect") == "pass":
                out.append((case["original"], f"{path.stem}: {case.get('label', '')}"))
    return out


def repair_only(text: str) -> str:
    from ..stages.repair import RepairStage

    st = TextState(raw=text)
    RepairStage()(st)  # every step, default settings
    return st.text


def ftfy_agreement(cases: list[tuple[str, str]]) -> tuple[int, int, list[str]]:
    import ftfy

    same = 0
    diffs = []
    for text, label in cases:
        want = ftfy.fix_encoding(text)
        got = repair_only(text)
        if got == want:
            same += 1
        else:
            diffs.append(f"{label}: {text!r} -> repair {got!r} / ftfy {want!r}")
    return same, len(cases), diffs


# --------------------------------------------------------------------------- clean official text


def official_false_removals(shared: Path, max_lines: int, rules_only: bool) -> tuple[int, int, list[str]]:
    """Lines of clean official text (held-out administrative regulations, lines as they are)
    that the furniture step removes: (removed, lines seen, examples)."""
    from ..stages.repair.furniture import find_page_furniture

    path = shared / "cn_laws_regulations_lawrefbook" / "administrative_regulations.jsonl"
    seen = removed = 0
    examples: list[str] = []
    with open(path, encoding="utf-8") as f:
        for row in map(json.loads, f):
            text = "\n".join(ln for ln in row.get("text_markdown", "").split("\n")
                             if ln.strip() and not ln.startswith("<!--"))
            seen += text.count("\n") + 1
            for e in find_page_furniture(text, use_model=not rules_only):
                if "inline" in (e.note or ""):
                    continue
                removed += 1
                examples.append(f"[{e.kind}] {text[e.start:e.end].strip()[:60]}")
            if seen >= max_lines:
                break
    return removed, seen, examples


# --------------------------------------------------------------------------- main


def _report(name: str, sc: Scores) -> None:
    p, r, f = sc.prf()
    print(f"{name}:")
    print(f"  pages {sc.pages}; furniture/spam/pinyin-junk removal: P {p:.3f} R {r:.3f} F1 {f:.3f} "
          f"(tp {sc.tp}, fp {sc.fp}, fn {sc.fn}, kept content lines {sc.tn})")
    print(f"  content characters lost {sc.content_chars_lost}; pinyin left {sc.pinyin_left}; "
          f"real parentheses lost {sc.parens_lost}")
    print(f"  pages emptied {sc.pages_emptied} (without an error warning: {sc.emptied_silently}); "
          f"unflagged garbage {sc.garbage_unflagged}" + (f"; stale labels {sc.stale_labels}" if sc.stale_labels else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--split", default="dev", choices=("dev", "test", "train", "all"),
                    help="page split: dev (default, for tuning), test (look once), train, all")
    ap.add_argument("--ftfy-cases", type=Path, help="folder of ftfy's JSON test cases (tests/test-cases)")
    ap.add_argument("--show", type=int, default=0, help="print up to N examples of each failure")
    ap.add_argument("--official-lines", type=int, default=20000, help="lines of clean official text checked")
    ap.add_argument("--agreement", type=Path, metavar="TSV",
                    help="Cohen's kappa of a second labelling pass (corpora/web_lines/labels_second.tsv) and exit")
    args = ap.parse_args(argv)
    if args.agreement:
        for name, (n, observed, kappa) in agreement(load_labels(), load_labels(args.agreement)).items():
            print(f"{name:8s} n={n} agreement {observed:.3f} kappa {kappa:.3f}")
        return 0
    shared = Path(args.shared)
    require(shared / "web_pages" / "pages.jsonl", "web pages")
    pages = load_pages(shared)
    labels = load_labels()
    n = Counter(lab.label for lab in labels if args.split == "all" or lab.split == args.split)
    print(f"split {args.split}: {sum(n.values())} labelled lines ({dict(n)})")
    for name, rules_only in (("full (rules + line classifier)", False), ("rules only", True)):
        sc = score(pages, labels, args.split, rules_only)
        _report(name, sc)
        if (shared / "cn_laws_regulations_lawrefbook").is_dir():
            fr, seen, ex = official_false_removals(shared, args.official_lines, rules_only)
            print(f"  clean official text (administrative regulations): {fr} of {seen} lines removed")
            for x in ex[: args.show]:
                print(f"    official line removed: {x}")
        if args.show:
            for key, items in sc.examples.items():
                for x in items[: args.show]:
                    print(f"    {key}: {x}")
    print("clean/damaged pairs (CER against the cleaned clean version, shared part):")
    for dmg, clean, before, after in pair_cer(pages):
        print(f"  {dmg} vs {clean}: raw {before:.3f} -> cleaned {after:.3f}")
    cases = western_cases()
    if args.ftfy_cases:
        cases += ftfy_cases(args.ftfy_cases)
    same, total, diffs = ftfy_agreement(cases)
    print(f"ftfy behaviour on Latin-script text: repair == ftfy.fix_encoding on {same}/{total}")
    for d in diffs[: max(args.show, 10)]:
        print(f"    differs: {d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
