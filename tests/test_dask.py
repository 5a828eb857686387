"""Dask distributed: tag_bag / tag_frame on a LocalCluster, policytext tag --dask local, MinHash
near-duplicate clusters per partition merged with LSH."""

from __future__ import annotations

import json

import pytest

distributed = pytest.importorskip("distributed")
db = pytest.importorskip("dask.bag")

from policytext.cli import main  # noqa: E402

TEXTS = ["国家统计局发布数据，一季度国内生产总值同比增长5.3%。", "财政部公布，1至4月全国一般公共预算收入8.1万亿元。",
         "海关总署数据显示，前4个月我国货物贸易进出口总值13.81万亿元。", "国家能源局表示，截至4月底全国累计发电装机容量约30.1亿千瓦。"]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0")
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_tag_bag_and_frame_match_the_local_pipeline(client):
    import dask.dataframe as dd
    import pandas as pd

    import policytext
    import policytext.dask as ptd

    docs = [{"id": f"d{i}", "text": t} for i, t in enumerate(TEXTS)]
    records = ptd.tag_bag(db.from_sequence(docs, npartitions=2), stages=["normalize", "sentences", "claims"]).compute()
    local = list(policytext.load(stages=["normalize", "sentences", "claims"]).pipe_records(docs))
    assert records == local and [r["id"] for r in records] == ["d0", "d1", "d2", "d3"]
    frame = dd.from_pandas(pd.DataFrame({"body": TEXTS, "key": ["a", "b", "c", "d"]}), npartitions=2)
    out = ptd.tag_frame(frame, text="body", id="key", keep=("key",), stages=["claims"]).compute()
    recs = [json.loads(x) for x in out["record"]]
    assert [r["id"] for r in recs] == ["a", "b", "c", "d"] and recs[0]["meta"] == {"key": "a"}
    assert recs[0]["claims"][0]["value"] == pytest.approx(5.3)


def test_minhash_clusters_merge_across_partitions(client):
    import policytext.dask as ptd

    long = "".join(TEXTS) * 2
    pairs = [("a", long), ("b", TEXTS[0]), ("c", long + "。"), ("d", TEXTS[1] * 3)]
    clusters = ptd.minhash_clusters(db.from_sequence(pairs, npartitions=4), threshold=0.8)
    assert clusters["a"] == clusters["c"] == "a" and clusters["b"] == "b" and clusters["d"] == "d"


def test_cli_dask_local_cluster_writes_every_record_in_order(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": TEXTS[i % 4]}, ensure_ascii=False) + "\n"
                           for i in range(6)), encoding="utf-8")
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    code = main(["tag", str(src), "--dask", "local", "--workers", "2", "--batch-size", "2", "-o", str(out),
                 "--disable", "entities,themes,dedup", "--stats", str(stats)])
    capsys.readouterr()
    ids = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and ids == [f"d{i}" for i in range(6)]
    # the counters a record does not hold (claims rejected by reason) come back from the workers too
    serial = tmp_path / "serial.json"
    assert main(["tag", str(src), "-o", str(tmp_path / "serial.jsonl"), "--disable", "entities,themes,dedup",
                 "--stats", str(serial)]) == 0
    capsys.readouterr()
    dask_counts, serial_counts = json.loads(stats.read_text()), json.loads(serial.read_text())
    assert serial_counts["claims_rejected"] and dask_counts["claims_rejected"] == serial_counts["claims_rejected"]


