"""The pure parts: the built district and the term-date rule."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from keshi.demo import school
from keshi.demo.people import TITLES
from keshi.demo.terms import demo_start_years, school_year_dates


def test_build_is_deterministic():
    assert school.build() == school.build()
    assert school.build(seed=1) != school.build()


def test_names_staff_numbers_and_phones_are_unique():
    built = school.build()
    teachers = [t for s in built.schools for t in s.teachers]
    names = [t.name.full for t in teachers] + [lg.name.full for lg in built.logins if lg.name]
    assert len(set(names)) == len(names)
    for s in built.schools:
        assert len({t.staff_no for t in s.teachers}) == len(s.teachers)
    assert len({t.phone for t in teachers}) == len(teachers)
    assert all(len(t.phone) == 11 and t.phone.startswith("138") for t in teachers)


def test_people_are_plausible_on_the_reference_day():
    main = school.build().schools[0]
    assert len(main.teachers) >= 55
    assert all(23 <= t.age <= 58 for t in main.teachers)
    assert any(t.birth_date == date(1988, 2, 29) for t in main.teachers)
    assert sum(t.teaching_years < 3 for t in main.teachers) >= 5
    assert sum(t.teaching_years >= 10 for t in main.teachers) >= 10
    assert all(t.work_start <= t.teaching_start for t in main.teachers)
    assert {t.title for t in main.teachers} == set(TITLES)
    for t in main.teachers:
        assert ("新教师" in t.tags) == (t.teaching_years < 3), t
        assert ("青年教师" in t.tags) == (t.age < 35), t
    tags = {tag for t in main.teachers for tag in t.tags}
    assert {"区级骨干教师", "市级骨干教师", "学科带头人", "135教师"} <= tags


def test_every_new_teacher_has_an_experienced_mentor_of_the_same_subject():
    for s in school.build().schools:
        mentees = {m.mentee: m for m in s.mentorships}
        assert sorted(mentees) == sorted(t.staff_no for t in s.teachers if t.new)
        for m in s.mentorships:
            mentor, mentee = s.teacher(m.mentor), s.teacher(m.mentee)
            assert mentor.subject == mentee.subject
            assert mentor.teaching_years >= 10
            assert m.start == mentee.teaching_start < m.end


def test_the_2026_school_year_matches_the_brief():
    year = school_year_dates(2026)
    first, second = year.terms
    assert (year.start, year.end) == (date(2026, 9, 1), date(2027, 8, 31))
    assert (first.start, first.end) == (date(2026, 9, 1), date(2027, 1, 22))
    assert (second.start, second.end) == (date(2027, 2, 22), date(2027, 7, 2))


def test_school_years_needed_on_a_day():
    assert demo_start_years(date(2026, 11, 26)) == [2025, 2026]
    assert demo_start_years(date(2027, 3, 1)) == [2025, 2026]
    assert demo_start_years(date(2027, 7, 10)) == [2025, 2026, 2027]
    assert demo_start_years(date(2026, 8, 31)) == [2024, 2025, 2026]


@given(st.integers(min_value=2000, max_value=2100))
def test_terms_are_weekday_bounded_and_inside_their_year(start_year):
    year = school_year_dates(start_year)
    first, second = year.terms
    assert year.start <= first.start < first.end < second.start < second.end <= year.end
    assert first.start.weekday() < 5 and second.start.weekday() == 0
    assert first.end.weekday() == 4 and second.end.weekday() == 4
    assert first.start - year.start < timedelta(days=3)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_there_is_always_a_current_or_coming_term(today):
    terms = [t for y in demo_start_years(today) for t in school_year_dates(y).terms]
    assert any(t.end >= today for t in terms)
    assert any(t.start <= today for t in terms)
