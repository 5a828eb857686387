"""Throughput of ``policytext tag`` on a Dask LocalCluster with 1, 2 and 4 workers.

    python benchmarks/bench_dask.py [--docs 400] [--workers 1,2,4] [--full] [--address tcp://host:8786]

Documents are CCTV items from ``../shared/data/xwlb_cctv_news_tagged`` (read through the same
field options as ``--html-field content_html``). The reference is the same pipeline run serially in
this process; each Dask row prints documents per second and its ratio to that reference. Cluster
start-up (worker processes importing the pipeline) is timed apart. On a machine with fewer cores
than workers the extra workers cannot help; say how many cores the figures came from.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "xwlb_cctv_news_tagged"


def main() -> None:
    import itertools

    import policytext
    from policytext.dask import connect, _spec_json, _tag_partition  # noqa: F401
    from policytext.inputs import Fields, iter_inputs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--full", action="store_true", help="every stage (default: entities and themes off)")
    ap.add_argument("--address", default="local", help="a scheduler address instead of LocalClusters")
    args = ap.parse_args()
    fields = Fields(html="content_html", id="url", date="pub_date")
    docs = list(itertools.islice(iter_inputs(sorted(str(p) for p in DATA.glob("*.jsonl")), fields=fields), args.docs))
    disable = [] if args.full else ["entities", "themes"]
    nlp = policytext.load(disable=disable)
    t = time.perf_counter()
    n = sum(1 for _ in nlp.pipe_records(docs))
    ref = n / (time.perf_counter() - t)
    print(f"{os.cpu_count()} CPU cores; {n} documents; stages: {', '.join(nlp.stage_names)}")
    print(f"{'run':<22} {'docs/s':>8} {'x serial':>9} {'start s':>8}")
    print(f"{'serial (reference)':<22} {ref:>8.1f} {1.0:>9.2f} {0.0:>8.1f}", flush=True)
    from collections import deque

    for w in [int(x) for x in args.workers.split(",")]:
        t0 = time.perf_counter()
        client = connect(args.address, w)
        spec = _spec_json(nlp)
        client.run(lambda: None)  # workers up
        start = time.perf_counter() - t0
        warm = [client.submit(_tag_partition, docs[:1], spec, pure=False, workers=[a]) for a in client.scheduler_info()["workers"]]
        client.gather(warm)  # each worker builds its pipeline once, before the clock starts
        t = time.perf_counter()
        pending: deque = deque()
        count = 0
        for i in range(0, len(docs), args.batch_size):
            pending.append(client.submit(_tag_partition, docs[i:i + args.batch_size], spec, pure=False))
        while pending:
            count += len(pending.popleft().result())
        rate = count / (time.perf_counter() - t)
        print(f"{f'dask, {w} worker(s)':<22} {rate:>8.1f} {rate / ref:>9.2f} {start:>8.1f}", flush=True)
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main()
