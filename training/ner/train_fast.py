"""Train the fast character tagger (``models/ner_fast``) from scratch.

    python training/ner/clusters.py          # tmp/ner_fast/clusters.npz (raw-text clusters, ~1-3 min)
    # the shipped models/ner_fast (MSRA + CLUENER + Weibo, gazetteer + jieba lexicon features):
    python training/ner/train_fast.py --sources msra,cluener,weibo --lexicon gaz,jieba,train --epochs 12 \
        --batch 8 --out models/ner_fast

(needs jieba installed for ``--lexicon jieba``: its dictionary becomes part of the model's lexicon
table; the model itself needs no jieba). ``--sources`` picks the training sets (default: MSRA,
CLUENER, Weibo). People's Daily 1998-01 (``pd``) is readable but not used: on a 15,000-sentence MSRA
subset it cut MSRA dev F1 from 0.786 to 0.690 after two epochs (docs/entities.md, "Entities v3.1").
A training sentence equal to a sentence of a reported test set is dropped (:func:`test_texts`).

Data (``../shared/data``; see each SOURCE.md):

* MSRA NER train (the last ``--dev`` sentences are held out to pick the epoch), PER/ORG/LOC;
* People's Daily 1998-01 POS: ``nr``/``ns``/``nt`` → PERSON/LOC/ORG; compound names it leaves
  unbracketed and ``nz``/``j`` are *unknown* (any tag allowed: the perceptron's "gold" path is the
  best path consistent with the known tags), as in ``prepare.py --pd-pos``;
* CLUENER2020 train: name → PERSON, company/government/organization → ORG, position → O;
  address/scene/book/game/movie are unknown (CLUENER's addresses are whole strings, the contract
  splits places, so they neither teach LOC nor O);
* Weibo NER train: PER/ORG/LOC/GPE ``.NAM`` → PERSON/ORG/LOC(GPE as LOC); nominal mentions → O.

Model: averaged structured perceptron (mini-batches of sentences decoded with the same weights,
BIOES tags, the features of :mod:`policytext.components.entities.fasttagger`). Lexicon features
(``--lexicon``): ``gaz`` = every list in the entity component's ``data/`` folder, grouped by label
(GPE, ORG, LOC, PERSON, TITLE, not-a-name, other); ``jieba`` = jieba's dictionary grouped by
part-of-speech tag (person, place, organisation, other word); ``train`` = the PERSON/ORG/LOC names
of the training sentences (groups 11–13), *cross-fitted*: the training sentences are dealt into
``--lex-folds`` folds by chunks of 500 consecutive sentences (one MSRA article stays in one fold),
and a sentence's lexicon features see only the names of the other folds, so the model learns how
far a listed name is to be trusted on text it has not seen; the shipped table holds all names.
The tables are stored in the model, so later edits of the gazetteer files do not change what the
model sees. Unigram vocabulary
= all training characters + the clustered ones; bigrams and trigrams seen ≥ ``--min-count`` times in
training. Feature rows never updated are pruned before export. Output: ``meta.json`` +
``weights.npz`` (plain arrays; no pickles).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training" / "ner"))

from policytext.components.entities import fasttagger as ft  # noqa: E402
from policytext.evaluation._ner_data import read_bio, read_cluener, read_pd_pos, read_weibo  # noqa: E402

TAG_ID = {t: i for i, t in enumerate(ft.TAGS)}
MAP3 = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}
SHIFT = 21


def encode(n: int, spans, missing=()) -> np.ndarray:
    """BIOES tag ids; -1 = unknown."""
    tags = np.zeros(n, dtype=np.int8)
    for s, e in missing:
        tags[s:e] = -1
    for s, e, lab in spans:
        lab = MAP3.get(lab)
        if lab is None or e <= s:
            continue
        if e - s == 1:
            tags[s] = TAG_ID[f"S-{lab}"]
        else:
            tags[s] = TAG_ID[f"B-{lab}"]
            tags[s + 1 : e - 1] = TAG_ID[f"I-{lab}"]
            tags[e - 1] = TAG_ID[f"E-{lab}"]
    return tags


def test_texts(data: Path) -> set[str]:
    """Sentences of the test sets the evaluation reports (MSRA test, CLUENER dev, Weibo test, the
    policy gold and dev sets): a training sentence equal to one of them is dropped. The People's
    Daily NER test is left out of this check: 4,125 of its sentences are MSRA training sentences,
    so the evaluation reports it on its unseen sentences too."""
    from policytext.evaluation.entities import read_policy_dev, read_policy_gold

    texts = {t for t, _s in read_bio(data / "msra_ner" / "msra_test_bio.txt")}
    texts |= {t for t, *_ in read_cluener(data / "cluener2020" / "dev.jsonl", {})}
    texts |= {t for t, _s in read_weibo(data / "weibo_ner" / "weiboNER_2nd_conll.test")}
    texts |= {t for t, _s in read_policy_gold()} | {t for t, _s in read_policy_dev()}
    return texts


def load_msra(data: Path):
    return [(t, s, ()) for t, s in read_bio(data / "msra_ner" / "msra_train_bio.txt")]


def load_pd(data: Path):
    return [x for x in read_pd_pos(data / "people_daily_1998_01_pos" / "199801.txt") if x[0].strip()]


CLUENER_KNOWN = {"name": "PERSON", "company": "ORG", "government": "ORG", "organization": "ORG"}
CLUENER_UNKNOWN = {"address", "scene", "book", "game", "movie"}


def load_cluener(path: Path):
    return read_cluener(path, CLUENER_KNOWN, CLUENER_UNKNOWN)


def load_weibo(path: Path):
    """Weibo NER: .NAM names only (GPE as LOC); nominal mentions are O."""
    return [(t, s, ()) for t, s in read_weibo(path, gpe="LOC")]


NOT_NAME_LISTS = {"name_chars.tsv"}  # data/ files that are not name<TAB>LABEL lists (character classes)
GAZ_GROUPS = {"GPE": 0, "ORG": 1, "LOC": 2, "PERSON": 3, "TITLE": 4, "O": 5}  # any other label: 6
JIEBA_GROUPS = {"nr": 7, "nrt": 7, "nrfg": 7, "ns": 8, "nt": 9}  # any other tag: 10


def lexicon_entries(kinds: set[str]) -> dict[str, int]:
    """name → group bit mask. ``gaz``: every list in the entity component's ``data/`` folder by
    label (groups 0–6); ``jieba``: jieba's dictionary (MIT) by part-of-speech tag: person, place,
    organisation, any other word (groups 7–10). Names of 2–16 characters."""
    from policytext.components.entities.gazetteer import DATA_DIR, load_tsv

    masks: dict[str, int] = {}

    def add(name: str, group: int) -> None:
        if ft.LEX_MIN_LEN <= len(name) <= ft.LEX_MAX_LEN:
            masks[name] = masks.get(name, 0) | (1 << group)

    if "gaz" in kinds:
        for path in sorted(DATA_DIR.glob("*.tsv")):
            if path.name in NOT_NAME_LISTS:
                continue
            for name, label in load_tsv(path, allow_o=True):
                add(name, GAZ_GROUPS.get(label, 6))
    if "jieba" in kinds:
        import jieba

        for line in open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8"):
            parts = line.split()
            if len(parts) >= 3:
                add(parts[0], JIEBA_GROUPS.get(parts[2], 10))
    return masks


TRAIN_GROUPS = {"PERSON": 11, "ORG": 12, "LOC": 13}  # ``--lexicon train``: names of the training sentences


def training_names(docs) -> list[dict[str, int]]:
    """Per training sentence: its PERSON/ORG/LOC names (2–16 characters) → group bit mask."""
    out = []
    for t, spans, _m in docs:
        names: dict[str, int] = {}
        for s, e, lab in spans:
            lab = MAP3.get(lab)
            if lab is not None and ft.LEX_MIN_LEN <= e - s <= ft.LEX_MAX_LEN:
                names[t[s:e]] = names.get(t[s:e], 0) | (1 << TRAIN_GROUPS[lab])
        out.append(names)
    return out


def merge_names(parts) -> dict[str, int]:
    """Union of name → group mask dicts."""
    out: dict[str, int] = {}
    for names in parts:
        for n, m in names.items():
            out[n] = out.get(n, 0) | m
    return out


def lex_folds(n: int, k: int, chunk: int = 500) -> np.ndarray:
    """Fold of each training sentence: chunks of ``chunk`` consecutive sentences dealt round-robin
    (consecutive MSRA sentences come from one article, whose names must not leak into its own
    features)."""
    return (np.arange(n) // chunk) % k


def lexicon_tables(kinds: set[str], extra: dict[str, int] | None = None,
                   n_groups: int | None = None) -> tuple[dict[str, np.ndarray], list[tuple[str, int]]]:
    """The ``lex_*`` arrays and the lexicon templates for ``kinds`` (empty set: none) plus
    ``extra`` (name → group mask: training names); ``n_groups`` forces the number of templates."""
    masks = lexicon_entries(kinds)
    for name, m in (extra or {}).items():
        masks[name] = masks.get(name, 0) | m
    if not masks:
        return {}, []
    for name in list(masks):  # proper prefixes of ≥ 2 characters: let lexicon_codes go on growing
        for k in range(ft.LEX_MIN_LEN, len(name)):
            masks[name[:k]] = masks.get(name[:k], 0) | (1 << ft.LEX_PREFIX_BIT)
    names = list(masks)
    keys = ft.lexicon_hashes(names)
    vals = np.array([masks[n] for n in names], dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    keys, vals = keys[order], vals[order]
    uk, first = np.unique(keys, return_index=True)  # folded duplicates (digits, Latin): union of groups
    merged = np.bitwise_or.reduceat(vals, first)
    groups = sorted({g for v in merged.tolist() for g in range(ft.LEX_PREFIX_BIT) if v >> g & 1})
    tables = {"lex_keys": uk, "lex_groups": merged.astype(np.uint16)}
    return tables, [("x", g) for g in range(n_groups or max(groups) + 1)]


def ngram_keys(cps: np.ndarray):
    p = np.concatenate([[ft.BOS, ft.BOS], cps, [ft.EOS, ft.EOS]]).astype(np.int64)
    bi = (p[:-1] << SHIFT) | p[1:]
    tri = (p[:-2] << (2 * SHIFT)) | (p[1:-1] << SHIFT) | p[2:]
    skip = (p[:-2] << SHIFT) | p[2:]
    return p, bi, tri, skip


def build_tables(texts: list[str], clusters: dict, min_count: int) -> dict[str, np.ndarray]:
    unis, bis, tris, skips = [], [], [], []
    for t in texts:
        p, b, tr, sk = ngram_keys(ft.fold_codepoints(t))
        unis.append(p)
        bis.append(b)
        tris.append(tr)
        skips.append(sk)
    sk_k, sk_c = np.unique(np.concatenate(skips), return_counts=True)
    uni = np.unique(np.concatenate(unis + [clusters["uni"]]))
    bk, bc = np.unique(np.concatenate(bis), return_counts=True)
    tk, tc = np.unique(np.concatenate(tris), return_counts=True)
    ci = ft._lookup(clusters["uni"], uni)
    uni_cluster = np.concatenate([[0], clusters["uni_cluster"]])[ci]
    return {"uni": uni, "bi": bk[bc >= min_count], "tri": tk[tc >= min_count], "uni_cluster": uni_cluster,
            "bi_cluster_keys": clusters["bi_keys"], "bi_cluster": clusters["bi_cluster"],
            "skip": sk_k[sk_c >= min_count]}


def batches(lengths: np.ndarray, size: int, rng: np.random.Generator):
    order = np.argsort(lengths + rng.uniform(0, 8, len(lengths)), kind="stable")
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(groups)
    return groups


class Trainer:
    """``frozen``: feature rows kept at zero (a lexicon template's "no match" value, which would
    otherwise be one more copy of a bias feature per lexicon group)."""

    def __init__(self, n_rows: int, frozen: np.ndarray | None = None):
        n_lab = len(ft.TAGS)
        self.frozen = np.zeros(0, dtype=np.int64) if frozen is None else np.asarray(frozen, dtype=np.int64)
        self.w = np.zeros((n_rows, n_lab), dtype=np.float32)
        self.u = np.zeros_like(self.w)
        self.tr = np.zeros((n_lab, n_lab), dtype=np.float32)
        self.tru = np.zeros_like(self.tr)
        self.st = np.zeros(n_lab, dtype=np.float32)
        self.stu = np.zeros_like(self.st)
        self.en = np.zeros(n_lab, dtype=np.float32)
        self.enu = np.zeros_like(self.en)
        self.c = 1.0
        ok, s_ok, e_ok = ft.allowed_transitions()
        self.mask_tr = np.where(ok, 0, ft._NEG).astype(np.float32)
        self.mask_st = np.where(s_ok, 0, ft._NEG).astype(np.float32)
        self.mask_en = np.where(e_ok, 0, ft._NEG).astype(np.float32)

    def step(self, feats: list[np.ndarray], golds: list[np.ndarray]) -> int:
        b = len(feats)
        lens = np.array([len(f) for f in feats])
        t_max = int(lens.max())
        n_t = feats[0].shape[1]
        fb = np.zeros((b, t_max, n_t), dtype=np.int64)
        gb = np.zeros((b, t_max), dtype=np.int64)
        valid = np.zeros((b, t_max), dtype=bool)
        unknown = False
        for r, (f, g) in enumerate(zip(feats, golds)):
            fb[r, : len(f)] = f
            gb[r, : len(g)] = g
            valid[r, : len(g)] = True
            unknown = unknown or bool((g < 0).any())
        em = self.w[fb].sum(axis=2)
        tr, st, en = self.tr + self.mask_tr, self.st + self.mask_st, self.en + self.mask_en
        pred = ft.viterbi_batch(em, lens, tr, st, en)
        if unknown:
            known = gb >= 0
            pen = np.where(known[:, :, None], np.where(np.arange(len(ft.TAGS)) == gb[:, :, None], 0, ft._NEG), 0)
            gold = ft.viterbi_batch(em + pen.astype(np.float32), lens, tr, st, en)
        else:
            gold = gb
        wrong = (pred != gold) & valid
        n_wrong = int(wrong.sum())
        if n_wrong == 0:
            self.c += 1
            return 0
        rows = fb[wrong]  # (m, T)
        g_lab = np.repeat(gold[wrong], n_t)
        p_lab = np.repeat(pred[wrong], n_t)
        rows = rows.ravel()
        for lab, sign in ((g_lab, 1.0), (p_lab, -1.0)):
            np.add.at(self.w, (rows, lab), sign)
            np.add.at(self.u, (rows, lab), sign * self.c)
        if len(self.frozen):
            self.w[self.frozen] = 0
            self.u[self.frozen] = 0
        # transitions, start and end scores of sequences that differ anywhere
        bad = wrong.any(axis=1)
        pair_ok = valid[:, 1:] & bad[:, None]
        last = lens - 1
        rb = np.flatnonzero(bad)
        for path, sign in ((gold, 1.0), (pred, -1.0)):
            a, b2 = path[:, :-1][pair_ok], path[:, 1:][pair_ok]
            np.add.at(self.tr, (a, b2), sign)
            np.add.at(self.tru, (a, b2), sign * self.c)
            np.add.at(self.st, path[rb, 0], sign)
            np.add.at(self.stu, path[rb, 0], sign * self.c)
            np.add.at(self.en, path[rb, last[rb]], sign)
            np.add.at(self.enu, path[rb, last[rb]], sign * self.c)
        self.c += 1
        return n_wrong

    def averaged(self):
        c = self.c
        return (self.w - self.u / c, self.tr - self.tru / c, self.st - self.stu / c, self.en - self.enu / c)


def prune(tables: dict, weights: np.ndarray, templates) -> tuple[dict, np.ndarray]:
    """Drop bigram/trigram/skip-bigram vocabulary entries whose rows are zero in every template using them."""
    offs, _ = ft.template_offsets(tables, templates)
    sizes = ft.table_sizes(tables)
    nonzero = np.abs(weights).max(axis=1) > 1e-6
    keep = {}
    pruned = [(kind, table) for kind, table in (("b", "bi"), ("t", "tri"), ("s", "skip")) if table in tables]
    for kind, table in pruned:
        k = np.zeros(sizes[kind], dtype=bool)
        for j, (kd, _o) in enumerate(templates):
            if kd == kind:
                k |= nonzero[offs[j] : offs[j] + sizes[kind]]
        k[0] = True
        keep[kind] = k
    new_tables = {k: v for k, v in tables.items() if not k.startswith("_")}
    for kind, table in pruned:
        new_tables[table] = tables[table][keep[kind][1:]]
    parts = []
    for j, (kind, _o) in enumerate(templates):
        block = weights[offs[j] : offs[j] + sizes[kind]]
        parts.append(block[keep[kind]] if kind in keep else block)
    return new_tables, np.concatenate(parts)


def span_f1(tagger: ft.FastTagger, docs) -> dict:
    texts = [t.replace("\n", " ") for t, _s, _m in docs]
    joined = "\n".join(texts)
    tags = tagger.tag(joined)
    tp = fp = fn = 0
    pos = 0
    for t, spans, _m in docs:
        pred = {x for x in ft.spans_from_tags(tags[pos : pos + len(t)])}
        gold = {(s, e, MAP3[lab]) for s, e, lab in spans if lab in MAP3}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        pos += len(t) + 1
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return {"p": p, "r": r, "f1": 2 * p * r / max(p + r, 1e-9)}


def choose_margin(model_dir: Path, dev_texts: list[str], candidates=(2, 4, 8, 16, 32, 64, 128, 256)) -> float | None:
    """The smallest O margin (see ``FastTagger.decode``) whose tags equal exact decoding on every
    dev character; written to ``meta.json`` as ``o_margin`` (None if none qualifies)."""
    tagger = ft.FastTagger.load(model_dir)
    joined = "\n".join(t.replace("\n", " ") for t in dev_texts)
    tagger.o_margin = None
    exact = tagger.tag(joined)
    chosen = None
    for m in candidates:
        tagger.o_margin = float(m)
        diff = int((tagger.tag(joined) != exact).sum())
        print(f"o_margin {m}: {diff} of {len(exact):,} dev tags differ from exact decoding", flush=True)
        if diff == 0:
            chosen = float(m)
            break
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["o_margin"] = chosen
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return chosen


def export(out: Path, tables: dict, avg, info: dict, templates) -> None:
    w, tr, st, en = avg
    tables, w = prune(tables, w, templates)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "weights.npz", weights=w.astype(np.float16), transitions=tr.astype(np.float32),
                        start=st.astype(np.float32), end=en.astype(np.float32),
                        **{k: v for k, v in tables.items() if not k.startswith("_")})
    meta = {"format": ft.FORMAT, "tags": list(ft.TAGS), "templates": [list(t) for t in templates],
            "feature_rows": int(w.shape[0]), **info}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--clusters", default=str(ROOT / "tmp" / "ner_fast" / "clusters.npz"))
    ap.add_argument("--out", default=str(ROOT / "tmp" / "ner_fast" / "model"))
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--set-margin", default=None, metavar="MODEL_DIR",
                    help="only choose o_margin for an exported model (see choose_margin) and write it to its meta.json")
    ap.add_argument("--dev", type=int, default=1500)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training sentences (smoke test)")
    ap.add_argument("--sources", default="msra,cluener,weibo", help="msra, pd, cluener, weibo")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip", action=argparse.BooleanOptionalAction, default=False,
                    help="the skip-bigram template (characters i-1 and i+1)")
    ap.add_argument("--msra-limit", type=int, default=0, help="use only N random MSRA training sentences")
    ap.add_argument("--lexicon", default="gaz,jieba",
                    help="lexicon match features: gaz (the entity gazetteers), jieba (its dictionary), "
                         "train (names of the training sentences, cross-fitted: see --lex-folds), none")
    ap.add_argument("--lex-folds", type=int, default=5,
                    help="--lexicon train: a sentence's features see the names of the other folds only")
    args = ap.parse_args(argv)
    t0 = time.time()
    data = Path(args.data)
    msra = load_msra(data)
    train, dev = msra[: -args.dev], msra[-args.dev :]
    if args.set_margin:
        choose_margin(Path(args.set_margin), [t for t, *_ in dev])
        return 0
    if args.msra_limit:
        pick = np.random.default_rng(args.seed).choice(len(train), min(args.msra_limit, len(train)), replace=False)
        train = [train[i] for i in sorted(pick)]
    sources = set(args.sources.split(","))
    if "pd" in sources:
        train += load_pd(data)
    if "cluener" in sources:
        train += load_cluener(data / "cluener2020" / "train.jsonl")
    if "weibo" in sources:
        train += load_weibo(data / "weibo_ner" / "weiboNER_2nd_conll.train")
    train = [x for x in train if x[0]]
    held = test_texts(data)
    n_before = len(train)
    train = [x for x in train if x[0] not in held]
    print(f"dropped {n_before - len(train)} training sentences equal to a test sentence", flush=True)
    if args.limit:
        rng0 = np.random.default_rng(args.seed)
        train = [train[i] for i in sorted(rng0.choice(len(train), min(args.limit, len(train)), replace=False))]
    print(f"train {len(train)} sentences, {sum(len(t) for t, *_ in train):,} chars; dev {len(dev)} "
          f"({time.time() - t0:.0f} s)", flush=True)
    with np.load(args.clusters, allow_pickle=False) as z:
        clusters = {k: z[k] for k in z.files}
    tables = build_tables([t for t, *_ in train], clusters, args.min_count)
    kinds = set(args.lexicon.split(",")) - {"none", ""}
    per_sentence = training_names(train) if "train" in kinds else []
    all_names = merge_names(per_sentence)
    lex_tables, lex_templates = lexicon_tables(kinds - {"train"}, all_names)
    tables.update(lex_tables)
    templates = ft.TEMPLATES + ((("s", 0),) if args.skip else ()) + tuple(lex_templates)
    if not args.skip:
        del tables["skip"]
    offsets, total = ft.template_offsets(tables, templates)
    print(f"tables: uni {len(tables['uni'])}, bi {len(tables['bi'])}, tri {len(tables['tri'])}; "
          f"{total:,} feature rows ({time.time() - t0:.0f} s)", flush=True)
    if per_sentence:
        # cross-fitted training names: a sentence sees only the names of the other folds, so the
        # model learns how far a listed name is to be trusted on a sentence it has not seen
        folds = lex_folds(len(train), args.lex_folds)
        feats = [None] * len(train)
        for k in range(args.lex_folds):
            other = merge_names(per_sentence[i] for i in np.flatnonzero(folds != k))
            fold_lex, _ = lexicon_tables(kinds - {"train"}, other, n_groups=len(lex_templates))
            fold_tables = dict(tables, **fold_lex)
            for i in np.flatnonzero(folds == k):
                feats[i] = ft.feature_ids(ft.fold_codepoints(train[i][0]), fold_tables, offsets,
                                          templates).T.astype(np.int32)
            print(f"lexicon fold {k}: {len(other):,} training names ({time.time() - t0:.0f} s)", flush=True)
    else:
        feats = [ft.feature_ids(ft.fold_codepoints(t), tables, offsets, templates).T.astype(np.int32)
                 for t, *_ in train]
    golds = [encode(len(t), s, m) for t, s, m in train]
    lengths = np.array([len(t) for t, *_ in train])
    print(f"features ready ({time.time() - t0:.0f} s)", flush=True)
    trainer = Trainer(total, frozen=np.array([offsets[j] for j, (k, _o) in enumerate(templates) if k == "x"]))
    rng = np.random.default_rng(args.seed)
    best = (-1.0, 0)
    history = []
    for epoch in range(1, args.epochs + 1):
        wrong = 0
        for grp in batches(lengths, args.batch, rng):
            wrong += trainer.step([feats[i] for i in grp], [golds[i] for i in grp])
        w, tr, st, en = trainer.averaged()
        arrays = dict(tables, weights=w, transitions=tr, start=st, end=en)
        dev_f = span_f1(ft.FastTagger(arrays, {"templates": [list(t) for t in templates]}), dev)
        history.append({"epoch": epoch, "train_wrong_tags": wrong, "dev": dev_f})
        print(f"epoch {epoch}: wrong tags {wrong:,}; dev P {dev_f['p']:.3f} R {dev_f['r']:.3f} "
              f"F1 {dev_f['f1']:.4f} ({time.time() - t0:.0f} s)", flush=True)
        if dev_f["f1"] > best[0]:
            best = (dev_f["f1"], epoch)
            info = {"epochs": epoch, "dev_f1": round(dev_f["f1"], 4), "train_sentences": len(train),
                    "sources": sorted(sources), "min_count": args.min_count, "batch": args.batch,
                    "lexicon": args.lexicon, **({"lex_folds": args.lex_folds} if per_sentence else {}),
                    "trained_with": "training/ner/train_fast.py"}
            export(Path(args.out), tables, trainer.averaged(), info, templates)
        elif epoch - best[1] >= 2:
            print("dev F1 fell twice: stop", flush=True)
            break
    choose_margin(Path(args.out), [t for t, *_ in dev])
    print(f"best epoch {best[1]} dev F1 {best[0]:.4f} -> {args.out} ({time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
