"""Normalize-stage report on the shared samples.

``python -m policytext.evaluation.normalize [--samples DIR] [--json] [--show]`` runs the text
stages that come before ``normalize`` (``html`` and ``repair``, when they are registered), then
compares two outputs on the same input:

* ``opencc``: OpenCC ``t2s`` alone (the reference a user would otherwise run);
* ``normalize``: this stage with its default settings.

Counted on each output: traditional characters left (characters OpenCC ``t2s`` would still
change on their own), stuttered punctuation (a mark repeated, ``、、`` ``,,`` ``。。`` ``!!``...),
ASCII commas between two Han characters, ASCII ``, ! ? ; : ( )`` next to a Han character, and
著/着 errors against a hand-labelled list of every 著/着 context in the three samples
(``ZHE_GOLD``). An occurrence whose context is not in the list is reported as unlabelled rather
than guessed. ``--show`` prints every line join and every unlabelled 著/着 occurrence.

Needs the samples in ``../shared/samples`` (``--samples``): data that does not ship with the package, so the command runs from a
repository checkout (see :mod:`policytext.evaluation`); a missing file stops it with an error
naming the path.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
from collections import Counter
from pathlib import Path

from policytext.paragraphs import paragraph_spans
from policytext.stages.base import create_text_stage, text_stage_factories
from policytext.stages.normalize import NormalizeStage, get_converter
from policytext.stages.normalize.chars import HAN_CLASS
from policytext.state import TextState
from policytext.evaluation._data import REPO_ROOT, require, run

SAMPLES = REPO_ROOT.parent / "shared" / "samples"

# Hand-labelled contexts of 著/着 in the three samples (two characters around the character, as
# read in the documents): the correct mainland form. Checked by reading each occurrence.
ZHE_GOLD: dict[str, str] = {
    # particle / verb-complement 着
    "随着": "着",
    "发挥着": "着",
    "重构着": "着",
    "蕴含着": "着",
    "有着": "着",
    "着眼": "着",
    "着力": "着",
    "奔着": "着",
    "盯着": "着",
    "围着": "着",
    # 著 of 显著 (remarkable)
    "显著": "著",
}

_HAN = f"[{HAN_CLASS}]"
_STUTTER_RE = re.compile(r"([,，、。!！?？;；:：])(?:[ \t]*\1)+|([,，])[ \t]*[,，]|([!！])[ \t]*[!！]|([?？])[ \t]*[?？]")
_COMMA_RE = re.compile(f"(?<={_HAN}),(?={_HAN})")
_ASCII_NEXT_TO_HAN_RE = re.compile(f"(?<={_HAN})[,!?;:()]|[,!?;:()](?={_HAN})")
_ZHE_RE = re.compile("[著着]")


def _load_previous_stages() -> list[str]:
    names = []
    for name in ("html", "repair"):
        try:
            importlib.import_module(f"policytext.stages.{name}")
        except Exception:  # a stage that does not import yet: report without it
            continue
        if name in text_stage_factories():
            names.append(name)
    return names


def traditional_left(text: str) -> Counter:
    """Characters that OpenCC t2s would still change on their own."""
    conv = get_converter("t2s")
    chars = {c for c in set(text) if re.match(_HAN, c)}
    bad = {c for c in chars if conv.convert(c) != c}
    return Counter(c for c in text if c in bad)


def zhe_check(text: str) -> dict:
    """Errors and unlabelled occurrences of 著/着 against ``ZHE_GOLD``."""
    errors, unlabelled, correct = [], [], 0
    for m in _ZHE_RE.finditer(text):
        i = m.start()
        found = None
        for word, form in ZHE_GOLD.items():
            k = word.index("着") if "着" in word else word.index("著")
            s = i - k
            if s < 0 or s + len(word) > len(text):
                continue
            window = text[s : s + len(word)]
            if window[:k] + window[k + 1 :] == word[:k] + word[k + 1 :]:
                found = (word, form)
                break
        context = text[max(0, i - 6) : i + 6].replace("\n", " ")
        if found is None:
            unlabelled.append(context)
        elif text[i] != found[1]:
            errors.append(context)
        else:
            correct += 1
    return {"correct": correct, "errors": errors, "unlabelled": unlabelled}


def measure(text: str) -> dict:
    trad = traditional_left(text)
    zhe = zhe_check(text)
    return {
        "chars": len(text),
        "traditional_left": sum(trad.values()),
        "traditional_examples": "".join(c for c, _ in trad.most_common(10)),
        "stuttered_marks": len(_STUTTER_RE.findall(text)),
        "ascii_comma_between_han": len(_COMMA_RE.findall(text)),
        "ascii_mark_next_to_han": len(_ASCII_NEXT_TO_HAN_RE.findall(text)),
        "zhe_correct": zhe["correct"],
        "zhe_errors": len(zhe["errors"]),
        "zhe_unlabelled": len(zhe["unlabelled"]),
        "_zhe": zhe,
    }


def evaluate(samples: Path = SAMPLES) -> dict:
    previous = _load_previous_stages()
    stage = NormalizeStage()
    opencc = get_converter("t2s")
    report: dict = {"previous_stages": previous, "documents": {}}
    for path in sorted(samples.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        state = TextState(raw=raw, doc_id=path.stem, source=str(path))
        for name in previous:
            create_text_stage(name)(state)
        before = state.text
        n_before = len(state.records)
        stage(state)
        ours = state.records[n_before:]
        doc = {
            "input": measure(before),
            "opencc_t2s": measure(opencc.convert(before)),
            "normalize": measure(state.text),
            "edits": dict(Counter(r.edit.kind for r in ours)),
            "paragraphs": len(paragraph_spans(state.text)),
            "line_joins": [
                f"{state.text[max(0, r.start - 20):r.start]}⏎{state.text[r.end:r.end + 12]} ({r.edit.note})".replace("\n", " ")
                for r in ours
                if r.edit.kind == "line_join"
            ],
        }
        report["documents"][path.name] = doc
    return report


def _print(report: dict, show: bool) -> None:
    prev = ", ".join(report["previous_stages"]) or "none"
    print(f"stages run before normalize: {prev}")
    cols = [
        ("traditional_left", "trad left"),
        ("stuttered_marks", "stutter"),
        ("ascii_comma_between_han", "Han,Han"),
        ("ascii_mark_next_to_han", "ASCII mark by Han"),
        ("zhe_errors", "著/着 errors"),
        ("zhe_correct", "著/着 ok"),
        ("zhe_unlabelled", "unlabelled"),
    ]
    for name, doc in report["documents"].items():
        print(f"\n{name}  ({doc['normalize']['chars']} chars after, {doc['paragraphs']} paragraphs)")
        print(f"  {'':12s}" + "".join(f"{label:>19s}" for _, label in cols))
        for row in ("input", "opencc_t2s", "normalize"):
            m = doc[row]
            print(f"  {row:12s}" + "".join(f"{m[k]:>19d}" for k, _ in cols))
        if doc["normalize"]["traditional_examples"]:
            print(f"  traditional left: {doc['normalize']['traditional_examples']}")
        print(f"  edits: {doc['edits']}")
        print(f"  line joins: {len(doc['line_joins'])}")
        if show:
            for j in doc["line_joins"]:
                print(f"    join: {j}")
            for row in ("opencc_t2s", "normalize"):
                for c in doc[row]["_zhe"]["errors"]:
                    print(f"    著/着 error ({row}): {c}")
                for c in doc[row]["_zhe"]["unlabelled"]:
                    print(f"    著/着 unlabelled ({row}): {c}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=Path, default=SAMPLES)
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--show", action="store_true", help="print line joins and 著/着 contexts")
    args = ap.parse_args(argv)
    require(args.samples, "samples folder")
    report = evaluate(args.samples)
    if args.json:
        for doc in report["documents"].values():
            for row in ("input", "opencc_t2s", "normalize"):
                doc[row].pop("_zhe", None)
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print(report, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
