"""Numeric claims: extraction and normalisation (contract section 5).

Pure functions (no spaCy needed)::

    >>> from policytext.components.claims import extract_claims, parse_number
    >>> parse_number("三十万亿")
    30000000000000.0
    >>> extract_claims("截至6月底，日均Token消耗量已突破30万亿", doc_date="2025-08-14")[0]["time"]
    '2025-06'

Importing this package registers the spaCy factory ``policytext_claims``; :func:`timeline`
lines one metric up across documents and dates.
"""

from .extract import extract_claims, find_numbers, reject_reason, resolve_time
from .numbers import parse_number, parse_number_ex
from .timeline import claims_of, timeline

try:  # the spaCy component (spaCy is a core dependency; the pure functions work without it)
    from .component import ClaimsComponent, make_claims
except ImportError:  # pragma: no cover
    ClaimsComponent = make_claims = None  # type: ignore[assignment]

__all__ = [
    "ClaimsComponent", "claims_of", "extract_claims", "find_numbers", "make_claims",
    "parse_number", "parse_number_ex", "reject_reason", "resolve_time", "timeline",
]
