"""The published list of edit kinds: every ``kind`` the shipped text stages put in a record's
``edits`` and ``removed``, with the stage that emits it and one line on what it means.

The contract's ``kind`` is a string (a user's own text stage may add kinds of its own); this list is
what the shipped stages emit, and a test runs them over the samples and test fixtures to keep it
complete. ``docs/edit-kinds.md`` is generated from it (``python -m policytext.edit_kinds``).

Naming (ftfy's rule, one name per job): in each stage a setting switches one sub-step and is named
after the function that runs it, ``find_<setting>``, whose edits carry the kind of the same words
(``whole_text_mojibake`` → ``find_whole_text_mojibake`` → ``mojibake_whole_text``; the kinds keep
their family first: ``mojibake_*``, ``html_*``, ``pinyin_*``). Where a sub-step emits several kinds,
they are listed under it.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

__all__ = ["EditKind", "EDIT_KINDS", "is_known", "markdown"]


class EditKind(NamedTuple):
    stage: str  # the stage that emits it ("html, repair": either)
    removal: bool  # reported under ``removed`` (content dropped on purpose), else under ``edits``
    setting: str  # the stage's setting that switches it on or off (one per stage listed)
    meaning: str


def _k(stage: str, setting: str, meaning: str, removal: bool = False) -> EditKind:
    return EditKind(stage, removal, setting, meaning)


EDIT_KINDS: dict[str, EditKind] = {
    # html (the document's own markup)
    "html_tag": _k("html, repair", "mode, html_remnants", "a markup tag removed, or replaced by the line break it stood for"),
    "html_entity": _k("html, repair", "mode, html_remnants", "a character reference (&amp;, &nbsp;, &#x6570;) replaced by its character"),
    "html_whitespace": _k("html", "mode", "layout whitespace between block elements collapsed or removed"),
    "html_element_dropped": _k("html", "mode", "a script, style, head or other non-text element removed with its content"),
    # repair
    "html_comment": _k("repair", "html_remnants", "an HTML comment left in the text removed"),
    "html_block": _k("repair", "html_remnants", "a script or style block left in the text removed"),
    "markdown_image": _k("repair", "html_remnants", "a markdown image (![图片](a.png)) removed"),
    "small_form_punct": _k("repair", "html_remnants", "small-form punctuation (﹐﹔﹒) as the Chinese mark (，；。)"),
    "mojibake_latin": _k("repair", "latin_mojibake", "UTF-8 read as Latin-1/cp1252 (æ•¸æ“š) decoded again (ftfy)"),
    "mojibake_whole_text": _k("repair", "whole_text_mojibake",
                              "a line in the wrong Chinese encoding (UTF-8/GBK/Big5 confusions, 鏁版嵁) reversed"),
    "mojibake_gbk_misaligned": _k("repair", "misaligned_gbk", "GBK decoded one byte off (規??焖僭鲩L) realigned"),
    "mojibake_lost_byte": _k("repair", "misaligned_gbk",
                             "the character whose byte a misaligned span lost: filled when clear, else U+FFFD"),
    "mojibake_unrepaired": _k("repair", "misaligned_gbk",
                              "private-use code points no repair could read, replaced by U+FFFD and flagged"),
    "pinyin_injected": _k("repair", "pinyin", "pinyin inserted after characters (數(shù)據(jù)) removed"),
    "spam_line": _k("repair", "furniture", "a spam line (gambling, adult, contact spam) removed", True),
    "spam_inline": _k("repair", "furniture", "a spam site's name inside a sentence removed", True),
    "share_widget": _k("repair", "furniture", "a share, print, font-size or other page widget removed", True),
    "nav_menu": _k("repair", "furniture", "a navigation menu row (or the section titles between menus) removed", True),
    "breadcrumb": _k("repair", "furniture", "a breadcrumb trail (首页 > 新闻 > 正文) removed", True),
    "template_byline": _k("repair", "furniture", "an editor credit or template byline (【责任编辑：…】) removed", True),
    "copyright_footer": _k("repair", "furniture", "a copyright or ICP licence footer removed", True),
    "prev_next_link": _k("repair", "furniture", "a previous/next article link (上一篇：…) removed", True),
    "markup_residue": _k("repair", "furniture", "JavaScript or CSS left by a scraper removed", True),
    "page_metadata": _k("repair", "furniture", "an empty metadata field label (索引号：) removed", True),
    "furniture_line": _k("repair", "line_model", "a page-furniture line found by the learned line classifier removed", True),
    "pinyin_junk": _k("repair", "line_model", "a line of pinyin or romanised junk found by the line classifier removed", True),
    # normalize (settings named as their kinds, but script → t2s and extra_fixes → user_fix)
    "invisible": _k("normalize", "invisible", "a control code or invisible format character removed"),
    "whitespace": _k("normalize", "whitespace", "line ends, indentation, trailing spaces or blank lines made regular"),
    "line_join": _k("normalize", "line_join", "a line broken in the middle of a sentence joined again"),
    "width": _k("normalize", "width", "full-width digits and Latin letters as ASCII"),
    "punct_stutter": _k("normalize", "punct_stutter", "a repeated mark (、、、, 。。。) as one"),
    "punct_width": _k("normalize", "punct_width", "ASCII punctuation in Chinese text as the full-width mark"),
    "t2s": _k("normalize", "script", "traditional characters as simplified (OpenCC t2s, hk2s or tw2s)"),
    "zhe_context": _k("normalize", "zhe_context", "著 as the particle 着 (随着, 发挥着)"),
    "user_fix": _k("normalize", "extra_fixes", "one of the user's own {\"wrong\": \"right\"} fixes"),
    # dedup
    "duplicate_section": _k("dedup", "mode", "a section repeating an earlier one removed (or, mode 'mark', listed in duplicates)", True),
}


def is_known(kind: str) -> bool:
    """Whether ``kind`` is one of the shipped stages' kinds."""
    return kind in EDIT_KINDS


def markdown() -> str:
    """``docs/edit-kinds.md``: the list as a Markdown page."""
    lines = [
        "# Edit kinds",
        "",
        "Every `kind` the shipped text stages write into a record's `edits` and `removed` (see",
        "`docs/contract.md`). A user's own text stage may add kinds of its own; the shipped stages emit",
        "only these (`tests/test_edit_kinds.py` checks it on the samples and test fixtures). The list is",
        "`policytext.edit_kinds.EDIT_KINDS`; this page is generated: `python -m policytext.edit_kinds > docs/edit-kinds.md`.",
        "",
        "Naming: a stage setting switches one sub-step, the function that runs it is `find_<setting>`,",
        "and its edits carry the kind of the same words with the family first (`whole_text_mojibake` →",
        "`find_whole_text_mojibake` → `mojibake_whole_text`). Renamed settings keep their old name as an",
        "alias: repair's `cjk_mojibake` is now `whole_text_mojibake` (both are accepted).",
        "",
        "| kind | stage | in | setting | meaning |",
        "|---|---|---|---|---|",
    ]
    for kind, k in EDIT_KINDS.items():
        where = "removed" if k.removal else "edits"
        lines.append(f"| `{kind}` | {k.stage} | {where} | `{k.setting}` | {k.meaning.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - writes docs/edit-kinds.md
    sys.stdout.write(markdown())
