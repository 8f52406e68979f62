from datetime import date

import pytest

from keshi.demo import dispatch as demo
from keshi.dispatch import states
from keshi.dispatch.models import Dispatch
from keshi.dispatch.selectors import reimbursement_rows
from keshi.dispatch.tests.helpers import school_year
from keshi.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _colleagues(cast) -> None:
    school_year(cast.school)
    for i in range(3):
        PersonFactory(org=cast.school, name=f"同事{i}", staff_no=f"T{i}")


@pytest.mark.parametrize("today", [date(2026, 11, 26), date(2027, 4, 21)])
def test_demo_dispatches_in_every_state_and_idempotent(cast, today):
    _colleagues(cast)
    assert demo.write(cast.school, today) == len(demo.TRIPS)
    assert demo.write(cast.school, today) == 0
    found = set(Dispatch.objects.values_list("state", flat=True))
    assert found == set(states.LABELS)
    trip = Dispatch.objects.get(cross_province=True, state=states.REPORTED)
    rows = reimbursement_rows(Dispatch.objects.all())
    blocked = {r.person.name: r.blocked_by for r in rows if r.dispatch == trip}
    assert blocked["张老师"] == []  # the teacher filed the 心得 and the 汇报课
    (colleague,) = set(blocked) - {"张老师"}
    assert "学习心得（不少于2000字）" in blocked[colleague]


def test_demo_skips_what_does_not_fit_the_term(cast):
    _colleagues(cast)
    made = demo.write(cast.school, date(2026, 9, 10))  # the second week: no past trips yet
    assert 0 < made < len(demo.TRIPS)
    assert not Dispatch.objects.filter(start_date__lt=date(2026, 9, 1)).exists()
