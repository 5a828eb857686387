"""Train the shipped word-segmentation model ``models/words`` (spacy-pkuseg CRF, PKU standard).

Data: ``../shared/data/people_daily_1998_01_pos/199801.txt`` (People's Daily, January 1998, PKU
segmentation; the POS tags are stripped). Every line whose text (or a line of at least 8
characters of the SIGHAN 2005 PKU *test* text) occurs in the SIGHAN PKU test set is dropped, so
the evaluation in ``policytext.evaluation.words`` stays held out. Every 100th remaining line is
the development set the trainer reports on after each iteration.

The model is saved after every iteration (so a stopped run still leaves a usable model), then
pruned and written in the non-pickle format that ``policytext.words`` loads:
``features.msgpack`` (feature names, word lists) and ``weights.npz`` (float32 weights, no
object arrays). See ``training/words/prune.py`` for the pruning.

    nice -n 10 python training/words/train_pkuseg.py --iterations 3 > training/words/train_log.txt 2>&1

Needs only spacy-pkuseg (a runtime dependency) and one core: on the shared 2-core machine the
feature preparation took 10 minutes and each iteration 18-27 minutes (the shipped model is the
one saved after the last iteration that finished in time; see ``train_log.txt``). The unpruned
model is written to ``--raw`` (git-ignored); ``--skip-train`` only prunes it again.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = ROOT.parent / "shared" / "data"
PD = DATA / "people_daily_1998_01_pos" / "199801.txt"
PKU_TEST = DATA / "sighan2005_icwb2" / "pku_test.utf8"
OUT = ROOT / "models" / "words"


def strip_pos(line: str) -> list[str]:
    """``迈向/v  充满/v`` -> ``["迈向", "充满"]`` (a word may itself hold ``/``: split on the last)."""
    words = []
    for token in line.split():
        word, sep, _tag = token.rpartition("/")
        words.append(word if sep else token)
    return [w for w in words if w]


def held_out_texts() -> tuple[set[str], list[str]]:
    """The SIGHAN PKU test lines (whitespace removed): exact set and the longer ones for substring checks."""
    lines = ["".join(l.split()) for l in PKU_TEST.read_text(encoding="utf-8").splitlines()]
    lines = [l for l in lines if l]
    return set(lines), [l for l in lines if len(l) >= 8]


def prepare(workdir: Path) -> tuple[Path, Path, dict[str, int]]:
    """Write ``train.txt`` and ``dev.txt`` (words separated by two spaces); return paths and counts."""
    exact, long_lines = held_out_texts()
    train, dev = [], []
    dropped = 0
    kept = 0
    for line in PD.read_text(encoding="utf-8").splitlines():
        words = strip_pos(line)
        if not words:
            continue
        text = "".join(words)
        if text in exact or any(t in text for t in long_lines if len(t) <= len(text)):
            dropped += 1
            continue
        kept += 1
        (dev if kept % 100 == 0 else train).append("  ".join(words))
    train_path, dev_path = workdir / "train.txt", workdir / "dev.txt"
    train_path.write_text("\n".join(train) + "\n", encoding="utf-8")
    dev_path.write_text("\n".join(dev) + "\n", encoding="utf-8")
    return train_path, dev_path, {"train": len(train), "dev": len(dev), "dropped_test_overlap": dropped}


def build_lexicons(jieba_words: bool = False) -> list:
    """The lexicons of the generic lexicon-match features (``policytext.words.lexicon_features``):
    ``D``: jieba's idioms (tag ``i``, at least four Han characters, all 22,615 of them, also those
    the PKU text cuts: the CRF learns from the training text how far to trust the list), 4-10
    nodes, lengths bucketed at 6. ``jieba_words`` adds ``J``: jieba's other words of 2-8 Han
    characters, bucketed at 4 (not measured, not in the shipped model). Needs jieba (``eval`` extra)."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    from idioms import jieba_idioms
    from policytext.words.lexicon_features import Lexicon

    idioms = frozenset(jieba_idioms())
    lexicons = [Lexicon("D", idioms, 4, 10, 6)]
    if jieba_words:
        import jieba

        other = set()
        with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
            for line in f:
                w = line.split()[0] if line.strip() else ""
                if 2 <= len(w) <= 8 and all("\u4e00" <= c <= "\u9fff" for c in w) and w not in idioms:
                    other.add(w)
        lexicons.append(Lexicon("J", frozenset(other), 2, 8, 4))
    return lexicons


def lexicon_extractor(lexicons: list):
    """spacy-pkuseg's FeatureExtractor plus the lexicon-match features of ``lexicons``."""
    from spacy_pkuseg.feature_extractor import FeatureExtractor
    sys.path.insert(0, str(ROOT))
    from policytext.words.lexicon_features import node_feature_names

    placeholder = {"**Num": "\ufdd0", "**Letter": "\ufdd1"}  # as policytext.words.crf reads the nodes

    class LexiconFeatureExtractor(FeatureExtractor):
        _key = None
        _names: list = []

        def get_node_features(self, idx, wordary):
            base = super().get_node_features(idx, wordary)
            if self._key is not wordary:  # a new sentence: match it once
                self._key = wordary
                nodes = "".join(placeholder.get(c, c) if len(c) > 1 else c for c in wordary)
                assert len(nodes) == len(wordary)
                self._names = node_feature_names(nodes, lexicons)
            return base + self._names[idx]

    return LexiconFeatureExtractor()


