"""Corruption benchmark and false-positive run for the ``repair`` stage.

    python -m policytext.evaluation.repair [--shared ../shared/data] [--docs 120] [--fp-mb 5]

1. Corruption benchmark. Clean official text that the repair tables never saw
   (``cn_laws_regulations_lawrefbook/administrative_regulations.jsonl``) is damaged in each way
   the stage repairs, at realistic rates; the real GBK/Big5 files of
   ``sighan2005_icwb2/legacy_encodings`` (with their UTF-8 twins) give two more cases. For each
   damage type it prints the character error rate (CER, Levenshtein / reference length) of the
   damaged text, of ``ftfy.fix_text`` (defaults) and of the repair stage, all on the same inputs.
2. False-positive run. The stage runs over at least ``--fp-mb`` MB of clean official text, as
   it is and with full-width punctuation folded to ASCII (as in scraped pages, which makes real
   question marks look like orphan bytes), and counts the edits per kind.

Needs ``../shared/data`` (``--shared``: lawrefbook regulations, SIGHAN 2005 legacy encodings): data that does not ship with the package, so the command runs from a
repository checkout (see :mod:`policytext.evaluation`); a missing file stops it with an error
naming the path.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
from collections import Counter
from pathlib import Path

from ..state import TextState
from ..stages.repair import RepairStage
from ..stages.repair.gbk import PUA_TO_GBK
from policytext.evaluation._data import require, run

FOLD = str.maketrans({"，": ",", "！": "!", "？": "?", "；": ";", "：": ":", "（": "(", "）": ")"})
_GBK_TO_PUA = {v: k for k, v in PUA_TO_GBK.items()}

# --------------------------------------------------------------------------- CER


def _lev(a: str, b: str) -> int:
    if a == b:
        return 0
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    a, b = a[i:], b[i:]
    j = 0
    while j < min(len(a), len(b)) and a[-1 - j] == b[-1 - j]:
        j += 1
    if j:
        a, b = a[:-j], b[:-j]
    if not a or not b:
        return max(len(a), len(b))
    if len(a) * len(b) > 4_000_000:
        return max(len(a), len(b))
    prev = list(range(len(b) + 1))
    for x, ca in enumerate(a, 1):
        cur = [x]
        for y, cb in enumerate(b, 1):
            cur.append(min(prev[y] + 1, cur[y - 1] + 1, prev[y - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def edit_distance(a: str, b: str) -> int:
    """Character Levenshtein distance, computed block by block over a line diff (fast for local damage)."""
    la, lb = a.splitlines(keepends=True), b.splitlines(keepends=True)
    total = 0
    sm = difflib.SequenceMatcher(None, la, lb, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1 and i2 - i1 > 1:
            total += sum(_lev(x, y) for x, y in zip(la[i1:i2], lb[j1:j2]))  # line for line
        else:
            total += _lev("".join(la[i1:i2]), "".join(lb[j1:j2]))
    return total


def cer(hyp: str, ref: str) -> float:
    return edit_distance(hyp, ref) / max(1, len(ref))


# --------------------------------------------------------------------------- damage


def damage_latin(text: str, rng: random.Random, rate: float = 0.3) -> str:
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    out = []
    for line in text.split("\n"):
        if line and rng.random() < rate:
            line = line.encode("utf-8").decode("sloppy-windows-1252")
        out.append(line)
    return "\n".join(out)


def damage_utf8_as_gbk(text: str, rng: random.Random) -> str:
    return text.encode("utf-8").decode("gb18030", errors="replace")


def damage_utf8_as_python_gbk(text: str, rng: random.Random) -> str:
    """UTF-8 read with Python's ``gbk`` codec (a scraper's ``r.encoding = "gbk"``): it drops every
    lead byte GBK cannot pair, where a GB18030 decoder drops only a lone 0x80."""
    return text.encode("utf-8").decode("gbk", errors="replace")


def damage_gbk_as_big5(text: str, rng: random.Random) -> str:
    return text.encode("gbk", errors="replace").decode("cp950", errors="replace")


def _cp936_pair(lead: int, trail: int) -> str | None:
    b = bytes((lead, trail))
    if b in _GBK_TO_PUA:
        return _GBK_TO_PUA[b]
    try:
        ch = b.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return ch if len(ch) == 1 else None


def damage_misaligned(text: str, rng: random.Random, every: int = 1500) -> str:
    """Sample-002 damage: GBK text (traditional script) where, every ~``every`` characters, one
    lead byte is lost (shown '?') and the decoder reads pairs one byte off until it falls back in
    step; full-width ASCII is then folded to ASCII."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        try:
            cb = ch.encode("gbk")
        except UnicodeEncodeError:
            cb = b""
        if len(cb) != 2 or rng.random() > 1.0 / every:
            out.append(ch)
            i += 1
            continue
        # lose the lead byte of text[i]; decode the rest one byte off
        buf = bytearray(cb[1:])
        bounds = []  # byte offsets (in buf) where an original character starts
        j = i + 1
        while j < n and len(buf) < 200:
            bounds.append(len(buf))
            try:
                buf += text[j].encode("gbk")
            except UnicodeEncodeError:
                break
            j += 1
        dec = ["?"]
        k = 0
        bset = set(bounds)
        while k < len(buf):
            if k in bset and k > 0:
                break  # back in step
            b = buf[k]
            if b < 0x80:
                dec.append(chr(b))
                k += 1
                continue
            c = _cp936_pair(b, buf[k + 1]) if k + 1 < len(buf) else None
            if c is None:
                dec.append("?")
                k += 1
            else:
                dec.append(c)
                k += 2
        consumed_chars = sum(1 for x in bounds if x < k) + 1
        s = "".join(dec)
        s = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in s)
        out.append(s)
        i += consumed_chars
    return "".join(out)


