from datetime import date

import pytest
from django.core.exceptions import ValidationError

from keshi.calendar.models import DayOverride
from keshi.cover import selectors, services
from keshi.cover.models import Cover, CoverSettings
from keshi.cover.tests.factories import homeroom, lesson

pytestmark = pytest.mark.django_db


def absent(person, start, start_half, end, end_half, reference="dispatch:1"):
    (a,) = services.set_absences(
        person=person,
        reference=reference,
        title="外出培训",
        spans=[(start, start_half, end, end_half)],
        by=None,
    )
    return a


def test_lessons_on_absent_half_days_skip_holidays_and_follow_makeup_days(people, term):
    t = people["teacher"]
    mon, tue, wed, thu = (lesson(term, t, d, p) for d, p in ((1, 2), (2, 6), (3, 3), (4, 1)))
    lesson(term, t, 4, 7)  # Thursday afternoon: outside the absence
    # Sun 28 Sep is a 调休 working day (Monday timetable by default); 1–8 Oct are 国庆节.
    a = absent(t, date(2025, 9, 28), "am", date(2025, 10, 9), "am")
    got = [(n.date, n.entry) for n in selectors.lessons_to_cover(a)]
    assert got == [
        (date(2025, 9, 28), mon),
        (date(2025, 9, 29), mon),
        (date(2025, 9, 30), tue),
        (date(2025, 10, 9), thu),
    ]
    assert selectors.days_away(a) == 4
    assert wed not in [e for _d, e in got]


def test_makeup_weekday_setting_and_org_override(cast, people, term):
    t = people["teacher"]
    lesson(term, t, 5, 1)
    CoverSettings.objects.create(org=cast.school, makeup_weekday=5)
    a = absent(t, date(2025, 9, 28), "am", date(2025, 9, 28), "pm")
    assert [n.date for n in selectors.lessons_to_cover(a)] == [date(2025, 9, 28)]
    DayOverride.objects.create(org=cast.school, date=date(2025, 9, 28), kind="holiday", name="校庆")
    assert selectors.lessons_to_cover(a) == []


def test_half_days_split_by_the_period_setting(cast, people, term):
    t = people["teacher"]
    morning, afternoon, evening = (
        lesson(term, t, 1, 4),
        lesson(term, t, 1, 5),
        lesson(term, t, 1, 9),
    )
    CoverSettings.objects.create(org=cast.school, morning_last=4, afternoon_last=8, evening_last=10)
    am = absent(t, date(2025, 11, 3), "am", date(2025, 11, 3), "am", "dispatch:a")
    pm = absent(t, date(2025, 11, 10), "pm", date(2025, 11, 10), "pm", "dispatch:b")
    assert [n.entry for n in selectors.lessons_to_cover(am)] == [morning]
    assert [n.entry for n in selectors.lessons_to_cover(pm)] == [afternoon, evening]


def test_two_days_swap_three_days_substitute(settings, people, term):
    t = people["teacher"]
    two = absent(t, date(2025, 11, 3), "am", date(2025, 11, 4), "pm", "dispatch:2")
    assert (selectors.days_away(two), selectors.cover_kind(two)) == (2, Cover.Kind.SWAP)
    half = absent(t, date(2025, 11, 10), "am", date(2025, 11, 12), "am", "dispatch:3")
    assert (selectors.days_away(half), selectors.cover_kind(half)) == (3, Cover.Kind.SUBSTITUTE)
    # A weekend inside does not count: Fri–Mon is two school days.
    weekend = absent(t, date(2025, 11, 14), "am", date(2025, 11, 17), "pm", "dispatch:4")
    assert selectors.cover_kind(weekend) == Cover.Kind.SWAP
    # Spans of one dispatch add up.
    rows = services.set_absences(
        person=t,
        reference="dispatch:5",
        title="两段培训",
        spans=[
            (date(2025, 12, 1), "am", date(2025, 12, 1), "pm"),
            (date(2025, 12, 3), "am", date(2025, 12, 4), "pm"),
        ],
        by=None,
    )
    assert selectors.cover_kind(rows[0]) == Cover.Kind.SUBSTITUTE
    settings.KESHI_COVER_SUBSTITUTE_DAYS = 2
    assert selectors.cover_kind(two) == Cover.Kind.SUBSTITUTE


