import pytest
from hypothesis import given
from hypothesis import strategies as st

from keshi.contests.assign import AssignmentError, assign


@given(
    n_entries=st.integers(0, 30),
    judges=st.lists(st.integers(1, 50), min_size=1, max_size=10, unique=True),
    per_entry=st.integers(1, 4),
    data=st.data(),
)
def test_conflict_free_distinct_and_complete(n_entries, judges, per_entry, data):
    entries = {
        e: set(data.draw(st.lists(st.sampled_from(judges), max_size=2))) for e in range(n_entries)
    }
    try:
        plan = assign(entries, judges, per_entry)
    except AssignmentError:
        assert any(len(set(judges) - c) < per_entry for c in entries.values())
        return
    assert set(plan) == set(entries)
    for entry, chosen in plan.items():
        assert len(chosen) == len(set(chosen)) == per_entry
        assert not set(chosen) & entries[entry]


@given(
    n_entries=st.integers(0, 40),
    n_judges=st.integers(1, 9),
    per_entry=st.integers(1, 3),
)
def test_even_spread_without_conflicts(n_entries, n_judges, per_entry):
    judges = list(range(1, n_judges + 1))
    if per_entry > n_judges:
        with pytest.raises(AssignmentError):
            assign({e: set() for e in range(max(n_entries, 1))}, judges, per_entry)
        return
    plan = assign({e: set() for e in range(n_entries)}, judges, per_entry)
    loads = [sum(j in chosen for chosen in plan.values()) for j in judges]
    assert max(loads) - min(loads) <= 1
