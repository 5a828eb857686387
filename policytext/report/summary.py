"""What happened to a document, and to a batch, in numbers: the first screen of a report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..stats import Stats
from .document import ReportDoc
from .fmt import css_name, number, text

__all__ = ["Counts", "doc_counts", "summary_html", "batch_html"]


@dataclass
class Counts:
    """Counters of one document or a batch (counters add up with ``+=``).

    What the stream's counters count too (documents, failures, warnings, claims) is counted by a
    :class:`~policytext.stats.Stats` from the record, as ``policytext tag --stats`` counts it; the
    report adds what it shows besides: edits and removals by stage and kind, characters, entities
    by label and documents per theme."""

    stats: Stats = field(default_factory=Stats)
    raw_chars: int = 0
    clean_chars: int = 0
    edits: Counter = field(default_factory=Counter)      # (stage, kind) -> n
    removed: Counter = field(default_factory=Counter)    # (stage, kind) -> n
    removed_chars: int = 0
    entities: Counter = field(default_factory=Counter)   # label -> n
    themes: Counter = field(default_factory=Counter)     # theme -> documents

    @property
    def documents(self) -> int:
        return self.stats["documents"]["total"]

    @property
    def failed(self) -> int:
        return self.stats["documents"]["failed"]

    @property
    def warnings(self) -> int:
        return sum(self.stats["warnings"].values())

    @property
    def claims(self) -> int:
        return sum(self.stats["claims"].values())

    def __iadd__(self, other: "Counts") -> "Counts":
        self.stats.merge(other.stats)
        for name in ("raw_chars", "clean_chars", "removed_chars"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("edits", "removed", "entities", "themes"):
            getattr(self, name).update(getattr(other, name))
        return self


def doc_counts(doc: ReportDoc) -> Counts:
    rec = doc.record
    c = Counts(clean_chars=len(doc.text))
    c.stats.add_record(dict(rec))  # a copy: add_record takes the private _stats field out
    c.raw_chars = len(doc.raw) if doc.raw is not None else 0
    c.edits.update((e.get("stage", "?"), e.get("kind", "?")) for e in rec.get("edits") or [])
    for r in rec.get("removed") or []:
        c.removed[(r.get("stage", "?"), r.get("kind", "?"))] += 1
        if isinstance(r.get("raw_start"), int) and isinstance(r.get("raw_end"), int):
            c.removed_chars += max(0, r["raw_end"] - r["raw_start"])
    c.entities.update(e.get("label", "?") for e in rec.get("entities") or [])
    c.themes.update((rec.get("themes") or {}).keys())
    return c


def _by_kind(counter: Counter, what: str) -> str:
    if not counter:
        return f'<p class="none">no {what}</p>'
    rows = "".join(
        f'<tr><td><span class="sw st-{css_name(stage)}"></span>{text(stage)}</td><td>{text(kind)}</td>'
        f'<td class="n">{number(n)}</td></tr>'
        for (stage, kind), n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
    return f'<table class="kinds"><thead><tr><th>stage</th><th>{what[:-1] if what.endswith("s") else what} kind</th><th>n</th></tr></thead><tbody>{rows}</tbody></table>'


def _entity_chips(counter: Counter) -> str:
    return "".join(f'<mark class="entity e-{css_name(label)}">{number(n)}<span class="lbl">{text(label)}</span></mark>'
                   for label, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _figures(c: Counts) -> str:
    cells = [("characters raw → clean", f"{number(c.raw_chars)} → {number(c.clean_chars)}" if c.raw_chars else number(c.clean_chars)),
             ("edits", number(sum(c.edits.values()))), ("removals", number(sum(c.removed.values()))),
             ("entities", number(sum(c.entities.values()))), ("claims", number(c.claims)),
             ("warnings", number(c.warnings))]
    if c.documents > 1:
        cells = [("documents", number(c.documents)), ("failed", number(c.failed))] + cells
    return '<dl class="figs">' + "".join(f'<div><dt>{t}</dt><dd>{v}</dd></div>' for t, v in cells) + "</dl>"


def summary_html(doc: ReportDoc) -> str:
    """The document's header: id, source, date, error, figures, edits and removals by kind,
    warnings, entities by label and document themes."""
    rec = doc.record
    c = doc_counts(doc)
    meta = " · ".join(f"{k} <b>{text(rec.get(k))}</b>" for k in ("source", "date") if rec.get(k))
    parts = [f'<div class="meta">{meta}</div>' if meta else ""]
    if rec.get("error"):
        parts.append(f'<div class="err">error: {text(rec["error"])}</div>')
    parts.append(_figures(c))
    if rec.get("warnings"):
        parts.append('<ul class="warn">' + "".join(f"<li>{text(w)}</li>" for w in rec["warnings"]) + "</ul>")
    cols = [f'<div><h4>Edits</h4>{_by_kind(c.edits, "edits")}</div>',
            f'<div><h4>Removals</h4>{_by_kind(c.removed, "removals")}'
            + (f"<p class=\"note\">{number(c.removed_chars)} raw characters removed</p>" if c.removed_chars else "") + "</div>"]
    ents = _entity_chips(c.entities)
    themes = rec.get("themes") or {}
    bars = "".join(f'<div class="tb"><meter min="0" max="1" value="{float(s or 0):.3f}"></meter> '
                   f'<span>{text(t)} {float(s or 0):.2f}</span></div>'
                   for t, s in sorted(themes.items(), key=lambda kv: -float(kv[1] or 0)))
    cols.append(f'<div><h4>Entities</h4><div class="chips">{ents or "<p class=none>none</p>"}</div>'
                f'<h4>Themes</h4>{bars or "<p class=none>none</p>"}</div>')
    parts.append(f'<div class="cols">{"".join(cols)}</div>')
    return f'<div class="sum">{"".join(parts)}</div>'


def batch_html(c: Counts) -> str:
    """The batch's counters: documents, failures, figures, edits and removals by kind,
    entities by label, documents per theme."""
    themes = "".join(f"<tr><td>{text(t)}</td><td class=n>{number(n)}</td></tr>"
                     for t, n in sorted(c.themes.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f'<section class="batch"><h2>Batch</h2>{_figures(c)}<div class="cols">'
            f'<div><h4>Edits</h4>{_by_kind(c.edits, "edits")}</div>'
            f'<div><h4>Removals</h4>{_by_kind(c.removed, "removals")}</div>'
            f'<div><h4>Entities</h4><div class="chips">{_entity_chips(c.entities)}</div>'
            f'<h4>Documents per theme</h4><table class="kinds"><tbody>{themes}</tbody></table></div>'
            f"</div></section>")
