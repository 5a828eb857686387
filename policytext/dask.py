"""Running the pipeline on a Dask distributed cluster (``pip install 'policytext[dask]'``).

    >>> import dask.bag as db, policytext.dask
    >>> bag = db.read_text("corpus/*.jsonl").map(json.loads)
    >>> records = policytext.dask.tag_bag(bag, disable=["entities"])      # a bag of contract records
    >>> frame = policytext.dask.tag_frame(ddf, text="content", id="url")  # a dask DataFrame helper

Each worker builds the pipeline once (from its JSON spec, :meth:`Pipeline.to_spec`) and keeps it
for every partition it runs; documents travel as partitions, results come back as records. A
worker lost mid-run (even ``kill -9``) is Dask's business: the scheduler runs the partitions it
was running or had not handed back again on another worker, and the records still come out once
each, in input order (``tests/test_dask.py`` kills a worker process mid-run). Model folders named in stage settings must exist at the same path on every worker.

``policytext tag --dask ADDRESS`` (or ``--dask local --workers N``) uses :func:`dask_records`;
``policytext dedup --dask ADDRESS`` uses :func:`dask_fingerprints` (documents cleaned and
fingerprinted per partition on the workers, merged by ``CorpusDeduper`` on the client). A lighter
corpus near-duplicate pass on a bag: :func:`minhash_clusters` (MinHash signatures per partition,
an LSH merge on the client).
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any, Iterable, Iterator

from .inputs import Fields, InputDoc

__all__ = ["tag_bag", "tag_frame", "dask_records", "records_on", "dask_fingerprints", "minhash_clusters", "connect"]

_PIPELINES: dict[str, Any] = {}  # per worker process: spec JSON -> Pipeline


def _pipeline_for(spec_json: str) -> Any:
    nlp = _PIPELINES.get(spec_json)
    if nlp is None:
        from .pipeline import Pipeline

        nlp = _PIPELINES[spec_json] = Pipeline.from_spec(json.loads(spec_json))
    return nlp


def _spec_json(nlp: Any = None, **load_kwargs: Any) -> str:
    if nlp is None:
        from .pipeline import load

        nlp = load(**load_kwargs)
    return json.dumps(nlp.to_spec(), ensure_ascii=False, sort_keys=True)


def _tag_partition(items: Iterable[Any], spec_json: str, collect_stats: bool = False) -> list[dict[str, Any]]:
    """Records of one partition; with ``collect_stats`` each carries its stage counters (claims
    rejected by reason) for the client's :class:`~policytext.stats.Stats`, as in one process."""
    nlp = _pipeline_for(spec_json)
    nlp.collect_stats = collect_stats
    return list(nlp.pipe_records(items))


def tag_bag(bag: Any, nlp: Any = None, **load_kwargs: Any) -> Any:
    """A bag of contract records from a bag of documents (str, bytes, dicts with ``text``/``html``,
    :class:`~policytext.inputs.InputDoc`). ``nlp`` (a :class:`~policytext.pipeline.Pipeline`) or
    ``load_kwargs`` (as :func:`policytext.load`) say which pipeline runs."""
    return bag.map_partitions(_tag_partition, _spec_json(nlp, **load_kwargs))


def _frame_partition(pdf: Any, spec_json: str, fields: Fields) -> Any:
    import pandas as pd

    from .inputs import docs_from_records

    recs = _tag_partition(docs_from_records(pdf.to_dict("records"), "<dataframe>", fields), spec_json)
    return pd.DataFrame({"record": [json.dumps(r, ensure_ascii=False) for r in recs]}, index=pdf.index)


def tag_frame(ddf: Any, nlp: Any = None, text: str = "text", html: str = "html", id: str = "id", date: str = "date",
              source: str = "source", keep: tuple[str, ...] | None = None, **load_kwargs: Any) -> Any:
    """A dask DataFrame with one column ``record`` (the contract record as JSON text) per row of
    ``ddf``, whose columns are named as for ``--text-field`` and friends."""
    import pandas as pd

    fields = Fields(text=text, html=html, id=id, date=date, source=source, keep=keep)
    meta = pd.DataFrame({"record": pd.Series([], dtype=object)})
    return ddf.map_partitions(_frame_partition, _spec_json(nlp, **load_kwargs), fields, meta=meta)


def require() -> None:
    """Raise ImportError unless dask.distributed is installed (``pip install 'policytext[dask]'``)."""
    import distributed  # noqa: F401


#: Worker settings of the LocalCluster that :func:`connect` starts. Dask's statistical profiler
#: samples the running task's stack every 10 ms and the event loop checks its health every 20 ms:
#: on CPU-bound partitions a worker spent 28-32 ms of CPU per document with them, 24-25 ms without
#: them, 17-19 ms serially (``docs/benchmarks.md``). Set them on your own workers too.
LOCAL_WORKER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


def connect(address: str, workers: int = 1) -> Any:
    """A ``distributed.Client``: to the scheduler at ``address``, or (``"local"``) to a new
    LocalCluster of ``workers`` single-threaded worker processes (GIL-bound work needs processes,
    not threads) set up with :data:`LOCAL_WORKER_CONFIG`."""
    import dask
    from distributed import Client, LocalCluster

    if address == "local":
        with dask.config.set(LOCAL_WORKER_CONFIG):
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   dashboard_address=":0")
        return Client(cluster)
    return Client(address)


