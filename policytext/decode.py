"""Bytes in any common Chinese encoding -> text, with what was detected and how sure we are.

Order: empty input; byte-order marks (UTF-8, UTF-32, UTF-16); strict UTF-8 (certain); then the
Chinese legacy encodings (GB18030, which covers GBK and GB2312, and Big5-HKSCS, which covers
Big5/cp950) plus UTF-16 without BOM where NUL bytes suggest it, each decoded strictly and scored
for plausibility as Chinese (:func:`policytext.plausibility.chinese_score`). Generic detectors
confuse Chinese encodings, so charset-normalizer is only consulted when no Chinese candidate
decodes cleanly. Bytes that decode under no candidate are replaced with U+FFFD and counted.
Input with NUL bytes is read as UTF-16 when it reads as text; otherwise, when at most 1% of its
bytes are NUL, as the text around them (with a warning: the NULs stay in the raw text and the
``normalize`` stage removes them). Binary input raises :class:`DecodeError`.
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import Errors, Warnings
from .plausibility import chinese_score

__all__ = ["Decoded", "DecodeError", "decode_bytes", "CHINESE_CANDIDATES"]

# Each family is tried in order until one member decodes strictly: cp950 is Big5 as Windows and
# most web pages write it; Big5-HKSCS adds the Hong Kong characters.
CHINESE_CANDIDATES: tuple[tuple[str, ...], ...] = (("gb18030",), ("cp950", "big5hkscs"))
_FALLBACK_EXTRA = {"cp1252", "latin_1", "iso8859_15", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "cp1251", "koi8_r"}
_SAMPLE_BYTES = 65536
_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v", "\x1b"}
# Text with NUL bytes that is not UTF-16 is still read when at most one byte in this many is NUL.
_MAX_NUL_SHARE = 100


class DecodeError(ValueError):
    """The input cannot be read as text (binary data)."""


@dataclass
class Decoded:
    text: str
    encoding: str
    confidence: float
    warnings: list[str] = field(default_factory=list)


def _prefix_decode(data: bytes, encoding: str) -> str | None:
    """Strictly decode a prefix of ``data`` (a truncated final character is allowed)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(data[:_SAMPLE_BYTES], final=False)
    except UnicodeDecodeError:
        return None


def _truncated_tail(data: bytes, encoding: str, exc: UnicodeDecodeError) -> str | None:
    """The text of ``data`` when its only flaw is a last character cut short, with U+FFFD for it."""
    if exc.end != len(data) or len(data) - exc.start > 4:
        return None
    try:
        head = data[: exc.start].decode(encoding)
    except UnicodeDecodeError:
        return None
    return head + "\ufffd"


def _truncation_warning(data: bytes, text: str, encoding: str) -> str:
    cut = len(data) - len(text[:-1].encode(encoding))
    return Warnings.W012.format(cut=cut, encoding=encoding)


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ch < " " and ch not in _CONTROL_OK) or ch == "\x7f")
    return bad / len(sample)


def _check_not_binary(text: str, encoding: str) -> None:
    share = _control_share(text)
    if share > 0.05:
        raise DecodeError(Errors.E011.format(share=share, encoding=encoding))


def _utf16_guess(data: bytes) -> list[str]:
    """UTF-16 byte orders worth trying: NUL bytes present, in the pattern of text code units."""
    sample = data[:4096]
    if len(sample) < 2 or b"\x00" not in sample:
        return []
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd >= even:
        return ["utf-16-le", "utf-16-be"]
    return ["utf-16-be", "utf-16-le"]


_MIN_PLAUSIBLE = -12.5  # mean log-probability below which a reading is not taken as Chinese text


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data``; see the module docstring for the order of decisions."""
    if not data:
        return Decoded("", "empty", 1.0, [Warnings.W001])
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode_with(data, enc, 1.0, [])
    if b"\x00" not in data[:_SAMPLE_BYTES]:
        return _with_nul_warning(_decode_8bit(data), data.count(0))
    utf16 = _utf16_reading(data)
    if utf16 is not None:
        return utf16
    nuls = data.count(0)
    if nuls * _MAX_NUL_SHARE <= len(data):
        # a few stray NUL bytes in text (a bad export or a C string writer): read the text around them
        try:
            return _with_nul_warning(_decode_8bit(data), nuls)
        except DecodeError:
            pass
    raise DecodeError(Errors.E012)


def _with_nul_warning(decoded: Decoded, nuls: int) -> Decoded:
    if nuls:
        decoded.warnings.append(Warnings.W014.format(count=nuls))
    return decoded


def _decode_8bit(data: bytes) -> Decoded:
    """UTF-8, else the most plausible Chinese legacy encoding, else the least damaged reading."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut = _truncated_tail(data, "utf-8", exc)
        if cut is not None:  # valid UTF-8 up to a last character cut short
            _check_not_binary(cut, "utf-8")
            return Decoded(cut, "utf-8", 1.0, [_truncation_warning(data, cut, "utf-8")])
    else:
        _check_not_binary(text, "utf-8")
        return Decoded(text, "utf-8", 1.0, [])
    scored = _scored_readings(data, CHINESE_CANDIDATES)
    if scored:
        return _best_reading(data, scored)
    return _fallback(data)


