from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from keshi.rules.status import Status, expected_so_far, judge

START, DUE = date(2026, 9, 1), date(2026, 9, 30)


def j(value, target, at, comparator="gte"):
    return judge(
        comparator=comparator,
        value=Decimal(value),
        target=Decimal(target),
        start=START,
        due=DUE,
        at=at,
    )


def test_before_the_period_is_not_due():
    assert j(0, 4, date(2026, 8, 31)) is Status.NOT_DUE


def test_deadline_day_still_open_and_day_after_missed():
    assert j(3, 4, DUE) is Status.BEHIND
    assert j(3, 4, DUE + timedelta(days=1)) is Status.MISSED
    assert j(4, 4, DUE + timedelta(days=1)) is Status.MET


def test_on_track_uses_elapsed_share_in_whole_units():
    # 30 days, target 4: one unit expected from day 8 (4*8/30 = 1.07).
    assert j(0, 4, date(2026, 9, 7)) is Status.ON_TRACK
    assert j(0, 4, date(2026, 9, 8)) is Status.BEHIND
    assert j(1, 4, date(2026, 9, 8)) is Status.ON_TRACK


def test_limit_rules():
    assert j(9, 9, date(2026, 9, 10), "lte") is Status.MET  # within the limit: nothing owed
    assert j(0, 9, date(2026, 9, 10), "lte") is Status.MET
    assert j(9, 9, date(2026, 10, 1), "lte") is Status.MET
    assert j(10, 9, date(2026, 9, 10), "lte") is Status.MISSED


def test_exact_rules():
    assert j(2, 2, date(2026, 9, 10), "eq") is Status.MET
    assert j(3, 2, date(2026, 9, 10), "eq") is Status.MISSED
    assert j(1, 2, date(2026, 10, 1), "eq") is Status.MISSED


@given(st.integers(0, 40), st.integers(1, 30), st.integers(0, 40))
def test_more_work_never_worsens_standing(value, target, day):
    at = START + timedelta(days=day)
    order = [Status.MISSED, Status.BEHIND, Status.ON_TRACK, Status.MET]
    a, b = j(value, target, at), j(value + 1, target, at)
    assert order.index(b) >= order.index(a)


@given(st.integers(1, 50), st.integers(0, 29))
def test_expected_is_monotonic_and_reaches_target(target, day):
    at = START + timedelta(days=day)
    assert expected_so_far(Decimal(target), START, DUE, at) <= expected_so_far(
        Decimal(target), START, DUE, at + timedelta(days=1)
    )
    assert expected_so_far(Decimal(target), START, DUE, DUE) == target
