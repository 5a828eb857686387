"""One owner for HTML tags and entities (issue #22): the html stage's plain-text mode and the
repair stage's first step give the same edits, through ``policytext.stages.html_markup``."""

from __future__ import annotations

import pytest

from policytext.stages.html import HtmlStage
from policytext.stages.html_markup import decode_entity, find_remnant_edits
from policytext.stages.repair.markup import find_html_remnants
from policytext.state import TextState


def applied(text: str, edits) -> str:
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        out += [text[pos:e.start], e.replacement]
        pos = e.end
    return "".join(out) + text[pos:]


def html_stage(text: str) -> str:
    state = TextState(raw=text)
    HtmlStage()(state)
    return state.text


# plain text with remnants, as scraped (a list item's tags, entities, a <br>)
REMNANTS = [
    ('<li id="44aaa"><tt id="44aaa"></tt></li>\n数据&nbsp;要素&amp;市场', "\n数据 要素&市场"),
    ("全市新建5G基站1.8万个<br/>累计达到9.6万个&#12290;", "全市新建5G基站1.8万个\n累计达到9.6万个。"),
    ("<p>数据中心&nbsp机架约4.5万架</p><span>同比增长12%</span>", "数据中心 机架约4.5万架同比增长12%"),
    ("<p>国家数据局</p><!-- 广告 --><p>发布&#8220;数据要素×&#8221;三年行动计划</p>", "国家数据局发布“数据要素×”三年行动计划"),
    # Word's namespaced tags and a site's own tag with attributes
    ('<p>会议于<st1:chsdate Year="2025" Month="3" Day="5">2025年3月5日</st1:chsdate>召开<o:p></o:p></p>',
     "会议于2025年3月5日召开"),
    ('<div><ucapcontent id="c1">全省新建5G基站1.8万个</ucapcontent></div>', "全省新建5G基站1.8万个"),
]


@pytest.mark.parametrize("text, expected", REMNANTS)
def test_html_stage_and_repair_agree_on_remnants(text, expected):
    assert applied(text, find_html_remnants(text)) == expected
    assert html_stage(text) == expected


def test_nbsp_is_an_ordinary_space_everywhere():
    assert decode_entity("&nbsp;") == decode_entity("&nbsp") == " "
    assert decode_entity("&#160;") == decode_entity("&#xa0;") == " "
    assert decode_entity("&#12288;") == "\u3000" and decode_entity("&amp;") == "&"
    assert decode_entity("&nosuchname;") == "&nosuchname;"
    page = "<html><body><p>数据中心&nbsp;机架</p></body></html>"
    assert html_stage(page) == "数据中心 机架"


@pytest.mark.parametrize("text", [
    "网站应过滤用户输入中的<script>标签，防止跨站脚本攻击。系统已于今年完成整改。",
    "攻击者可借助“<img>”元素的onerror属性执行代码，请及时升级。",
    "常见的换行方式是使用<br>标签，段落则使用<p>标签。",
])
def test_tags_named_in_prose_stay(text):
    assert find_remnant_edits(text) == []
    assert html_stage(text) == text


def test_unclosed_script_in_plain_text_drops_only_the_tag():
    # the html stage's page rule ("a <script> never closed: code to the end of the text") removed
    # the whole rest of a plain-text document
    text = "<p>通知</p><p>请勿点击陌生链接<script src=x.js>，谨防诈骗。</p>全文完。"
    assert html_stage(text) == "通知请勿点击陌生链接，谨防诈骗。全文完。"
    assert applied(text, find_html_remnants(text)) == "通知请勿点击陌生链接，谨防诈骗。全文完。"


def test_closed_script_in_plain_text_is_code():
    text = "<p>国家数据局</p><script>var a = 1;</script><p>数据要素市场</p>"
    assert html_stage(text) == "国家数据局数据要素市场"


@pytest.mark.parametrize("text", [t for t, _ in REMNANTS])
def test_repair_after_html_finds_nothing_left(text):
    assert find_html_remnants(html_stage(text)) == []


@pytest.mark.parametrize("text", ["增长<5%，下降>3%", "R&D投入", "a<b且c>d", "《数据安全法》", "<Python>编程"])
def test_lookalikes_kept(text):
    assert find_remnant_edits(text) == []
