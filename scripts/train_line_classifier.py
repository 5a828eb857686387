"""Train the line classifier of the ``repair`` stage (content / furniture / spam / pinyin_junk).

    python scripts/train_line_classifier.py [--shared ../shared/data] [--out models/line_classifier]
                                            [--splits train,dev]

Training lines (the test split of ``corpora/web_lines/labels.tsv`` is never read here):

- the web-page lines of the ``--splits`` pages (default train and dev; the recipe is chosen by
  ``scripts/cv_line_classifier.py``, cross-validation by site over the same pages), labelled by
  hand (page id, line index, hash, label; ``unsure`` lines are left out), taken from the pages of
  ``web_pages/pages.jsonl`` after the ``html`` stage and the repair steps before furniture
  (pinyin removed, mojibake reversed: what the classifier sees at run time);
- clean official text, all content: government work reports, CPC congress reports and national
  laws (``administrative_regulations.jsonl`` stays out: it is the repair benchmark's held-out
  text), cut into pseudo-pages of 8-20 consecutive lines;
- lines of bare pinyin (pinyin_junk), made from official sentences with pypinyin (toned or not)
  and put between the lines of those pseudo-pages.

Features: ``policytext/stages/repair/line_model.py``; the corpus repetition of a training line
counts only sites other than its own (:class:`RepeatTable`). Model: multinomial logistic
regression (scikit-learn), stored as JSON (no pickle). The removal threshold on P(not content)
is chosen by 5-fold cross-validation grouped by site on the training lines: the lowest threshold
whose web-line precision is >= 0.995 (content is worth more than furniture).
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policytext.evaluation.web import line_sha, load_labels, load_pages  # noqa: E402
from policytext.stages.repair.furniture import rule_kinds, split_lines  # noqa: E402
from policytext.stages.repair.line_model import CLASSES, FEATURES, LineModel, line_features, line_hash  # noqa: E402
from policytext.state import TextState  # noqa: E402


def repaired_text(raw: str) -> TextState:
    from policytext.stages.base import create_text_stage
    import policytext.stages.html  # noqa: F401
    import policytext.stages.repair  # noqa: F401

    st = TextState(raw=raw)
    create_text_stage("html")(st)
    create_text_stage("repair", config={"furniture": False, "flag_damage": False})(st)
    return st


def web_rows(pages: dict, labels, repeats: "RepeatTable", page_ids: set[str] | None = None):
    """(features, label, group) for every labelled line of ``page_ids`` (default: the train
    split), ``unsure`` lines left out. The corpus-repetition feature of a line counts only the
    *other* sites of the table (what a page of an unseen site would find at run time)."""
    by_page = defaultdict(dict)
    for lab in labels:
        wanted = lab.page in page_ids if page_ids is not None else lab.split == "train"
        if wanted and lab.label != "unsure":
            by_page[lab.page][lab.line] = lab
    X, y, groups, cand = [], [], [], []
    for pid, labs in sorted(by_page.items()):
        raw = pages[pid]["text"]
        raw_lines = raw.split("\n")
        starts, pos = [], 0
        for ln in raw_lines:
            starts.append(pos)
            pos += len(ln) + 1
        st = repaired_text(raw)
        lines = split_lines(st.text)
        kinds = rule_kinds(lines)
        texts = [g.rstrip("\r\n") for _, _, g in lines]
        feats = line_features(texts, kinds, repeats.for_page(pid, texts))
        for k, (a, b, g) in enumerate(lines):
            if not g.strip():
                continue
            ra, _ = st.to_raw(a, a + 1)
            idx = bisect.bisect_right(starts, ra) - 1
            lab = labs.get(idx)
            if lab is None or line_sha(raw_lines[idx]) != lab.sha:
                continue
            X.append(feats[k])
            y.append(CLASSES.index(lab.label))
            groups.append(repeats.group_of.get(pid, pid))
            cand.append(kinds[k] is None and model_candidate(texts[k]))
    return X, y, groups, cand


def model_candidate(text: str) -> bool:
    """A line the rules kept that the model is allowed to remove (what ``_apply_model`` scores)."""
    from policytext.stages.repair.furniture import _mojibake_share
    from policytext.stages.repair.line_model import model_removable

    return bool(text.strip()) and model_removable(text) and _mojibake_share(text) < 0.2


def official_pages(shared: Path, n_pages: int, rng: random.Random) -> list[list[str]]:
    docs = []
    for rel, key in (("gov_work_reports_wikisource/government_work_reports.jsonl", "content"),
                     ("gov_work_reports_wikisource/cpc_congress_reports.jsonl", "content"),
                     ("cn_laws_regulations_lawrefbook/national_laws.jsonl", "text_markdown")):
        with open(shared / rel, encoding="utf-8") as f:
            for row in map(json.loads, f):
                lines = []
                for ln in row.get(key, "").split("\n"):
                    ln = ln.strip().lstrip("#").strip()
                    if ln and not ln.startswith("<!--"):
                        lines.append(ln)
                if len(lines) >= 8:
                    docs.append(lines)
    out = []
    for _ in range(n_pages):
        doc = rng.choice(docs)
        size = rng.randint(8, 20)
        start = rng.randint(0, max(0, len(doc) - size))
        out.append(doc[start : start + size])
    return out


def pinyin_line(sentence: str, rng: random.Random) -> str:
    from pypinyin import Style, lazy_pinyin

    han = [c for c in sentence if "\u4e00" <= c <= "\u9fff"]
    n = rng.randint(4, 30)
    start = rng.randint(0, max(0, len(han) - n))
    style = rng.choice((Style.TONE, Style.TONE, Style.NORMAL, Style.TONE3))
    syl = lazy_pinyin("".join(han[start : start + n]), style=style)
    if rng.random() < 0.2:
        syl = [s.capitalize() if i == 0 else s for i, s in enumerate(syl)]
    return " ".join(syl)


def official_rows(shared: Path, n_pages: int, seed: int):
    rng = random.Random(seed)
    X, y, groups = [], [], []
    for k, page in enumerate(official_pages(shared, n_pages, rng)):
        labels = [0] * len(page)
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 2)):
                pos = rng.randint(0, len(page))
                page.insert(pos, pinyin_line(rng.choice(page), rng))
                labels.insert(pos, CLASSES.index("pinyin_junk"))
        lines = [(0, 0, ln + "\n") for ln in page]
        kinds = rule_kinds(lines)
        feats = line_features(page, kinds)
        for i, lab in enumerate(labels):
            X.append(feats[i])
            y.append(lab)
            groups.append(f"official-{k}")
    return X, y, groups


def site_groups(pages: dict) -> dict[str, str]:
    """Page id -> its site (registered domain; the versions of one article count as one site)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from resplit_web_lines import VERSION_GROUPS, site

    out = {pid: site(p.get("url", "")) or pid for pid, p in pages.items()}
    for group in VERSION_GROUPS:
        name = "+".join(sorted({out[p] for p in group if p in out}))
        for p in group:
            if p in out:
                out[p] = name
    return out


