"""Multi-label metrics, a text report and a chart (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .taxonomy import OTHER

__all__ = ["multilabel_metrics", "format_report", "save_chart", "check_targets", "chart_label_names", "font_covering", "confusion_counts"]


def _prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def multilabel_metrics(Y: np.ndarray, pred: np.ndarray, labels: Sequence[str]) -> dict[str, Any]:
    """Per-label precision/recall/F1/support, micro (all labels), micro over themes only (without
    ``other``), macro over labels with support, exact-match ratio."""
    Y = np.asarray(Y, dtype=bool)
    pred = np.asarray(pred, dtype=bool)
    per = {}
    tps = fps = fns = 0.0
    tpt = fpt = fnt = 0.0
    for k, lab in enumerate(labels):
        tp = float(np.sum(Y[:, k] & pred[:, k]))
        fp = float(np.sum(~Y[:, k] & pred[:, k]))
        fn = float(np.sum(Y[:, k] & ~pred[:, k]))
        p, r, f = _prf(tp, fp, fn)
        per[lab] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                    "support": int(Y[:, k].sum()), "predicted": int(pred[:, k].sum())}
        tps, fps, fns = tps + tp, fps + fp, fns + fn
        if lab != OTHER:
            tpt, fpt, fnt = tpt + tp, fpt + fp, fnt + fn
    mp, mr, mf = _prf(tps, fps, fns)
    tp_, tr_, tf_ = _prf(tpt, fpt, fnt)
    with_support = [v["f1"] for v in per.values() if v["support"] > 0]
    return {
        "per_label": per,
        "micro": {"precision": round(mp, 4), "recall": round(mr, 4), "f1": round(mf, 4)},
        "micro_themes": {"precision": round(tp_, 4), "recall": round(tr_, 4), "f1": round(tf_, 4)},
        "macro_f1": round(float(np.mean(with_support)), 4) if with_support else 0.0,
        "exact_match": round(float(np.mean(np.all(Y == pred, axis=1))), 4) if len(Y) else 0.0,
        "n": int(len(Y)),
    }


def format_report(metrics: dict[str, Any], title: str | None = None) -> str:
    lines = []
    if title:
        lines.append(title)
    lines.append(f"{'label':24s} {'prec':>6s} {'rec':>6s} {'f1':>6s} {'support':>8s}")
    for lab, m in metrics["per_label"].items():
        lines.append(f"{lab:24s} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:8d}")
    mi, mt = metrics["micro"], metrics["micro_themes"]
    lines.append(f"{'micro (all labels)':24s} {mi['precision']:6.3f} {mi['recall']:6.3f} {mi['f1']:6.3f} {metrics['n']:8d}")
    lines.append(f"{'micro (themes only)':24s} {mt['precision']:6.3f} {mt['recall']:6.3f} {mt['f1']:6.3f}")
    lines.append(f"{'macro F1':24s} {'':6s} {'':6s} {metrics['macro_f1']:6.3f}")
    lines.append(f"{'exact match':24s} {'':6s} {'':6s} {metrics['exact_match']:6.3f}")
    return "\n".join(lines)


def check_targets(metrics: dict[str, Any], micro_target: float = 0.85, label_target: float = 0.70,
                  min_support: int = 20) -> dict[str, Any]:
    """The issue's targets: micro-F1 >= 0.85 and F1 >= 0.70 for labels with >= 20 test paragraphs."""
    weak = {lab: m["f1"] for lab, m in metrics["per_label"].items()
            if m["support"] >= min_support and m["f1"] < label_target}
    return {"micro_f1": metrics["micro"]["f1"], "micro_ok": metrics["micro"]["f1"] >= micro_target,
            "labels_below_target": weak, "labels_ok": not weak}


NONE_LABEL = "(none)"