def damage_pinyin(text: str, rng: random.Random, rate: float = 0.02) -> str:
    from pypinyin import Style, pinyin

    out = []
    for ch in text:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < rate:
            style = rng.choice([Style.TONE, Style.TONE, Style.NORMAL, Style.TONE3])
            py = pinyin(ch, style=style)[0][0]
            o, c = rng.choice([("(", ")"), ("（", "）")])
            out.append(f"{o}{py}{c}")
    return "".join(out)


def damage_html(text: str, rng: random.Random, rate: float = 0.01) -> str:
    ents = ["&nbsp;", "&amp;", "<span style=\"font-size:16px\">", "</span>", "<br/>", "<p>", "</p>",
            '<li id="44aaa"><tt id="44aaa"></tt></li>', "&#12288;"]
    out = []
    for ch in text:
        out.append(ch)
        if rng.random() < rate:
            out.append(rng.choice(ents))
    return "".join(out)


FURNITURE_HEAD = ("分享到:\n链接已复制\n\nLANGUAGES\n\n新闻\n\n新闻直播 要闻 国际 军事 政协 政务 图片 视频\n\n财经\n\n"
                  "财经 金融 证券 汽车 科技 消费 能源 地产 农业\n\n首页> 中国发展门户网> 网上直播>\n\n")
FURNITURE_TAIL = "\n\n【责任编辑:孔令瑶】\n返回顶部\n午夜无码福利18禁网站\n"


def damage_furniture(text: str, rng: random.Random) -> str:
    return FURNITURE_HEAD + text + FURNITURE_TAIL


# --------------------------------------------------------------------------- data


def load_clean(shared: Path, n_docs: int, seed: int = 0) -> list[str]:
    path = shared / "cn_laws_regulations_lawrefbook" / "administrative_regulations.jsonl"
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line).get("text_markdown") or ""
            t = re.sub(r"<!--.*?-->", "", t)  # the corpus's own markup comment is not the benchmark's damage
            if 500 < len(t) < 20000:
                docs.append(t)
    rng = random.Random(seed)
    rng.shuffle(docs)
    return docs[:n_docs]


def run_stage(text: str, stage: RepairStage) -> str:
    st = TextState(raw=text)
    stage(st)
    return st.text


