"""The pure parts: the requirement specs against the plans, and the planned term of records."""

from collections import Counter
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from keshi.calendar import periods as P
from keshi.demo import records, school, texts
from keshi.demo.requirements import BY_SCHOOL, MAIN
from keshi.demo.terms import school_year_dates
from keshi.records.services import count_chars

PLANS = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "plans"
BUILT = school.build()
MAIN_SCHOOL, SECOND_SCHOOL = BUILT.schools
TEACHER = next(lg.staff_no for lg in BUILT.logins if lg.username == "teacher")
OTHERS = tuple(lg.staff_no for lg in BUILT.logins if lg.staff_no and lg.username != "teacher")
TERM = school_year_dates(2026).terms[0]
# Weekdays, less 国庆 (1–7 October 2026) and 元旦: enough for the pure tests.
HOLIDAYS = {date(2026, 10, d) for d in range(1, 8)} | {date(2027, 1, 1)}
WORKDAYS = frozenset(
    d
    for d in (TERM.start + timedelta(days=i) for i in range((TERM.end - TERM.start).days + 1))
    if d.weekday() < 5 and d not in HOLIDAYS
)


def frame(until: date = date(2026, 11, 26)) -> records.Frame:
    return records.Frame("2026-1", TERM.start, TERM.end, until, WORKDAYS)


def plan(until: date = date(2026, 11, 26), spec=MAIN_SCHOOL) -> records.Plan:
    return records.generate(spec, frame(until), uneven=TEACHER, steady=OTHERS)


@pytest.mark.skipif(not PLANS.exists(), reason="the sample plans are not beside the repository")
def test_source_sentences_are_the_plans_own():
    text = "".join(p.read_text() for p in PLANS.glob("plan-*.txt"))
    for spec in (s for specs in BY_SCHOOL.values() for s in specs):
        if spec.name == "培训学分":
            continue  # the product brief's example, not a sample plan's
        for fragment in spec.source.split("……"):
            assert fragment.strip("。") in text, (spec.name, fragment)


def test_specs_read_the_numbers_of_their_sentences():
    for spec in MAIN:
        number = str(int(spec.threshold))
        words = {"1": ("一", "1")}.get(number, (number,))
        assert any(w in spec.source for w in words), spec.name
    young = next(s for s in MAIN if s.name == "新教师听课")
    assert "不足三年" in young.source and young.teaching_years_max == 2  # 不足 excludes 3


def test_the_plan_is_deterministic():
    first, again = plan(), plan()
    assert [asdict(r) for r in first.records] == [asdict(r) for r in again.records]
    assert first.habits == again.habits and first.leave == again.leave
    keys = [r.key for r in first.records]
    assert len(keys) == len(set(keys))


def test_a_later_day_only_adds_records():
    early, late = plan(date(2026, 10, 20)), plan(date(2026, 11, 26))
    late_by_key = {r.key: r for r in late.records}
    for r in early.records:
        other = late_by_key[r.key]
        assert (r.date, r.title, r.text, r.quantity, r.data) == (
            other.date, other.title, other.text, other.quantity, other.data
        )  # fmt: skip
    assert len(late.records) > len(early.records)
    assert max(r.date for r in early.records) <= date(2026, 10, 20)


def test_habits():
    habit_of = plan().habits
    habits = Counter(h.name for h in habit_of.values())
    assert habits["rare"] == 1 and habits["diligent"] == 1 and habits["uneven"] == 1
    n = len(MAIN_SCHOOL.teachers)
    assert n / 8 <= habits["slow"] <= n / 3
    assert habits["steady"] > n / 2
    assert all(habit_of[s].name == "steady" for s in OTHERS if s in habit_of)


def test_records_fall_on_term_days_and_reflections_are_measured_alike():
    p = plan()
    for r in p.records:
        assert TERM.start <= r.date <= date(2026, 11, 26)
        if r.kind in ("observation", "training", "blog", "group_activity"):
            assert r.date in WORKDAYS, r
        assert texts.chars(r.text) == count_chars(r.text)
    lengths = [texts.chars(r.text) for r in p.records if r.kind == "reflection"]
    assert any(n < 800 for n in lengths) and sum(n >= 800 for n in lengths) > len(lengths) * 0.75


def test_the_uneven_teacher_observes_the_mentor_on_the_last_workday_of_each_week():
    mentor = next(m.mentor for m in MAIN_SCHOOL.mentorships if m.mentee == TEACHER)
    days = [r.date for r in plan().records if r.staff_no == TEACHER and r.observed == mentor]
    assert days
    for d in days:
        week = P.period_containing("week", d)
        assert d == max(x for x in WORKDAYS if x in week)


def test_nothing_recorded_on_leave():
    p = plan()
    assert p.leave is not None and p.leave.start.weekday() == 0
    assert not [r for r in p.records if r.staff_no == p.leave.staff_no and r.date >= p.leave.start]


def test_reviews_follow_submission():
    until = date(2026, 11, 26)
    papers = [r for r in plan(until).records if r.kind == "paper"]
    lo, hi = records.REVIEW_LAG
    assert any(r.status == "submitted" for r in papers)
    for r in papers:
        if r.date > until - timedelta(days=lo):
            assert r.status == "submitted" and r.reviewed_at is None
        if r.status == "submitted":
            assert r.date > until - timedelta(days=hi) and not r.review_comment
        else:
            assert r.status in ("approved", "returned")
            assert lo <= (r.reviewed_at.date() - r.date).days <= hi
            assert r.reviewed_at.date() <= until
            assert bool(r.review_comment) == (r.status == "returned")


def test_the_second_school_gets_its_own_program():
    p = plan(spec=SECOND_SCHOOL)
    kinds = Counter(r.kind for r in p.records)
    assert set(kinds) == {"observation", "reflection", "paper"} and p.leave is None
    young = {t.staff_no for t in SECOND_SCHOOL.teachers if "青年教师" in t.tags}
    assert {r.staff_no for r in p.records if r.kind == "reflection"} <= young
