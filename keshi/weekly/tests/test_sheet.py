from datetime import date, time

from keshi.weekly import sheet as sh

D = date(2025, 11, 3)


def test_halves_on_a_day_of_a_half_day_span():
    start, end = (D, "pm"), (date(2025, 11, 5), "am")
    assert sh.halves_on(D, start, end) == "下午"
    assert sh.halves_on(date(2025, 11, 4), start, end) == "全天"
    assert sh.halves_on(date(2025, 11, 5), start, end) == "上午"
    assert sh.halves_on(date(2025, 11, 6), start, end) == ""


def test_span_labels():
    assert sh.span_label(D, D) == "11月3日"
    assert sh.span_label(D, date(2025, 11, 5)) == "11月3日—5日"
    assert sh.span_label(date(2025, 10, 30), D) == "10月30日—11月3日"


def test_weekend_shown_only_when_a_school_day_or_something_is_on():
    saturday = date(2025, 11, 8)
    assert sh.shown(sh.Day(D, True))
    assert not sh.shown(sh.Day(saturday, False))
    assert sh.shown(sh.Day(saturday, True, "调休上班"))
    assert sh.shown(sh.Day(saturday, False, note="周六上午高三补课"))


def test_lines_sorted_by_kind_then_time():
    later = sh.Line(sh.SESSION, "语文组", start=time(15, 30))
    earlier = sh.Line(sh.SESSION, "数学组", start=time(14, 0))
    away = sh.Line(sh.ABSENCE, "外出：张老师")
    item = sh.Line(sh.CALENDAR, "期中考试")
    assert sh.sort_lines([away, later, earlier, item]) == [item, earlier, later, away]
