"""The html stage: pages become text with line breaks at block elements; tag remnants in plain
text are removed without touching the text's own lines; every deletion maps to raw offsets."""

from __future__ import annotations

import pytest

from policytext.stages.html import HtmlStage, find_html_edits, looks_like_html
from policytext.state import TextState

PAGE = """<!DOCTYPE html><html><head><title>新闻</title><script>var s = "<p>不是正文</p>";</script></head>
<body><div class="nav">首页 &gt; 新闻</div>
<h1>算力网络建设提速</h1>
<p>今年上半年全市新建5G基站1.8万个，
   累计达到9.6万个。</p><!-- 广告 --><p>数据中心&nbsp;机架约4.5万架。</p></body></html>"""


def run(text: str, is_html: bool, **config) -> TextState:
    state = TextState(raw=text, meta={"is_html": is_html})
    HtmlStage(**config)(state)
    return state


def test_page_becomes_lines_of_text():
    state = run(PAGE, is_html=True)
    # the source line break between "，" and "累" renders as nothing (CSS segment break rule);
    # &nbsp; is a space
    assert state.text == "首页 > 新闻\n\n算力网络建设提速\n\n今年上半年全市新建5G基站1.8万个，累计达到9.6万个。\n\n数据中心 机架约4.5万架。"
    assert "不是正文" not in state.text and "广告" not in state.text


def test_every_kept_character_maps_to_itself_in_the_page():
    state = run(PAGE, is_html=True)
    for k, ch in enumerate(state.text):
        rs, re_ = state.to_raw(k, k + 1)
        if re_ - rs == 1 and not ch.isspace():
            assert PAGE[rs] == ch
    start = state.text.index("算力")
    rs, re_ = state.to_raw(start, start + 8)
    assert PAGE[rs:re_] == "算力网络建设提速"


def test_remnants_in_plain_text_keep_its_lines():
    text = '<li id="44aaa"><tt id="44aaa"></tt></li>\n国务院新闻办\n\n数据&amp;要素\n第二行'
    state = run(text, is_html=False)
    assert state.text == "\n国务院新闻办\n\n数据&要素\n第二行"
    kinds = {r.edit.kind for r in state.records}
    assert kinds == {"html_tag", "html_entity"}


def test_plain_text_without_markup_is_untouched():
    text = "比较运算 a<b 和 b>c 不是标签。\n《数据安全法》第3条。"
    assert not looks_like_html(text)
    state = run(text, is_html=False)
    assert state.text == text and state.records == []


def test_mode_off_and_document():
    assert run(PAGE, is_html=True, mode="off").text == PAGE
    forced = run("<p>甲</p><p>乙</p>", is_html=False, mode="document")
    assert forced.text == "甲\n\n乙"


def test_edits_are_explained():
    edits = find_html_edits("<p>A&amp;B</p>", document=True)
    assert [(e.kind, e.replacement) for e in edits] == [("html_tag", "\n"), ("html_tag", "\n"), ("html_entity", "&")]


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("<div>所作的\n政府工作报告\n。会议</div>", "所作的政府工作报告。会议"),  # wikisource page
        ("<p>所作的\n<b>政府工作报告</b>\n。</p>", "所作的政府工作报告。"),  # through tags
        ("<p>Hello\nworld</p>", "Hello world"),  # Latin words stay apart
        ("<p>2024年\n3月</p>", "2024年 3月"),  # one side narrow: a space, as browsers show it
        ("<p>国家  数据局</p>", "国家 数据局"),  # spaces without a line break are a space
    ],
)
def test_line_breaks_in_the_source_between_chinese_characters_render_as_nothing(source, text):
    page = f"<html><body>{source}</body></html>"
    assert run(page, is_html=True).text == text


def test_nav_element_is_dropped_as_page_furniture():
    page = "<html><body><nav><a href='/'>首页</a> | <a href='/n'>新闻</a></nav><p>数据产业规模达5.86万亿元。</p></body></html>"
    state = run(page, is_html=True)
    assert state.text == "数据产业规模达5.86万亿元。"
    assert any(r.edit.kind == "html_element_dropped" and r.before.startswith("<nav>") for r in state.records)
