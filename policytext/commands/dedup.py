"""``policytext dedup``: cluster near-duplicate and contained documents of a corpus.

Writes one JSON object per input document (contract section 3)::

    {"id": ..., "source": ..., "cluster": "c17", "canonical": ...,
     "reuse": [{"other": ..., "share": 0.84, "relation": "near_duplicate|contains|contained_in"}]}

Inputs are read like ``policytext tag`` reads them and cleaned by the library's text stages
``html``, ``repair`` and ``normalize`` (``--light``: decoding, tag stripping and the matcher's own
NFKC + t2s folding only, several times faster). A document that cannot be read gets a record
with an ``error`` field and its own cluster; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import re
from typing import Any, Callable

from ..errors import Errors, code_of
from ..output import FORMATS
from ._common import (UsageError, add_input_arguments, add_output_arguments, add_progress_argument,
                      add_stats_argument, add_worker_arguments, check_output_options, finish_stats, output_format,
                      progress_bar, read_documents, usage_error)

__all__ = ["register", "run"]

_TAG = re.compile(r"<[^>]*>")
BATCH = 256  # documents handed to the deduper at once (its disk store reads ahead per batch)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "dedup",
        help="cluster near-duplicate and contained documents (one JSON record per document)",
        description="Group documents into clusters of near-duplicates and of containment (a release "
        "embedded in or summarised by another), name a canonical document per cluster and report, per "
        "pair, the share of sentences reused. INPUT as for 'policytext tag'.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    add_output_arguments(p, FORMATS)
    add_worker_arguments(p)
    p.add_argument("--dask", metavar="ADDRESS",
                   help="clean and fingerprint documents on a Dask cluster (scheduler ADDRESS, or 'local' with "
                   "--workers N); the clusters are merged here, with the same result as without --dask")
    p.add_argument("--light", action="store_true",
                   help="skip the library's text stages (html/repair/normalize); decode and strip tags only")
    p.add_argument("--containment-share", type=float, default=None, metavar="S",
                   help="share of the shorter document's sentences found in the longer one for containment (0.8)")
    p.add_argument("--near-duplicate-share", type=float, default=None, metavar="S",
                   help="both shares at least S: near-duplicate (0.8)")
    p.add_argument("--jaccard", type=float, default=None, metavar="J",
                   help="shingle Jaccard for a near-duplicate of similar length (0.5)")
    p.add_argument("--sentence-match", type=float, default=None, metavar="F",
                   help="share of a sentence's shingles found in the other document for it to count (0.8)")
    p.add_argument("--no-t2s", action="store_true", help="do not fold traditional to simplified script")
    p.add_argument("--store", choices=("auto", "memory", "disk"), default=None,
                   help="where fingerprints and LSH indexes live: 'memory', 'disk' (a temporary SQLite file, "
                   "memory bounded) or 'auto' (memory, then disk past --spill-documents; default)")
    p.add_argument("--spill-documents", type=int, default=None, metavar="N",
                   help="with --store auto: move to disk after N documents (50000)")
    p.add_argument("--store-dir", default=None, metavar="DIR",
                   help="folder for the temporary SQLite file (default: the system's temporary folder)")
    add_input_arguments(p)
    add_progress_argument(p)
    add_stats_argument(p)
    p.set_defaults(func=run)


def _usage_error(message: str) -> int:
    return usage_error("dedup", message)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for flag, key in (("containment_share", "containment_share"), ("near_duplicate_share", "near_duplicate_share"),
                      ("jaccard", "jaccard_threshold"), ("sentence_match", "sentence_match")):
        value = getattr(args, flag)
        if value is not None:
            if not 0.0 <= value <= 1.0:
                raise ValueError(Errors.E220.format(option="--" + flag.replace("_", "-")))
            out[key] = value
    if args.no_t2s:
        out["t2s"] = False
    for key in ("store", "spill_documents", "store_dir"):
        if getattr(args, key, None) is not None:
            out[key] = getattr(args, key)
    if out.get("spill_documents", 0) < 0:
        raise ValueError(Errors.E211.format(option="--spill-documents", minimum=0))
    return out


_CLEANER: Callable[[Any], tuple[str, str]] | None = None  # read by forked workers (parallel_map)


def _light_cleaner() -> Callable[[Any], tuple[str, str]]:
    from ..decode import decode_bytes
    from ..pipeline import content_id

    def clean(item: Any) -> tuple[str, str]:
        data = item.data
        text = decode_bytes(bytes(data)).text if isinstance(data, (bytes, bytearray)) else data
        raw = text
        if item.is_html:
            text = _TAG.sub("\n", text)
        return text, item.id or content_id(raw)

    return clean


def _pipeline_cleaner() -> Callable[[Any], tuple[str, str]]:
    from ..pipeline import load

    nlp = load(stages=["html", "repair", "normalize"])

    def clean(item: Any) -> tuple[str, str]:
        state = nlp.run_text_stages(item)
        return state.text, state.doc_id or ""

    return clean


def clean_and_fingerprint(item: Any, cleaner: Callable[[Any], tuple[str, str]], deduper: Any) -> tuple[Any, Any]:
    """``((id, source, keep), fingerprint)`` of one document, or ``(..., error message)``: the
    per-document work, done in a worker process (``--workers``) or on a Dask worker (``--dask``)."""
    info = (item.id, item.source, item.keep)
    if item.error:
        return info, item.error
    try:
        text, doc_id = cleaner(item)
        return info, deduper.fingerprint(doc_id, text, source=item.source, date=item.date)
    except Exception as exc:  # noqa: BLE001 - one bad document never stops the batch
        return info, str(exc) if code_of(str(exc)) else Errors.E021.format(exc_type=type(exc).__name__, exc=exc)


_DEDUPER: Any = None  # the fingerprinting deduper, read by forked workers with _CLEANER


def _clean_one(item: Any) -> tuple[Any, Any]:
    assert _CLEANER is not None
    return clean_and_fingerprint(item, _CLEANER, _DEDUPER)


def run(args: argparse.Namespace) -> int:
    global _CLEANER, _DEDUPER
    from ..corpus_dedup import CorpusDeduper
    from ..arrow_schema import DEDUP_RECORD_TYPES
    from ..output import RecordWriter
    from ..pipeline import parallel_map
    from ..stats import Stats

    fmt = output_format(args)
    try:
        check_output_options(args, fmt)
        if args.resume:
            raise UsageError(Errors.E217.format(why="does not apply to dedup: clusters need the whole corpus"))
        settings = _settings(args)
        paths, docs = read_documents(args)
    except ValueError as exc:  # UsageError is a ValueError
        return _usage_error(str(exc))

    dd = CorpusDeduper(**settings)
    if args.dask:
        from ..dask import dask_fingerprints, require

        try:
            require()
            done = dask_fingerprints(docs, args.dask, settings, light=args.light, workers=args.workers,
                                     batch_size=args.batch_size)
        except ImportError as exc:
            return _usage_error(Errors.E219.format(detail=exc))
    else:
        _CLEANER = _light_cleaner() if args.light else _pipeline_cleaner()
        _DEDUPER = CorpusDeduper(**settings)
        done = parallel_map(_clean_one, docs, n_process=args.workers, batch_size=args.batch_size,
                            on_failure=lambda item, message: ((item.id, item.source, item.keep), message))
    # held per document: nothing (the deduper's store keeps id, source and kept fields); per failed
    # document: its error record and position
    errors: list[tuple[int, dict[str, Any]]] = []
    stats = Stats()
    bar = progress_bar(args, "policytext dedup")
    n_docs = 0
    batch: list[tuple[Any, Any]] = []  # fingerprints added BATCH at a time (fewer store queries)
    try:
        for (item_id, source, keep), outcome in done:
            bar.update(1)
            if isinstance(outcome, str):
                rid = item_id or f"error-{n_docs}"
                rec = {"id": rid, "source": source, "cluster": None, "canonical": rid, "reuse": [], "error": outcome}
                errors.append((n_docs, rec if keep is None else {**rec, "meta": keep}))
            else:
                batch.append((outcome, keep))
                if len(batch) >= BATCH:
                    dd.add_fingerprints(batch)
                    batch = []
            n_docs += 1
        dd.add_fingerprints(batch)
        bar.close()
        records = dd.records()
        n_found = dd.cluster_count()
        n_clusters = n_found
        try:
            with RecordWriter(fmt, args.output, bom=args.bom, row_group_size=args.row_group_size,
                              types=DEDUP_RECORD_TYPES) as writer:
                pending = iter(errors)
                nxt = next(pending, None)
                for pos in range(n_docs):
                    if nxt is not None and nxt[0] == pos:
                        rec = nxt[1]
                        rec["cluster"] = f"c{n_clusters}"
                        n_clusters += 1
                        nxt = next(pending, None)
                    else:
                        rec = next(records)
                    writer.write(stats.add_record(rec))
        except OSError as exc:
            return _usage_error(Errors.E218.format(detail=exc))
    finally:
        dd.close()
    failed = len(errors)
    where = f" -> {args.output}" if args.output else ""
    finish_stats(args, stats, f"policytext dedup: {n_docs} document(s), {failed} failed, {n_found} cluster(s){where}")
    return 1 if failed else 0
