from datetime import date

import pytest

from keshi.demo import dispatch as demo
from keshi.dispatch import states
from keshi.dispatch.models import Dispatch
from keshi.dispatch.selectors import reimbursement_rows
from keshi.dispatch.tests.helpers import school_year
from keshi.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_demo_dispatches_in_every_state_and_idempotent(cast):
    school_year(cast.school)
    for i in range(3):
        PersonFactory(org=cast.school, name=f"同事{i}", staff_no=f"T{i}")
    assert demo.write(cast.school, date(2026, 11, 26)) == len(demo.TRIPS)
    assert demo.write(cast.school, date(2026, 11, 26)) == 0
    found = set(Dispatch.objects.values_list("state", flat=True))
    assert found == {
        states.REPORTED, states.REIMBURSED, states.CANCELLED, states.DISPATCHED, states.REQUESTED,
        states.RETURNED_FOR_CHANGES,
    }  # fmt: skip
    trip = Dispatch.objects.get(cross_province=True, state=states.REPORTED)
    rows = reimbursement_rows(Dispatch.objects.all())
    blocked = {r.person.name: r.blocked_by for r in rows if r.dispatch == trip}
    assert blocked["张老师"] == ["学习心得（不少于2000字）", "外出学习新闻"]
    assert len(blocked) == 2 and all(blocked.values())