MIN_REPEAT_SITES = 2


class RepeatTable:
    """Lines (hashes) of the training pages and the sites they occur on. At run time the model
    knows the lines found on ``MIN_REPEAT_SITES`` or more training sites (cross-site templates);
    a training line counts as repeated only when that many sites *other than its own* have it."""

    def __init__(self, pages: dict, page_ids, group_of: dict[str, str], legacy: bool = False) -> None:
        self.group_of = group_of
        self.legacy = legacy  # before 8 Dec 2026: lines on two training *pages*, own page included
        self.sites: dict[str, set[str]] = defaultdict(set)
        for pid in page_ids:
            for ln in pages[pid]["text"].split("\n"):
                if ln.strip():
                    self.sites[line_hash(ln)].add(pid if legacy else group_of.get(pid, pid))

    def run_time(self) -> frozenset[str]:
        return frozenset(h for h, s in self.sites.items() if len(s) >= MIN_REPEAT_SITES)

    def for_page(self, pid: str, texts: list[str]) -> frozenset[str]:
        if self.legacy:
            return self.run_time()
        own = self.group_of.get(pid, pid)
        out = set()
        for t in texts:
            h = line_hash(t)
            s = self.sites.get(h)
            if s and len(s - {own}) >= MIN_REPEAT_SITES:
                out.add(h)
        return frozenset(out)


def fit(X: np.ndarray, y: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=3000)
    clf.fit((X - mean) / scale, y)
    coef = np.zeros((len(CLASSES), X.shape[1]))
    inter = np.zeros(len(CLASSES))
    for row, c in enumerate(clf.classes_):
        coef[c] = clf.coef_[row]
        inter[c] = clf.intercept_[row]
    for c in range(len(CLASSES)):
        if c not in clf.classes_:
            inter[c] = -30.0
    return mean, scale, coef, inter


MIN_PRECISION = 0.995


