"""The document date: one rule (``policytext.dates.find_document_date``) for the pipeline and the
claims stage, so that a record's date does not depend on which stages run (issue #22)."""

from __future__ import annotations

import pytest

import policytext
from policytext.dates import find_document_date, normalize_date


@pytest.mark.parametrize("text, expected", [
    ("——2024年3月5日在第十四届全国人民代表大会第二次会议上", "2024-03-05"),  # a report's subtitle
    ("首页> 直播>\n2025-08-15 10:30\n来源", "2025-08-15"),
    ("发布时间：2025年8月14日 来源：新华社\n\n国家数据局举行新闻发布会。", "2025-08-14"),
    ("２０２５年８月１４日\n国家数据局举行新闻发布会", "2025-08-14"),  # full-width digits
    ("国务院新闻办公室8月14日举行发布会", None),
    ("截至2025年6月30日，全国公共数据开放数量达到3万个。", None),  # a date inside a sentence
    ("2025年6月30日，全国公共数据开放数量达到3万个，同比增长两成。", None),  # a sentence opening with a date
    ("统一社会信用代码 1234-56-78", None),  # no year 19xx/20xx
])
def test_dateline_rule(text, expected):
    assert find_document_date(text) == expected


def test_normalize_date():
    assert normalize_date("2025/8/14") == normalize_date("2025年8月14日") == "2025-08-14"
    with pytest.raises(ValueError):
        normalize_date("next week")


def test_record_date_does_not_depend_on_the_claims_stage():
    text = "截至2025年6月30日，全国公共数据开放数量达到3万个。"
    with_claims = policytext.load(disable=["entities", "themes"])
    without_claims = policytext.load(disable=["entities", "themes", "claims"])
    assert with_claims(text).to_dict()["date"] is None
    assert without_claims(text).to_dict()["date"] is None
    dated = "2025-08-15 10:30\n" + text
    assert with_claims(dated).to_dict()["date"] == without_claims(dated).to_dict()["date"] == "2025-08-15"
