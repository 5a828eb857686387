"""The default theme taxonomy (contract section 6)."""

from __future__ import annotations

__all__ = ["DEFAULT_TAXONOMY", "DEFAULT_LABELS", "OTHER", "ABBREVIATIONS"]

OTHER = "other"

#: id -> Chinese name, in the contract's order
DEFAULT_TAXONOMY: dict[str, str] = {
    "data_institutions": "数据基础制度",
    "data_market": "数据要素市场与流通交易",
    "public_data": "公共数据与政务数据",
    "data_infrastructure": "数据基础设施",
    "computing": "算力与网络设施",
    "ai": "人工智能",
    "datasets_annotation": "高质量数据集与数据标注",
    "digital_economy": "数字经济与数据产业",
    "digital_transformation": "产业数字化转型",
    "digital_government": "数字政府与公共服务",
    "security_governance": "数据安全与治理",
    "international": "国际合作",
    "tech_innovation": "数字技术创新",
    OTHER: "其他",
}
DEFAULT_LABELS: list[str] = list(DEFAULT_TAXONOMY)

#: two-letter codes used in the annotation batch files of ``corpora/themes``
ABBREVIATIONS: dict[str, str] = {
    "DI": "data_institutions", "DM": "data_market", "PD": "public_data", "DF": "data_infrastructure",
    "CP": "computing", "AI": "ai", "DS": "datasets_annotation", "DE": "digital_economy",
    "DT": "digital_transformation", "DG": "digital_government", "SG": "security_governance",
    "IN": "international", "TI": "tech_innovation", "O": OTHER,
}
