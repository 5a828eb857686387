"""Time expressions of claims (``policytext.components.claims.times``): one period grammar for
every year form, and claims about a period that had not ended when the document was written are
not ``actual``. Fragments in the style of National Bureau of Statistics releases."""

from __future__ import annotations

import pytest

from policytext.components.claims import extract_claims
from policytext.components.claims.times import after_document_date, find_times, period_end


@pytest.mark.parametrize("text, doc_date, expected", [
    # every named period after an absolute or a relative year
    ("2024年第四季度", None, "2024-Q4"),
    ("2024年四季度", None, "2024-Q4"),
    ("2024上半年", None, "2024-H1"),
    ("今年第四季度", "2024-11-05", "2024-Q4"),
    ("去年四季度", "2024-02-05", "2023-Q4"),
    ("上年同期", "2024-02-05", "2023"),
    ("今年前三季度", "2024-10-18", "2024-01/2024-09"),
    ("前年下半年", "2024-10-18", "2022-H2"),
    # first N months and month ranges, with and without a year
    ("今年前10个月", "2024-11-15", "2024-01/2024-10"),
    ("2024年前两个月", None, "2024-01/2024-02"),
    ("今年1-10月", "2024-11-15", "2024-01/2024-10"),
    ("今年1至10月份", "2024-11-15", "2024-01/2024-10"),
    ("2023年1—11月", None, "2023-01/2023-11"),
    ("1至10月", "2024-11-15", "2024-01/2024-10"),
    ("一至三月", "2024-04-15", "2024-01/2024-03"),
    # months
    ("2024年6月底", None, "2024-06"),
    ("今年6月份", "2024-07-01", "2024-06"),
    ("截至9月底", "2024-10-20", "2024-09"),
    ("截至12月底", "2024-02-20", "2023-12"),
    # ranges of years and of months across years
    ("2016—2020年", None, "2016/2020"),
    ("2016年至2020年", None, "2016/2020"),
    ("2021年1月—2022年6月", None, "2021-01/2022-06"),
    # bare periods counted from January: the latest one that has ended
    ("上半年", "2024-07-16", "2024-H1"),
    ("上半年", "2024-03-20", "2023-H1"),
    ("前三季度", "2024-10-18", "2024-01/2024-09"),
    ("前三季度", "2024-02-01", "2023-01/2023-09"),
    ("四季度", "2024-05-01", "2024-Q4"),
    ("“十三五”期间", None, "2016/2020"),
    ("“十四五”末", None, "2025"),
    ("过去五年", "2023-03-05", "2018/2022"),
])
def test_time_expressions_resolve(text: str, doc_date: str | None, expected: str) -> None:
    found = find_times(text, doc_date)
    assert [v for _, _, v in found] == [expected]
    assert found[0][0] == 0


def test_relative_years_need_a_document_date() -> None:
    assert find_times("今年前三季度", None) == []
    assert find_times("2024年前三季度", None)[0][2] == "2024-01/2024-09"


@pytest.mark.parametrize("text", ["2024年13月", "今年0月", "1至13月", "2024年前13个月"])
def test_impossible_months_are_no_time(text: str) -> None:
    assert all(not v.endswith(("-13", "-00")) and "/2024-13" not in v for _, _, v in find_times(text, "2024-05-01"))


def test_period_end() -> None:
    assert period_end("2024-Q3") == (2024, 9)
    assert period_end("2024-H1") == (2024, 6)
    assert period_end("2024-01/2024-10") == (2024, 10)
    assert period_end("2021-01/2022-06") == (2022, 6)
    assert period_end("2024") is None and period_end("2016/2020") is None


@pytest.mark.parametrize("time, doc_date, after", [
    ("2024-01/2024-09", "2024-07-15", True),
    ("2024-01/2024-09", "2024-10-18", False),
    ("2024-Q4", "2024-05-01", True),
    ("2024-06", "2024-06-30", False),   # the document's own month
    ("2025", "2024-12-01", True),
    ("2024", "2024-03-05", False),      # 今年以来 is the document's year, not a future period
    ("2024-Q1", "2024", False),         # a year-only date says nothing about months
    (None, "2024-05-01", False),
])
def test_after_document_date(time: str | None, doc_date: str, after: bool) -> None:
    assert after_document_date(time, doc_date) is after


def test_a_period_not_ended_at_the_document_date_is_not_an_actual_figure() -> None:
    text = "今年前三季度，全省地区生产总值同比增长5.2%。"
    early = extract_claims(text, "2024-07-15")
    late = extract_claims(text, "2024-10-20")
    assert [(c["time"], c["modality"]) for c in early] == [("2024-01/2024-09", "target")]
    assert [(c["time"], c["modality"]) for c in late] == [("2024-01/2024-09", "actual")]
    since = extract_claims("今年以来，全国铁路发送旅客增长12.6%。", "2024-05-01")
    assert [(c["time"], c["modality"]) for c in since] == [("2024", "actual")]
