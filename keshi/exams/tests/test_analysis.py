"""The pure 质量分析 on a hand-checked grade of two classes."""

import math

import pandas as pd
import pytest

from keshi.exams.analysis import GRADE, Rule, analyse

RULES = {"语文": Rule(100), "数学": Rule(150)}
ROWS = [
    ("1班", "a", "语文", 90, "sat"),
    ("1班", "b", "语文", 60, "sat"),  # exactly at the 及格 line
    ("1班", "c", "语文", None, "absent"),
    ("2班", "d", "语文", 100, "sat"),
    ("2班", "e", "语文", 30, "sat"),  # under the 低分 line (40)
    ("2班", "f", "语文", None, "cheated"),
    ("1班", "a", "数学", 150, "sat"),
    ("2班", "d", "数学", 90, "sat"),  # 90/150 = 0.6: passes
]


def frame(rows=ROWS):
    return pd.DataFrame(rows, columns=["class", "student", "subject", "score", "status"])


def row(table, subject, klass):
    return table[(table["subject"] == subject) & (table["class"] == klass)].iloc[0]


def test_class_and_grade_statistics():
    result = analyse(frame(), RULES)
    one = row(result.classes, "语文", "1班")
    assert (one.enrolled, one.sat, one.absent, one.cheated) == (3, 2, 1, 0)
    assert (one["mean"], one["max"], one["min"]) == (75, 90, 60)
    assert one["std"] == pytest.approx(15)  # population standard deviation
    assert (one.pass_rate, one.excellent_rate, one.low_rate) == (1, 0.5, 0)
    grade = row(result.classes, "语文", GRADE)
    assert (grade.enrolled, grade.sat, grade["mean"]) == (6, 4, 70)
    assert (grade.pass_rate, grade.low_rate) == (0.75, 0.25)
    assert math.isnan(grade["rank"])
    assert row(result.classes, "语文", "1班")["rank"] == 1
    assert row(result.classes, "语文", "2班")["diff"] == pytest.approx(-5)
    assert row(result.classes, "数学", "2班").pass_rate == 1


def test_bands_hold_the_full_mark_in_the_top_band():
    bands = analyse(frame(), RULES).bands
    grade = bands[(bands["subject"] == "语文") & (bands["class"] == GRADE)]
    assert list(grade["count"]) == [0, 0, 0, 1, 0, 0, 1, 0, 0, 2]
    top = grade.iloc[-1]
    assert (top.lower, top.upper) == (90, 100)


def test_teachers_over_their_students_and_progress_against_the_previous_exam():
    teachers = pd.DataFrame(
        [("1班", "语文", "张"), ("2班", "语文", "张"), ("1班", "数学", "李")],
        columns=["class", "subject", "teacher"],
    )
    before = analyse(frame(), RULES).classes
    swapped = [(("2班" if c == "1班" else "1班"), *rest) for c, *rest in ROWS]
    result = analyse(frame(swapped), RULES, teachers=teachers, previous=before)
    zhang = result.teachers[result.teachers["teacher"] == "张"].iloc[0]
    assert (zhang.sat, zhang["mean"], zhang.classes) == (4, 70, "1班、2班")
    moved = row(result.classes, "语文", "2班")
    assert (moved["rank"], moved.prev_rank, moved.rank_change) == (1, 2, 1)
    assert moved.diff_change == pytest.approx(10)


def test_class_names_sort_as_numbers():
    rows = [(f"初一({n})班", str(n), "语文", 80, "sat") for n in (10, 2, 1)]
    table = analyse(frame(rows), {"语文": Rule(100)}).classes
    assert list(table["class"]) == ["初一(1)班", "初一(2)班", "初一(10)班", GRADE]
