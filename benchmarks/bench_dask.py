"""Throughput of the pipeline on a Dask LocalCluster with 1, 2 and 4 workers, against a serial run.

    python benchmarks/bench_dask.py [--docs 320] [--warm 32] [--workers 1,2,4] [--batch-size 16] [--full]
    python benchmarks/bench_dask.py --address tcp://scheduler:8786 --workers 0   # an existing cluster

Documents are CCTV items from ``../shared/data/xwlb_cctv_news_tagged`` (read through the same
field options as ``--html-field content_html``). Every run sees the same documents once, in a
process whose pipeline has been warmed on other documents (``--warm``): the serial reference runs
in a fresh child process, each Dask worker is warmed by a task before the clock starts.
The Dask rows go through :func:`policytext.dask.records_on`, the code ``policytext tag --dask``
uses (partitions of ``--batch-size`` documents, records back in input order). The serial reference
is taken again after each Dask row (the machine's load drifts); ``x serial`` divides by the faster
of the reference runs before and after that row (a conservative ratio). Besides wall-clock
throughput each row prints the CPU milliseconds per document spent in the worker processes
(serial: in the child), which depends far less on the machine's load: equal figures would mean
that Dask adds no per-document work. Wall-clock scaling
needs free cores: the header prints the cores and the load average; N workers cannot beat the
number of free cores.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "xwlb_cctv_news_tagged"


def _serial_run(spec_json: str, warm: list, docs: list) -> tuple[float, float]:
    """In a fresh process: warm the pipeline on ``warm``, then wall and CPU seconds for ``docs``."""
    from policytext.dask import _pipeline_for

    nlp = _pipeline_for(spec_json)
    list(nlp.pipe_records(warm))
    t, c = time.perf_counter(), time.process_time()
    n = sum(1 for _ in nlp.pipe_records(docs))
    assert n == len(docs)
    return time.perf_counter() - t, time.process_time() - c


def _warm_worker(spec_json: str, warm: list) -> int:
    from policytext.dask import _tag_partition

    return len(_tag_partition(warm, spec_json))


def _cpu_seconds() -> float:
    return time.process_time()


def serial(spec_json: str, warm: list, docs: list) -> tuple[float, float]:
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_serial_run, spec_json, warm, docs).result()


def main() -> None:
    import policytext
    from policytext.dask import _spec_json, connect, records_on
    from policytext.inputs import Fields, iter_inputs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=320, help="documents timed")
    ap.add_argument("--warm", type=int, default=32, help="other documents each process is warmed with")
    ap.add_argument("--workers", default="1,2,4", help="LocalCluster sizes (0: the --address cluster as it is)")
    ap.add_argument("--batch-size", type=int, default=16, help="documents per partition")
    ap.add_argument("--full", action="store_true", help="every stage (default: entities and themes off)")
    ap.add_argument("--address", default="local", help="a scheduler address instead of LocalClusters")
    args = ap.parse_args()
    fields = Fields(html="content_html", id="url", date="pub_date")
    all_docs = list(itertools.islice(iter_inputs(sorted(str(p) for p in DATA.glob("*.jsonl")), fields=fields),
                                     args.warm + args.docs))
    warm, docs = all_docs[:args.warm], all_docs[args.warm:]
    nlp = policytext.load(disable=[] if args.full else ["entities", "themes"])
    spec = _spec_json(nlp)
    load = os.getloadavg()
    print(f"{os.cpu_count()} CPU cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {len(docs)} documents "
          f"({sum(len(d.data) for d in docs) / 1000:.0f} k characters), partitions of {args.batch_size}; "
          f"stages: {', '.join(nlp.stage_names)}")
    print(f"{'run':<22} {'docs/s':>7} {'x serial':>9} {'CPU ms/doc':>11} {'client CPU s':>13} {'start s':>8} {'load':>5}")
    wall, cpu = serial(spec, warm, docs)
    ref_rate = len(docs) / wall
    print(f"{'serial (reference)':<22} {ref_rate:>7.1f} {1.0:>9.2f} {1000 * cpu / len(docs):>11.1f} {'-':>13} "
          f"{'-':>8} {os.getloadavg()[0]:>5.1f}", flush=True)
    for w in [int(x) for x in args.workers.split(",")]:
        t0 = time.perf_counter()
        client = connect(args.address, w)
        workers = client.run(_cpu_seconds)  # every worker up
        start = time.perf_counter() - t0
        # each worker builds and warms its pipeline, in parallel, on the thread that runs tasks
        client.gather([client.submit(_warm_worker, spec, warm, pure=False, workers=[a]) for a in workers])
        before = client.run(_cpu_seconds)
        t, c = time.perf_counter(), time.process_time()
        n = sum(1 for _ in records_on(client, nlp, docs, batch_size=args.batch_size))
        elapsed, client_cpu = time.perf_counter() - t, time.process_time() - c
        after = client.run(_cpu_seconds)
        worker_cpu = sum(after[a] - before[a] for a in after if a in before)
        assert n == len(docs)
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
        rate = n / elapsed
        ref_wall, _ = serial(spec, warm, docs)  # the reference again, under the load of now
        best = max(ref_rate, len(docs) / ref_wall)  # the faster reference: a conservative ratio
        name = f"dask, {len(workers)} worker(s)"
        print(f"{name:<22} {rate:>7.1f} {rate / best:>9.2f} {1000 * worker_cpu / n:>11.1f} {client_cpu:>13.1f} "
              f"{start:>8.1f} {os.getloadavg()[0]:>5.1f}", flush=True)
        ref_rate = len(docs) / ref_wall
        print(f"{'serial (reference)':<22} {ref_rate:>7.1f} {1.0:>9.2f} {'':>11} {'-':>13} {'-':>8} "
              f"{os.getloadavg()[0]:>5.1f}", flush=True)


if __name__ == "__main__":
    main()
