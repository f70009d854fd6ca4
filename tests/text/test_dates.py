import pytest

from kyoyaku.text.dates import find_era_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("令和4年2月21日", "2022-02-21"),
        ("令和４年２月２１日", "2022-02-21"),
        ("令和四年二月二十一日", "2022-02-21"),
        ("令和元年5月1日", "2019-05-01"),
        ("平成元年1月8日", "1989-01-08"),
        ("平成28年 7月 8日", "2016-07-08"),
        ("昭和22年4月17日", "1947-04-17"),
        ("平成26年8月25日付け要綱", "2014-08-25"),
    ],
)
def test_era_dates_become_iso(text, iso):
    assert find_era_date(text)[1] == iso


@pytest.mark.parametrize("text", ["平成30年6月 日", "平成32年2月30日", "令和4年13月1日"])
def test_blank_or_impossible_dates_have_no_iso_value(text):
    written, iso = find_era_date(text)
    assert written.startswith(text[:4]) and iso is None


def test_text_without_a_date():
    assert find_era_date("この連携協約は、") is None
