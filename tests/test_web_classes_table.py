"""The failure classes of issue 17, one table: fresh fragments written for this file in the style of
scraped policy pages (none is copied from the labelled pages, whose test split stays unseen).

Each row names its class; ``python -m policytext.evaluation.web`` and
``scripts/cv_line_classifier.py`` measure the same classes on labelled pages.
"""

from __future__ import annotations

import re

import pytest

import policytext

from cleaning_helpers import clean, repair


BEFORE = "近日，市政府召开常务会议，研究部署下一阶段重点工作。"
AFTER = "会议要求，各部门要压实责任，确保各项任务按期完成。"

# --------------------------------------------------------------------------- pinyin variants

PINYIN = [
    ("toneless on every character", "農(nong)業(ye)農(nong)村(cun)部(bu)印發通知", "農業農村部印發通知"),
    ("doubled, toned then toneless", "財(cái)(cai)政(zhèng)(zheng)預算", "財政預算"),
    ("repeated three times", "稅(shui)(shui)(shui)收(shou)(shou)政策", "稅收政策"),
    ("emoji between annotated characters", "糧(liáng)✨食(shí)安全", "糧✨食安全"),
    ("full-width parentheses, toned", "交（jiāo）通（tōng）運輸", "交通運輸"),
    ("square brackets 【】", "社【shè】會【huì】保障", "社會保障"),
    ("tortoise-shell brackets 〔〕", "生〔shēng〕態〔tài〕環境", "生態環境"),
    ("tone numbers", "醫(yi1)療(liao2)保障", "醫療保障"),
]


@pytest.mark.parametrize("cls,damaged,expected", PINYIN, ids=[r[0] for r in PINYIN])
def test_pinyin_variants(cls, damaged, expected):
    assert repair(damaged).text == expected


BARE_PINYIN = [
    "quan guo ren min dai biao da hui chang wu wei yuan hui",  # toneless
    "Guó wù yuàn bàn gōng tīng yìn fā",  # toned, capitalised
    "sheng4 tai4 huan2 jing4 bu4 fa1 bu4",  # tone numbers
]


@pytest.mark.parametrize("line", BARE_PINYIN)
def test_a_line_of_bare_pinyin_is_removed(line):
    st = repair(f"{BEFORE}\n{line}\n{AFTER}\n")
    assert line not in st.text and BEFORE in st.text and AFTER in st.text


REAL_PARENTHESES = [
    "《市级储备粮管理办法（试行）》自印发之日起施行。",
    "《数字政府建设行动方案(2025—2027年)》已经印发。",
    "环境空气质量执行（GB 3095-2012）二级标准。",
    "全年减少排放二氧化硫1.2万吨（t），氮氧化物0.8万吨。",
    "居民消费价格指数(CPI)同比上涨0.3%。",
    "细颗粒物(PM2.5)平均浓度为28微克/立方米(μg/m³)。",
    "具体要求详见附件（一）和附件（二）。",
    "平均每人每天(d)用水量下降。",
]


@pytest.mark.parametrize("text", REAL_PARENTHESES)
def test_real_parentheses_survive(text):
    assert repair(text).text == text


# --------------------------------------------------------------------------- furniture and spam

FURNITURE = [
    ("click prompt", "点击查看大图"),
    ("view original", "查看原文>>"),
    ("download prompt", "附件下载：点击下载"),
    ("video description label", "视频简介："),
    ("login prompt", "请登录后发表评论"),
    ("view counter", "阅读量：2356"),
    ("credits", "责任编辑：王某某　审核：李某某"),
    ("customer service", "客服热线：0571-87654321"),
    ("complaint contact", "投诉举报电话：12345"),
    ("recommended block label", "热点新闻推荐"),
    ("image copyright", "图片来源于网络，如有侵权请联系删除"),
    ("media matrix", "微信 | 微博 | 抖音 | 客户端"),
    ("separated spam", "澳门葡京_娱乐城官网_彩金丨注册送888"),
]


@pytest.mark.parametrize("cls,line", FURNITURE, ids=[r[0] for r in FURNITURE])
def test_widget_furniture_and_spam_removed(cls, line):
    st = repair(f"{BEFORE}\n{line}\n{AFTER}\n")
    assert line not in st.text, st.text
    assert BEFORE in st.text and AFTER in st.text
    removal = [r for r in st.records if r.edit.removal and r.raw_start <= len(BEFORE) + 1 < r.raw_end]
    assert removal and removal[0].edit.note and 0 < removal[0].edit.confidence <= 1