def warm_start_folder(model: Path, feature_to_idx: dict[str, int], n_tag: int, out: Path) -> Path:
    """A raw model folder for ``init``: the weights of the shipped-format ``model`` mapped by
    feature name onto ``feature_to_idx`` (features it lacks start at zero), its edge weights kept."""
    import numpy as np
    import srsly

    old = srsly.read_msgpack(model / "features.msgpack")["feature_to_idx"]
    with np.load(model / "weights.npz", allow_pickle=False) as npz:
        old_tag, old_n = (int(x) for x in npz["sizes"])
        w = np.asarray(npz["w"], dtype=np.float64)
    assert old_tag == n_tag
    node = w[: old_n * n_tag].reshape(old_n, n_tag)
    new = np.zeros((len(feature_to_idx), n_tag))
    shared = [(i, old[f]) for f, i in feature_to_idx.items() if f in old]
    if shared:
        ni, oi = (np.array(x) for x in zip(*shared))
        new[ni] = node[oi]
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "weights.npz", sizes=np.array([n_tag, len(feature_to_idx)]),
             w=np.concatenate([new.reshape(-1), w[old_n * n_tag :]]))
    print(f"warm start from {model}: {len(shared):,} of {len(feature_to_idx):,} features have weights", flush=True)
    return out


def train(train_path: Path, dev_path: Path, raw_dir: Path, iterations: int,
          init: Path | None = None, lexicons: list | None = None, warm: Path | None = None) -> None:
    """spacy-pkuseg's trainer loop, saving the weights after every iteration.

    ``init``: a raw model folder (``weights.npz`` written by an earlier run of this script on the
    same data, so the same feature table) to continue training from instead of zero weights.
    """
    from spacy_pkuseg.config import config
    from spacy_pkuseg.data import DataSet
    from spacy_pkuseg.feature_extractor import FeatureExtractor
    from spacy_pkuseg import trainer as pk_trainer

    os.makedirs(config.tempFile + "/output", exist_ok=True)
    config.trainFile = str(train_path)
    config.testFile = str(dev_path)
    config.modelDir = str(raw_dir)
    config.nThread = 1
    config.ttlIter = iterations
    config.init_model = str(init) if init else None
    raw_dir.mkdir(parents=True, exist_ok=True)

    t0 = time.time()
    fe = lexicon_extractor(lexicons) if lexicons else FeatureExtractor()
    fe.build(config.trainFile)
    fe.save()  # features.msgpack (srsly msgpack, no pickle)
    if lexicons:
        import srsly
        data = srsly.read_msgpack(raw_dir / "features.msgpack")
        data["lexicons"] = [lex.to_dict() for lex in lexicons]
        srsly.write_msgpack(raw_dir / "features.msgpack", data)
    fe.convert_text_file_to_feature_file(config.trainFile, config.c_train, config.f_train)
    fe.convert_text_file_to_feature_file(config.testFile, config.c_test, config.f_test)
    fe.convert_feature_file_to_idx_file(config.f_train, config.fFeatureTrain, config.fGoldTrain)
    fe.convert_feature_file_to_idx_file(config.f_test, config.fFeatureTest, config.fGoldTest)
    if warm is not None:
        config.init_model = str(warm_start_folder(warm, fe.feature_to_idx, len(fe.tag_to_idx),
                                                  Path(config.tempFile) / "warm_start"))
    config.globalCheck()
    config.swLog = open(os.path.join(config.outDir, config.fLog), "w")
    config.swResRaw = open(os.path.join(config.outDir, config.fResRaw), "w")
    config.swTune = open(os.path.join(config.outDir, config.fTune), "w")
    trainset = DataSet.load(config.fFeatureTrain, config.fGoldTrain)
    devset = DataSet.load(config.fFeatureTest, config.fGoldTest)
    print(f"features: {len(fe.feature_to_idx):,}; train/dev sentences {len(trainset)}/{len(devset)}; "
          f"preparation {time.time() - t0:.0f}s", flush=True)
    trainer = pk_trainer.Trainer(config, trainset, fe)
    for i in range(iterations):
        t = time.time()
        _err, _n, diff = trainer.train_epoch()
        took = time.time() - t
        trainer.model.save()  # weights.npz
        score = trainer.test(devset, i)[0]
        print(f"iter {i}: diff={diff:.2e} train {took:.0f}s dev F1={score:.2f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--raw", type=Path, default=HERE / "raw_model",
                    help="where the unpruned model is written (git-ignored)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--init", type=Path, default=None,
                    help="continue from this raw model folder (an earlier run's --raw) instead of zero weights")
    ap.add_argument("--skip-train", action="store_true", help="only prune an existing --raw model")
    ap.add_argument("--max-features", type=int, default=400_000, help="features kept by the pruning")
    ap.add_argument("--warm", type=Path, default=None,
                    help="start from the weights of this shipped-format model folder, mapped by feature name")
    ap.add_argument("--every", type=int, default=1, help="train on every N-th training line (experiments)")
    ap.add_argument("--jieba-words", action="store_true", help="also jieba's other words as a lexicon (J)")
    ap.add_argument("--no-lexicons", action="store_true",
                    help="spacy-pkuseg's features only (the model shipped before 8 Dec 2026)")
    args = ap.parse_args(argv)
    if not args.skip_train:
        with tempfile.TemporaryDirectory() as tmp:
            train_path, dev_path, counts = prepare(Path(tmp))
            print(f"data: {counts}", flush=True)
            lexicons = None if args.no_lexicons else build_lexicons(args.jieba_words)
            if args.every > 1:
                lines = train_path.read_text(encoding="utf-8").splitlines()[:: args.every]
                train_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            train(train_path, dev_path, args.raw, args.iterations, args.init, lexicons, args.warm)
    sys.path.insert(0, str(HERE))
    from prune import prune_model

    stats = prune_model(args.raw, args.out, args.max_features)
    print(f"pruned: {stats}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