def confusion_counts(Y: np.ndarray, pred: np.ndarray, labels: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Gold x predicted co-occurrence counts and row shares, ``(axis_labels, counts, share)``.
    A taxonomy without ``other`` gets a :data:`NONE_LABEL` row (paragraphs with no gold label)
    and column (paragraphs given no label), so nothing drops out of the matrix."""
    Y = np.asarray(Y, dtype=float)
    pred = np.asarray(pred, dtype=float)
    axis = list(labels)
    if OTHER not in axis:
        Y = np.hstack([Y, (Y.sum(axis=1) == 0).astype(float).reshape(-1, 1)])
        pred = np.hstack([pred, (pred.sum(axis=1) == 0).astype(float).reshape(-1, 1)])
        axis.append(NONE_LABEL)
    counts = Y.T @ pred
    support = Y.sum(axis=0).reshape(-1, 1)
    share = np.divide(counts, support, out=np.zeros_like(counts), where=support > 0)
    return axis, counts, share


def font_covering(text: str) -> str | None:
    """Path of a font known to matplotlib that has a glyph for every character of ``text``
    (None if there is none: no CJK font installed, for instance). Nothing is downloaded."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    needed = {ord(ch) for ch in text if not ch.isspace()}
    if not needed:
        return None
    for entry in font_manager.fontManager.ttflist:
        if "last resort" in entry.name.lower() or "lastresort" in Path(entry.fname).name.lower():
            continue  # maps every code point to a placeholder box: not a real glyph
        try:
            charmap = FT2Font(entry.fname).get_charmap()
        except Exception:  # unreadable font file: try the next
            continue
        if needed.issubset(charmap):
            return entry.fname
    return None


def chart_label_names(labels: Sequence[str]) -> tuple[list[str], str | None, str | None]:
    """Names to draw for ``labels``: ``(names, font_path, note)``. Labels that only need ASCII are
    drawn as they are. Other labels (Chinese ids) are drawn with a font that covers them when
    matplotlib knows one; otherwise as pinyin (``财政`` -> ``caizheng``), and ``note`` says so."""
    labels = [str(x) for x in labels]
    if all(lab.isascii() for lab in labels):
        return labels, None, None
    font = font_covering("".join(labels))
    if font is not None:
        return labels, font, None
    from pypinyin import lazy_pinyin

    names = [lab if lab.isascii() else "".join(lazy_pinyin(lab)) for lab in labels]
    return names, None, "no font with these characters is installed: label ids shown in pinyin"


def save_chart(metrics: dict[str, Any], Y: np.ndarray, pred: np.ndarray, labels: Sequence[str],
               path: str | Path, title: str = "Theme evaluation") -> Path:
    """Two panels: per-label precision/recall/F1 bars, and a gold x predicted co-occurrence matrix
    (row-normalised: share of paragraphs with gold label *i* that were assigned label *j*). For a
    taxonomy without ``other`` the matrix has a ``(none)`` row and column: paragraphs with no gold
    label, and paragraphs the model gave no label. Chinese label ids are drawn with a CJK font if
    matplotlib has one, else in pinyin (with a note on the chart)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    Y = np.asarray(Y, dtype=float)
    pred = np.asarray(pred, dtype=float)
    labels = list(labels)
    per = metrics["per_label"]
    names, font_path, note = chart_label_names(labels)
    font = FontProperties(fname=font_path) if font_path else None
    show = dict(zip(labels, names))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(16, 7), gridspec_kw={"width_ratios": [1.1, 1]})
    x = np.arange(len(labels))
    w = 0.27
    for i, key in enumerate(("precision", "recall", "f1")):
        ax1.bar(x + (i - 1) * w, [per[lab][key] for lab in labels], w, label=key)
    ax1.set_xticks(x)
    ax1.set_xticklabels([f"{show[lab]} ({per[lab]['support']})" for lab in labels], rotation=60, ha="right",
                        fontsize=8, fontproperties=font)
    ax1.set_ylim(0, 1.15)
    ax1.axhline(0.7, color="grey", lw=0.8, ls="--")
    ax1.legend(loc="upper left", ncol=3, fontsize=8)
    ax1.set_title(f"per label (micro F1 {metrics['micro']['f1']:.3f}, n={metrics['n']})", fontsize=10)
    axis_labels, counts, share = confusion_counts(Y, pred, labels)
    axis_names = [show.get(lab, lab) for lab in axis_labels]
    im = ax2.imshow(share, cmap="Blues", vmin=0, vmax=1)
    xm = np.arange(len(axis_names))
    ax2.set_xticks(xm)
    ax2.set_yticks(xm)
    ax2.set_xticklabels(axis_names, rotation=60, ha="right", fontsize=8, fontproperties=font)
    ax2.set_yticklabels(axis_names, fontsize=8, fontproperties=font)
    ax2.set_xlabel("predicted")
    ax2.set_ylabel("gold")
    for i in range(len(axis_names)):
        for j in range(len(axis_names)):
            if counts[i, j]:
                ax2.text(j, i, int(counts[i, j]), ha="center", va="center", fontsize=6,
                         color="white" if share[i, j] > 0.5 else "black")
    fig.colorbar(im, ax=ax2, fraction=0.046)
    ax2.set_title("gold x predicted (row share)", fontsize=10)
    if font is None and not title.isascii():  # e.g. a Chinese file name, with no font to draw it
        from pypinyin import lazy_pinyin

        title = "".join(lazy_pinyin(title))
    fig.suptitle(title, fontproperties=font)
    if note:
        fig.text(0.01, 0.01, note, fontsize=8, color="grey")
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
