"""``keshi demo-data`` gives the demo school a timetable, 班主任 and covers around today,
without clashes, and a second run changes nothing."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from keshi.cover import selectors
from keshi.cover.models import Absence, Cover, HomeroomDuty, TimetableEntry


def _counts():
    return [m.objects.count() for m in (TimetableEntry, HomeroomDuty, Absence, Cover)]


@pytest.mark.slow
def test_demo_cover_data(demo_school):
    entries = TimetableEntry.objects.filter(org=demo_school)
    assert entries.count() > 300
    by_class = entries.values("term", "class_name", "weekday", "period").annotate(n=Count("pk"))
    assert not by_class.filter(n__gt=1).exists()  # a class has one lesson at a time
    assert HomeroomDuty.objects.filter(org=demo_school).count() >= 10
    kinds = {
        a.reference: selectors.cover_kind(a)
        for a in Absence.objects.filter(org=demo_school, reference__startswith="demo:")
    }
    assert kinds == {"demo:sick": "substitute", "demo:past": "substitute", "demo:meeting": "swap"}
    sick = Absence.objects.get(reference="demo:sick")
    needs = selectors.lessons_to_cover(sick)
    assert sum(1 for n in needs if n.cover is None) == 1
    statuses = set(
        Cover.objects.filter(absence__reference="demo:meeting").values_list("status", flat=True)
    )
    assert statuses == {"confirmed", "proposed"}
    assert not Cover.objects.exclude(warnings="").exists()  # arranged without clashes
    before = _counts()
    call_command("demo-data", verbosity=0)
    assert _counts() == before
