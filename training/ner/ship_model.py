"""Copy a trained pipeline into models/ner, dropping what inference does not need.

spaCy saves every string seen in training (all the n-gram features: ~27 MB); hash embeddings
use the strings' hashes, computed afresh at run time, so the shipped StringStore keeps only the
entity labels. The copy is checked to predict exactly like the original on held-out sentences.

    python training/ner/ship_model.py tmp/ner_train/model-best models/ner
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(src: str, dst: str) -> int:
    import spacy

    import policytext.components.entities.features  # noqa: F401
    from policytext.components.entities.features import make_feature_doc
    from policytext.evaluation.entities import read_bio

    src_p, dst_p = Path(src), Path(dst)
    tmp = dst_p.with_name(dst_p.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(src_p, tmp)
    labels = ["PERSON", "ORG", "LOC", "GPE"]
    (tmp / "vocab" / "strings.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    meta = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
    meta["name"] = "policytext_ner"
    meta["description"] = ("Char-level NER (PERSON/ORG/LOC) for policytext, trained on MSRA train plus People's Daily "
                           "1998-01 (training/ner/train.sh); tokens from policytext.tokenizer.CharTokenizer.")
    (tmp / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")

    a = spacy.load(src_p)
    b = spacy.load(tmp)
    data = ROOT.parent / "shared" / "data" / "msra_ner" / "msra_test_bio.txt"
    sents = [t for t, _ in read_bio(data)[:300]] if data.exists() else ["新华社北京电，国务院总理李鹏今天会见了日本客人。"]
    from policytext.tokenizer import CharTokenizer

    for text in sents:
        d = CharTokenizer(a.vocab)(text)
        words, spaces = [t.text for t in d], [bool(t.whitespace_) for t in d]
        da = make_feature_doc(a.vocab, words, spaces)
        db = make_feature_doc(b.vocab, words, spaces)
        for nlp, doc in ((a, da), (b, db)):
            for _, proc in nlp.pipeline:
                proc(doc)
        ea = [(e.start_char, e.end_char, e.label_) for e in da.ents]
        eb = [(e.start_char, e.end_char, e.label_) for e in db.ents]
        if ea != eb:
            raise SystemExit(f"pruned model differs on {text!r}: {ea} vs {eb}")
    if dst_p.exists():
        if (dst_p / "README.md").exists() and not (tmp / "README.md").exists():
            shutil.copy2(dst_p / "README.md", tmp / "README.md")  # keep the hand-written model card
        shutil.rmtree(dst_p)
    tmp.rename(dst_p)
    size = sum(f.stat().st_size for f in dst_p.rglob("*") if f.is_file())
    print(f"shipped {src_p} -> {dst_p} ({size / 1e6:.1f} MB), predictions identical on {len(sents)} sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