def test_clashes_block_when_away_and_warn_when_teaching_or_covering(cast, people, term):
    t, other, lead = people["teacher"], people["other"], people["lead"]
    mine = lesson(term, t, 1, 2)
    mine_too = lesson(term, t, 2, 2)
    lesson(term, other, 1, 2, class_name="高一(2)班")
    a = absent(t, date(2025, 11, 3), "am", date(2025, 11, 5), "pm")  # 3 days: 代课
    mon, tue = date(2025, 11, 3), date(2025, 11, 4)

    with pytest.raises(services.ClashWarning) as caught:
        services.arrange_cover(
            absence=a, entry=mine, day=mon, cover_person=other, by=None, by_office=True
        )
    assert "该节本人有课（高一(2)班语文）" in caught.value.messages[0]
    assert not Cover.objects.exists()
    cover = services.arrange_cover(
        absence=a,
        entry=mine,
        day=mon,
        cover_person=other,
        by=None,
        by_office=True,
        confirm_clashes=True,
    )
    assert cover.status == Cover.Status.CONFIRMED and "本人有课" in cover.warnings

    # The lead is away on Tuesday morning: blocked, whatever the confirmation.
    absent(lead, tue, "am", tue, "am", "manual:9")
    with pytest.raises(ValidationError, match="外出/请假"):
        services.arrange_cover(
            absence=a,
            entry=mine_too,
            day=tue,
            cover_person=lead,
            by=None,
            by_office=True,
            confirm_clashes=True,
        )
    # Covering one lesson makes the cover teacher busy at that slot for another absence.
    third = lesson(term, people["outsider"], 1, 2)  # another school: not a colleague
    with pytest.raises(ValidationError, match="本单位"):
        services.arrange_cover(
            absence=a, entry=mine_too, day=tue, cover_person=third.person, by=None, by_office=True
        )
    busy = selectors.busy_at(cast.school, {(mon, 2)})[(mon, 2)]
    assert [why for why, _m, _pk in busy[other.pk]] == ["teaching", "covering"]
    # The same lesson cannot be covered twice.
    with pytest.raises(ValidationError, match="已经安排"):
        services.arrange_cover(
            absence=a,
            entry=mine,
            day=mon,
            cover_person=lead,
            by=None,
            by_office=True,
            confirm_clashes=True,
        )


def test_homeroom_cover(cast, people, term):
    t, other = people["teacher"], people["other"]
    duty = homeroom(term, t)
    a = absent(t, date(2025, 11, 3), "am", date(2025, 11, 4), "pm")
    assert selectors.homeroom_to_cover(a) == [(duty, None)]
    c = services.arrange_homeroom(
        absence=a, duty=duty, cover_person=other, by=None, by_office=False
    )
    assert c.status == Cover.Status.PROPOSED
    assert selectors.homeroom_to_cover(a) == [(duty, c)]
    with pytest.raises(ValidationError, match="代理班主任"):
        services.arrange_homeroom(absence=a, duty=duty, cover_person=other, by=None, by_office=True)


def test_overview_flags_a_clash_that_arose_after_saving(cast, people, term):
    t, other = people["teacher"], people["other"]
    entry = lesson(term, t, 1, 2)
    a = absent(t, date(2025, 11, 3), "am", date(2025, 11, 5), "pm")
    services.arrange_cover(
        absence=a, entry=entry, day=date(2025, 11, 3), cover_person=other, by=None, by_office=True
    )
    [need] = selectors.lessons_to_cover(a)
    selectors.annotate_busy(cast.school, [need])
    assert selectors.cover_clashes(need) == []  # covering this very lesson is no clash
    absent(other, date(2025, 11, 3), "am", date(2025, 11, 3), "am", "manual:77")
    selectors.annotate_busy(cast.school, [need])
    assert selectors.cover_clashes(need) == ["该时段外出/请假（外出培训）"]