def benchmark(shared: Path, n_docs: int, seed: int = 0) -> list[dict]:
    import ftfy
    import opencc

    s2t = opencc.OpenCC("s2t")
    stage = RepairStage()
    docs = load_clean(shared, n_docs, seed)
    cases: list[tuple[str, list[tuple[str, str]]]] = []
    rng = random.Random(seed)
    cases.append(("latin (UTF-8 as cp1252, 30% of lines)", [(damage_latin(d, rng), d) for d in docs]))
    cases.append(("utf8 read as GBK (whole text)", [(damage_utf8_as_gbk(d, rng), d) for d in docs]))
    cases.append(("utf8 read by Python's gbk codec (whole text)", [(damage_utf8_as_python_gbk(d, rng), d) for d in docs]))
    cases.append(("GBK read as Big5 (whole text)", [(damage_gbk_as_big5(d, rng), d) for d in docs]))
    trad = [s2t.convert(d).translate(FOLD) for d in docs]
    cases.append(("misaligned GBK (1 per 1500 chars, trad.)", [(damage_misaligned(d, rng), d) for d in trad]))
    simp = [d.translate(FOLD) for d in docs]
    cases.append(("misaligned GBK (1 per 1500 chars, simp.)", [(damage_misaligned(d, rng), d) for d in simp]))
    cases.append(("injected pinyin (2% of Han chars)", [(damage_pinyin(d, rng), d) for d in docs]))
    cases.append(("HTML remnants (1% of chars)", [(damage_html(d, rng), d) for d in docs]))
    cases.append(("page furniture + spam footer", [(damage_furniture(d, rng), d) for d in docs]))
    legacy = shared / "sighan2005_icwb2" / "legacy_encodings"
    if legacy.is_dir():
        for fname, true, seen, label in (
            ("pku_test_gold", "gbk", "cp950", "real GBK file read as Big5 (SIGHAN PKU)"),
            ("as_testing_gold", "cp950", "gb18030", "real Big5 file read as GBK (SIGHAN AS)"),
        ):
            raw = (legacy / f"{fname}.txt").read_bytes()
            ref = (shared / "sighan2005_icwb2" / f"{fname}.utf8").read_text(encoding="utf-8")
            try:
                raw.decode(true)
            except UnicodeDecodeError:
                continue
            damaged = raw.decode(seen, errors="replace")
            ref = raw.decode(true)
            # keep the benchmark fast: the first 1500 lines
            dl, rl = damaged.split("\n")[:1500], ref.split("\n")[:1500]
            cases.append((label, [("\n".join(dl), "\n".join(rl))]))
    rows = []
    for label, pairs in cases:
        ref_len = sum(len(r) for _, r in pairs)
        before = sum(edit_distance(d, r) for d, r in pairs)
        ft = sum(edit_distance(ftfy.fix_text(d), r) for d, r in pairs)
        rp = sum(edit_distance(run_stage(d, stage), r) for d, r in pairs)
        rows.append({"damage": label, "chars": ref_len, "cer_damaged": before / ref_len,
                     "cer_ftfy": ft / ref_len, "cer_repair": rp / ref_len})
        print(f"{label:44s} {ref_len:>9d} {before / ref_len:9.4f} {ft / ref_len:9.4f} {rp / ref_len:9.4f}", flush=True)
    return rows


def false_positive_run(shared: Path, min_mb: float) -> Counter:
    stage = RepairStage()
    sources = [
        ("cn_laws_regulations_lawrefbook/administrative_regulations.jsonl", "text_markdown"),
        ("cn_laws_regulations_lawrefbook/departmental_rules.jsonl", "text_markdown"),
        ("gov_work_reports_wikisource/government_work_reports.jsonl", "content"),
    ]
    counts: Counter = Counter()
    nbytes = 0
    for variant in ("as is", "punctuation folded"):
        vb = 0
        for rel, field in sources:
            with (shared / rel).open(encoding="utf-8") as fh:
                for line in fh:
                    t = json.loads(line).get(field) or ""
                    if variant != "as is":
                        t = t.translate(FOLD)
                    st = TextState(raw=t)
                    stage(st)
                    vb += len(t.encode("utf-8"))
                    for r in st.records:
                        counts[(variant, r.edit.kind)] += 1
            if vb >= min_mb * 1e6:
                break
        print(f"false-positive run ({variant}): {vb / 1e6:.2f} MB clean text", flush=True)
        nbytes += vb
    return counts


MOJIBAKE_PINYIN = {"mojibake_whole_text", "mojibake_gbk_misaligned", "mojibake_lost_byte", "mojibake_unrepaired",
                   "pinyin_injected"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--docs", type=int, default=120)
    ap.add_argument("--fp-mb", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    require(shared / "cn_laws_regulations_lawrefbook" / "administrative_regulations.jsonl", "held-out regulations")
    print(f"{'damage type':44s} {'chars':>9s} {'damaged':>9s} {'ftfy':>9s} {'repair':>9s}   (CER)")
    benchmark(shared, args.docs, args.seed)
    counts = false_positive_run(shared, args.fp_mb)
    print("edits on clean text by kind:")
    for (variant, kind), n in sorted(counts.items()):
        flag = "  <-- mojibake/pinyin false positive" if kind in MOJIBAKE_PINYIN else ""
        print(f"  {variant:20s} {kind:26s} {n:6d}{flag}")
    bad = sum(n for (v, k), n in counts.items() if k in MOJIBAKE_PINYIN)
    print(f"mojibake/pinyin edits on clean text: {bad}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
