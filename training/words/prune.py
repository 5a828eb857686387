"""Prune a trained pkuseg model and write it in the shipped non-pickle format.

Keeps the ``max_features`` features with the largest weight (max |w| over the tags; feature 0,
which the decoder adds at every character, always stays first; so do the generic lexicon-match
features, see ``policytext/words/lexicon_features.py``), drops the word-bigram list (only
training reads it), stores the weights as float32 in a compressed ``weights.npz`` and everything
else in ``features.msgpack``. The raw model is read with srsly/numpy only (no pickle).

    python training/words/prune.py RAW_DIR OUT_DIR [--max-features N]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import sys

import numpy as np
import srsly

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from policytext.words.lexicon_features import Lexicon  # noqa: E402

DEFAULT_MAX_FEATURES = 400_000


def prune_model(raw: Path, out: Path, max_features: int = DEFAULT_MAX_FEATURES) -> dict[str, object]:
    data = srsly.read_msgpack(raw / "features.msgpack")
    with np.load(raw / "weights.npz", allow_pickle=False) as npz:
        n_tag, n_feature = (int(x) for x in npz["sizes"])
        w = np.asarray(npz["w"], dtype=np.float64)
    node = w[: n_feature * n_tag].reshape(n_feature, n_tag)
    edge = w[n_feature * n_tag :]
    importance = np.abs(node).max(axis=1)
    importance[0] = np.inf
    lexicons = data.get("lexicons") or []
    for lex in lexicons:  # the few generic lexicon features always stay
        for name in Lexicon.from_dict(lex).names():
            if name in data["feature_to_idx"]:
                importance[data["feature_to_idx"][name]] = np.inf
    order = np.argsort(-importance, kind="stable")
    keep = np.sort(order[: min(max_features, n_feature)])
    keep = keep[importance[keep] > 0]
    remap = {old: new for new, old in enumerate(keep.tolist())}
    feature_to_idx = {f: remap[i] for f, i in data["feature_to_idx"].items() if i in remap}
    new_w = np.concatenate([node[keep].reshape(-1), edge]).astype(np.float32)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():
        if stale.is_file():
            stale.unlink()
    features = {"unigram": sorted(data["unigram"]), "bigram": [],
                "feature_to_idx": feature_to_idx, "tag_to_idx": dict(data["tag_to_idx"])}
    if lexicons:
        features["lexicons"] = lexicons
    srsly.write_msgpack(out / "features.msgpack", features)
    np.savez_compressed(out / "weights.npz", sizes=np.array([n_tag, len(keep)]), w=new_w)
    stats = {"features_raw": n_feature, "features_kept": int(len(keep)), "tags": n_tag,
             "unigram": len(data["unigram"]),
             "lexicons": {lex["prefix"]: len(lex["words"]) for lex in lexicons},
             "size_mb": round(sum(p.stat().st_size for p in out.iterdir()) / 1e6, 1)}
    (out / "meta.json").write_text(json.dumps({
        "name": "words-pkuseg-pku", "kind": "spacy-pkuseg CRF (order 1, 5 tags), non-pickle format",
        "trained_on": "People's Daily 1998-01 (PKU standard), SIGHAN 2005 PKU test lines removed",
        "script": "training/words/train_pkuseg.py", **stats}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("raw", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--max-features", type=int, default=DEFAULT_MAX_FEATURES)
    args = ap.parse_args()
    print(prune_model(args.raw, args.out, args.max_features))


if __name__ == "__main__":
    main()