def choose_threshold(X: np.ndarray, y: np.ndarray, groups: np.ndarray, web: np.ndarray, C: float, seed: int,
                     k: int = 5, verbose: bool = False) -> tuple[float, float, float, int]:
    """The lowest threshold on P(not content) whose precision, out of fold (``k`` folds grouped
    by site or pseudo-page), is >= :data:`MIN_PRECISION` on the web lines in ``web`` (a mask:
    the lines the model decides, i.e. those the rules kept and it may remove):
    (threshold, precision, recall, official lines called non-content)."""
    rng = random.Random(seed)
    uniq = sorted(set(groups.tolist()))
    rng.shuffle(uniq)
    fold = {g: i % k for i, g in enumerate(uniq)}
    folds = np.asarray([fold[g] for g in groups])
    p_remove = np.zeros(len(y))
    for f in range(k):
        tr, te = folds != f, folds == f
        mean, scale, coef, inter = fit(X[tr], y[tr], C)
        m = LineModel(CLASSES, mean, scale, coef, inter, 0.5, frozenset())
        p_remove[te] = 1.0 - m.proba(X[te])[:, 0]
    pos = y != 0
    best = None
    for t in np.arange(0.5, 0.99, 0.01):
        pred = p_remove >= t
        tp = int((pred & pos & web).sum())
        fp = int((pred & ~pos & web).sum())
        fn = int((~pred & pos & web).sum())
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 0.0
        fp_off = int((pred & ~pos & ~web).sum())
        if verbose and round(t * 100) % 5 == 0:
            print(f"  threshold {t:.2f}: web P {p:.3f} R {r:.3f} (tp {tp} fp {fp} fn {fn}); official false removals {fp_off}")
        if p >= MIN_PRECISION and best is None:
            best = (round(float(t), 2), p, r, fp_off)
    return best if best is not None else (0.95, 0.0, 0.0, 0)


def train_model(pages: dict, labels, page_ids: set[str] | None, official, C: float = 1.0, seed: int = 0,
                verbose: bool = False, dump: str | None = None, legacy_repeats: bool = False,
                drop: frozenset[str] = frozenset(), decided_only: bool = False) -> LineModel:
    """A model trained on the labelled lines of ``page_ids`` (default: the train split) and the
    official rows ``official`` (from :func:`official_rows`), threshold by grouped cross-validation."""
    group_of = site_groups(pages)
    ids = page_ids if page_ids is not None else {lab.page for lab in labels if lab.split == "train"}
    repeats = RepeatTable(pages, ids, group_of, legacy=legacy_repeats)
    Xw, yw, gw, cw = web_rows(pages, labels, repeats, ids)
    Xo, yo, go = official
    X = np.asarray(Xw + Xo)
    X[:, [FEATURES.index(f) for f in drop]] = 0.0  # a constant column: its weight stays 0
    y = np.asarray(yw + yo)
    groups = np.asarray(gw + go)
    web = np.asarray(list(cw) + [False] * len(yo)) if decided_only else np.asarray([True] * len(yw) + [False] * len(yo))
    if dump:
        np.savez(dump, X=X, y=y, groups=groups, web=web)
    if verbose:
        print(f"training lines: {len(y)} (web {len(yw)}, official {len(yo)}); by class "
              f"{dict(Counter(CLASSES[i] for i in y))}")
    best = choose_threshold(X, y, groups, web, C, seed, verbose=verbose)
    if verbose:
        print(f"cross-validated (model alone, web lines): threshold {best[0]} P {best[1]:.3f} R {best[2]:.3f}; "
              f"official lines called non-content: {best[3]}")
    mean, scale, coef, inter = fit(X, y, C)
    return LineModel(CLASSES, mean, scale, coef, inter, best[0], repeats.run_time())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(ROOT / "models" / "line_classifier"))
    ap.add_argument("--official-pages", type=int, default=120)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--splits", default="train,dev",
                    help="label splits trained on (default train,dev: model selection is by scripts/cv_line_classifier.py; "
                         "test is never read)")
    ap.add_argument("--dump", help="also write the training matrix to this .npz (for experiments)")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    pages = load_pages(shared)
    labels = load_labels()
    official = official_rows(shared, args.official_pages, args.seed)
    splits = set(args.splits.split(",")) - {"test"}
    ids = {lab.page for lab in labels if lab.split in splits}
    model = train_model(pages, labels, ids, official, args.C, args.seed, verbose=True, dump=args.dump)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.json").write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"wrote {out / 'model.json'} ({len(FEATURES)} features, {len(model.corpus_repeats)} repeated-line hashes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
