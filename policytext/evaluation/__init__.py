"""Evaluation commands, ``python -m policytext.evaluation.<stage>`` (P/R/F1 on held-out data).

Not part of the library's run-time API: they read the repository's ``corpora/`` and the
third-party corpora in ``../shared/data``, so they run from a checkout of the repository (``git
clone``; ``pip install -e .``), and the wheel leaves this package out. A missing file stops a
command with an error naming it (:mod:`policytext.evaluation._data`). See docs/architecture.md.
"""
