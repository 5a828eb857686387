"""Counters of a stream of records, kept once where the records stream out (datatrove's ``stat_update``).

    stats = Stats()
    for rec in nlp.pipe_records(docs):
        stats.add_record(rec)          # documents, failures by cause, stages skipped, warnings by
        ...                            # code, edits and removals by kind, claims (rejected by reason)
    print(stats.summary("policytext tag"), file=sys.stderr)
    stats.to_dict()                    # what ``--stats FILE`` writes

Everything is counted from the record itself (the contract's fields and the codes of
:mod:`policytext.errors`), so a record from a worker process, a Dask worker or a file counts the same.
The one count a record does not hold, the candidate numbers the claims stage rejected and why, a
pipeline adds as a private ``_stats`` field when its ``collect_stats`` is set; :meth:`Stats.add_record`
takes that field out of the record before it is written.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from .errors import code_of, fields_of

__all__ = ["Stats", "doc_stats", "with_doc_stats", "DOC_STATS_KEY", "RECORD_STATS_FIELD"]

#: ``Doc.user_data`` key under which stages leave per-document counters (``{group: {key: n}}``).
DOC_STATS_KEY = "policytext.stats"
#: The private record field that carries a document's :data:`DOC_STATS_KEY` counters to the stream.
RECORD_STATS_FIELD = "_stats"

#: Counter groups, in the order the summary prints them.
GROUPS = ("documents", "failures", "stages_skipped", "warnings", "edits", "removed", "claims", "claims_rejected",
          "clusters")


def doc_stats(doc: Doc) -> dict[str, dict[str, int]]:
    """The counters a stage may add to for this document (``doc_stats(doc)["claims_rejected"] = {...}``)."""
    return doc.user_data.setdefault(DOC_STATS_KEY, {})


def with_doc_stats(rec: dict[str, Any], doc: Doc) -> dict[str, Any]:
    """``rec`` with the document's stage counters as :data:`RECORD_STATS_FIELD` (when there are any)."""
    counts = doc.user_data.get(DOC_STATS_KEY)
    if counts:
        rec[RECORD_STATS_FIELD] = {group: dict(c) for group, c in counts.items()}
    return rec


class Stats:
    """Named groups of counters (``stats.stat_update("warnings", "W104")``), merged across runs."""

    def __init__(self) -> None:
        self.counters: dict[str, Counter[str]] = {}

    def stat_update(self, group: str, key: str, value: int = 1) -> None:
        """Add ``value`` to counter ``key`` of ``group``."""
        self.counters.setdefault(group, Counter())[key] += value

    def __getitem__(self, group: str) -> Counter[str]:
        return self.counters.get(group, Counter())

    def merge(self, other: "Stats") -> "Stats":
        for group, counter in other.counters.items():
            self.counters.setdefault(group, Counter()).update(counter)
        return self

    def add_record(self, rec: dict[str, Any]) -> dict[str, Any]:
        """Count one record (a contract record, or the smaller record of ``claims``/``dedup``) and
        return it without the private :data:`RECORD_STATS_FIELD`."""
        extra = rec.pop(RECORD_STATS_FIELD, None)
        self.stat_update("documents", "total")
        error = rec.get("error")
        if error:
            self.stat_update("documents", "failed")
            self.stat_update("failures", code_of(error) or "uncoded")
        for warning in rec.get("warnings") or ():
            code = code_of(warning)
            self.stat_update("warnings", code or "uncoded")
            if code == "W020":
                self.stat_update("stages_skipped", str(fields_of(warning).get("name", "?")).strip("'\""))
        for group in ("edits", "removed"):
            for item in rec.get(group) or ():
                self.stat_update(group, str(item.get("kind")))
        for claim in rec.get("claims") or ():
            self.stat_update("claims", str(claim.get("kind")))
        if rec.get("cluster") is not None:
            self.stat_update("clusters", "documents")
            for reuse in rec.get("reuse") or ():
                self.stat_update("clusters", str(reuse.get("relation")))
        for group, counts in (extra or {}).items():
            for key, n in counts.items():
                self.stat_update(group, str(key), int(n))
        return rec

    def to_dict(self) -> dict[str, dict[str, int]]:
        """Plain JSON data: ``{group: {key: count}}``, groups in :data:`GROUPS` order, keys by count."""
        order = [g for g in GROUPS if g in self.counters] + sorted(set(self.counters) - set(GROUPS))
        return {g: dict(sorted(self.counters[g].items(), key=lambda kv: (-kv[1], kv[0]))) for g in order}

    def write_json(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def summary(self, head: str) -> str:
        """``head`` and one line per non-empty group: ``  warnings: W010 3, W104 1``."""
        lines = [head]
        for group, counts in self.to_dict().items():
            if group == "documents" or not counts:
                continue
            shown = list(counts.items())
            more = f", ... ({len(shown) - 12} more)" if len(shown) > 12 else ""
            lines.append(f"  {group}: " + ", ".join(f"{k} {n}" for k, n in shown[:12]) + more)
        return "\n".join(lines)
