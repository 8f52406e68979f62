"""质量分析 of one exam. Pure: pandas and numpy, no Django.

Input: one row per (class, student, subject) with ``score`` (NaN unless sat) and ``status``
(``sat`` / ``absent`` / ``cheated``); the rules per subject (full mark and the 及格/优秀/低分
lines as fractions of it). Output: tables as DataFrames, ready for the page, Word and Excel.

Conventions: 参考人数 counts only those who sat; 缺考 and 作弊 are counted apart and left out
of every statistic; 标准差 is the population standard deviation (ddof=0) as schools compute
it for a whole class; rates are fractions (0–1) of those who sat; a score *at* a line reaches
it (及格 = score ≥ 60 % of the full mark). Class rank is by 平均分 within the subject, ties
sharing the better rank; 进退步 compares rank and the difference from the grade average with the
previous comparable exam (positive rank change = moved up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

GRADE = "全年级"
SAT, ABSENT, CHEATED = "sat", "absent", "cheated"
COLUMNS = ["class", "student", "subject", "score", "status"]
BANDS = 10


def class_order(name: str) -> str:
    """初一(2)班 before 初一(10)班: numbers compared as numbers."""
    return re.sub(r"\d+", lambda m: m.group().zfill(6), name)


@dataclass(frozen=True)
class Rule:
    full_mark: float
    pass_ratio: float = 0.6
    excellent_ratio: float = 0.85
    low_ratio: float = 0.4


@dataclass
class Analysis:
    classes: pd.DataFrame  # one row per (subject, class) plus (subject, 全年级)
    bands: pd.DataFrame  # (subject, class, band, lower, upper, count)
    teachers: pd.DataFrame = field(default_factory=pd.DataFrame)
    subjects: list[str] = field(default_factory=list)


STAT_COLUMNS = [
    "subject",
    "class",
    "enrolled",
    "sat",
    "absent",
    "cheated",
    "mean",
    "max",
    "min",
    "std",
    "pass_rate",
    "excellent_rate",
    "low_rate",
    "rank",
    "diff",
]


def _marked(frame: pd.DataFrame, rules: dict[str, Rule]) -> pd.DataFrame:
    """Those who sat, with their ratio to the full mark and the three lines reached."""
    sat = frame.loc[frame["status"] == SAT, ["class", "student", "subject", "score"]].copy()
    sat["score"] = sat["score"].astype(float)
    codes, names = pd.factorize(sat["subject"])
    lines = np.array(
        [
            (rules[n].full_mark, rules[n].pass_ratio, rules[n].excellent_ratio, rules[n].low_ratio)
            for n in names
        ],
        dtype=float,
    ).reshape(-1, 4)[codes]
    ratio = sat["score"].to_numpy() / lines[:, 0]
    # A small epsilon: 90 of 150 is exactly 0.6, and 0.6 as a float must not round it away.
    eps = 1e-9
    sat["passed"] = ratio + eps >= lines[:, 1]
    sat["excellent"] = ratio + eps >= lines[:, 2]
    sat["low"] = ratio < lines[:, 3] - eps
    sat["band"] = np.minimum(np.floor(ratio * BANDS + eps), BANDS - 1).astype(int)
    return sat


def _sums(sat: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Additive sums per group (one pass over the scores); statistics come from these."""
    grouped = sat.assign(sq=sat["score"] ** 2).groupby(keys, sort=False)
    return grouped.agg(
        sat=("score", "size"),
        total=("score", "sum"),
        sq=("sq", "sum"),
        max=("score", "max"),
        min=("score", "min"),
        passed=("passed", "sum"),
        excellent=("excellent", "sum"),
        low=("low", "sum"),
    )


