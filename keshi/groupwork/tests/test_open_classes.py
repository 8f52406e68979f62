"""Open classes: who must attend, attendance, records for teacher and observers, absences."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from keshi.groupwork import services_open, stats
from keshi.groupwork.tests.conftest import records_of
from keshi.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_class(cast, people):
    extra = PersonFactory(org=cast.school, name="孙老师")
    return services_open.save_open_class(
        org=cast.school,
        by=cast.office,
        teacher=people(cast.teacher),
        date=date(2025, 10, 16),
        period=3,
        class_name="初二(3)班",
        subject="语文",
        topic="背影",
        kind="示范课",
        level="校级",
        absence_note="每缺一次按旷课一节论处",
        required_groups=[cast.group],
        required_people=[extra],
    )


def test_required_are_group_members_and_named_people_but_not_the_teacher(cast, open_class):
    from keshi.groupwork.selectors import required_for

    assert {p.name for p in required_for(open_class)} == {"李老师", "王组长", "孙老师"}


def test_close_records_teacher_and_observers_once(cast, open_class, people):
    other, lead = people(cast.other_teacher), people(cast.lead)
    services_open.set_open_class_attendance(
        open_class=open_class, people=[other, lead], by=cast.office
    )
    assert services_open.close_open_class(open_class=open_class, by=cast.office) == 3
    assert services_open.close_open_class(open_class=open_class, by=cast.office) == 0
    taught = records_of(people(cast.teacher), "open_class").get()
    assert taught.data["class_type"] == "示范课" and taught.title == "背影"
    seen = records_of(other, "observation").get()
    assert seen.observed == people(cast.teacher) and seen.data["lesson_no"] == 3


def test_the_teacher_cannot_observe_themselves(cast, open_class, people):
    with pytest.raises(ValidationError):
        services_open.set_open_class_attendance(
            open_class=open_class, people=[people(cast.teacher)], by=cast.office
        )


def test_absences_across_the_term(cast, open_class, people, term):
    services_open.set_open_class_attendance(
        open_class=open_class, people=[people(cast.other_teacher)], by=cast.office
    )
    services_open.close_open_class(open_class=open_class, by=cast.office)
    second = services_open.save_open_class(
        org=cast.school,
        by=cast.office,
        teacher=people(cast.other_teacher),
        date=date(2025, 11, 20),
        period=2,
        class_name="初一(1)班",
        topic="春",
        required_groups=[cast.group],
    )
    services_open.close_open_class(open_class=second, by=cast.office)
    rows = {
        r.person.name: r.count for r in stats.open_class_absences(cast.school, term.start, term.end)
    }
    assert rows == {"王组长": 2, "孙老师": 1, "张老师": 1}
    mine = stats.attendance_of(people(cast.lead), term)
    assert len(mine.open_class_absences) == 2


def test_reopen_and_remove_an_observer_removes_their_record(cast, open_class, people):
    other = people(cast.other_teacher)
    services_open.set_open_class_attendance(open_class=open_class, people=[other], by=cast.office)
    services_open.close_open_class(open_class=open_class, by=cast.office)
    services_open.reopen_open_class(open_class=open_class, by=cast.office)
    services_open.set_open_class_attendance(open_class=open_class, people=[], by=cast.office)
    assert not records_of(other, "observation").exists()
    assert records_of(people(cast.teacher), "open_class").count() == 1
