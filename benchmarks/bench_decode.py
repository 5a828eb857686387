"""Decoding: policytext.decode_bytes vs charset-normalizer on the same bytes, in one run.

Reports throughput (MB/s), the ratio, and whether each tool got the encoding right on the SIGHAN
legacy files (GBK and Big5 bytes with UTF-8 twins) and on short snippets of them.

    python benchmarks/bench_decode.py [--shared ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from charset_normalizer import from_bytes

from policytext.decode import decode_bytes

FILES = [("pku_test_gold.txt", "pku_test_gold.utf8"), ("msr_test_gold.txt", "msr_test_gold.utf8"),
         ("as_testing_gold.txt", "as_testing_gold.utf8"), ("cityu_test_gold.txt", "cityu_test_gold.utf8")]


def charset_normalizer_decode(data: bytes) -> str | None:
    best = from_bytes(data).best()
    return None if best is None else str(best)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    folder = Path(args.shared) / "sighan2005_icwb2"
    cases = []
    for legacy, utf8 in FILES:
        data = (folder / "legacy_encodings" / legacy).read_bytes()
        truth = (folder / utf8).read_bytes().decode("utf-8-sig")
        cases.append((legacy, data, truth))
        lines = truth.splitlines()
        enc = "gb18030" if legacy.startswith(("pku", "msr")) else "big5hkscs"
        for i in range(0, 200, 10):  # short snippets: 1-2 lines, where detectors struggle most
            snippet = "\n".join(lines[i:i + 2])
            cases.append((f"{legacy}:snippet{i}", snippet.encode(enc, errors="replace"),
                          snippet.encode(enc, errors="replace").decode(enc)))
    total_bytes = sum(len(d) for _, d, _ in cases)
    results = {}
    for name, fn in (("policytext", lambda b: decode_bytes(b).text), ("charset-normalizer", charset_normalizer_decode)):
        correct_files = correct_snippets = 0
        start = time.perf_counter()
        for _ in range(args.repeat):
            for case, data, truth in cases:
                try:
                    text = fn(data)
                except Exception:  # noqa: BLE001
                    text = None
                ok = text is not None and text.replace("\u2027", "\u2022") == truth.replace("\u2027", "\u2022")
                if ":snippet" in case:
                    correct_snippets += ok
                else:
                    correct_files += ok
        elapsed = time.perf_counter() - start
        results[name] = (total_bytes * args.repeat / elapsed / 1e6, correct_files // args.repeat,
                         correct_snippets // args.repeat)
    n_snip = sum(":snippet" in c for c, _, _ in cases)
    for name, (mbs, files, snippets) in results.items():
        print(f"{name:<20} {mbs:8.2f} MB/s   whole files right: {files}/4   short snippets right: {snippets}/{n_snip}")
    print(f"ratio policytext / charset-normalizer: {results['policytext'][0] / results['charset-normalizer'][0]:.1f}x")


if __name__ == "__main__":
    main()
