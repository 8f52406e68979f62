"""describe(): the plan-genre sentence for a requirement's fields (pure, no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keshi.rules.describe import (
    COMPARATOR_WORDS,
    PERIOD_WORDS,
    Rule,
    audience,
    bounds,
    describe,
    number,
)

OBSERVATION = ("听课/听评课", "节")
REFLECTION = ("教学反思/随笔", "篇")
BLOG = ("博客/论坛", "篇")
TRAINING = ("培训", "学时")


@pytest.mark.parametrize(
    ("rule", "sentence"),
    [
        (
            Rule(kinds=(OBSERVATION,), threshold=15, teaching_years_max=2),
            "教龄不满3年的教师每学期听课不少于15节",
        ),
        (Rule(kinds=(OBSERVATION,), threshold=8), "每学期听课不少于8节"),
        (Rule(kinds=(OBSERVATION,), threshold=50, group_role="lead"), "组长每学期听课不少于50节"),
        (
            Rule(
                kinds=(REFLECTION,),
                threshold=1,
                period="month",
                item_min_chars=800,
                deadline="last_friday",
            ),
            "每月教学反思不少于1篇（每篇不少于800字），每月最后一个星期五前完成",
        ),
        (
            Rule(
                kinds=(OBSERVATION,),
                threshold=4,
                period="week",
                mentorship="mentee_observes_mentor",
            ),
            "徒弟每周听师傅的课不少于4节",
        ),
        (
            Rule(
                kinds=(OBSERVATION,),
                threshold=1,
                period="two_weeks",
                mentorship="mentor_observes_mentee",
            ),
            "师傅每两周听徒弟的课不少于1节",
        ),
        (
            Rule(kinds=(BLOG,), threshold=1, period="week", age_max=40),
            "40周岁以下教师每周博客不少于1篇",
        ),
        (
            Rule(kinds=(TRAINING,), threshold=73, period="school_year", measure="credits"),
            "每学年培训不少于73学分",
        ),
        (
            Rule(kinds=(TRAINING,), threshold="72.50", period="school_year", measure="quantity"),
            "每学年培训不少于72.5学时",
        ),
        (
            Rule(kinds=(TRAINING,), threshold=2, measure="count"),
            "每学期培训不少于2次",
        ),
        (
            Rule(kinds=(REFLECTION, ("读书笔记/摘抄", "篇")), threshold=3000, measure="chars"),
            "每学期教学反思或读书笔记合计不少于3000字",
        ),
        (
            Rule(kinds=(OBSERVATION,), threshold=10, teaching_years_min=10),
            "教龄10年以上的教师每学期听课不少于10节",
        ),
        (
            Rule(kinds=(OBSERVATION,), threshold=10, teaching_years_min=3, teaching_years_max=5),
            "教龄3至5年的教师每学期听课不少于10节",
        ),
        (
            Rule(kinds=(OBSERVATION,), threshold=6, age_min=50),
            "50周岁以上教师每学期听课不少于6节",
        ),
        (
            Rule(kinds=(OBSERVATION,), threshold=20, groups=("语文组", "数学组")),
            "语文组、数学组全体教师每学期听课不少于20节",
        ),
        (
            Rule(kinds=(OBSERVATION,), threshold=30, groups=("语文组",), group_role="deputy"),
            "语文组副组长每学期听课不少于30节",
        ),
        (
            Rule(kinds=(("公开课/示范课", "节"),), threshold=1, tags=("骨干教师",)),
            "骨干教师每学期公开课不少于1节",
        ),
        (
            Rule(kinds=(("公开课/示范课", "节"),), threshold=1, tags=("青蓝工程",)),
            "青蓝工程教师每学期公开课不少于1节",
        ),
        (
            Rule(kinds=(("会议", "次"),), threshold=2, comparator="lte", period="month"),
            "每月会议不超过2次",
        ),
        (
            Rule(kinds=(REFLECTION,), threshold=1, period="week", deadline="last_friday"),
            "每周教学反思不少于1篇，每周星期五前完成",
        ),
        (
            Rule(kinds=(REFLECTION,), threshold=1, period="month", deadline="last_workday"),
            "每月教学反思不少于1篇，每月最后一个工作日前完成",
        ),
    ],
)
def test_sentences(rule, sentence):
    assert describe(rule) == sentence


def test_legal_reading_of_bounds():
    # 不满 excludes the number, 以上/以下 include it: the bound stored is inclusive.
    assert audience(Rule(teaching_years_max=2)) == "教龄不满3年的教师"
    assert audience(Rule(teaching_years_max=0)) == "教龄不满1年的教师"
    assert audience(Rule(teaching_years_min=0)) == ""  # 0 years and up bounds nothing
    assert audience(Rule(age_max=35, teaching_years_max=4)) == "35周岁以下、教龄不满5年的教师"
    assert audience(Rule(age_min=45, age_max=45)) == "45周岁教师"


def test_many_groups_are_summarised():
    groups = ("语文组", "数学组", "英语组", "物理组")
    rule = Rule(kinds=(OBSERVATION,), threshold=50, groups=groups, group_role="lead")
    assert describe(rule) == "语文组、数学组等4个组的组长每学期听课不少于50节"


def test_bounds_for_tables():
    assert bounds(None, 2, "年") == "≤2年"
    assert bounds(3, None, "年") == "≥3年"
    assert bounds(35, 45, "岁") == "35–45岁"
    assert bounds(None, None, "岁") == ""


def test_number_formatting():
    assert number(Decimal("15.00")) == "15"
    assert number(Decimal("0.50")) == "0.5"
    assert number(Decimal("1E+2")) == "100"
    assert number("72.25") == "72.25"


limits = st.one_of(st.none(), st.integers(min_value=0, max_value=70))
rules = st.builds(
    Rule,
    kinds=st.lists(
        st.sampled_from([OBSERVATION, REFLECTION, BLOG, TRAINING]), min_size=1, max_size=3
    ).map(tuple),
    measure=st.sampled_from(["count", "quantity", "credits", "chars"]),
    comparator=st.sampled_from(list(COMPARATOR_WORDS)),
    threshold=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10_000), places=2),
    period=st.sampled_from(list(PERIOD_WORDS)),
    deadline=st.sampled_from(["period_end", "last_friday", "last_workday"]),
    item_min_chars=st.one_of(st.none(), st.integers(min_value=1, max_value=5000)),
    groups=st.lists(st.sampled_from(["语文组", "数学组", "英语组"]), max_size=2, unique=True).map(
        tuple
    ),
    group_role=st.sampled_from(["", "lead", "deputy", "member"]),
    tags=st.lists(st.sampled_from(["骨干教师", "新教师", "135"]), max_size=2, unique=True).map(
        tuple
    ),
    teaching_years_min=limits,
    teaching_years_max=limits,
    age_min=limits,
    age_max=limits,
    mentorship=st.sampled_from(["", "mentee_observes_mentor", "mentor_observes_mentee", "mentees"]),
)


@given(rules)
def test_every_rule_reads_as_one_sentence(rule):
    sentence = describe(rule)
    assert PERIOD_WORDS[rule.period] in sentence
    assert number(rule.threshold) in sentence
    assert COMPARATOR_WORDS[rule.comparator] in sentence
    assert "None" not in sentence and "{" not in sentence and "  " not in sentence
    if rule.item_min_chars:
        assert f"每篇不少于{rule.item_min_chars}字" in sentence
    for group in rule.groups[:2]:
        assert group in sentence


@given(st.integers(min_value=0, max_value=70))
def test_teaching_years_upper_bound_reads_one_more_with_bu_man(high):
    assert f"教龄不满{high + 1}年" in audience(Rule(teaching_years_max=high))


@given(st.integers(min_value=16, max_value=80))
def test_age_upper_bound_reads_yixia_with_the_same_number(high):
    assert audience(Rule(age_max=high)) == f"{high}周岁以下教师"


def test_group_and_role_owners():
    sessions = (("教研活动/集体备课", "次"),)
    assert (
        describe(
            Rule(
                kinds=sessions,
                threshold=1,
                period="week",
                owner="group",
                owner_group_kind="subject",
            )
        )
        == "每个教研组每周教研活动不少于1次"
    )
    assert (
        describe(Rule(kinds=sessions, threshold=3, owner="group", groups=("语文组", "数学组")))
        == "语文组、数学组每学期教研活动不少于3次"
    )
    assert (
        describe(
            Rule(kinds=(("听课/听评课", "节"),), threshold=20, owner="role", owner_role="leader")
        )
        == "学校领导每学期听课不少于20节"
    )
    assert (
        describe(
            Rule(
                threshold=2,
                period="week",
                owner="role",
                owner_role="office",
                source="inspections",
                measure="quantity",
                inspection_kind="spot",
            )
        )
        == "教科室人员每周完成抽查不少于2人次"
    )
