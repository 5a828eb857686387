"""Decoding real legacy-encoded Chinese bytes, byte-order marks, UTF-16, binary and broken input."""

from __future__ import annotations

import pytest

from policytext.decode import DecodeError, decode_bytes
from policytext.errors import code_of

SIMPLIFIED = "国家数据局局长刘烈宏在会上表示，截至今年6月底，我国已经建设高质量数据集超过3.5万个。\n"
TRADITIONAL = "國家數據局局長劉烈宏在會上表示,截至今年6月底,我國已經建設高質量數據集超過3.5萬個。\n"

PAIRS = [
    ("pku_test_gold.txt", "pku_test_gold.utf8", "gb18030"),
    ("msr_test_gold.txt", "msr_test_gold.utf8", "gb18030"),
    ("as_testing_gold.txt", "as_testing_gold.utf8", "cp950"),
]


@pytest.mark.parametrize("legacy,utf8,encoding", PAIRS)
def test_real_legacy_files_decode_exactly(shared_data, legacy, utf8, encoding):
    folder = shared_data / "sighan2005_icwb2"
    decoded = decode_bytes((folder / "legacy_encodings" / legacy).read_bytes())
    assert decoded.encoding == encoding
    assert decoded.text == (folder / utf8).read_bytes().decode("utf-8-sig")
    assert decoded.warnings and code_of(decoded.warnings[0]) == "W010"


def test_real_big5_hkscs_file(shared_data):
    folder = shared_data / "sighan2005_icwb2"
    decoded = decode_bytes((folder / "legacy_encodings" / "cityu_test_gold.txt").read_bytes())
    expected = (folder / "cityu_test_gold.utf8").read_bytes().decode("utf-8-sig")
    assert decoded.encoding == "big5hkscs"
    # SOURCE.md: one character differs by codec mapping (U+2022 vs U+2027)
    assert sum(a != b for a, b in zip(decoded.text, expected)) == 1


@pytest.mark.parametrize("n_lines", [1, 3, 40])
def test_short_snippets_of_real_files(shared_data, n_lines):
    folder = shared_data / "sighan2005_icwb2"
    for utf8, enc in (("pku_test_gold.utf8", "gb18030"), ("as_testing_gold.utf8", "cp950")):
        lines = (folder / utf8).read_text(encoding="utf-8").splitlines()[10 : 10 + n_lines]
        text = "\n".join(lines)
        assert decode_bytes(text.encode(enc)).text == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_simplified_text_in_every_encoding(encoding):
    assert decode_bytes(SIMPLIFIED.encode(encoding)).text == SIMPLIFIED


@pytest.mark.parametrize("encoding", ["utf-8", "big5", "cp950", "big5hkscs", "utf-16"])
def test_traditional_text_in_every_encoding(encoding):
    assert decode_bytes(TRADITIONAL.encode(encoding)).text == TRADITIONAL


def test_utf8_is_certain_and_silent():
    decoded = decode_bytes(SIMPLIFIED.encode("utf-8"))
    assert decoded.confidence == 1.0 and decoded.warnings == []


def test_legacy_detection_is_reported_with_confidence():
    decoded = decode_bytes(TRADITIONAL.encode("big5"))
    assert decoded.encoding in {"cp950", "big5hkscs"}
    assert code_of(decoded.warnings[0]) == "W010" and "confidence" in decoded.warnings[0]


def test_empty_input_is_a_warning_not_an_error():
    decoded = decode_bytes(b"")
    assert decoded.text == "" and code_of(decoded.warnings[0]) == "W001"


@pytest.mark.parametrize("data", [bytes(range(256)) * 8, b"\x89PNG\r\n\x1a\n" + bytes(300), b"\x00\x01\x02\x03" * 100])
def test_binary_input_raises_clear_error(data):
    with pytest.raises(DecodeError, match=r"^\[E01[12]\] "):
        decode_bytes(data)


def test_undecodable_bytes_are_replaced_and_counted():
    data = "国家数据局 abc".encode("gbk") + b"\xff\xff" + "局长讲话".encode("gbk")
    decoded = decode_bytes(data)
    assert decoded.text.startswith("国家数据局") and decoded.text.endswith("局长讲话")
    assert decoded.text.count("\ufffd") == 2
    assert any(code_of(w) == "W013" and ": 2 replaced" in w for w in decoded.warnings)
    assert decoded.confidence < 0.5


def test_truncated_utf8_keeps_the_rest():
    data = SIMPLIFIED.encode("utf-8")[:-3] + b" ok"  # cuts the final 。 in half
    decoded = decode_bytes(data)
    assert decoded.text.startswith("国家数据局") and decoded.text.endswith(" ok")
    assert "\ufffd" in decoded.text


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5", "utf-16"])
def test_file_cut_mid_character_keeps_its_encoding(encoding):
    """A file cut short inside its last character: same encoding, high confidence, the loss named."""
    text = (SIMPLIFIED if encoding != "big5" else TRADITIONAL).rstrip("\n")  # ends with 。
    data = text.encode(encoding)[:-1]
    decoded = decode_bytes(data)
    assert decoded.text[:-1] == text[:-1] and decoded.text[-1] == "\ufffd"
    assert decoded.confidence >= 0.9
    assert any(code_of(w) == "W012" for w in decoded.warnings)
    assert not any(code_of(w) == "W011" for w in decoded.warnings)


def test_short_utf8_cut_mid_character():
    decoded = decode_bytes(b"\xe6\x95\xb0\xe6\x8d")  # 数 + two bytes of 据
    assert (decoded.text, decoded.encoding, decoded.confidence) == ("数\ufffd", "utf-8", 1.0)
    assert code_of(decoded.warnings[0]) == "W012" and "last 2 byte(s)" in decoded.warnings[0]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_stray_nul_bytes_in_text_are_read_with_a_warning(encoding):
    """A NUL or two in a text file (a bad export) is not binary: read around it, and say so."""
    text = SIMPLIFIED * 3
    data = text.encode(encoding)
    data = data[:30] + b"\x00" + data[30:]
    decoded = decode_bytes(data)
    assert decoded.text.replace("\x00", "") == text and decoded.text.count("\x00") == 1
    assert any(code_of(w) == "W014" and " 1 NUL" in w for w in decoded.warnings)


def test_many_nul_bytes_that_are_not_utf16_are_still_binary():
    data = SIMPLIFIED.encode("utf-8").replace("，".encode(), b"\x00\x00\x00")
    assert data.count(0) * 100 > len(data)
    with pytest.raises(DecodeError, match=r"^\[E012\] "):
        decode_bytes(data)


def test_utf16_without_bom_reading_as_english_is_text():
    text = "The State Council issued a notice on 2024-03-05.\n" * 5
    decoded = decode_bytes(text.encode("utf-16-le"))
    assert decoded.text == text and decoded.encoding == "utf-16-le"
    assert code_of(decoded.warnings[0]) == "W010" and "utf-16-le" in decoded.warnings[0]
