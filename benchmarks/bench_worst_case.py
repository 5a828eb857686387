"""Worst-case cost: adversarial inputs against normal Chinese text of the same length, one process.

    python benchmarks/bench_worst_case.py [--sizes 5000 50000] [--model] [--only NAME...] [--repeat 1]

Each adversarial input (a short unit repeated to the length, or generated: distinct short lines)
runs through the whole default pipeline (``str`` input, so stages see it as text; markup units as
``html``) and its time is printed as a ratio to the time of normal Chinese policy text of the same
length in the same run, with the stage that cost most. Every input runs once untimed first (a
warm-up: lazily loaded tables and caches would otherwise be charged to whichever input came first). Times are the process's CPU time, so other work on a busy machine
does not skew the ratios; an input still running after ``--max-seconds`` (wall clock) is stopped
and its time printed as a lower bound (``>``). The promise (README, "Reliability and security"): no ratio above 5
on 50,000-character inputs. By default the entity stage runs rules only (``--model`` adds the
spaCy model, whose cost is linear in tokens and would hide superlinear stages in the ratio).

Normal text: the government work reports in ``../shared/data`` (in file order: 2025, 2024, ...) when
present, else the repository's own samples. Not a test: timings depend on the machine; ratios are what counts.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import policytext  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "gov_work_reports_wikisource" / "government_work_reports.jsonl"

#: name -> (unit repeated to the length, is_html). The first entries are the issue's findings; the
#: rest come from reviewing every regex of the package for nested or overlapping quantifiers.
ADVERSARIAL: dict[str, tuple[str, bool]] = {
    "department 发展改革×24": ("市" + "发展改革" * 24 + "啊。", False),
    "department run": ("市发展改革", False),
    "1%": ("1%", False),
    "a.": ("a.", False),
    "a.b": ("a.b", False),
    "1至": ("1至", False),
    "1": ("1", False),
    "增长12.5%，": ("增长12.5%，", False),
    "U+FFFD": ("\ufffd", False),
    "lone surrogates": ("\ud800", False),
    "mixed FFFD 中": ("\ufffd中", False),
    "digits with commas": ("1,", False),
    "digits with dots": ("1.", False),
    "Chinese numerals": ("一二三四五六七八九十百千万亿", False),
    "百分之": ("百分之", False),
    "dates 2025年": ("2025年", False),
    "dates 年月日": ("年月日", False),
    "unclosed 《": ("《国家", False),
    "unclosed （": ("（国家", False),
    "nested （（": ("（", False),
    "speaker labels": ("刘烈宏：", False),
    "no punctuation": ("国家数据局发展改革委员会", False),
    "pinyin-like": ("ni hao ", False),
    "? run (lost characters)": ("?", False),
    "? with spaces": ("? ", False),
    "ASCII words": ("abc ", False),
    "latin mojibake": ("Ã©Ã¨", False),
    "gbk-as-latin1": ("¹ú¼ÒÊý¾Ý", False),
    "big5 mojibake": ("銝剖", False),
    "spaces": (" ", False),
    "newlines": ("\n", False),
    "blank lines": ("国。\n\n", False),
    "tabs and NBSP": ("\t\u00a0", False),
    "zero width": ("\u200b国", False),
    "private use": ("\ue000", False),
    "combining marks": ("a\u0301\u0302", False),
    "emoji": ("😀", False),
    "full stops": ("。", False),
    "ellipsis": ("…", False),
    "quotes": ("“", False),
    "traditional": ("國家數據局發佈", False),
    "URLs": ("http://a.b/", False),
    "e-mail-like": ("a@b.", False),
    "furniture-like": ("首页 > ", False),
    "heading numbers": ("第一条 ", False),
    "list numbers": ("1.1.", False),
    "tag remnants": ("<p>国", False),
    "html: <": ("<", True),
    "html: <a \"": ('<a "', True),
    "html: <a '": ("<a '", True),
    "html: <!--": ("<!--", True),
    "html: <script>": ("<script>", True),
    "html: &": ("&", True),
    "html: &amp;": ("&amp;", True),
    "html: <li><a>": ("<li><a>国</a>", True),
    "html: <ul>": ("<ul>", True),
    "html: </a> <a": ("</a> <a", True),
    "html: <p>": ("<p>国家\n", True),
    "html: <td>": ("<td>", True),
}


def short_lines(n: int, blank: bool = True) -> str:
    """Normal text cut into distinct short lines (2 to 6 characters and a full stop), a blank line
    between them when ``blank``: every line pays the per-line costs (furniture rules, the line
    classifier, one paragraph each for the themes)."""
    words = re.sub(r"[\s，。；、：“”‘’（）《》！？]", "", normal_text(2 * n + 100))
    out, i, k, size = [], 0, 0, 0
    while size < n:
        piece = words[i : i + 2 + k % 5] + ("。\n\n" if blank else "。\n")
        i, k, size = i + 2 + k % 5, k + 1, size + len(piece)
        out.append(piece)
    return "".join(out)[:n]


#: name -> (function of the length, is_html): inputs that are not one unit repeated
GENERATED: dict[str, tuple[Callable[[int], str], bool]] = {
    "distinct short lines, blank between": (short_lines, False),
    "distinct short lines": (lambda n: short_lines(n, blank=False), False),
}


def normal_text(n: int) -> str:
    """``n`` characters of normal Chinese policy text: successive government work reports (not one
    report repeated: caches would make the repeats cheap and the ratios look worse than they are)."""
    if DATA.is_file():
        parts, size = [], 0
        with DATA.open(encoding="utf-8") as fh:
            for line in fh:
                parts.append(json.loads(line)["content"])
                size += len(parts[-1]) + 1
                if size >= n:
                    break
        text = "\n".join(parts)
    else:
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora" / "samples").glob("*.txt")))
    while len(text) < n:
        text += "\n" + text
    return text[:n]


def repeated(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


#: CPU time of this process: other processes on a busy machine do not inflate one input's cost.
_clock = time.process_time


class _Timed:
    """Wraps a stage and adds its run time to ``costs[name]``."""

    def __init__(self, name: str, fn: Callable[[Any], Any], costs: dict[str, float]):
        self.name, self.fn, self.costs = name, fn, costs

    def __call__(self, arg: Any) -> Any:
        t0 = _clock()
        try:
            return self.fn(arg)
        finally:
            self.costs[self.name] = self.costs.get(self.name, 0.0) + _clock() - t0


def timed_pipeline(model: bool) -> tuple[policytext.Pipeline, dict[str, float]]:
    config = {} if model else {"entities": {"backend": "none"}}
    nlp = policytext.load(config=config)
    costs: dict[str, float] = {}
    for s in nlp._text:
        s.component = _Timed(s.name, s.component, costs)
    nlp.nlp._components = [(name, _Timed(name, proc, costs)) for name, proc in nlp.nlp._components]
    return nlp, costs


class _OverTime(BaseException):
    """Raised by the timer (a BaseException: the pipeline records and skips a stage's Exception)."""


def _alarm(signum: int, frame: Any) -> None:
    raise _OverTime()


def run_once(nlp: policytext.Pipeline, costs: dict[str, float], text: str, is_html: bool,
             repeat: int, max_seconds: float = 0.0) -> tuple[float, dict[str, float], list[str]]:
    """Best time of ``repeat`` runs after one untimed warm-up run, its per-stage costs and its
    stage failures. A run stopped after ``max_seconds`` (the warm-up too) gives that time (a lower
    bound) and the stage it was in."""
    best, best_costs, warnings = float("inf"), {}, []
    for k in range(repeat + 1):  # the first run warms up (caches, lazily loaded tables): not counted
        costs.clear()
        t0 = _clock()
        if max_seconds:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, max_seconds)
        try:
            result = nlp({"html": text} if is_html else {"text": text})
        except _OverTime:
            return _clock() - t0, dict(costs), ["stopped: over --max-seconds"]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = _clock() - t0
        if k == 0:
            continue
        if elapsed < best:
            best, best_costs = elapsed, dict(costs)
            warnings = [w for w in result.warnings if "failed" in w]
    return best, best_costs, warnings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    ap.add_argument("--model", action="store_true", help="run the entity stage's spaCy model too")
    ap.add_argument("--only", nargs="*", help="names (substrings) of the inputs to run")
    ap.add_argument("--skip", nargs="*", default=[], help="names (substrings) of inputs to leave out")
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs per input (default 1)")
    ap.add_argument("--max-seconds", type=float, default=60.0,
                    help="stop an input after this many seconds and print its time as a lower bound")
    ap.add_argument("--limit", type=float, default=5.0, help="the promised worst ratio (default 5)")
    args = ap.parse_args(argv)
    nlp, costs = timed_pipeline(args.model)
    nlp("预热。国家数据局发布通知，增长12.5%。")
    inputs: dict[str, tuple[Callable[[int], str], bool]] = {
        name: ((lambda n, unit=unit: repeated(unit, n)), is_html) for name, (unit, is_html) in ADVERSARIAL.items()}
    inputs.update(GENERATED)
    chosen = {k: v for k, v in inputs.items() if (not args.only or any(o in k for o in args.only))
              and not any(o in k for o in args.skip)}
    worst: dict[int, tuple[float, str]] = {}
    failures = 0
    for n in args.sizes:
        base, base_costs, _ = run_once(nlp, costs, normal_text(n), False, max(args.repeat, 3))
        base_html, _, _ = run_once(nlp, costs, "<p>" + normal_text(n - 7) + "</p>", True, max(args.repeat, 3))
        print(f"\n{n:,} characters: normal text {base * 1000:.0f} ms "
              f"({', '.join(f'{k} {v * 1000:.0f}' for k, v in base_costs.items())}); as HTML {base_html * 1000:.0f} ms")
        print(f"{'input':<36} {'ms':>8} {'ratio':>6}  slowest stage (ms)  stage failures")
        for name, (make, is_html) in chosen.items():
            elapsed, stage_costs, failed = run_once(nlp, costs, make(n), is_html, args.repeat,
                                                    args.max_seconds)
            ratio = elapsed / (base_html if is_html else base)
            stopped = any(f.startswith("stopped") for f in failed)
            slow = max(stage_costs, key=stage_costs.get) if stage_costs else "-"
            if stopped:
                failed = []
                last = list(stage_costs)[-1] if stage_costs else "?"  # the stage the timer stopped
                slow = f"{last}: stopped after {args.max_seconds:.0f} s"
                stage_costs = {slow: stage_costs.get(last, elapsed)}
            flag = "  <-- over the limit" if ratio > args.limit else ""
            failures += len(failed)
            print(f"{name:<36} {elapsed * 1000:8.0f} {'>' if stopped else ' '}{ratio:5.2f}  {slow} ({stage_costs.get(slow, 0) * 1000:.0f})"
                  f"  {len(failed) or ''}{flag}")
            worst[n] = max(worst.get(n, (0.0, "")), (ratio, name))
    print()
    for n, (ratio, name) in worst.items():
        print(f"worst ratio at {n:,} characters: {ratio:.2f} ({name})")
    if failures:
        print(f"stage failures: {failures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