def _utf16_reading(data: bytes) -> Decoded | None:
    """``data`` as UTF-16 without a byte-order mark, when its NUL bytes fall like text code units
    and one byte order reads as plausible text; None otherwise."""
    scored = _scored_readings(data, [(enc,) for enc in _utf16_guess(data)])
    if scored and scored[0][0] >= _MIN_PLAUSIBLE:
        return _best_reading(data, scored)
    return None


def _scored_readings(data: bytes, families: Iterable[tuple[str, ...]]) -> list[tuple[float, str]]:
    """(plausibility as Chinese, encoding) of the first member of each family that decodes a prefix
    of ``data`` strictly without control codes, best first."""
    scored: list[tuple[float, str]] = []
    for family in families:
        for enc in family:
            sample = _prefix_decode(data, enc)
            if sample is None or _control_share(sample) > 0.05:
                continue
            scored.append((chinese_score(sample), enc))
            break
    scored.sort(reverse=True)
    return scored


def _best_reading(data: bytes, scored: list[tuple[float, str]]) -> Decoded:
    """Decode ``data`` with the best of ``scored``, with a confidence from its margin over the next."""
    best_score, best = scored[0]
    if len(scored) > 1:
        margin = best_score - scored[1][0]
        confidence = 1.0 / (1.0 + math.exp(-3.0 * margin))
        why = f"; {scored[1][1]} scored lower ({scored[1][0]:.2f} vs {best_score:.2f} mean log-probability)"
    else:
        confidence = 0.9
        why = "; the other candidates do not decode"
    if best_score < _MIN_PLAUSIBLE:
        confidence = min(confidence, 0.3)
        why += "; the text does not read as Chinese"
    warning = Warnings.W010.format(encoding=best, confidence=confidence, why=why)
    return _decode_with(data, best, confidence, [warning])


def _decode_with(data: bytes, encoding: str, confidence: float, warnings: list[str]) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        cut = _truncated_tail(data, encoding, exc)
        if cut is not None:
            text = cut
            warnings = warnings + [_truncation_warning(data, cut, encoding)]
        else:
            text = data.decode(encoding, errors="replace")
            warnings = warnings + [_replaced_warning(text, encoding)]
            confidence = min(confidence, 0.5)
    if text.startswith("\ufeff"):
        text = text[1:]
    _check_not_binary(text, encoding)
    return Decoded(text, encoding, confidence, warnings)


def _replaced_warning(text: str, encoding: str) -> str:
    return Warnings.W013.format(count=text.count(chr(0xFFFD)), encoding=encoding)


def _fallback(data: bytes) -> Decoded:
    """No candidate decodes strictly: pick the least damaged reading and count replacements."""
    options: list[tuple[float, str, str]] = []
    names = ["utf-8", "gb18030", "big5hkscs", "cp1252"]
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:_SAMPLE_BYTES]).best()
        if best is not None and best.encoding in _FALLBACK_EXTRA and best.encoding not in names:
            names.append(best.encoding)
    except Exception:  # charset-normalizer is advisory only
        pass
    for enc in names:
        try:
            text = data.decode(enc, errors="replace")
        except LookupError:
            continue
        # U+FFFD is not in the frequency table, so each replaced byte already scores at the floor.
        # A small tie-break prefers the reading with fewer replacements.
        options.append((chinese_score(text) - 0.5 * text.count("\ufffd") / max(1, len(text)), enc, text))
    options.sort(key=lambda o: o[0], reverse=True)
    _, enc, text = options[0]
    _check_not_binary(text, enc)
    warnings = [Warnings.W011.format(encoding=enc)]
    if "\ufffd" in text:
        warnings.append(_replaced_warning(text, enc))
    return Decoded(text, enc, 0.3, warnings)
