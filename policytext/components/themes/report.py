"""Multi-label metrics, a text report and a chart (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .taxonomy import OTHER

__all__ = ["multilabel_metrics", "format_report", "save_chart", "check_targets"]


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


def save_chart(metrics: dict[str, Any], Y: np.ndarray, pred: np.ndarray, labels: Sequence[str],
               path: str | Path, title: str = "Theme evaluation") -> Path:
    """Two panels: per-label precision/recall/F1 bars, and a gold x predicted co-occurrence matrix
    (row-normalised: share of paragraphs with gold label *i* that were assigned label *j*)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    Y = np.asarray(Y, dtype=float)
    pred = np.asarray(pred, dtype=float)
    labels = list(labels)
    per = metrics["per_label"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(16, 7), gridspec_kw={"width_ratios": [1.1, 1]})
    x = np.arange(len(labels))
    w = 0.27
    for i, key in enumerate(("precision", "recall", "f1")):
        ax1.bar(x + (i - 1) * w, [per[lab][key] for lab in labels], w, label=key)
    ax1.set_xticks(x)
    ax1.set_xticklabels([f"{lab} ({per[lab]['support']})" for lab in labels], rotation=60, ha="right", fontsize=8)
    ax1.set_ylim(0, 1.15)
    ax1.axhline(0.7, color="grey", lw=0.8, ls="--")
    ax1.legend(loc="upper left", ncol=3, fontsize=8)
    ax1.set_title(f"per label (micro F1 {metrics['micro']['f1']:.3f}, n={metrics['n']})", fontsize=10)
    counts = Y.T @ pred
    support = Y.sum(axis=0).reshape(-1, 1)
    share = np.divide(counts, support, out=np.zeros_like(counts), where=support > 0)
    im = ax2.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax2.set_xticks(x)
    ax2.set_yticks(x)
    ax2.set_xticklabels(labels, rotation=60, ha="right", fontsize=8)
    ax2.set_yticklabels(labels, fontsize=8)
    ax2.set_xlabel("predicted")
    ax2.set_ylabel("gold")
    for i in range(len(labels)):
        for j in range(len(labels)):
            if counts[i, j]:
                ax2.text(j, i, int(counts[i, j]), ha="center", va="center", fontsize=6,
                         color="white" if share[i, j] > 0.5 else "black")
    fig.colorbar(im, ax=ax2, fraction=0.046)
    ax2.set_title("gold x predicted (row share)", fontsize=10)
    fig.suptitle(title)
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
