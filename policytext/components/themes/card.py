"""Model card (MODEL_CARD.md) written beside a trained model. Never read when loading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import ThemeModel
from .report import format_report

__all__ = ["write_model_card"]


def _tuning_details(model: ThemeModel) -> str:
    shrink = float(model.meta.get("threshold_shrink", 0.0) or 0.0)
    parts = []
    if shrink:
        parts.append(f"per-label F1-optimal thresholds shrunk {shrink:g} of the way towards one global "
                     "micro-F1-optimal threshold")
    if model.fallback == "best":
        parts.append("fallback `best` (a paragraph with no theme over threshold gets its label with the largest "
                     "score − threshold, possibly `other`)")
    return "; " + "; ".join(parts) if parts else ""


def write_model_card(model: ThemeModel, folder: str | Path, report: dict[str, Any] | None = None,
                     data: str | None = None, extra: str | None = None) -> Path:
    meta = model.meta
    lines = [
        "# Theme model card",
        "",
        f"- **Trained**: {meta.get('trained_at')}",
        f"- **Data**: {data or meta.get('data') or 'not recorded'} ({meta.get('n_train')} labelled texts)",
        f"- **Labels** ({len(model.labels)}): " + ", ".join(f"`{lab}` {model.taxonomy.get(lab, '')}".rstrip()
                                                          for lab in model.labels),
        f"- **Features**: {meta.get('features')}; {meta.get('n_features')} features",
        f"- **Classifier**: one-vs-rest {meta.get('classifier')} (C={meta.get('C')}, class_weight=balanced)"
        + (" — LinearSVC on features scaled by per-label naive-Bayes log-count ratios, folded into plain "
           "linear weights" if meta.get("classifier") == "nbsvm" else "")
        + ", Platt-calibrated scores, one tuned threshold per label",
        f"- **Threshold tuning**: {'cross-validation (out-of-fold scores)' if meta.get('threshold_tuning') == 'cv' else 'dev split'}"
        + _tuning_details(model),
        f"- **Persistence**: `model.json` + `weights.npz` (no pickle); scikit-learn {meta.get('sklearn_version', '?')} at training time",
        "- **Document rule** (pipeline default `share`): a theme's document score is the length-weighted share "
        "of paragraphs about it; themes with a share >= 0.1 belong to the document (`aggregate=\"max\"`: every "
        "paragraph theme, scored by its best paragraph); `other` only when no paragraph has a theme",
        "",
        "## Label support (training data)",
        "",
        "| label | paragraphs | threshold |",
        "|---|---|---|",
    ]
    support = meta.get("label_support", {})
    for k, lab in enumerate(model.labels):
        lines.append(f"| {lab} | {support.get(lab, '?')} | {model.thresholds[k]:.2f} |")
    metrics = (report or {}).get("metrics") or meta.get("metrics")
    if metrics:
        mode = (report or {}).get("mode") or meta.get("threshold_tuning")
        title = ("Cross-validated metrics (thresholds cross-fitted)" if mode == "cv"
                 else "Dev-split metrics (thresholds tuned on the same split: optimistic)")
        lines += ["", f"## {title}", "", "```", format_report(metrics), "```"]
    if extra:
        lines += ["", extra.rstrip()]
    out = Path(folder) / "MODEL_CARD.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
