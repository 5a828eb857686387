"""The contract's nine entity labels (contract section 4)."""

LABELS = ("PERSON", "ORG", "GPE", "LOC", "LAW", "PROGRAM", "EVENT", "TITLE", "DATE")
