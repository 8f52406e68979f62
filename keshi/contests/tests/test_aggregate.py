from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keshi.contests.aggregate import MEAN, TRIMMED_MEAN, aggregate, awards, rank

scores = st.lists(
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=9,
)
QUOTAS = [("一等奖", 1), ("二等奖", 2), ("三等奖", 3), ("优秀奖", 0)]


def test_examples():
    values = [Decimal(v) for v in ("90", "80", "70", "20")]
    assert aggregate(values, MEAN) == Decimal("65.00")
    assert aggregate(values, TRIMMED_MEAN) == Decimal("75.00")  # drops 90 and 20
    assert aggregate(values[:2], TRIMMED_MEAN) == Decimal("85.00")  # < 3 judges: plain mean
    assert aggregate([], MEAN) is None
    with pytest.raises(ValueError):
        aggregate(values, "median")


@given(scores)
def test_aggregate_lies_between_extremes(values):
    for method in (MEAN, TRIMMED_MEAN):
        result = aggregate(values, method)
        assert min(values) - Decimal("0.01") <= result <= max(values) + Decimal("0.01")


@given(scores)
def test_trimmed_mean_ignores_one_extreme_each_side(values):
    if len(values) < 3:
        assert aggregate(values, TRIMMED_MEAN) == aggregate(values, MEAN)
    else:
        wild = [*values, Decimal(0), Decimal(100)]
        assert aggregate(wild, TRIMMED_MEAN) == aggregate(values, MEAN)


def test_rank_ties_share_and_skip():
    ranks = rank({"a": Decimal(90), "b": Decimal(85), "c": Decimal(85), "d": Decimal(80)})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


@given(st.dictionaries(st.integers(), scores.map(lambda v: v[0]), max_size=20))
def test_rank_is_one_plus_number_strictly_better(table):
    ranks = rank(table)
    for key, value in table.items():
        assert ranks[key] == 1 + sum(1 for v in table.values() if v > value)


def test_tie_at_quota_boundary_gets_higher_level_for_all():
    ranks = {"a": 1, "b": 2, "c": 3, "d": 3, "e": 5, "f": 6, "g": 7}
    result = awards(ranks, QUOTAS)
    # 一等奖 1, 二等奖 up to 3: c and d tie at 3 → both 二等奖; e, f get 三等奖 (cut-off 6)
    assert result == {
        "a": "一等奖", "b": "二等奖", "c": "二等奖", "d": "二等奖",
        "e": "三等奖", "f": "三等奖", "g": "",
    }  # fmt: skip


@given(st.dictionaries(st.integers(), scores.map(lambda v: v[0]), max_size=20))
def test_awards_follow_rank_and_ties_agree(table):
    ranks = rank(table)
    result = awards(ranks, QUOTAS)
    order = ["一等奖", "二等奖", "三等奖", ""]
    for a in table:
        for b in table:
            if table[a] == table[b]:
                assert result[a] == result[b]
            if ranks[a] < ranks[b]:
                assert order.index(result[a]) <= order.index(result[b])
    # never fewer awards than the quotas allow
    assert sum(1 for v in result.values() if v) >= min(len(table), 6)
