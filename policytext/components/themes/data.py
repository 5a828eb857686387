"""Read labelled data for training and evaluation.

Accepted (detected from the content):

* JSON Lines / JSON list of ``{"text": ..., "labels": [...]}`` (``labels`` may also be ``label``,
  a list or a string separated by ``,`` ``;`` ``|``);
* CSV/TSV with a ``text`` column and a ``labels`` (or ``label``) column (same separators);
* Label Studio exports: full JSON (``[{"data": {"text": ...}, "annotations": [{"result": [...]}]}]``,
  choices from the latest annotation that was not cancelled) and JSON-MIN (multiple choices
  ``{"theme": {"choices": [...]}}`` or a single choice ``{"theme": "finance"}``);
* doccano text-classification exports (JSONL with ``text`` and ``label``: a list of strings);
* the project's own corpus file ``corpora/themes/annotations.jsonl`` (rows with ``ref`` and no text
  are rebuilt from ``../shared/data``, see :mod:`.corpus`).

Every reader returns a list of ``{"text": str, "labels": list[str], ...}``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ...errors import Errors

__all__ = ["read_labelled", "parse_labels", "LabelledDataError", "describe_skipped"]

_SPLIT = re.compile(r"[,;|，；、]\s*")


class LabelledDataError(ValueError):
    """The file is not labelled data in a format we read."""


def parse_labels(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [x.strip() for x in _SPLIT.split(value) if x.strip()]
    if isinstance(value, dict) and "choices" in value:
        return parse_labels(value["choices"])
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            if isinstance(v, (list, tuple)):
                raise LabelledDataError(Errors.E420)
            out.extend(parse_labels(v))
        return out
    return [str(value)]


def _label_studio_row(task: dict, skipped: Counter) -> dict | None:
    data = task.get("data") or {}
    text = data.get("text")
    if text is None:
        text = next((v for v in data.values() if isinstance(v, str)), None)
    if text is None:
        skipped["no_text"] += 1
        return None
    all_anns = task.get("annotations") or task.get("completions") or []
    anns = [a for a in all_anns if not a.get("was_cancelled")]
    if not anns:
        skipped["cancelled" if all_anns else "unannotated"] += 1
        return None
    ann = max(anns, key=lambda a: (a.get("updated_at") or a.get("created_at") or "", a.get("id") or 0))
    labels: list[str] = []
    for item in ann.get("result") or []:
        value = item.get("value") or {}
        for key in ("choices", "taxonomy", "labels"):
            if key in value:
                v = value[key]
                if key == "taxonomy":  # list of paths
                    v = [p[-1] if isinstance(p, list) and p else p for p in v]
                labels.extend(parse_labels(v))
    return {"text": text, "labels": labels, "id": task.get("id")}


#: fields Label Studio's JSON-MIN export adds beside the task data and the control's value
JSON_MIN_META = frozenset({"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time",
                           "was_cancelled", "split", "meta", "drafts", "predictions"})


def _json_min_choice(obj: dict) -> Any:
    """The value of the choices control in a Label Studio JSON-MIN row, or None.

    Multiple choices export as ``{"theme": {"choices": ["a", "b"]}}``, a single choice as a plain
    string ``{"theme": "finance"}``. A plain string is taken only from an annotated row (one with
    ``annotation_id``/``annotator``/``lead_time``) and only when exactly one such field is left
    besides ``text`` and the export's metadata (otherwise the field is ambiguous)."""
    choice = next((v for v in obj.values() if isinstance(v, dict) and "choices" in v), None)
    if choice is not None:
        return choice
    if not any(k in obj for k in ("annotation_id", "annotator", "lead_time")):
        return None
    rest = [v for k, v in obj.items() if k != "text" and k not in JSON_MIN_META
            and (isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)))]
    return rest[0] if len(rest) == 1 else None


