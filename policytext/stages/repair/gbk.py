"""Byte-level helpers for GBK mojibake: encode a character back to the bytes a GBK decoder saw.

Scraped pages are decoded by browsers and Windows code page 936, which map GBK's user-defined
areas and the row FE50-FEA0 to private-use code points (U+E000-U+E864). Python's gb18030 codec
knows the user-defined areas; the FE50-FEA0 row is added here in code page 936's order. Full-width
ASCII (row A3) may have been folded to ASCII after decoding, so ASCII punctuation inside a
mojibake span can stand for its full-width twin.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["gbk_bytes", "decode_pair", "lead_candidates", "trail_candidates", "is_pua", "PUA_TO_GBK"]


def is_pua(ch: str) -> bool:
    return 0xE000 <= ord(ch) <= 0xF8FF


def _build_pua_table() -> dict[str, bytes]:
    table: dict[str, bytes] = {}
    trails = list(range(0x40, 0x7F)) + list(range(0x80, 0xFF))
    for lead in range(0x81, 0xFF):
        for trail in trails:
            b = bytes((lead, trail))
            try:
                ch = b.decode("gb18030")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and is_pua(ch):
                table.setdefault(ch, b)
    # cp936: FE50..FEA0 (skipping FE7F) -> U+E815..U+E864, in order.
    cp = 0xE815
    for trail in list(range(0x50, 0x7F)) + list(range(0x80, 0xA1)):
        table.setdefault(chr(cp), bytes((0xFE, trail)))
        cp += 1
    return table


PUA_TO_GBK: dict[str, bytes] = _build_pua_table()


@lru_cache(maxsize=65536)
def gbk_bytes(ch: str) -> bytes | None:
    """The two GBK bytes a double-byte character came from, or None (ASCII, not in GBK...)."""
    if ord(ch) < 0x80:
        return None
    b = PUA_TO_GBK.get(ch)
    if b is not None:
        return b
    try:
        b = ch.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return b if len(b) == 2 else None


@lru_cache(maxsize=65536)
def decode_pair(lead: int, trail: int) -> str | None:
    """The character of a GBK byte pair, or None when undefined or private-use."""
    if not (0x81 <= lead <= 0xFE) or not (0x40 <= trail <= 0xFE) or trail == 0x7F:
        return None
    try:
        ch = bytes((lead, trail)).decode("gb18030")
    except UnicodeDecodeError:
        return None
    if len(ch) != 1 or is_pua(ch):
        return None
    return ch


@lru_cache(maxsize=512)
def lead_candidates(trail: int) -> tuple[str, ...]:
    """Every character whose GBK trail byte is ``trail`` (the lead byte was lost)."""
    out = []
    for lead in range(0x81, 0xFF):
        ch = decode_pair(lead, trail)
        if ch is not None:
            out.append(ch)
    return tuple(out)


@lru_cache(maxsize=512)
def trail_candidates(lead: int) -> tuple[str, ...]:
    """Every character whose GBK lead byte is ``lead`` (the trail byte was lost)."""
    out = []
    for trail in list(range(0x40, 0x7F)) + list(range(0x80, 0xFF)):
        ch = decode_pair(lead, trail)
        if ch is not None:
            out.append(ch)
    return tuple(out)
