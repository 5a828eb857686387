"""GBK decoded one byte off where a byte pair was lost inside the span (issue #17).

When the pair a decoder one byte off reads between two characters (the trail byte of one, the
lead byte of the next) falls in a user-defined area of GBK (``十`` = CA AE, then ``四`` = CB C4:
the pair AE CB), the page shows a private-use code point there; scrapers often drop it. Both
bytes are gone, and realigning glues the lead byte of the first character to the trail byte of
the second: ``十四`` -> ``誓`` (CA C4), ``“十四五”`` -> ``“誓五”``. Such a character must not be
output as if repaired: it is left as U+FFFD inside the span's edit, whose note says so and whose
confidence is low. The damage is built here from the bytes of the sentences below (written for
this test).
"""

from __future__ import annotations

import pytest

from policytext.stages.repair import RepairStage
from policytext.stages.repair.gbk import decode_pair
from policytext.state import TextState


def one_byte_off(clean: str, drop_private_use: bool) -> str:
    """``clean`` as a GBK decoder one byte off shows it: the lead byte of its first character
    lost (``?``), then pairs read across characters until an ASCII byte; full-width ASCII folded.
    A pair in a user-defined area is a private-use character, or nothing when ``drop_private_use``
    (what a scraper that strips them leaves)."""
    b = clean.encode("gbk")
    out, i = ["?"], 1
    while i < len(b):
        if b[i] < 0x80:
            out.append(chr(b[i]))
            i += 1
            continue
        if i + 1 >= len(b) or b[i + 1] < 0x40:
            out.append("?")  # the trail byte of the span's last character, alone
            i += 1
            continue
        ch = decode_pair(b[i], b[i + 1])
        if ch is None:
            ch = "" if drop_private_use else bytes(b[i : i + 2]).decode("gb18030")
        out.append("!" if ch == "！" else chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch)
        i += 2
    return "".join(out)


def repair(text: str) -> TextState:
    st = TextState(raw=text)
    RepairStage()(st)
    return st


LEFT = "全省防灾减灾救灾能力大幅提升"
CASES = [
    # (the damaged stretch, what follows it, the characters a lost pair glues together, text that
    # must come out realigned after the hole)
    ("。“十四五”“十五五”时期", "2025年以前完成。", ("十四", "十五"), "五”“"),
    # three pairs lost (十四, 划纲, 要明): the first two are flagged; the whole span has a low confidence
    ("。“十四五”规划纲要明确", "3项重点任务。", ("十四", "划纲"), "五”规"),
    ("，今年共完成四十五个重点项目", "2024年再建一批。", ("十五",), "个重点项"),
]


@pytest.mark.parametrize("stretch,after,glued,kept", CASES)
def test_a_pair_lost_inside_the_span_is_flagged_not_glued(stretch, after, glued, kept):
    clean = LEFT + stretch + after
    damaged = LEFT + one_byte_off(stretch + after[0], drop_private_use=True) + after[1:]
    st = repair(damaged)
    recs = [r for r in st.records if r.edit.kind == "mojibake_gbk_misaligned"]
    assert recs, damaged
    note = " ".join(r.edit.note or "" for r in recs)
    assert "lost inside the span" in note and all(g in note for g in glued)  # the likely reading is named
    assert all(r.edit.confidence <= 0.3 for r in recs if "lost inside" in (r.edit.note or ""))
    assert "\ufffd\ufffd" in st.text
    assert any(w.startswith("[W104]") and "U+FFFD" in w for w in st.warnings), st.warnings
    # what the realignment glued is not in the output (誓 = 十四, 叔 = 十五, ...)
    for g in glued:
        b = g.encode("gbk")
        assert decode_pair(b[0], b[3]) not in st.text
    # the rest of the span is realigned
    assert kept in st.text and st.text.startswith(LEFT) and st.text.endswith(after[1:])


@pytest.mark.parametrize("stretch,after,glued,kept", CASES)
def test_the_same_span_with_its_private_use_characters_is_realigned_without_a_flag(stretch, after, glued, kept):
    clean = LEFT + stretch + after
    damaged = LEFT + one_byte_off(stretch + after[0], drop_private_use=False) + after[1:]
    assert any("\ue000" <= c <= "\uf8ff" for c in damaged)
    st = repair(damaged)
    assert not any("lost inside" in (r.edit.note or "") for r in st.records)
    # the middle of the span (all but the characters whose own bytes were lost) is the clean text
    assert st.text[len(LEFT) + 1 : len(clean) - len(after) - 1] == clean[len(LEFT) + 1 : len(clean) - len(after) - 1]
