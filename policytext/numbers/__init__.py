"""Numbers in Chinese text: parse one number expression, or find every number in a text.

    >>> from policytext.numbers import parse_number, find_numbers
    >>> parse_number("一百二十万三")
    1203000.0
    >>> [(n.text, n.value, n.value_max, n.unit) for n in find_numbers("投资一百二十到一百五十万元")]
    [('一百二十到一百五十万元', 1200000.0, 1500000.0, '元')]

:func:`parse_number` reads one expression (``None`` when it is not one number);
:func:`find_numbers` returns :class:`NumberMention` objects with span, value, unit, qualifier and
range. The claims stage (:mod:`policytext.components.claims`) is built on both.
"""

from .parse import numeral_view, parse_number, parse_number_ex, parse_range, to_halfwidth

__all__ = ["NumberMention", "find_numbers", "numeral_view", "parse_number", "parse_number_ex", "parse_range",
           "to_halfwidth"]


def __getattr__(name: str):
    # find_numbers uses the claims stage's finder (units, qualifiers): imported on first use
    if name in ("find_numbers", "NumberMention"):
        from . import find

        return getattr(find, name)
    raise AttributeError(name)
