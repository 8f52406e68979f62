from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keshi.checks import scoring
from keshi.checks.builtins import BUILTIN_RUBRICS, builtin_rows


def test_parse_criteria_and_levels_round_trip():
    criteria = scoring.parse_criteria("制度建设 | 20 | 30 | 计划、总结\n活动成效｜25\n\n")
    assert [(c.key, c.name, c.max, c.weight, c.note) for c in criteria] == [
        ("c1", "制度建设", Decimal(20), Decimal(30), "计划、总结"),
        ("c2", "活动成效", Decimal(25), None, ""),
    ]
    assert scoring.parse_criteria(scoring.criteria_text(criteria)) == criteria
    levels = scoring.parse_levels("良 75、优 90，中 60；差 0")
    assert [lv.label for lv in levels] == ["优", "良", "中", "差"]
    assert scoring.parse_levels(scoring.levels_text(levels)) == levels


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "至少需要一个评分项目"),
        ("教案", "请写成"),
        ("教案 | 十", "不是数字"),
        ("教案 | 0", "满分必须大于 0"),
        ("教案 | 10\n教案 | 5", "重复"),
        ("教案 | 10 | -1", "权重不能为负数"),
        ("教案 | 10 | 0", "权重之和必须大于 0"),
    ],
)
def test_bad_criteria_are_explained_in_chinese(text, message):
    with pytest.raises(scoring.ScoringError, match=message):
        scoring.parse_criteria(text)


def test_bad_levels():
    with pytest.raises(scoring.ScoringError, match="优 90"):
        scoring.parse_levels("优秀")
    with pytest.raises(scoring.ScoringError, match="不能超过 100"):
        scoring.parse_levels("优 120")
    with pytest.raises(scoring.ScoringError, match="相同"):
        scoring.parse_levels("优 90、良 90")


def test_weighted_percent_and_level():
    criteria = scoring.parse_criteria("甲 | 10 | 1\n乙 | 50 | 3")
    levels = scoring.parse_levels("优 90、良 80、中 60、差 0")
    # 甲 full (share 1 of 4), 乙 half (1.5 of 4) → 62.5%
    result = scoring.score(criteria, {"c1": Decimal(10), "c2": Decimal(25)}, levels)
    assert (result.total, result.max_total, result.percent, result.level) == (
        Decimal(35),
        Decimal(60),
        Decimal("62.50"),
        "中",
    )
    # without weights the percentage is total / max total
    plain = scoring.parse_criteria("甲 | 10\n乙 | 50")
    assert scoring.score(plain, {"c1": Decimal(10), "c2": Decimal(25)}).percent == Decimal("58.33")


def test_clean_scores_bounds():
    criteria = scoring.parse_criteria("甲 | 10")
    assert scoring.clean_scores(criteria, {"c1": "9.5"}) == {"c1": Decimal("9.5")}
    for bad, message in (("11", "0 到 10"), ("-1", "0 到 10"), ("", "未评分"), ("x", "不是数字")):
        with pytest.raises(scoring.ScoringError, match=message):
            scoring.clean_scores(criteria, {"c1": bad})


def test_builtins_parse_and_total_100():
    rows = builtin_rows()
    assert len(rows) == len(BUILTIN_RUBRICS) == 4
    for row in rows:
        assert sum(Decimal(c["max"]) for c in row["criteria"]) == 100
    observation = next(r for r in rows if r["code"] == "observation")
    names = [c["name"] for c in observation["criteria"]]
    assert names[:4] == ["记忆性提问", "理解性提问", "应用性提问", "评价性提问"]
    appraisal = next(r for r in rows if r["code"] == "group-appraisal")
    assert [c["name"] for c in appraisal["criteria"]] == [
        "制度建设",
        "活动影响",
        "活动成效",
        "活动特色",
        "教学常规",
    ]


maxima = st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=8)


@st.composite
def rubric_and_scores(draw):
    maxes = draw(maxima)
    weights = draw(
        st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=len(maxes), max_size=len(maxes))
    )
    if sum(m if w is None else w for m, w in zip(maxes, weights, strict=True)) == 0:
        weights = [None] * len(maxes)
    criteria = [
        scoring.Criterion(f"c{i}", f"项{i}", Decimal(m), None if w is None else Decimal(w))
        for i, (m, w) in enumerate(zip(maxes, weights, strict=True))
    ]
    scores = {c.key: Decimal(draw(st.integers(0, int(c.max) * 2))) / 2 for c in criteria}
    return criteria, scores


LEVELS = scoring.parse_levels("优 90、良 80、中 60、差 0")


@given(rubric_and_scores())
def test_percent_bounded_and_total_is_sum(data):
    criteria, scores = data
    result = scoring.score(criteria, scores, LEVELS)
    assert result.total == sum(scores.values())
    assert 0 <= result.total <= result.max_total
    assert Decimal(0) <= result.percent <= Decimal(100)
    assert result.level in {"优", "良", "中", "差"}


@given(rubric_and_scores(), st.data())
def test_raising_a_score_never_lowers_percent_or_level(data, more):
    criteria, scores = data
    c = more.draw(st.sampled_from(criteria))
    better = dict(scores, **{c.key: c.max})
    order = ["差", "中", "良", "优"]
    before, after = scoring.score(criteria, scores, LEVELS), scoring.score(criteria, better, LEVELS)
    assert after.percent >= before.percent
    assert order.index(after.level) >= order.index(before.level)


@given(rubric_and_scores())
def test_full_marks_is_100_percent(data):
    criteria, _ = data
    full = {c.key: c.max for c in criteria}
    assert scoring.score(criteria, full, LEVELS).percent == 100
    assert scoring.score(criteria, full, LEVELS).level == "优"


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_level_bands_are_inclusive_lower_bounds(percent):
    label = scoring.level_for(percent, LEVELS)
    expected = "优" if percent >= 90 else "良" if percent >= 80 else "中" if percent >= 60 else "差"
    assert label == expected
