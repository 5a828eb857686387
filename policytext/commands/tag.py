"""``policytext tag``: run the pipeline over files, directories, record files or standard input."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Iterable, Iterator

from ..errors import Errors
from ..output import FORMATS
from ._common import (UsageError, add_input_arguments, add_output_arguments, add_pipeline_arguments,
                      add_progress_argument, add_stats_argument, add_worker_arguments, build_pipeline,
                      check_output_options, countable_total, finish_stats, progress_bar, read_documents,
                      usage_error)

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "tag",
        help="clean and annotate documents, one JSON record per document",
        description="Clean and annotate documents. INPUT: .txt/.md/.html files in any common Chinese "
        "encoding, record files (.json, .jsonl, .csv, .parquet) whose fields are named with --text-field, "
        "--html-field, --id-field, --date-field, --source-field (default text, html, id, date, source), "
        "directories (walked recursively) or '-' for standard input. One bad document never stops the "
        "batch: its record carries an 'error' and the exit status is 1.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    add_output_arguments(p, FORMATS)
    add_worker_arguments(p)
    p.add_argument("--dask", metavar="ADDRESS",
                   help="run on a Dask distributed cluster (scheduler ADDRESS, or 'local' for a LocalCluster "
                   "of --workers processes); needs pip install 'policytext[dask]'")
    add_pipeline_arguments(p)
    p.add_argument("--words", action="store_true",
                   help="run the optional words stage: word spans ('words') in each record "
                   "(same as --set words.enabled=true)")
    p.add_argument("--dedup-corpus", action="store_true",
                   help="mark each record with its near-duplicate cluster ('cluster') and the cluster's "
                   "canonical document ('canonical'); records are written when the whole corpus is read")
    add_input_arguments(p)
    add_progress_argument(p)
    add_stats_argument(p)
    p.set_defaults(func=run)


def _usage_error(message: str) -> int:
    return usage_error("tag", message)


def _with_clusters(records: Iterable[dict[str, Any]], bar: Any) -> Iterator[dict[str, Any]]:
    """The records, each with ``cluster`` and ``canonical`` from corpus deduplication. They wait in
    a temporary JSON Lines file, not in memory, while the deduper (whose state moves to a SQLite
    file past ``spill_documents``) reads them all, then stream back in input order."""
    import json
    import tempfile

    from ..corpus_dedup import CorpusDeduper

    ids: list[Any] = []  # by position: copies of one text share a content-hash id but are separate inputs
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool, CorpusDeduper() as dd:
        for k, rec in enumerate(records):
            text = rec.get("text") if not rec.get("error") else None
            dd.add(str(k), text if isinstance(text, str) else "", source=rec.get("source"), date=rec.get("date"))
            ids.append(rec.get("id"))
            spool.write(json.dumps(rec, ensure_ascii=False) + "\n")
            bar.update(1)
        bar.close()
        spool.seek(0)
        for line, clustered in zip(spool, dd.records()):
            rec = json.loads(line)
            rec["cluster"] = clustered["cluster"]
            rec["canonical"] = ids[int(clustered["canonical"])]
            yield rec


def _not_done(docs: Iterator[Any], writer: Any) -> Iterator[Any]:
    """Documents whose id an earlier run already wrote are left out before they are processed."""
    for doc in docs:
        if doc.id is not None and writer.done("id:" + str(doc.id)):
            continue
        yield doc


def run(args: argparse.Namespace) -> int:
    from ..output import RecordWriter, record_key
    from ..stats import Stats
    from ._common import output_format

    fmt = output_format(args)
    try:
        check_output_options(args, fmt)
        if args.resume and args.dedup_corpus:
            raise UsageError(Errors.E217.format(why="cannot be used with --dedup-corpus (clusters need the whole corpus)"))
        paths, docs = read_documents(args)
        if args.words:
            args.settings = [*args.settings, "words.enabled=true"]
        nlp = build_pipeline(args)
    except UsageError as exc:
        return _usage_error(str(exc))
    try:
        writer = RecordWriter(fmt, args.output, bom=args.bom, resume=args.resume, row_group_size=args.row_group_size)
    except (OSError, ValueError) as exc:
        return _usage_error(Errors.E218.format(detail=exc))

    nlp.collect_stats = True
    stats = Stats()
    bar = progress_bar(args, "policytext tag", countable_total(paths))
    if args.resume:
        docs = _not_done(docs, writer)
    if args.dask:
        from ..dask import dask_records, require

        try:
            require()
            records = dask_records(nlp, docs, args.dask, workers=args.workers, batch_size=args.batch_size)
        except ImportError as exc:
            return _usage_error(Errors.E219.format(detail=exc))
    else:
        # files are read as fast as they are processed: batch the doc stages; standard input may
        # be a live stream, whose records must come out one by one
        records = nlp.pipe_records(docs, batch_size=args.batch_size, n_process=args.workers,
                                   batch_docs="-" not in args.inputs)
    if args.dedup_corpus:
        records = _with_clusters(records, bar)
        bar = progress_bar(args, "policytext tag", None)
        bar.disable = True
    failed = total = skipped = 0
    try:
        with writer:
            for rec in records:
                if args.resume and writer.done(record_key(rec)):
                    skipped += 1
                    continue
                writer.write(stats.add_record(rec))
                total += 1
                if rec.get("error"):
                    failed += 1
                bar.update(1)
    except OSError as exc:
        bar.close()
        print(f"policytext tag: error: {Errors.E218.format(detail=exc)}", file=sys.stderr)
        return 2
    bar.close()
    where = f" -> {args.output}" if args.output else ""
    resumed = f" ({len(writer.done_keys)} already there)" if args.resume else ""
    finish_stats(args, stats, f"policytext tag: {total} document(s), {failed} failed{where}{resumed}")
    return 1 if failed else 0
