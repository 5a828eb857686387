"""Build the claims gold set.

    # once: pre-annotation draft + hand corrections -> annotations.txt (the human-readable gold)
    python corpora/claims/build_gold.py apply DRAFT_DIR
    # any time: annotations.txt -> gold.jsonl (offsets resolved)
    python corpora/claims/build_gold.py

annotations.txt format (one block per sentence)::

    ## ID | DOC_DATE | SPLIT
    sentence text
    + NUM<TAB>value[..max]<TAB>unit<TAB>qualifier<TAB>kind<TAB>modality<TAB>subject<TAB>time<TAB>reference
    ! NUM<TAB>why it is not a claim

``-`` stands for null. NUM is the numeral as written (with its unit); it is located in the
sentence left to right, so repeated numerals resolve in order.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["value", "unit", "qualifier", "kind", "modality", "subject", "time", "reference"]
TEST_DOCS = ("gwr2022", "gwr2021", "gwr2002")


def _split(sid: str) -> str:
    return "test" if sid.startswith(TEST_DOCS) else "dev"


def parse_blocks(text: str):
    blocks = []
    cur = None
    for line in text.splitlines():
        if line.startswith("## "):
            head = [x.strip() for x in line[3:].split("|")]
            cur = {"id": head[0], "date": None if head[1] == "-" else head[1],
                   "split": head[2] if len(head) > 2 else _split(head[0]), "text": None, "claims": [], "neg": []}
            blocks.append(cur)
        elif cur is None or line.startswith("#") and not line.startswith("##"):
            continue
        elif cur["text"] is None:
            cur["text"] = line
        elif line.startswith("+ "):
            parts = line[2:].split("\t")
            cur["claims"].append([parts[0]] + parts[1:])
        elif line.startswith("! "):
            cur["neg"].append(line[2:].split("\t"))
    return blocks


def apply_corrections(draft_dir: Path) -> None:
    order = ["samples", "gwr2024", "gwr2025", "gwr2023", "law8", "fines", "gwr2022", "gwr2021", "gwr2002"]
    blocks = []
    for name in order:
        blocks += parse_blocks((draft_dir / f"{name}.txt").read_text(encoding="utf-8"))
    by_id = {b["id"]: b for b in blocks}
    cur = None
    problems = 0
    for raw in (HERE / "corrections.txt").read_text(encoding="utf-8").splitlines():
        line = raw.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            cur = by_id.get(line[1:].strip())
            if cur is None:
                print("unknown id", line, file=sys.stderr)
                problems += 1
            continue
        if cur is None:
            continue
        op, rest = line[0], line[2:]
        if op == "-":
            if rest.strip() == "*":
                for c in cur["claims"]:
                    cur["neg"].append([c[0], "annotator: not a claim"])
                cur["claims"] = []
                continue
            hit = [c for c in cur["claims"] if c[0] == rest.strip()]
            if not hit:
                print("no claim to remove", cur["id"], rest, file=sys.stderr)
                problems += 1
                continue
            cur["claims"].remove(hit[0])
            cur["neg"].append([hit[0][0], "annotator: not a claim"])
        elif op == "+":
            parts = rest.split("\t")
            assert len(parts) == 9, (cur["id"], parts)
            cur["claims"] = [c for c in cur["claims"] if c[0] != parts[0]] + [parts]
            cur["neg"] = [n for n in cur["neg"] if n[0] != parts[0]]
        elif op == "~":
            toks = rest.split(" ")
            num = toks[0]
            hit = [c for c in cur["claims"] if c[0] == num]
            if not hit:
                print("no claim to change", cur["id"], num, file=sys.stderr)
                problems += 1
                continue
            for kv in toks[1:]:
                k, v = kv.split("=", 1)
                hit[0][1 + FIELDS.index(k)] = v
    # order claims by position in the sentence
    for b in blocks:
        def pos(c, b=b):
            k = b["text"].find(c[0])
            return k if k >= 0 else 10 ** 6
        b["claims"].sort(key=pos)
    with open(HERE / "annotations.txt", "w", encoding="utf-8") as f:
        f.write("# policytext claims gold: see README.md. Format: build_gold.py docstring.\n")
        for b in blocks:
            f.write(f"## {b['id']} | {b['date'] or '-'} | {_split(b['id'])}\n{b['text']}\n")
            for c in b["claims"]:
                f.write("+ " + "\t".join(c) + "\n")
            for n in b["neg"]:
                f.write("! " + "\t".join(n) + "\n")
    print(f"{len(blocks)} sentences, {sum(len(b['claims']) for b in blocks)} claims, {problems} problems")


def _null(v: str):
    return None if v in ("-", "") else v


def build() -> None:
    blocks = parse_blocks((HERE / "annotations.txt").read_text(encoding="utf-8"))
    blind = HERE / "annotations_blind.txt"
    if blind.exists():
        blocks += parse_blocks(blind.read_text(encoding="utf-8"))
    n_claims = 0
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as f:
        for b in blocks:
            text = b["text"]
            pos = 0
            claims = []
            for c in b["claims"]:
                num = c[0]
                k = text.find(num, pos)
                if k < 0:
                    k = text.find(num)
                if k < 0:
                    raise SystemExit(f"{b['id']}: {num!r} not in sentence")
                pos = k + len(num)
                vals = dict(zip(FIELDS, c[1:]))
                v = vals["value"]
                vmax = None
                if ".." in v:
                    v, vmax = v.split("..")
                claim = {"num_start": k, "num_end": k + len(num), "num": num, "value": float(v),
                         "unit": _null(vals["unit"]), "qualifier": vals["qualifier"], "kind": vals["kind"],
                         "modality": vals["modality"], "subject": _null(vals["subject"]), "time": _null(vals["time"]),
                         "reference": _null(vals["reference"])}
                if vmax is not None:
                    claim["value_max"] = float(vmax)
                claims.append(claim)
            negs = [n[0] for n in b["neg"]]
            rec = {"id": b["id"], "split": b["split"], "doc_date": b["date"], "text": text, "claims": claims,
                   "negatives": negs}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n_claims += len(claims)
    print(f"gold.jsonl: {len(blocks)} sentences, {n_claims} claims")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "apply":
        apply_corrections(Path(sys.argv[2]))
    build()
