"""Arrow types of the record fields, derived from the contract's JSON Schema.

Parquet output stores nested fields (``entities``, ``claims``, ``paragraphs``...) as Arrow
``list<struct>`` columns and score dicts (``themes``) as ``map<string, double>``, so pandas, pyarrow
and DuckDB read them without parsing JSON. The types come from ``schema/result.schema.json``, so
they follow the contract when it changes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import pyarrow as pa

__all__ = ["record_arrow_fields", "arrow_type", "claims_record_types", "DEDUP_RECORD_TYPES", "json_string_type"]

#: Fields whose values are free-form (user metadata): stored as JSON text.
json_string_type = pa.string()

#: Keys some stages add beyond the contract's required ones (range claims carry ``value_max``).
_EXTRA_PROPERTIES = {"claims": {"value_max": pa.float64()}}


def _schema() -> dict[str, Any]:
    return json.loads(resources.files("policytext.schema").joinpath("result.schema.json").read_text(encoding="utf-8"))


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _resolve(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    if "allOf" in node:
        merged: dict[str, Any] = {"type": "object", "properties": {}}
        for part in node["allOf"]:
            merged["properties"].update(_resolve(part, defs).get("properties", {}))
        return merged
    return node


def arrow_type(node: dict[str, Any], defs: dict[str, Any], extra: dict[str, pa.DataType] | None = None) -> pa.DataType:
    """The Arrow type of a JSON Schema node (objects with properties: struct; objects with
    ``additionalProperties``: map; arrays: list; enums: string)."""
    node = _resolve(node, defs)
    if "const" in node:
        return pa.int64() if isinstance(node["const"], int) else pa.string()
    if "enum" in node:
        return pa.string()
    types = node.get("type")
    kinds = [t for t in (types if isinstance(types, list) else [types]) if t != "null"]
    kind = kinds[0] if kinds else None
    if kind == "array":
        return pa.list_(arrow_type(node.get("items", {}), defs, extra))
    if kind == "object":
        props = node.get("properties")
        if props:
            fields = [pa.field(k, arrow_type(v, defs)) for k, v in props.items()]
            fields += [pa.field(k, t) for k, t in (extra or {}).items() if k not in props]
            return pa.struct(fields)
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            return pa.map_(pa.string(), arrow_type(values, defs))
        return json_string_type
    return {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}.get(
        kind, pa.string())


@lru_cache(maxsize=1)
def record_arrow_fields() -> dict[str, pa.DataType]:
    """Arrow type of every field of the contract record (``meta``: JSON text)."""
    schema = _schema()
    defs = schema.get("$defs", {})
    out = {name: arrow_type(node, defs, _EXTRA_PROPERTIES.get(name)) for name, node in schema["properties"].items()}
    out["meta"] = json_string_type
    out["cluster"] = pa.string()
    out["canonical"] = pa.string()
    return out


def claims_record_types() -> dict[str, pa.DataType]:
    """``policytext claims`` records: a document's claims with its id, source and date."""
    return {"id": pa.string(), "source": pa.string(), "date": pa.string(), "claims": record_arrow_fields()["claims"],
            "error": pa.string(), "meta": json_string_type}


#: ``policytext dedup`` records (contract section 3).
DEDUP_RECORD_TYPES = {
    "id": pa.string(), "source": pa.string(), "cluster": pa.string(), "canonical": pa.string(),
    "reuse": pa.list_(pa.struct([pa.field("other", pa.string()), pa.field("share", pa.float64()),
                                 pa.field("relation", pa.string())])),
    "error": pa.string(), "meta": json_string_type,
}
