"""Figures of a load run from the raw response times (ms) the locustfile writes. Pure: no Django.

Percentiles are nearest-rank over every sample of the measured window (after all users were
spawned). Endpoints are grouped by the prefix of their name: ``dashboard:``, ``form:``,
``baseline:``; each dashboard's p95 is also given as a multiple of the baseline's p95.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

PERCENTILES = (50, 95, 99)
GROUPS = ("dashboard", "form", "baseline")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    ratio: float | None = None  # p95 / the baseline's p95 (dashboards)


def _row(name: str, values: list[float], failures: int) -> Row:
    p50, p95, p99 = (percentile(values, p) for p in PERCENTILES)
    return Row(name, len(values), failures, p50, p95, p99)


def summarise(raw: dict, goal_ms: float = 300) -> dict:
    samples: dict[str, list[float]] = raw["samples"]
    failures: dict[str, int] = raw.get("failures", {})
    window = raw["window"]
    seconds = max((window["stop"] or window["start"]) - window["start"], 1e-9)
    endpoints = [_row(n, v, failures.get(n, 0)) for n, v in sorted(samples.items())]
    groups = []
    for group in GROUPS:
        names = [n for n in samples if n.startswith(f"{group}:")]
        values = [v for n in names for v in samples[n]]
        groups.append(_row(group, values, sum(failures.get(n, 0) for n in names)))
    baseline = next(g for g in groups if g.name == "baseline").p95
    for row in [*endpoints, *groups]:
        if row.name.startswith("dashboard") and baseline and not math.isnan(baseline):
            row.ratio = row.p95 / baseline
    dashboards = [r for r in endpoints if r.name.startswith("dashboard:")]
    worst = max((r.p95 for r in dashboards), default=math.nan)
    total = sum(r.requests for r in endpoints)
    return {
        "seconds": round(seconds, 1),
        "requests": total,
        "failures": sum(failures.values()),
        "rps": round(total / seconds, 1),
        "endpoints": [asdict(r) for r in endpoints],
        "groups": [asdict(r) for r in groups],
        "dashboard_p95_ms": worst,
        "baseline_p95_ms": baseline,
        "ratio": worst / baseline if baseline else math.nan,
        "goal_met": bool(sum(failures.values()) == 0 and worst < goal_ms),
        # Before the window: every user logging in (a failed try is retried).
        "ramp_requests": window.get("ramp_requests", 0),
        "ramp_failures": window.get("ramp_failures", 0),
    }


def table(summary: dict) -> str:
    """A Markdown table of endpoints and groups, for docs/load.md."""
    lines = [
        "| endpoint | requests | failures | p50 ms | p95 ms | p99 ms | p95 / baseline p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in [*summary["endpoints"], *summary["groups"]]:
        ratio = f"{row['ratio']:.1f}×" if row["ratio"] is not None else ""
        name = row["name"] if ":" in row["name"] else f"**{row['name']} (all)**"
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['p50']:.0f} | "
            f"{row['p95']:.0f} | {row['p99']:.0f} | {ratio} |"
        )
    lines.append(
        f"\n{summary['requests']} requests in {summary['seconds']} s = {summary['rps']} req/s, "
        f"{summary['failures']} failures. Before that, logging every user in: "
        f"{summary['ramp_requests']} requests, {summary['ramp_failures']} failed (retried)."
    )
    return "\n".join(lines)
