"""Annotating stages: spaCy components that read ``doc.text`` and set ``Doc._`` values."""
