"""The load run's figures from raw samples: nearest-rank percentiles, groups, the ratio to the
baseline, the goal."""

import math

from keshi.loadtest.report import percentile, summarise, table


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))


def _raw(dashboard_ms: float, failures: int = 0) -> dict:
    return {
        "window": {"start": 100.0, "stop": 110.0},
        "samples": {
            "baseline: /healthz": [10.0] * 19 + [20.0],
            "dashboard: 我的任务": [dashboard_ms] * 20,
            "dashboard: 首页": [50.0] * 20,
            "form: 登记听课 POST": [80.0] * 10,
        },
        "failures": {"form: 登记听课 POST": failures} if failures else {},
    }


def test_summary_groups_ratios_and_goal():
    summary = summarise(_raw(120.0))
    assert summary["requests"] == 70 and summary["rps"] == 7.0 and summary["failures"] == 0
    groups = {g["name"]: g for g in summary["groups"]}
    assert groups["dashboard"]["requests"] == 40 and groups["dashboard"]["p95"] == 120.0
    assert groups["baseline"]["p95"] == 10.0
    rows = {r["name"]: r for r in summary["endpoints"]}
    assert rows["dashboard: 我的任务"]["ratio"] == 12.0
    assert rows["form: 登记听课 POST"]["ratio"] is None
    assert summary["dashboard_p95_ms"] == 120.0 and summary["ratio"] == 12.0
    assert summary["goal_met"]
    assert "| dashboard: 我的任务 | 20 | 0 | 120 | 120 | 120 | 12.0× |" in table(summary)


def test_goal_missed_by_a_slow_dashboard_or_any_failure():
    assert not summarise(_raw(301.0))["goal_met"]
    assert not summarise(_raw(120.0, failures=1))["goal_met"]
