"""Rule layers that fired against the newswire convention (found on MSRA train's held-out tail, the
fast tagger's dev split): 《》 titles of works, short media names inside common words, a ministry's
部 + 门, a league's 团 + 员."""

from __future__ import annotations

import pytest

from policytext.components.entities import recognizer
from policytext.components.entities.rules import find_laws, is_document_title


@pytest.fixture(scope="module")
def rules():
    return recognizer(backend="none")


def ents(rec, text):
    return [(e["text"], e["label"]) for e in rec(text)]


@pytest.mark.parametrize("title", [
    "《中华人民共和国食品卫生法》", "《政府工作报告》", "《“数据要素×”三年行动计划（2024—2026年）》",
    "《关于推动经济高质量发展若干政策举措(2025年版)》", "《国务院工作规则》", "《國務院工作規則》",
    "《“十三五”國家信息化規劃》", "《政府工作報(bào)告》", "《清水县2014年财政预算执行情况汇报和2015年财政预算(草案)的报告》",
    "《生態環境部新聞發佈會實錄2021》", "《全国停火协议》", "《意见》",
])
def test_document_titles_are_law(title):
    assert is_document_title(title[1:-1])
    assert find_laws(f"依据{title}开展工作") == [(2, 2 + len(title), "LAW")]


@pytest.mark.parametrize("text,name", [
    ("演奏了施特劳斯的《蓝色多瑙河》、海顿的《钢琴奏鸣曲》", "《蓝色多瑙河》"),
    ("厦门电视台在《看厦门》栏目中", "《看厦门》"),
    ("由电影《少林寺》中的扮演者出演", "《少林寺》"),
    ("陈忠实的《白鹿原》获茅盾文学奖", "《白鹿原》"),
])
def test_titles_of_works_are_no_law(rules, text, name):
    assert not is_document_title(name[1:-1])
    assert find_laws(text) == [] or all(lab != "LAW" for _s, _e, lab in find_laws(text))
    assert (name, "LAW") not in ents(rules, text)


def test_periodical_in_marks_still_org():
    text = "《求是》杂志发表文章"
    assert find_laws(text) == [(1, 3, "ORG")]


def test_short_media_name_inside_idiom(rules):
    assert all(lab != "ORG" for _t, lab in ents(rules, "本着实事求是的原则去研究新情况"))
    assert ("求是", "ORG") in ents(rules, "《求是》杂志发表习近平总书记的重要文章")


def test_ministry_plus_men_is_generic(rules):
    got = ents(rules, "各地的技术监督部门和卫生部门要互相配合，严格依法办事")
    assert ("卫生部", "ORG") not in got
    got = ents(rules, "就拿交通运输部门来说吧，它的服务")
    assert ("交通运输部", "ORG") not in got
    assert ("卫生部", "ORG") in ents(rules, "卫生部日前发布通知")
    assert ("公安部", "ORG") in ents(rules, "据公安部门户网站消息")


def test_league_member_is_no_org(rules):
    assert ("共青团", "ORG") not in ents(rules, "荣获“全国优秀共青团员”称号")
    assert ("共青团", "ORG") in ents(rules, "共青团和少先队组织积极参与")


def test_many_titles_in_a_long_run_stay_linear():
    # 30k characters of short titles, ruby pinyin and brackets: every title is decided on its own
    text = "《政府工作報(bào)告(2023年版)》《白鹿原》" * 1200
    found = find_laws(text)
    assert len(found) == 1200 and all(lab == "LAW" for _s, _e, lab in found)
    assert find_laws("《" + "（a）" * 10000 + "》") == []  # longer than a title: no span
