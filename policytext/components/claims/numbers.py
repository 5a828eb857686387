"""Number parsing for the claims stage: re-exported from :mod:`policytext.numbers` (kept for imports).

``parse_number("三十万亿") -> 3e13``, ``parse_number("5.86万亿") -> 5.86e12``,
``parse_number("1,234.5") -> 1234.5``, ``parse_number("１２３") -> 123``.
"""

from __future__ import annotations

from policytext.numbers.parse import numeral_view, parse_number, parse_number_ex, parse_range, to_halfwidth
from policytext.numbers.tables import DIGITS as CN_DIGITS
from policytext.numbers.tables import MAGNITUDES

__all__ = ["parse_number", "parse_number_ex", "parse_range", "to_halfwidth", "numeral_view", "CN_DIGITS",
           "MAGNITUDES"]
