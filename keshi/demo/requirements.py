"""The demo schools' quantitative requirements, taken from the sample plans. Pure: no Django.

Each keeps the plan's own sentence in ``source`` (``samples/plans/plan-a.txt`` and ``plan-b.txt``;
the 73-学分 rule is the product brief's example). Values are ``Requirement`` field values.
Chinese legal reading: 不足/不满 exclude the number, 以上/以下 include it — "教龄不足三年" is
教龄 0–2 (``teaching_years_max=2``), "40周岁以下" is age ≤ 40 (``age_max=40``).
"""

from dataclasses import dataclass
from decimal import Decimal

PLAN_A_OBSERVATIONS = (
    "按规定普通教师每学期听课不得少于8次,教龄不足三年者每学期听课次数不得少于15次。"
)
PLAN_A_REFLECTION = (
    "教师以“三主”创新性课堂的研究实践为主题,每月写一篇教育教学反思……在每月最后一周星期五"
    "发给张梦颖老师,否则计入学月考核……每篇反思有主题,叙述清楚,不得少于800字,要求对教育教学"
    "事件或现场的描写尽量细致,能还原真实情景,体现自己的思考和观点,必须原创。"
)
PLAN_B_OBSERVATIONS = "要求每位教师每周必须听课至少2节，每学期不少于40节，组长每学期不少于50节。"
PLAN_B_MENTORS = "继续实行师徒制。要求徒弟每周至少听师傅4节课，师傅每两周至少听徒弟1节课。"
PLAN_B_135 = "每位教师每月听课不少于4节（135教师每学期40节）"
PLAN_B_BLOG = "信息技术：40周岁以下教师博客每周至少更新一次"
PLAN_B_WRITING = "要求青年教师每周要写一篇教学反思。全体教师每学期写一篇教学论文。"
PLAN_B_GROUPS = (
    "教研组活动由教研组长负责。……按要求，各学科每周都要搞一次活动。活动务必做到“三落实、两固定”，"
    "即计划、组织、内容落实，地点、时间固定。"
)
BRIEF_CREDITS = "每学年完成73学分培训"


@dataclass(frozen=True)
class RequirementSpec:
    name: str
    source: str
    kinds: tuple[str, ...]
    threshold: Decimal
    period: str  # Requirement.Period value
    measure: str = "count"
    comparator: str = "gte"
    deadline: str = "period_end"
    item_min_chars: int | None = None
    group_kind: str = ""  # every group of this Group.Kind of the school
    group_role: str = ""
    tags: tuple[str, ...] = ()
    teaching_years_min: int | None = None
    teaching_years_max: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    mentorship: str = ""
    points: Decimal = Decimal(0)

    def values(self) -> dict:
        """The scalar ``Requirement`` fields (not org, name or the many-to-many ones)."""
        return {
            "source_text": self.source,
            "measure": self.measure,
            "item_min_chars": self.item_min_chars,
            "comparator": self.comparator,
            "threshold": self.threshold,
            "period": self.period,
            "deadline": self.deadline,
            "group_role": self.group_role,
            "teaching_years_min": self.teaching_years_min,
            "teaching_years_max": self.teaching_years_max,
            "age_min": self.age_min,
            "age_max": self.age_max,
            "mentorship": self.mentorship,
            "points": self.points,
            "active": True,
        }


D = Decimal
MAIN: list[RequirementSpec] = [
    RequirementSpec(
        "新教师听课", PLAN_A_OBSERVATIONS, ("observation",), D(15), "term",
        teaching_years_max=2, points=D(1),
    ),
    RequirementSpec(
        "教师听课", PLAN_A_OBSERVATIONS, ("observation",), D(8), "term",
        teaching_years_min=3, points=D(1),
    ),
    RequirementSpec(
        "教研组长听课", PLAN_B_OBSERVATIONS, ("observation",), D(50), "term",
        measure="quantity", group_kind="subject", group_role="lead", points=D(1),
    ),
    RequirementSpec(
        "135教师听课", PLAN_B_135, ("observation",), D(40), "term",
        measure="quantity", tags=("135教师",), points=D(1),
    ),
    RequirementSpec(
        "教学反思", PLAN_A_REFLECTION, ("reflection",), D(1), "month",
        deadline="last_friday", item_min_chars=800, points=D("0.5"),
    ),
    RequirementSpec(
        "徒弟听师傅的课", PLAN_B_MENTORS, ("observation",), D(4), "week",
        measure="quantity", mentorship="mentee_observes_mentor",
    ),
    RequirementSpec(
        "师傅听徒弟的课", PLAN_B_MENTORS, ("observation",), D(1), "two_weeks",
        measure="quantity", mentorship="mentor_observes_mentee",
    ),
    RequirementSpec("教师博客", PLAN_B_BLOG, ("blog",), D(1), "week", age_max=40),
    RequirementSpec("教学论文", PLAN_B_WRITING, ("paper",), D(1), "term", points=D(1)),
    RequirementSpec(
        "教研组活动", PLAN_B_GROUPS, ("group_activity",), D(1), "week",
        group_kind="subject", group_role="lead", points=D("0.5"),
    ),
    RequirementSpec(
        "培训学分", BRIEF_CREDITS, ("training",), D(73), "school_year",
        measure="credits", points=D(2),
    ),
]  # fmt: skip

SECOND: list[RequirementSpec] = [
    RequirementSpec(
        "每周听课", PLAN_B_OBSERVATIONS, ("observation",), D(2), "week", measure="quantity"
    ),
    RequirementSpec(
        "青年教师教学反思", PLAN_B_WRITING, ("reflection",), D(1), "week", tags=("青年教师",)
    ),
    RequirementSpec("教学论文", PLAN_B_WRITING, ("paper",), D(1), "term", points=D(1)),
]

BY_SCHOOL: dict[str, list[RequirementSpec]] = {"demo": MAIN, "demo2": SECOND}
