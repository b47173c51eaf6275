"""保密期限: value object, API shape, maxima, end dates (CL-2, CL-3, CL-9, CL-14). No database."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baomi.classification.choices import MAX_PERIOD_YEARS, Level, PeriodKind
from baomi.classification.periods import (
    MAX_MONTHS,
    MAX_YEARS,
    Period,
    add_months,
    add_years,
    condition_problem,
    default_period,
    end_date,
    exceeds_maximum,
    parse_number,
    parse_period,
    render_period,
)

STATE_LEVELS = [Level.TOP_SECRET, Level.SECRET, Level.CONFIDENTIAL]
CONDITION_CHARS = "启用公布会议结束考试开标项目验收发布正式召开之日期长"

conditions = st.text(alphabet=CONDITION_CHARS, min_size=1, max_size=20).map(lambda s: s + "前")
periods = st.one_of(
    st.integers(1, MAX_YEARS).map(Period.of_years),
    st.integers(1, MAX_MONTHS).map(Period.of_months),
    st.dates(date(1900, 1, 1), date(2200, 12, 31)).map(Period.until_date),
    st.just(Period.indefinite()),
    conditions.map(Period.on_condition),
)
issued_dates = st.dates(date(1950, 1, 1), date(2100, 12, 31))


# --- CL-2: the value object --------------------------------------------------------------------


def test_r_cl_2_each_kind_builds_with_its_own_field():
    assert Period.of_years(10) == Period(PeriodKind.YEARS, years=10)
    assert Period.of_months(6).months == 6
    assert Period.until_date(date(2030, 5, 1)).until == date(2030, 5, 1)
    assert Period.indefinite().kind == PeriodKind.INDEFINITE
    assert Period.on_condition("启用前").condition == "启用前"


def test_r_cl_2_kind_given_as_string_is_coerced():
    p = Period("years", years=3)
    assert p.kind is PeriodKind.YEARS
    assert p == Period.of_years(3)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "weeks"},
        {"kind": PeriodKind.YEARS},
        {"kind": PeriodKind.YEARS, "years": 0},
        {"kind": PeriodKind.YEARS, "years": -1},
        {"kind": PeriodKind.YEARS, "years": MAX_YEARS + 1},
        {"kind": PeriodKind.YEARS, "years": True},
        {"kind": PeriodKind.YEARS, "years": "10"},
        {"kind": PeriodKind.YEARS, "years": 10.0},
        {"kind": PeriodKind.YEARS, "years": 10, "months": 6},
        {"kind": PeriodKind.MONTHS, "months": 0},
        {"kind": PeriodKind.MONTHS, "months": MAX_MONTHS + 1},
        {"kind": PeriodKind.DATE},
        {"kind": PeriodKind.DATE, "until": "2030-05-01"},
        {"kind": PeriodKind.DATE, "until": datetime(2030, 5, 1, 12, 0)},
        {"kind": PeriodKind.INDEFINITE, "years": 10},
        {"kind": PeriodKind.CONDITION},
        {"kind": PeriodKind.CONDITION, "condition": ""},
        {"kind": PeriodKind.CONDITION, "condition": "   "},
        {"kind": PeriodKind.CONDITION, "condition": "长" * 50 + "前"},
        {"kind": PeriodKind.CONDITION, "condition": "启用 前"},
        {"kind": PeriodKind.CONDITION, "condition": "启用★前"},
        {"kind": PeriodKind.CONDITION, "condition": "10年"},
        {"kind": PeriodKind.CONDITION, "condition": "长期"},
        {"kind": PeriodKind.CONDITION, "condition": "3天"},
    ],
)
def test_r_cl_2_inconsistent_period_is_refused_in_chinese(kwargs):
    with pytest.raises(ValueError) as exc:
        Period(**kwargs)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value))


def test_r_cl_2_condition_is_trimmed_and_may_be_fifty_chars():
    assert Period.on_condition("  启用前 ").condition == "启用前"
    assert Period.on_condition("长" * 49 + "前").condition.endswith("前")


def test_r_cl_14_periods_under_a_year_are_months():
    assert render_period(Period.of_months(6)) == "6个月"
    assert render_period(Period.of_months(18)) == "18个月"  # more than a year is allowed, too


def test_period_is_frozen_and_hashable():
    p = Period.of_years(5)
    with pytest.raises(AttributeError):
        p.years = 6
    assert len({p, Period.of_years(5)}) == 1


# --- API shape ---------------------------------------------------------------------------------


def test_r_cl_2_to_dict_has_every_key():
    assert Period.until_date(date(2030, 5, 1)).to_dict() == {
        "kind": "date",
        "years": None,
        "months": None,
        "until": "2030-05-01",
        "condition": None,
    }
    assert Period.on_condition("启用前").to_dict()["condition"] == "启用前"


def test_r_cl_2_from_dict_treats_missing_keys_as_none():
    assert Period.from_dict({"kind": "years", "years": 10}) == Period.of_years(10)
    assert Period.from_dict({"kind": "indefinite"}) == Period.indefinite()
    assert Period.from_dict({"kind": "date", "until": "2030-05-01"}).until == date(2030, 5, 1)


@pytest.mark.parametrize(
    "d",
    [
        None,
        [],
        "10年",
        {},
        {"kind": None},
        {"kind": "weeks"},
        {"kind": "years"},
        {"kind": "years", "years": "10"},
        {"kind": "years", "years": 10, "extra": 1},
        {"kind": "date", "until": "2030/05/01"},
        {"kind": "date", "until": "2030-02-30"},
        {"kind": "date", "until": 20300501},
        {"kind": "condition", "condition": ""},
        {"kind": "months", "months": 6, "years": 1},
    ],
)
def test_r_cl_2_from_dict_refuses_bad_input_with_value_error(d):
    with pytest.raises(ValueError):
        Period.from_dict(d)


@given(periods)
def test_r_cl_2_dict_round_trip(period):
    assert Period.from_dict(period.to_dict()) == period


# --- CL-3: default maxima ----------------------------------------------------------------------


def test_r_cl_3_default_period_is_the_maximum():
    assert default_period(Level.TOP_SECRET) == Period.of_years(30)
    assert default_period(Level.SECRET) == Period.of_years(20)
    assert default_period("confidential") == Period.of_years(10)
    assert default_period(Level.INTERNAL) is None
    assert default_period(Level.PUBLIC) is None


@pytest.mark.parametrize("level", STATE_LEVELS)
def test_r_cl_3_years_and_months_beyond_the_maximum_exceed(level):
    issued, top = date(2024, 3, 1), MAX_PERIOD_YEARS[level]
    assert not exceeds_maximum(level, Period.of_years(top), issued)
    assert exceeds_maximum(level, Period.of_years(top + 1), issued)
    assert not exceeds_maximum(level, Period.of_months(top * 12), issued)
    assert exceeds_maximum(level, Period.of_months(top * 12 + 1), issued)


def test_r_cl_3_date_is_counted_from_the_date_of_issue():
    issued = date(2024, 2, 29)
    # 秘密: ten years from 2024-02-29 end on 2034-02-28 (no 29th in 2034).
    assert not exceeds_maximum(Level.CONFIDENTIAL, Period.until_date(date(2034, 2, 28)), issued)
    assert exceeds_maximum(Level.CONFIDENTIAL, Period.until_date(date(2034, 3, 1)), issued)
    assert not exceeds_maximum(Level.TOP_SECRET, Period.until_date(date(2054, 2, 28)), issued)


@pytest.mark.parametrize("level", STATE_LEVELS)
def test_r_cl_3_indefinite_and_conditions_are_explicit_decisions_not_excess(level):
    issued = date(2024, 1, 1)
    assert not exceeds_maximum(level, Period.indefinite(), issued)
    assert not exceeds_maximum(level, Period.on_condition("启用前"), issued)
    assert not exceeds_maximum(level, None, issued)


@pytest.mark.parametrize("level", [Level.INTERNAL, Level.PUBLIC])
def test_r_cl_3_non_state_levels_never_exceed(level):
    assert not exceeds_maximum(level, Period.of_years(MAX_YEARS), date(2024, 1, 1))


@given(st.sampled_from(STATE_LEVELS), periods, issued_dates)
def test_r_cl_3_exceeding_means_ending_after_the_maximum(level, period, issued):
    ends = end_date(period, issued)
    expected = ends is not None and ends > add_years(issued, MAX_PERIOD_YEARS[level])
    assert exceeds_maximum(level, period, issued) == expected


# --- end dates (CL-9) --------------------------------------------------------------------------


def test_r_cl_9_end_date_of_each_kind():
    issued = date(2024, 5, 15)
    assert end_date(Period.of_years(10), issued) == date(2034, 5, 15)
    assert end_date(Period.of_months(6), issued) == date(2024, 11, 15)
    assert end_date(Period.of_months(8), issued) == date(2025, 1, 15)
    assert end_date(Period.until_date(date(2030, 1, 1)), issued) == date(2030, 1, 1)
    assert end_date(Period.indefinite(), issued) is None
    assert end_date(Period.on_condition("启用前"), issued) is None
    assert end_date(None, issued) is None


def test_r_cl_9_end_date_clamps_to_the_end_of_month():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 8, 31), 1) == date(2024, 9, 30)
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)


@given(issued_dates, st.integers(1, MAX_MONTHS))
def test_r_cl_9_end_date_is_later_and_in_the_right_month(issued, months):
    ends = add_months(issued, months)
    assert ends > issued
    assert (ends.year - issued.year) * 12 + ends.month - issued.month == months
    assert ends.day == issued.day or ends.day < issued.day  # clamped, never pushed forward


# --- rendering and reading the period text (CL-4) ----------------------------------------------


def test_r_cl_4_render_period_forms():
    assert render_period(Period.of_years(10)) == "10年"
    assert render_period(Period.of_months(6)) == "6个月"
    assert render_period(Period.until_date(date(2030, 5, 1))) == "至2030年5月1日"
    assert render_period(Period.indefinite()) == "长期"
    assert render_period(Period.on_condition("启用前")) == "启用前"
    assert str(Period.of_years(5)) == "5年"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10年", Period.of_years(10)),
        ("十年", Period.of_years(10)),
        ("二十年", Period.of_years(20)),
        ("两年", Period.of_years(2)),
        ("6个月", Period.of_months(6)),
        ("6月", Period.of_months(6)),
        ("六个月", Period.of_months(6)),
        ("长期", Period.indefinite()),
        ("启用前", Period.on_condition("启用前")),
        ("公布前", Period.on_condition("公布前")),
        ("2030年5月1日", Period.until_date(date(2030, 5, 1))),
        ("至2030年5月1日", Period.until_date(date(2030, 5, 1))),
        ("2030年5月1日前", Period.until_date(date(2030, 5, 1))),
        ("至2030年05月01日止", Period.until_date(date(2030, 5, 1))),
        ("二〇三〇年五月一日", Period.until_date(date(2030, 5, 1))),
        ("2030-05-01", Period.until_date(date(2030, 5, 1))),
        ("2030.5.1", Period.until_date(date(2030, 5, 1))),
        ("2025年高考结束前", Period.on_condition("2025年高考结束前")),
    ],
)
def test_r_cl_4_parse_period_variants(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["", "0年", "200年", "10天", "三周", "2030年2月30日", "第3条", "年"]
)
def test_r_cl_4_parse_period_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_period(text)


@given(periods)
def test_r_cl_4_period_text_round_trips(period):
    assert parse_period(render_period(period)) == period


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10", 10),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("三十", 30),
        ("一百零五", 105),
        ("两", 2),
        ("二〇三〇", 2030),
        ("零五", 5),
        ("一百二十", 120),
    ],
)
def test_parse_number_reads_chinese_numerals(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "十百", "二三十", "十十", "abc", "五x"])
def test_parse_number_refuses_non_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_condition_problem_explains_in_chinese():
    assert condition_problem("启用前") is None
    assert "CL-14" in condition_problem("3天")
    assert condition_problem(None) == "解密条件必须是非空的文字"
