"""Markings: render, parse, find (CL-4, CL-12, SCAN-1). Plain functions, no database."""

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baomi.classification.choices import Category, Level
from baomi.classification.periods import MAX_MONTHS, MAX_YEARS, Period
from baomi.lib.markings import (
    MarkingError,
    ParsedMarking,
    find_markings,
    normalize,
    parse_marking,
    render_marking,
)

STATE_LEVELS = [Level.TOP_SECRET, Level.SECRET, Level.CONFIDENTIAL]
NON_STATE = [Category.WORK, Category.COMMERCIAL, Category.PRIVACY]
CONDITION_CHARS = "启用公布会议结束考试开标项目验收发布正式召开之日期长"

conditions = st.text(alphabet=CONDITION_CHARS, min_size=1, max_size=20).map(lambda s: s + "前")
periods = st.one_of(
    st.integers(1, MAX_YEARS).map(Period.of_years),
    st.integers(1, MAX_MONTHS).map(Period.of_months),
    st.dates(date(1900, 1, 1), date(2200, 12, 31)).map(Period.until_date),
    st.just(Period.indefinite()),
    conditions.map(Period.on_condition),
)
# (level, category, period) that render to a marking: state levels with or without a period, and
# the non-state categories at 内部 with any period (which they must ignore, CL-12).
markings = st.one_of(
    st.tuples(st.sampled_from(STATE_LEVELS), st.just(Category.STATE), st.none() | periods),
    st.tuples(st.just(Level.INTERNAL), st.sampled_from(NON_STATE), st.none() | periods),
)

STARS = "★☆*＊✱⭐"
SPACES = [" ", "\u3000", "\t", "\u200b", "  "]
BRACKETS = [("", ""), ("【", "】"), ("（", "）"), ("(", ")"), ("〔", "〕"), ("密级：", "")]


def _full_width(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch


@st.composite
def mangled(draw, text: str, newlines: bool = True) -> str:
    """`text` as people and OCR write it: spaces anywhere, full-width digits, other star glyphs."""
    spaces = [*SPACES, "\n"] if newlines else SPACES
    out = []
    for ch in text:
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(spaces)))
        if ch == "★":
            ch = draw(st.sampled_from(STARS))
        elif draw(st.booleans()):
            ch = _full_width(ch)
        out.append(ch)
    return "".join(out)


# --- CL-4: rendering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "period", "text"),
    [
        (Level.CONFIDENTIAL, Period.of_years(10), "秘密★10年"),
        (Level.SECRET, Period.of_years(5), "机密★5年"),
        (Level.TOP_SECRET, Period.indefinite(), "绝密★长期"),
        (Level.TOP_SECRET, Period.on_condition("启用前"), "绝密★启用前"),
        (Level.SECRET, Period.of_months(6), "机密★6个月"),
        (Level.SECRET, Period.until_date(date(2030, 5, 1)), "机密★至2030年5月1日"),
        (Level.SECRET, None, "机密"),
        (Level.TOP_SECRET, None, "绝密"),
    ],
)
def test_r_cl_4_renders_gbt_9704_markings(level, period, text):
    assert render_marking(level, Category.STATE, period) == text


def test_r_cl_4_render_accepts_plain_strings():
    assert render_marking("secret", "state", Period.of_years(5)) == "机密★5年"


@pytest.mark.parametrize("period", [None, Period.of_years(1), Period.indefinite()])
def test_r_cl_12_internal_never_has_star(period):
    assert render_marking(Level.INTERNAL, Category.WORK, period) == "内部"
    assert render_marking(Level.INTERNAL, Category.COMMERCIAL, period) == "商业秘密"
    assert render_marking(Level.INTERNAL, Category.PRIVACY, period) == "个人隐私"


@given(markings)
def test_r_cl_12_only_state_secrets_ever_carry_star(marking):
    level, category, period = marking
    assert ("★" in render_marking(level, category, period)) == (
        category == Category.STATE and period is not None
    )


@pytest.mark.parametrize("category", list(Category))
def test_r_cl_12_public_renders_nothing(category):
    assert render_marking(Level.PUBLIC, category, Period.of_years(10)) == ""


@pytest.mark.parametrize(
    ("level", "category"),
    [
        (Level.SECRET, Category.WORK),
        (Level.TOP_SECRET, Category.COMMERCIAL),
        (Level.CONFIDENTIAL, Category.PRIVACY),
        (Level.INTERNAL, Category.STATE),
    ],
)
def test_r_cl_12_inconsistent_level_and_category_is_refused(level, category):
    with pytest.raises(ValueError, match="不一致"):
        render_marking(level, category, Period.of_years(5))


