import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from keshi.cover import selectors, services
from keshi.cover.exports import counts_xlsx
from keshi.cover.models import Cover
from keshi.cover.tests.factories import lesson
from keshi.notify.models import Notification

pytestmark = pytest.mark.django_db

MON, TUE, THU = date(2025, 11, 3), date(2025, 11, 4), date(2025, 11, 6)


@pytest.fixture
def short(people, term):
    """张老师 away Monday and Tuesday (2 days: 调课), with a Monday lesson in 高一(1)班."""
    t = people["teacher"]
    entry = lesson(term, t, 1, 3)
    (a,) = services.set_absences(
        person=t,
        reference="dispatch:7",
        title="外出培训：语文",
        spans=[(MON, "am", TUE, "pm")],
        by=None,
    )
    return a, entry


def test_swap_proposed_then_confirmed_and_counted(cast, people, term, short):
    absence, entry = short
    other = people["other"]
    theirs = lesson(term, other, 4, 5)  # 李老师's Thursday lesson in the same class
    cover = services.arrange_cover(
        absence=absence,
        entry=entry,
        day=MON,
        cover_person=other,
        by=cast.teacher,
        by_office=False,
        swap_entry=theirs,
        swap_date=THU,
    )
    assert (cover.kind, cover.status) == (Cover.Kind.SWAP, Cover.Status.PROPOSED)
    assert Notification.objects.filter(person=other, title__contains="请您调课").exists()
    assert selectors.cover_counts(cast.school, term) == []  # not confirmed yet

    services.decide_cover(cover=cover, accept=True, by=cast.other_teacher)
    cover.refresh_from_db()
    assert cover.status == Cover.Status.CONFIRMED
    assert Notification.objects.filter(person=people["teacher"], title__contains="已同意").exists()
    [row] = selectors.cover_counts(cast.school, term)
    assert (row["name"], row["swap"], row["substitute"], row["total"]) == ("李老师", 1, 0, 1)
    # The absent teacher now teaches 李老师's Thursday lesson: busy then.
    busy = selectors.busy_at(cast.school, {(THU, 5)})[(THU, 5)]
    assert busy[people["teacher"].pk][0][0] == "covering"
    with pytest.raises(ValidationError, match="已处理"):
        services.decide_cover(cover=cover, accept=False, by=cast.other_teacher)


def test_declined_request_frees_the_lesson(cast, people, short):
    absence, entry = short
    cover = services.arrange_cover(
        absence=absence,
        entry=entry,
        day=MON,
        cover_person=people["other"],
        by=None,
        by_office=False,
    )
    services.decide_cover(cover=cover, accept=False, by=cast.other_teacher, note="那天我有公开课")
    [need] = selectors.lessons_to_cover(absence)
    assert need.cover is None
    again = services.arrange_cover(
        absence=absence, entry=entry, day=MON, cover_person=people["lead"], by=None, by_office=False
    )
    assert again.status == Cover.Status.PROPOSED


def test_swap_must_be_same_class_on_its_own_weekday(cast, people, term, short):
    absence, entry = short
    other = people["other"]
    elsewhere = lesson(term, other, 4, 6, class_name="高二(3)班")
    with pytest.raises(ValidationError, match="同一班级"):
        services.arrange_cover(
            absence=absence,
            entry=entry,
            day=MON,
            cover_person=other,
            by=None,
            by_office=False,
            swap_entry=elsewhere,
            swap_date=THU,
        )
    theirs = lesson(term, other, 4, 5)
    with pytest.raises(ValidationError, match="不上"):
        services.arrange_cover(
            absence=absence,
            entry=entry,
            day=MON,
            cover_person=other,
            by=None,
            by_office=False,
            swap_entry=theirs,
            swap_date=date(2025, 11, 5),
        )


def test_teacher_cannot_arrange_substitutes(people, term):
    t = people["teacher"]
    entry = lesson(term, t, 1, 3)
    (a,) = services.set_absences(
        person=t,
        reference="dispatch:8",
        title="培训",
        spans=[(MON, "am", date(2025, 11, 5), "pm")],
        by=None,
    )
    with pytest.raises(ValidationError, match="教务处"):
        services.arrange_cover(
            absence=a, entry=entry, day=MON, cover_person=people["other"], by=None, by_office=False
        )
    cover = services.arrange_cover(
        absence=a, entry=entry, day=MON, cover_person=people["other"], by=None, by_office=True
    )
    assert (cover.kind, cover.status) == (Cover.Kind.SUBSTITUTE, Cover.Status.CONFIRMED)


def test_lesson_outside_the_absence_is_refused(people, term, short):
    absence, entry = short
    with pytest.raises(ValidationError, match="不在"):
        services.arrange_cover(
            absence=absence,
            entry=entry,
            day=THU,
            cover_person=people["other"],
            by=None,
            by_office=True,
        )


def test_counts_xlsx_opens_with_totals(cast, people, term, short):
    absence, entry = short
    c = services.arrange_cover(
        absence=absence,
        entry=entry,
        day=MON,
        cover_person=people["other"],
        by=None,
        by_office=False,
    )
    services.decide_cover(cover=c, accept=True, by=None)
    data = counts_xlsx(cast.school, term, selectors.cover_counts(cast.school, term))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("序号", "工号", "姓名", "代课节数")
    assert rows[2][2:6] == ("李老师", 0, 1, 1)
    assert rows[3][0] == "合计"


def test_cannot_accept_when_away_since_the_request(cast, people, short):
    absence, entry = short
    cover = services.arrange_cover(
        absence=absence,
        entry=entry,
        day=MON,
        cover_person=people["other"],
        by=None,
        by_office=False,
    )
    services.set_absences(
        person=people["other"],
        reference="dispatch:99",
        title="另一培训",
        spans=[(MON, "am", MON, "pm")],
        by=None,
    )
    with pytest.raises(ValidationError, match="外出/请假"):
        services.decide_cover(cover=cover, accept=True, by=cast.other_teacher)
    services.decide_cover(cover=cover, accept=False, by=cast.other_teacher)
    cover.refresh_from_db()
    assert cover.status == Cover.Status.DECLINED
