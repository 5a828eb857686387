"""Rule layers that fired against the newswire convention (found on MSRA train's held-out tail, the
fast tagger's dev split): short media names inside common words, a ministry's 部 + 门, a league's
团 + 员."""

from __future__ import annotations

import pytest

from policytext.components.entities import recognizer
from policytext.components.entities.rules import find_laws


@pytest.fixture(scope="module")
def rules():
    return recognizer(backend="none")


def ents(rec, text):
    return [(e["text"], e["label"]) for e in rec(text)]


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