# --- CL-4: parsing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("秘密★10年", "秘密★10年"),
        ("秘 密 ★ 10 年", "秘密★10年"),
        ("机　密", "机密"),
        ("秘密★１０年", "秘密★10年"),
        ("机密☆5年", "机密★5年"),
        ("机密*5年", "机密★5年"),
        ("机密＊5年", "机密★5年"),
        ("机密✱5年", "机密★5年"),
        ("机密\u200b★5年", "机密★5年"),
        ("绝密★长期", "绝密★长期"),
        ("绝密★启用前", "绝密★启用前"),
        ("秘密★十年", "秘密★10年"),
        ("机密★二十年", "机密★20年"),
        ("绝密★三十年", "绝密★30年"),
        ("秘密★五年", "秘密★5年"),
        ("机密★6个月", "机密★6个月"),
        ("机密★6月", "机密★6个月"),
        ("机密★六个月", "机密★6个月"),
        ("机密★公布前", "机密★公布前"),
        ("绝密★会议结束前", "绝密★会议结束前"),
        ("机密★2030年5月1日", "机密★至2030年5月1日"),
        ("机密★至2030年5月1日", "机密★至2030年5月1日"),
        ("机密★2030年5月1日前", "机密★至2030年5月1日"),
        ("机密★２０３０年５月１日", "机密★至2030年5月1日"),
        ("绝密", "绝密"),
        ("机密★", "机密"),
        ("机密 5年", "机密★5年"),
        ("【机密★5年】", "机密★5年"),
        ("（秘密★10年）", "秘密★10年"),
        ("〔绝密★启用前〕", "绝密★启用前"),
        ("密级：机密★5年", "机密★5年"),
        ("  秘密★10年\n", "秘密★10年"),
    ],
)
def test_r_cl_4_parses_fullwidth_and_spaced_variants(text, canonical):
    assert parse_marking(text).text == canonical


def test_r_cl_4_parse_gives_level_category_and_period():
    assert parse_marking("秘 密 ☆ １０ 年") == ParsedMarking(
        Level.CONFIDENTIAL, Category.STATE, Period.of_years(10), "秘密★10年"
    )
    assert parse_marking("绝密★启用前").period == Period.on_condition("启用前")
    assert parse_marking("绝密").period is None
    assert parse_marking("机密★至2030年5月1日").period == Period.until_date(date(2030, 5, 1))


@pytest.mark.parametrize(
    ("text", "category", "canonical"),
    [
        ("内部", Category.WORK, "内部"),
        ("工作秘密", Category.WORK, "内部"),
        ("商业秘密", Category.COMMERCIAL, "商业秘密"),
        ("核心商密", Category.COMMERCIAL, "商业秘密"),
        ("普通商密", Category.COMMERCIAL, "商业秘密"),
        ("个人隐私", Category.PRIVACY, "个人隐私"),
        ("内　部", Category.WORK, "内部"),
    ],
)
def test_r_cl_1_non_state_words_parse_to_internal(text, category, canonical):
    parsed = parse_marking(text)
    assert (parsed.level, parsed.category, parsed.period) == (Level.INTERNAL, category, None)
    assert parsed.text == canonical


@pytest.mark.parametrize(
    "text", ["内部★1年", "内部☆", "工作秘密*长期", "商业秘密★10年", "个人隐私＊5年"]
)
def test_r_cl_12_star_on_non_state_marking_is_refused(text):
    with pytest.raises(MarkingError, match="CL-12") as exc:
        parse_marking(text)
    assert exc.value.rule_id == "CL-12"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "公开",
        "国家秘密",
        "机密文件",
        "这是秘密",
        "秘密★★10年",
        "秘密★10天",
        "秘密★三周",
        "秘密★200年",
        "秘密★0年",
        "秘密★2030年2月30日",
        "秘密★第3条",
        "秘密★年",
        "内部1年",
        "【机密★5年",
    ],
)
def test_r_cl_4_parse_refuses_non_markings_in_chinese(text):
    with pytest.raises(MarkingError) as exc:
        parse_marking(text)
    assert isinstance(exc.value, ValueError)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)


def test_r_cl_14_days_are_refused_with_a_hint_to_use_months():
    with pytest.raises(MarkingError, match="按月计"):
        parse_marking("机密★15天")


@given(markings)
def test_r_cl_4_render_then_parse_round_trips(marking):
    level, category, period = marking
    text = render_marking(level, category, period)
    parsed = parse_marking(text)
    assert (parsed.level, parsed.category, parsed.text) == (level, category, text)
    assert parsed.period == (period if category == Category.STATE else None)


@given(markings, st.data())
def test_r_cl_4_round_trips_through_spacing_width_and_star_variants(marking, data):
    level, category, period = marking
    text = render_marking(level, category, period)
    opening, closing = data.draw(st.sampled_from(BRACKETS))
    written = opening + data.draw(mangled(text)) + closing
    assert parse_marking(written).text == text
    assert parse_marking(written) == parse_marking(text)


