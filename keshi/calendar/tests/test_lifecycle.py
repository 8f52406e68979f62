"""The pure part of 学年与学期的更替: decisions, counts, pairs and yearly memberships."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keshi.calendar.lifecycle import (
    Action,
    Decision,
    Item,
    Section,
    counts,
    decisions,
    membership_plan,
    pair_default,
    pair_end,
    pair_flag,
)

THIS_END = date(2027, 1, 24)
NEXT_START, NEXT_END = date(2027, 2, 22), date(2027, 7, 4)


def rule(ref=1, **values):
    return Item(
        Section.RULES, ref, f"要求{ref}", values=values or {"threshold": "15", "points": "2"}
    )


def test_missing_or_unknown_answers_take_the_default():
    pair = Item(Section.PAIRS, 7, "甲 → 乙", default=Action.DROP)
    chosen = decisions([pair, rule()], {"pairs-7": "explode"})
    assert chosen == {"pairs-7": Decision(Action.DROP), "rules-1": Decision(Action.KEEP)}


def test_a_changed_rule_carries_only_the_values_that_differ():
    data = {"rules-1": "change", "rules-1-threshold": " 20 ", "rules-1-points": "2"}
    assert decisions([rule()], data)["rules-1"] == Decision(
        Action.CHANGE, {"threshold": Decimal("20")}
    )
    # inline values are ignored unless the row says 修改
    data["rules-1"] = "keep"
    assert decisions([rule()], data)["rules-1"] == Decision(Action.KEEP)


@pytest.mark.parametrize("bad", ["二十", "1e999999", "nan", "inf"])
def test_a_value_that_is_not_a_number_names_its_field(bad):
    with pytest.raises(ValueError, match="rules-1-threshold"):
        decisions([rule()], {"rules-1": "change", "rules-1-threshold": bad})


def test_counts_per_section():
    items = [rule(1), rule(2), rule(3), Item(Section.PAIRS, 1, "p")]
    chosen = decisions(items, {"rules-1": "drop", "rules-2": "change"})
    tally = counts(items, chosen)
    assert (tally[Section.RULES].keep, tally[Section.RULES].change) == (1, 1)
    assert tally[Section.RULES].drop == 1 and tally[Section.RULES].total == 3
    assert tally[Section.PAIRS].keep == 1 and tally[Section.GROUPS].total == 0


def test_pairs_ending_before_or_during_the_next_term_are_flagged():
    kw = {"next_start": NEXT_START, "next_end": NEXT_END}
    assert pair_flag(None, **kw) == "" and pair_default(None, **kw) is Action.KEEP
    assert pair_flag(date(2027, 8, 31), **kw) == ""
    assert pair_flag(date(2027, 4, 1), **kw) == "ends_during"
    assert pair_default(date(2027, 4, 1), **kw) is Action.KEEP
    assert pair_flag(THIS_END, **kw) == "ends_before"
    assert pair_default(THIS_END, **kw) is Action.DROP


def test_pair_end_keep_extends_drop_ends_with_this_term():
    kw = {"this_end": THIS_END, "next_end": NEXT_END}
    start = date(2025, 9, 1)
    assert pair_end(start, None, Action.KEEP, **kw) == (False, None)
    assert pair_end(start, date(2027, 4, 1), Action.KEEP, **kw) == (True, NEXT_END)
    assert pair_end(start, None, Action.DROP, **kw) == (True, THIS_END)
    assert pair_end(start, date(2026, 12, 1), Action.DROP, **kw) == (False, date(2026, 12, 1))
    assert pair_end(start, None, Action.CHANGE, **kw) == (False, None)
    # a pair starting next term cannot end before it starts
    assert pair_end(NEXT_START, None, Action.DROP, **kw) == (True, NEXT_START)


@given(
    end=st.one_of(st.none(), st.dates(date(2025, 9, 1), date(2028, 12, 31))),
    action=st.sampled_from(list(Action)),
)
def test_applying_a_pair_decision_twice_changes_nothing_the_second_time(end, action):
    start = date(2025, 9, 1)
    write, new_end = pair_end(start, end, action, this_end=THIS_END, next_end=NEXT_END)
    again, same = pair_end(start, new_end, action, this_end=THIS_END, next_end=NEXT_END)
    assert not again and same == new_end
    if action is Action.KEEP:
        assert new_end is None or new_end >= NEXT_END
    if action is Action.DROP:
        assert new_end is not None and new_end <= max(THIS_END, start)


def test_yearly_membership_keep_drop_change():
    kw = {"year_end": date(2026, 8, 31), "next_year_start": date(2026, 9, 1)}
    start = date(2025, 9, 1)
    keep = membership_plan(start, None, Action.KEEP, already_next=False, **kw)
    assert (keep.end_old, keep.new_start) == (date(2026, 8, 31), date(2026, 9, 1))
    again = membership_plan(start, date(2026, 8, 31), Action.KEEP, already_next=True, **kw)
    assert (again.end_old, again.new_start) == (None, None)
    drop = membership_plan(start, None, Action.DROP, already_next=False, **kw)
    assert (drop.end_old, drop.new_start) == (date(2026, 8, 31), None)
    change = membership_plan(start, None, Action.CHANGE, already_next=False, **kw)
    assert (change.end_old, change.new_start) == (None, None)