def _generic_row(obj: dict, skipped: Counter) -> dict | None:
    if "text" not in obj or not isinstance(obj["text"], str):
        skipped["no_text"] += 1
        return None
    if obj.get("was_cancelled"):
        skipped["cancelled"] += 1
        return None
    for key in ("labels", "label", "cats", "choices", "themes"):
        if key in obj:
            value = obj[key]
            if isinstance(value, dict) and key == "cats":  # spaCy-style {"label": 1.0}
                value = [k for k, v in value.items() if v and float(v) >= 0.5]
            row = {"text": obj["text"], "labels": parse_labels(value)}
            break
    else:
        # Label Studio JSON-MIN: the choices control's field, {"choices": [...]} or one string
        choice = _json_min_choice(obj)
        if choice is None:
            skipped["unannotated"] += 1
            return None
        row = {"text": obj["text"], "labels": parse_labels(choice)}
    for key in ("id", "split"):
        if key in obj:
            row[key] = obj[key]
    return row


def _from_objects(objs: list[Any], skipped: Counter) -> list[dict]:
    rows = []
    for obj in objs:
        if not isinstance(obj, dict):
            raise LabelledDataError(Errors.E421)
        if "data" in obj and ("annotations" in obj or "completions" in obj):
            row = _label_studio_row(obj, skipped)
        elif "ref" in obj and "labels" in obj and "text" not in obj:
            raise LabelledDataError(Errors.E422)
        else:
            row = _generic_row(obj, skipped)
        if row is not None:
            rows.append(row)
    return rows


def _read_csv(text: str, delimiter: str | None = None, skipped: Counter | None = None) -> list[dict]:
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise LabelledDataError(Errors.E423)
    col = "labels" if "labels" in reader.fieldnames else ("label" if "label" in reader.fieldnames else None)
    if col is None:
        raise LabelledDataError(Errors.E424)
    rows = []
    for rec in reader:
        if rec.get("text"):
            row = {"text": rec["text"], "labels": parse_labels(rec.get(col))}
            if rec.get("split"):
                row["split"] = rec["split"]
            rows.append(row)
        elif skipped is not None:
            skipped["no_text"] += 1
    return rows


def _is_corpus_file(first_obj: Any) -> bool:
    return isinstance(first_obj, dict) and "ref" in first_obj and "labels" in first_obj


SKIP_REASONS = {"cancelled": "cancelled", "unannotated": "without an annotation", "no_text": "without text"}


def describe_skipped(skipped: Counter | dict) -> str:
    """``"3 cancelled, 5 without an annotation"`` (empty string when nothing was skipped)."""
    return ", ".join(f"{skipped[k]} {v}" for k, v in SKIP_REASONS.items() if skipped.get(k))


def read_labelled(path: str | Path, data_dir: str | Path | None = None,
                  skipped: Counter | None = None) -> list[dict]:
    """Labelled rows from a file (format detected from content; see the module docstring).

    Rows that carry no label are left out and counted in ``skipped`` (a Counter, if given) by
    reason: ``cancelled`` (Label Studio annotations all cancelled/skipped), ``unannotated`` (a task
    nobody labelled), ``no_text``. A file with no labelled row raises :class:`LabelledDataError`
    naming those counts."""
    path = Path(path)
    skipped = Counter() if skipped is None else skipped
    text = path.read_text(encoding="utf-8-sig")
    stripped = text.lstrip()
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv") or not stripped.startswith(("{", "[")):
        rows = _read_csv(text, "\t" if suffix == ".tsv" else None, skipped)
    elif stripped.startswith("["):
        try:
            objs = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise LabelledDataError(Errors.E425.format(path=path, detail=exc)) from None
        rows = _from_objects(objs, skipped)
    else:
        objs = []
        for n, line in enumerate(text.split("\n"), 1):  # JSON Lines: \n only (strings may hold U+2028)
            if line.strip():
                try:
                    objs.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise LabelledDataError(Errors.E426.format(path=path, lineno=n, detail=exc)) from None
        if objs and _is_corpus_file(objs[0]):
            from .corpus import load_corpus

            return load_corpus(path, data_dir)
        rows = _from_objects(objs, skipped)
    if not rows:
        why = describe_skipped(skipped)
        raise LabelledDataError(Errors.E427.format(path=path, skipped=f" (skipped: {why})" if why else ""))
    return rows
