from datetime import date

import pytest
from django.core.exceptions import ValidationError

from keshi.cover import services
from keshi.cover.models import Absence, Cover
from keshi.cover.tests.factories import lesson
from keshi.notify.models import Notification

pytestmark = pytest.mark.django_db

MON, TUE, WED = date(2025, 11, 3), date(2025, 11, 4), date(2025, 11, 5)


def test_set_absences_is_idempotent_and_replaces(cast, people):
    t = people["teacher"]
    rows = services.set_absences(
        person=t,
        reference="dispatch:1",
        title="外出培训：语文",
        spans=[(MON, "am", TUE, "pm")],
        by=cast.office,
    )
    again = services.set_absences(
        person=t,
        reference="dispatch:1",
        title="外出培训：语文",
        spans=[(MON, "am", TUE, "pm")],
        by=cast.office,
    )
    assert [a.pk for a in rows] == [a.pk for a in again]
    assert Absence.objects.filter(reference="dispatch:1").count() == 1
    a = Absence.objects.get()
    assert (a.org, a.kind, a.created_by) == (cast.school, Absence.Kind.TRAINING, cast.office)

    two = services.set_absences(
        person=t,
        reference="dispatch:1",
        title="外出培训：语文",
        spans=[(WED, "pm", WED, "pm"), (MON, "am", MON, "pm")],
        by=cast.office,
    )
    assert [(a.start_date, a.start_half) for a in two] == [(MON, "am"), (WED, "pm")]
    assert two[0].pk == rows[0].pk  # updated in place
    assert Absence.objects.filter(reference="dispatch:1").count() == 2

    services.set_absences(person=t, reference="dispatch:1", title="x", spans=[], by=cast.office)
    assert not Absence.objects.exists()


def test_bad_spans_are_refused_in_chinese(cast, people):
    with pytest.raises(ValidationError, match="不能早于"):
        services.set_absences(
            person=people["teacher"],
            reference="dispatch:2",
            title="t",
            spans=[(TUE, "am", MON, "pm")],
            by=None,
        )
    with pytest.raises(ValidationError, match="上午"):
        services.set_absences(
            person=people["teacher"],
            reference="dispatch:2",
            title="t",
            spans=[(MON, "x", MON, "pm")],
            by=None,
        )
    with pytest.raises(ValidationError, match="不能早于"):
        services.set_absences(
            person=people["teacher"],
            reference="dispatch:2",
            title="t",
            spans=[(MON, "pm", MON, "am")],
            by=None,
        )
    assert not Absence.objects.exists()


def test_clear_absences_by_reference_and_person(cast, people):
    for who in ("teacher", "other"):
        services.set_absences(
            person=people[who],
            reference="dispatch:3",
            title="t",
            spans=[(MON, "am", MON, "pm")],
            by=None,
        )
    services.set_absences(
        person=people["teacher"],
        reference="dispatch:4",
        title="t",
        spans=[(TUE, "am", TUE, "pm")],
        by=None,
    )
    assert services.clear_absences(reference="dispatch:3", person=people["other"], by=None) == 1
    assert services.clear_absences(reference="dispatch:3", by=None) == 1
    assert services.clear_absences(reference="dispatch:3", by=None) == 0
    assert list(Absence.objects.values_list("reference", flat=True)) == ["dispatch:4"]


def test_shrinking_an_absence_cancels_covers_outside_and_tells_the_cover_teacher(
    cast, people, term
):
    t, other = people["teacher"], people["other"]
    (absence,) = services.set_absences(
        person=t, reference="dispatch:5", title="培训", spans=[(MON, "am", TUE, "pm")], by=None
    )
    mon, tue = lesson(term, t, 1, 2), lesson(term, t, 2, 6)
    keep = Cover.objects.create(
        org=cast.school,
        absence=absence,
        kind="substitute",
        entry=mon,
        date=MON,
        cover_person=other,
        status="confirmed",
    )
    gone = Cover.objects.create(
        org=cast.school,
        absence=absence,
        kind="substitute",
        entry=tue,
        date=TUE,
        cover_person=other,
        status="confirmed",
    )
    services.set_absences(
        person=t, reference="dispatch:5", title="培训", spans=[(MON, "am", TUE, "am")], by=None
    )
    keep.refresh_from_db()
    gone.refresh_from_db()
    assert keep.status == "confirmed"
    assert gone.status == "cancelled"
    assert Notification.objects.filter(person=other, title__contains="已取消").count() == 1

    services.clear_absences(reference="dispatch:5", by=None)
    assert not Cover.objects.exists()
    assert Notification.objects.filter(person=other, title__contains="已取消").count() == 2