def test_cli_dedup_on_dask_gives_the_same_clusters(client, tmp_path, capsys):
    rows = [{"id": "a", "text": "".join(TEXTS)}, {"id": "b", "text": "".join(TEXTS)}, {"id": "c", "text": TEXTS[0]},
            {"id": "d", "text": "无关的短文，讲的是别的事情。"}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    plain, on_dask = tmp_path / "plain.jsonl", tmp_path / "dask.jsonl"
    assert main(["dedup", str(src), "--light", "-o", str(plain)]) == 0
    assert main(["dedup", str(src), "--light", "-o", str(on_dask), "--dask", client.scheduler.address,
                 "--batch-size", "2"]) == 0
    on_disk = tmp_path / "dask_disk.jsonl"  # the merge with its state in SQLite (issue #19)
    assert main(["dedup", str(src), "--light", "-o", str(on_disk), "--dask", client.scheduler.address,
                 "--batch-size", "2", "--store", "disk"]) == 0
    capsys.readouterr()
    assert plain.read_text(encoding="utf-8") == on_dask.read_text(encoding="utf-8") == on_disk.read_text(encoding="utf-8")
    recs = [json.loads(x) for x in plain.read_text(encoding="utf-8").splitlines()]
    assert recs[0]["cluster"] == recs[1]["cluster"] != recs[3]["cluster"]


# ----- a worker killed mid-run (kill -9): only its partitions run again, no record lost or doubled -----
class _RunCounter(distributed.diagnostics.plugin.SchedulerPlugin):
    """A scheduler plugin noting, for each task, the workers it was sent to (``processing``)."""

    name = "policytext-run-counter"

    def __init__(self, scheduler) -> None:
        self.scheduler = scheduler
        self.runs: dict[str, list[str]] = {}

    def transition(self, key, start, finish, *args, **kwargs) -> None:
        if finish == "processing":
            ts = self.scheduler.tasks.get(key)
            where = ts.processing_on.address if ts is not None and ts.processing_on is not None else "?"
            self.runs.setdefault(str(key), []).append(where)


def _kill_a_busy_worker(dask_scheduler, pids):
    """On the scheduler's event loop (nothing moves meanwhile): pick a worker that is running a
    partition, note its address and what it runs, and SIGKILL its process."""
    import os
    import signal

    for ws in dask_scheduler.workers.values():
        if ws.processing:
            running = sorted(str(ts.key) for ts in ws.processing)
            os.kill(pids[ws.address], signal.SIGKILL)
            return ws.address, running
    return None


def _process_cluster(n_workers: int):
    """Worker processes; no work stealing, so a task is sent to a second worker only when the first is lost."""
    import dask

    try:
        with dask.config.set({"distributed.scheduler.work-stealing": False}):
            return distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                            dashboard_address=":0")
    except Exception as exc:  # sandboxes without process spawning or sockets
        pytest.skip(f"Dask distributed cannot start worker processes here: {exc!r}")


def test_cli_dask_survives_a_worker_killed_mid_run(tmp_path):
    """A real worker loss: the worker process is killed with SIGKILL while it runs a partition.
    The scheduler re-runs only the partitions that worker held; every document is written once."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    n_docs = 48
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"第{i}条。" + TEXTS[i % 4] * 6}, ensure_ascii=False) + "\n"
                           for i in range(n_docs)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    cluster = _process_cluster(2)
    client = distributed.Client(cluster)
    counter = _RunCounter(cluster.scheduler)
    cluster.scheduler.add_plugin(counter)
    pids = client.run(lambda: __import__("os").getpid())
    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-m", "policytext", "tag", str(src), "--dask", cluster.scheduler_address,
                             "--batch-size", "2", "--disable", "entities,themes,dedup", "-o", str(out)],
                            cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**__import__("os").environ, "PYTHONPATH": str(repo)})
    try:
        killed = None
        deadline = time.monotonic() + 120
        while killed is None and proc.poll() is None and time.monotonic() < deadline:
            written = len(out.read_bytes().splitlines()) if out.exists() else 0
            if written >= 4:  # the run is under way: some records are out, most partitions are not done
                killed = client.run_on_scheduler(_kill_a_busy_worker, pids=pids)
                killed_at = written
            time.sleep(0.02)
        _, err = proc.communicate(timeout=180)
        assert killed is not None, f"no worker was killed (exit {proc.returncode}): {err.decode()[-2000:]}"
        address, running = killed
        assert killed_at < n_docs and running
        ids = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
        assert proc.returncode == 0, err.decode()[-2000:]
        assert ids == [f"d{i}" for i in range(n_docs)]  # 0 lost, 0 duplicated, in input order
        assert len(counter.runs) == n_docs // 2  # one task per partition of 2 documents
        rerun = {key: workers for key, workers in counter.runs.items() if len(workers) > 1}
        # what the dead worker was running ran again elsewhere; every partition sent twice had gone
        # to the dead worker first (running, finished and not yet handed back, or sent to it before
        # the scheduler saw it die), and no other partition ran twice
        assert set(running) <= set(rerun)
        assert all(set(workers[:-1]) == {address} and workers[-1] != address for workers in rerun.values()), rerun
    finally:
        if proc.poll() is None:
            proc.kill()
        client.close()
        cluster.close()