def _rollup(sums: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Finer groups' sums added up to ``keys`` (classes to the grade, or to a teacher)."""
    add = {c: (c, "sum") for c in ("sat", "total", "sq", "passed", "excellent", "low")}
    return sums.groupby(keys, sort=False).agg(**add, max=("max", "max"), min=("min", "min"))


def _stats(sums: pd.DataFrame) -> pd.DataFrame:
    n = sums["sat"]
    out = pd.DataFrame(index=sums.index)
    out["sat"] = n
    out["mean"] = sums["total"] / n
    out["max"] = sums["max"]
    out["min"] = sums["min"]
    out["std"] = np.sqrt(np.maximum(sums["sq"] / n - out["mean"] ** 2, 0))  # population
    out["pass_rate"] = sums["passed"] / n
    out["excellent_rate"] = sums["excellent"] / n
    out["low_rate"] = sums["low"] / n
    return out


def _counts(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    status = frame.groupby([*keys, "status"], sort=False).size().unstack(fill_value=0)
    status = status.reindex(columns=[SAT, ABSENT, CHEATED], fill_value=0)
    out = pd.DataFrame(index=status.index)
    out["enrolled"] = status[[SAT, ABSENT, CHEATED]].sum(axis=1)
    out["absent"] = status[ABSENT]
    out["cheated"] = status[CHEATED]
    return out


def class_table(
    frame: pd.DataFrame, rules: dict[str, Rule], sums: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per subject: each class and the grade, with rank and difference from the grade mean.
    ``sums``: the per-(subject, class) sums of :func:`_sums`, when the caller has them."""
    sums = _sums(_marked(frame, rules), ["subject", "class"]) if sums is None else sums
    counts = _counts(frame, ["subject", "class"])
    per_class = counts.join(_stats(sums))
    grade = counts.groupby(level="subject", sort=False).sum()
    grade = grade.join(_stats(_rollup(sums, ["subject"])))
    grade["class"] = GRADE
    grade = grade.reset_index().set_index(["subject", "class"])
    per_class = per_class.reset_index()
    per_class["sat"] = per_class["sat"].fillna(0).astype(int)
    grade_mean = grade["mean"].droplevel("class")
    per_class["rank"] = per_class.groupby("subject")["mean"].rank(ascending=False, method="min")
    per_class["diff"] = per_class["mean"] - per_class["subject"].map(grade_mean)
    grade = grade.reset_index()
    grade["sat"] = grade["sat"].fillna(0).astype(int)
    grade["rank"] = np.nan
    grade["diff"] = 0.0
    table = pd.concat([per_class, grade], ignore_index=True)
    order = {s: i for i, s in enumerate(rules)}
    table["_s"] = table["subject"].map(order)
    table["_g"] = table["class"] == GRADE
    table["_c"] = table["class"].map(class_order)
    table = table.sort_values(["_s", "_g", "_c"]).drop(columns=["_s", "_g", "_c"])
    return table[STAT_COLUMNS].reset_index(drop=True)


def band_table(sat: pd.DataFrame, rules: dict[str, Rule]) -> pd.DataFrame:
    """分数段: ten equal bands of the full mark per subject, for each class and the grade; the
    top band holds the full mark itself."""
    per_class = sat.groupby(["subject", "class", "band"]).size()
    grade = per_class.groupby(level=["subject", "band"]).sum()
    grade.index = pd.MultiIndex.from_arrays(
        [grade.index.get_level_values(0), [GRADE] * len(grade), grade.index.get_level_values(1)],
        names=["subject", "class", "band"],
    )
    counts = pd.concat([per_class, grade]).rename("count").reset_index()
    classes = sorted(sat["class"].drop_duplicates(), key=class_order) + [GRADE]
    full = pd.MultiIndex.from_product(
        [list(rules), classes, range(BANDS)], names=["subject", "class", "band"]
    )
    counts = counts.set_index(["subject", "class", "band"]).reindex(full, fill_value=0)
    counts = counts.reset_index()
    width = counts["subject"].map({s: r.full_mark / BANDS for s, r in rules.items()})
    counts["lower"] = counts["band"] * width
    counts["upper"] = (counts["band"] + 1) * width
    return counts


def teacher_table(
    sums: pd.DataFrame, teachers: pd.DataFrame, classes: pd.DataFrame
) -> pd.DataFrame:
    """Per 任课教师 and subject, over all the students of their classes (not a mean of means):
    the classes' sums added up. ``sums``: per (subject, class), from :func:`_sums`."""
    if teachers.empty:
        return pd.DataFrame(
            columns=["teacher", "subject", "classes", "sat", "mean", "pass_rate", "diff"]
        )
    joined = sums.reset_index().merge(
        teachers[["class", "subject", "teacher"]], on=["class", "subject"]
    )
    out = _stats(_rollup(joined, ["teacher", "subject"])).reset_index()
    names = (
        teachers.sort_values("class")
        .groupby(["teacher", "subject"])["class"]
        .agg("、".join)
        .rename("classes")
    )
    out = out.merge(names, on=["teacher", "subject"], how="left")
    grade_mean = classes.loc[classes["class"] == GRADE].set_index("subject")["mean"]
    out["diff"] = out["mean"] - out["subject"].map(grade_mean)
    return out.sort_values(["subject", "mean"], ascending=[True, False]).reset_index(drop=True)


def progress(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """``current`` class table with the previous exam's rank and difference beside it."""
    before = previous.loc[previous["class"] != GRADE, ["subject", "class", "rank", "diff"]]
    before = before.rename(columns={"rank": "prev_rank", "diff": "prev_diff"})
    out = current.merge(before, on=["subject", "class"], how="left")
    out["rank_change"] = out["prev_rank"] - out["rank"]
    out["diff_change"] = out["diff"] - out["prev_diff"]
    return out


def analyse(
    frame: pd.DataFrame,
    rules: dict[str, Rule],
    *,
    teachers: pd.DataFrame | None = None,
    previous: pd.DataFrame | None = None,
) -> Analysis:
    """The whole analysis. ``teachers``: (class, subject, teacher); ``previous``: the class
    table of the previous comparable exam (for 进退步)."""
    frame = frame[frame["subject"].isin(list(rules))]
    if frame.empty:
        empty = pd.DataFrame(columns=STAT_COLUMNS)
        return Analysis(classes=empty, bands=pd.DataFrame(), subjects=[])
    sat = _marked(frame, rules)
    sums = _sums(sat, ["subject", "class"])
    classes = class_table(frame, rules, sums)
    if previous is not None and not previous.empty:
        classes = progress(classes, previous)
    return Analysis(
        classes=classes,
        bands=band_table(sat, rules),
        teachers=teacher_table(sums, teachers if teachers is not None else pd.DataFrame(), classes),
        subjects=[s for s in rules if s in set(frame["subject"])],
    )