# --- normalize ---------------------------------------------------------------------------------


def test_r_cl_4_normalize_folds_width_spaces_and_stars():
    assert normalize("秘 密 ☆ １０ 年") == "秘密★10年"
    assert normalize("机\u3000密\t＊\n5年") == "机密★5年"
    assert normalize("（绝密*长期）") == "(绝密★长期)"
    assert normalize("\ufeff内部\u200b") == "内部"
    assert normalize("") == ""


@given(st.text())
def test_normalize_is_idempotent_and_has_no_whitespace(text):
    once = normalize(text)
    assert normalize(once) == once
    assert not any(ch.isspace() for ch in once)


# --- SCAN-1: finding markings in text ----------------------------------------------------------


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], p.text) for s, e, p in find_markings(text)]


def test_r_scan_1_finds_star_markings_inside_prose_with_original_spans():
    text = "本文件为秘 密 ☆ １０ 年，另附绝密★启用前材料。"
    assert _found(text) == [("秘 密 ☆ １０ 年", "秘密★10年"), ("绝密★启用前", "绝密★启用前")]


def test_r_scan_1_does_not_report_the_word_secret_in_prose():
    text = "本单位高度重视保守国家秘密工作，机密事项和内部管理要规范，商业秘密也要保护。"
    assert find_markings(text) == []


def test_r_scan_1_bare_level_on_its_own_line_or_in_brackets_is_reported():
    text = "标题\n  机 密  \n正文（内部）说明\r\n【商业秘密】\n密级：绝密\n工作秘密\n"
    assert _found(text) == [
        ("机 密", "机密"),
        ("内部", "内部"),
        ("商业秘密", "商业秘密"),
        ("绝密", "绝密"),
        ("工作秘密", "内部"),
    ]


def test_r_scan_1_whole_text_that_is_a_marking_is_reported():
    assert _found("秘密") == [("秘密", "秘密")]
    assert _found("秘密★10年") == [("秘密★10年", "秘密★10年")]


def test_r_scan_1_the_secret_inside_commercial_secret_is_not_a_state_marking():
    assert find_markings("商业秘密★5年 工作秘密★1年") == []


def test_r_cl_12_star_on_internal_is_not_reported_as_a_marking():
    assert find_markings("内部★1年") == []


def test_r_scan_1_unparseable_candidates_are_skipped():
    assert find_markings("秘密★200年，机密★15天") == []


def test_r_scan_1_period_forms_win_over_conditions_that_start_like_them():
    assert _found("绝密★长期前") == [("绝密★长期", "绝密★长期")]
    assert parse_marking("绝密★长期前").period == Period.on_condition("长期前")


def test_r_scan_1_period_stops_at_the_end_of_the_marking():
    assert _found("机密★5年内完成，绝密★长期有效，秘密★会议结束前请勿外传") == [
        ("机密★5年", "机密★5年"),
        ("绝密★长期", "绝密★长期"),
        ("秘密★会议结束前", "秘密★会议结束前"),
    ]
    assert _found("机密★2030年5月1日前完成") == [("机密★2030年5月1日前", "机密★至2030年5月1日")]


def _findable(marking: tuple) -> bool:
    # In prose a period form wins over a condition that merely starts like one: "绝密★长期前"
    # is read as 绝密★长期 (see find_markings); parse_marking reads a whole field, so it need not.
    _, category, period = marking
    if category != Category.STATE or period is None:
        return False
    return not (period.condition or "").startswith("长期")


@given(markings.filter(_findable), st.data())
def test_r_scan_1_finds_any_written_state_marking_in_prose(marking, data):
    text = render_marking(*marking)
    written = data.draw(mangled(text, newlines=False))
    prose = f"本件为{written}，请妥善保管。"
    (found,) = find_markings(prose)
    start, end, parsed = found
    assert parsed.text == text
    assert normalize(prose[start:end]) == normalize(written)


@given(st.text(alphabet="秘密机绝内部商业工作个人隐私国家的是和，。 \u3000", max_size=40))
def test_r_scan_1_prose_without_star_line_or_bracket_reports_nothing(words):
    assert find_markings(f"文{words}。") == []


MARKING_ISH = (
    "秘密机绝内部商业工作个人隐私★☆*＊年个月日至前长期启用十二三五〇0123456789-./:：（）【】\n "
)


@given(st.text(alphabet=MARKING_ISH, max_size=60) | st.text(max_size=60))
def test_r_scan_1_arbitrary_text_never_crashes_the_parser_or_finder(text):
    # SCAN-2: hostile input is reported, never crashed on — MarkingError is the only refusal.
    with contextlib.suppress(MarkingError):
        parse_marking(text)
    for start, end, parsed in find_markings(text):
        assert 0 <= start < end <= len(text)
        assert parse_marking(text[start:end]) == parsed
