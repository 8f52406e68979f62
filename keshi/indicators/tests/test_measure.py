from datetime import date
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from keshi.indicators import measure as M

RATE = M.Definition(is_rate=True, factor=100, unit="%", comparator=">=", target=D(85))
STAY = M.Definition(is_rate=False, factor=100, unit="天", comparator="<=", target=D(9))
VISITS = M.Definition(is_rate=False, factor=100, unit="人次", comparator=">=", target=D(0),
                      growth=D(20))  # fmt: skip


def test_rates_aggregate_as_sum_over_sum_not_mean_of_rates():
    months = [
        M.Entry(numerator=D(90), denominator=D(100)),
        M.Entry(numerator=D(1), denominator=D(10)),
    ]
    assert M.aggregate(RATE, months) == D("82.73")  # 91/110, while the mean of rates is 50


def test_counts_sum_and_other_values_average():
    assert M.aggregate(VISITS, [M.Entry(D(100)), M.Entry(D(250))]) == D(350)
    assert M.aggregate(STAY, [M.Entry(D(8)), M.Entry(D(9.5))]) == D("8.75")
    assert M.aggregate(STAY, []) is None


def test_comparators_follow_the_legal_reading():
    at_85 = [M.Entry(numerator=D(85), denominator=D(100))]
    q = M.Period("month", 2026, 1)
    entries = {(2026, 1): at_85[0]}
    at = date(2026, 3, 1)
    assert M.evaluate(RATE, q, entries, at).status == M.Status.MET  # 85%以上 includes 85
    strict = M.Definition(is_rate=True, factor=100, unit="%", comparator=">", target=D(85))
    assert M.evaluate(strict, q, entries, at).status == M.Status.MISSED  # 超过85% excludes it


def test_growth_target_is_last_years_same_period_times_growth():
    entries = {(2025, 3): M.Entry(D(1000)), (2026, 3): M.Entry(D(1199))}
    judged = M.evaluate(VISITS, M.Period("month", 2026, 3), entries, date(2026, 4, 1))
    assert judged.target == D(1200) and judged.status == M.Status.MISSED
    entries[(2026, 3)] = M.Entry(D(1200))
    assert M.evaluate(VISITS, M.Period("month", 2026, 3), entries, date(2026, 4, 1)).status == "met"
    no_base = M.evaluate(
        VISITS, M.Period("month", 2026, 4), {(2026, 4): M.Entry(D(5))}, date(2026, 5, 1)
    )
    assert no_base.status == M.Status.NO_BASELINE


def test_open_and_unreported_periods():
    p = M.Period("quarter", 2026, 2)
    assert p.months == (4, 5, 6) and p.end == date(2026, 6, 30) and p.key == "2026Q2"
    assert M.evaluate(STAY, p, {}, date(2026, 6, 30)).status == M.Status.OPEN
    assert M.evaluate(STAY, p, {}, date(2026, 7, 1)).status == M.Status.NO_DATA


def test_previous_period_crosses_the_year():
    assert M.Period("month", 2026, 1).previous() == M.Period("month", 2025, 12)
    assert M.Period("quarter", 2026, 1).previous() == M.Period("quarter", 2025, 4)


def test_due_date_is_the_day_of_next_month():
    assert M.due_date(2026, 12, 10) == date(2027, 1, 10)
    assert M.due_date(2026, 1, 31) == date(2026, 2, 28)


@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 500)), min_size=1, max_size=12))
def test_rate_stays_within_the_monthly_extremes(pairs):
    pairs = [(min(n, d), d) for n, d in pairs]
    entries = [M.Entry(numerator=D(n), denominator=D(d)) for n, d in pairs]
    rates = [D(n) / D(d) * 100 for n, d in pairs]
    value = M.aggregate(RATE, entries)
    assert min(rates) - D("0.01") <= value <= max(rates) + D("0.01")


def test_fmt_shows_a_dash_for_a_missing_figure():
    from keshi.indicators.measure import fmt

    assert fmt(None) == fmt("") == "—"
