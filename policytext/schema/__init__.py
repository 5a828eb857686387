"""The JSON Schema of the contract record, shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any
from ..errors import Errors

__all__ = ["result_schema", "validate_record"]


@lru_cache(maxsize=1)
def result_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one result record."""
    return json.loads(resources.files(__name__).joinpath("result.schema.json").read_text(encoding="utf-8"))


def validate_record(record: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``record`` breaks the contract (needs ``jsonschema``),
    or ``ValueError`` if an offset points outside the record's text."""
    import jsonschema

    jsonschema.validate(record, result_schema())
    n = len(record["text"])
    for field in ("paragraphs", "sentences", "turns", "entities", "claims", "edits"):
        for item in record[field]:
            if not 0 <= item["start"] <= item["end"] <= n:
                raise ValueError(Errors.E604.format(field=field, start=item["start"], end=item["end"], length=n))
    for item in record["entities"] + record["claims"]:
        if record["text"][item["start"]:item["end"]] != item["text"]:
            raise ValueError(Errors.E605.format(text=item["text"]))