def _batches(docs: Iterable[InputDoc], size: int) -> Iterator[list[InputDoc]]:
    batch: list[InputDoc] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _ordered(client: Any, fn: Any, docs: Iterable[InputDoc], batch_size: int, in_flight: int | None,
             *args: Any) -> Iterator[Any]:
    """``fn(partition, *args)`` for partitions of ``batch_size`` documents, results in input order,
    at most ``in_flight`` partitions out at a time (default: 4 per worker)."""
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    limit = in_flight or 4 * n_workers
    pending: deque[Any] = deque()
    for batch in _batches(docs, max(1, batch_size)):
        pending.append(client.submit(fn, batch, *args, pure=False, retries=2))
        while len(pending) >= limit:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def _close(client: Any, address: str) -> None:
    cluster = getattr(client, "cluster", None) if address == "local" else None
    client.close()
    if cluster is not None:
        cluster.close()


def records_on(client: Any, nlp: Any, docs: Iterable[InputDoc], batch_size: int = 16,
               in_flight: int | None = None) -> Iterator[dict[str, Any]]:
    """Records of ``docs`` computed on the cluster of ``client`` (a ``distributed.Client``), in
    input order: documents go out in partitions of ``batch_size``, at most ``in_flight``
    partitions at a time (default: 4 per worker), so the client's memory does not grow with the
    input. A partition whose worker is lost is run again by the scheduler elsewhere."""
    yield from _ordered(client, _tag_partition, docs, batch_size, in_flight, _spec_json(nlp),
                        bool(getattr(nlp, "collect_stats", False)))


def dask_records(nlp: Any, docs: Iterable[InputDoc], address: str, workers: int = 1, batch_size: int = 16,
                 in_flight: int | None = None) -> Iterator[dict[str, Any]]:
    """:func:`records_on` a cluster reached with :func:`connect` (``address``, or ``"local"``
    with ``workers`` processes), closed at the end."""
    client = connect(address, workers)
    try:
        yield from records_on(client, nlp, docs, batch_size, in_flight)
    finally:
        _close(client, address)


_FINGERPRINTERS: dict[str, Any] = {}  # per worker process: settings JSON -> (cleaner, CorpusDeduper)


def _fingerprint_partition(items: list[InputDoc], settings_json: str, light: bool) -> list[tuple[Any, Any]]:
    """``(doc info, fingerprint or error message)`` per document: cleaning and the MinHash and
    sentence-hash fingerprint run on the worker; the corpus merge runs on the client."""
    from .commands.dedup import clean_and_fingerprint

    key = f"{light}:{settings_json}"
    if key not in _FINGERPRINTERS:
        from .commands.dedup import _light_cleaner, _pipeline_cleaner
        from .corpus_dedup import CorpusDeduper

        _FINGERPRINTERS[key] = (_light_cleaner() if light else _pipeline_cleaner(),
                                CorpusDeduper(**json.loads(settings_json)))
    cleaner, deduper = _FINGERPRINTERS[key]
    return [clean_and_fingerprint(item, cleaner, deduper) for item in items]


def dask_fingerprints(docs: Iterable[InputDoc], address: str, settings: dict[str, Any], light: bool = False,
                      workers: int = 1, batch_size: int = 16) -> Iterator[tuple[Any, Any]]:
    """Corpus dedup on Dask: each partition's documents cleaned and fingerprinted (MinHash
    signature, sentence hashes) on the workers, in input order, for
    :meth:`policytext.corpus_dedup.CorpusDeduper.add_fingerprint` on the client (the LSH merge and
    the pair checks). ``policytext dedup --dask`` uses it."""
    client = connect(address, workers)
    try:
        yield from _ordered(client, _fingerprint_partition, docs, batch_size, None,
                            json.dumps(settings, sort_keys=True), light)
    finally:
        _close(client, address)


# ----- corpus near-duplicates on Dask: MinHash per partition, LSH merge -------------------------
def _signatures(items: Iterable[tuple[str, str]], num_perm: int, shingle: int) -> list[tuple[str, Any]]:
    from datasketch import LeanMinHash, MinHash

    out = []
    for doc_id, text in items:
        m = MinHash(num_perm=num_perm)
        grams = {text[i:i + shingle] for i in range(max(1, len(text) - shingle + 1))}
        m.update_batch([g.encode("utf-8") for g in grams])
        out.append((doc_id, LeanMinHash(m)))
    return out


def minhash_clusters(bag: Any, threshold: float = 0.8, num_perm: int = 128, shingle: int = 5) -> dict[str, str]:
    """Near-duplicate clusters of a bag of ``(id, text)`` pairs: character-shingle MinHash
    signatures are computed per partition on the workers, then merged with an LSH index on the
    client (only the signatures travel: ``num_perm`` integers per document, as datasketch
    ``LeanMinHash`` objects). Returns each id's
    cluster, named by its first member; Jaccard >= ``threshold`` (estimated) joins two documents."""
    from datasketch import MinHashLSH

    sigs = bag.map_partitions(_signatures, num_perm, shingle).compute()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent: dict[str, str] = {}
    rank: dict[str, int] = {}  # order of first sight: a cluster is named by its first member

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc_id, m in sigs:
        if doc_id in parent:
            continue  # the same id twice: the first one stands
        parent[doc_id] = doc_id
        rank[doc_id] = len(rank)
        for other in lsh.query(m):
            a, b = find(doc_id), find(other)
            if a != b:
                first, second = (a, b) if rank[a] < rank[b] else (b, a)
                parent[second] = first
        lsh.insert(doc_id, m)
    return {doc_id: find(doc_id) for doc_id in parent}