CONTENT = [
    "关键词：乡村振兴；粮食安全；耕地保护",
    "“放管服”改革深入推进，企业开办时间压缩至1个工作日",
    "网站全年累计点击量超过200万次，群众满意度持续提升。",
    "市民可拨打12345政务服务便民热线反映诉求。",
    "数据要素 公共数据 开发利用 安全保护",
    "省政府召开2025年一季度全省经济运行情况新闻发布会",
    "目录",  # the heading of the document's own table of contents (docs/repair.md: tables of contents)
    "第一章 总则",
]


@pytest.mark.parametrize("line", CONTENT)
def test_content_lines_are_kept(line):
    st = repair(f"{BEFORE}\n{line}\n{AFTER}\n")
    assert line in st.text


# --------------------------------------------------------------------------- emptied inputs


def _utf8_as_cp1252(s: str) -> str:
    return s.encode("utf-8").decode("cp1252")


EMPTYING = [
    ("© from mojibake", _utf8_as_cp1252("网站地图")),  # 图 -> å›¾
    ("» from mojibake", _utf8_as_cp1252("新闻")),  # 闻 -> é—»
    ("» and © together", _utf8_as_cp1252("政策解读 地图")),
    ("a word list alone", "数据要素 公共数据 开发利用 安全保护"),
]


@pytest.mark.parametrize("cls,text", EMPTYING, ids=[r[0] for r in EMPTYING])
def test_an_input_is_never_emptied_without_an_error(cls, text):
    st = clean(text)
    assert any(c.isalnum() for c in st.text) or any(w.lower().startswith("error") for w in st.warnings)


# --------------------------------------------------------------------------- markup debris


MARKUP = [
    ("markdown image line", f"{BEFORE}\n![](https://img.example.cn/2025/06/a.jpg)\n{AFTER}", f"{BEFORE}\n{AFTER}"),
    ("markdown table of images", f"{BEFORE}\n| ![](a.png) | ![](b.png) |\n{AFTER}", f"{BEFORE}\n{AFTER}"),
    ("doubled ampersand entity", "研究&amp;amp;开发投入持续增加。", "研究&开发投入持续增加。"),
    ("small-form comma and semicolon", "近年来﹐我市加快发展﹔成效明显。", "近年来，我市加快发展；成效明显。"),
]


@pytest.mark.parametrize("cls,text,expected", MARKUP, ids=[r[0] for r in MARKUP])
def test_markup_debris(cls, text, expected):
    assert re.sub(r"\n\s*\n", "\n", clean(text).text.strip()) == expected


# --------------------------------------------------------------------------- Latin lines


LATIN = ["Ôôô VIDA MINHA", "ÉTÉ À PARIS", "São Paulo · Região Sudeste", "Über uns — Kontakt"]


@pytest.mark.parametrize("line", LATIN)
def test_latin_lines_between_chinese_lines_are_not_read_as_chinese_bytes(line):
    st = repair(f"{BEFORE}\n{line}\n{AFTER}\n")
    assert line in st.text
    assert not any(r.edit.kind.startswith("mojibake") for r in st.records)


# --------------------------------------------------------------------------- line joins and sentences


JOINS = [
    ("a word broken over a blank line", "加快建设现代化产业体\n\n系，推动高质量发展。", "现代化产业体系，", True),
    ("two paragraphs, the first without final punctuation", "各地要加强组织领导\n\n各部门要密切配合，形成工作合力。",
     "组织领导各部门", False),
    ("a keyword line and a heading", "关键字：碳达峰；碳中和\n\n一、研究背景\n", "碳中和一", False),
    ("a site banner and the first sentence", "某某市人民政府网\n\n近日，市政府召开常务会议。", "政府网近日", False),
]


@pytest.mark.parametrize("cls,text,joined,expect", JOINS, ids=[r[0] for r in JOINS])
def test_line_joins(cls, text, joined, expect):
    assert (joined in clean(text).text) is expect


SENTENCES = [
    ("》 after ！", "他推荐了《我爱你，中国！》这首歌。大家都很喜欢。",
     ["他推荐了《我爱你，中国！》这首歌。", "大家都很喜欢。"]),
    ("） after ！", "请参阅附件（详见第三条！）并按要求执行。逾期不予受理。",
     ["请参阅附件（详见第三条！）并按要求执行。", "逾期不予受理。"]),
    ("） after 。", "会议审议了工作报告（草案。）与会代表一致同意。",
     ["会议审议了工作报告（草案。）与会代表一致同意。"]),
]


@pytest.mark.parametrize("cls,text,units", SENTENCES, ids=[r[0] for r in SENTENCES])
def test_no_sentence_split_after_a_closing_title_or_parenthesis(cls, text, units):
    nlp = policytext.load(stages=["sentences"])
    got = [text[s["start"]:s["end"]] for s in nlp(text).to_dict()["sentences"]]
    assert got == units
