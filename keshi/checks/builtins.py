"""Built-in rubrics shipped to every org (org empty), created by migration 0002.

Written the way school check sheets are: each criterion with its full marks and what the
inspector looks for. Levels are percentage bands (keshi.checks.scoring).
"""

from __future__ import annotations

from keshi.checks.scoring import criteria_text, levels_text, parse_criteria, parse_levels

LEVELS = "优 90、良 80、中 60、差 0"

BUILTIN_RUBRICS = [
    {
        "code": "lesson-plan",
        "name": "教案检查表",
        "purpose": "inspection",
        "description": "期中、期末全面检查及抽查时检查教师备课本（含电子教案）。",
        "criteria": """教案数量 | 10 | | 按课时备课，无缺课时，至少超前一周
教学目标 | 15 | | 目标明确具体、可检测，符合课标与学情
重点难点 | 10 | | 重难点把握准确，有突破的方法
教学过程 | 25 | | 环节完整，设计师生活动，体现学生主体
作业设计 | 10 | | 精选精练，分层布置，控制总量
板书设计 | 10 | | 简明、有条理，体现知识结构
教学反思 | 15 | | 课后及时反思，真实具体，有改进措施
书写规范 | 5 | | 书写工整，格式规范""",
        "levels": LEVELS,
    },
    {
        "code": "homework",
        "name": "作业检查表",
        "purpose": "inspection",
        "description": "按班级抽查学生作业本，检查布置与批改情况。",
        "criteria": """作业布置 | 20 | | 量适中，符合“双减”要求，有分层、有弹性作业
批改及时 | 20 | | 当天作业当天批改，无漏批
批改规范 | 20 | | 全批全改，符号规范，有等第和日期
激励性评语 | 15 | | 有针对性、鼓励性的评语
订正与复批 | 15 | | 学生及时订正，教师二次批改
学生书写 | 10 | | 书写工整，格式规范""",
        "levels": LEVELS,
    },
    {
        "code": "observation",
        "name": "课堂观察量表（提问层次）",
        "purpose": "observation",
        "description": "听课时按布鲁姆认知层次记录教师提问：记忆性、理解性、应用性、评价性，"
        "兼看目标达成与学生参与。",
        "criteria": """记忆性提问 | 10 | | 回忆事实、概念的提问：数量适度，不以此为主
理解性提问 | 15 | | 要求解释、比较、概括的提问
应用性提问 | 15 | | 要求在新情境中运用知识解决问题的提问
评价性提问 | 15 | | 要求判断、质疑、评价并说明理由的提问
候答与理答 | 10 | | 留足思考时间，理答有追问、有反馈
学生参与 | 15 | | 参与面广，学生主动提问与表达
目标达成 | 20 | | 教学目标达成度，当堂检测效果""",
        "levels": LEVELS,
    },
    {
        "code": "group-appraisal",
        "name": "优秀教研组评估表",
        "purpose": "appraisal",
        "description": "学期末评选优秀教研组，按五个方面考评。",
        "criteria": """制度建设 | 20 | | 有计划、有总结，活动做到“三落实、两固定”，资料齐全
活动影响 | 20 | | 公开课、示范课、对外交流与辐射作用
活动成效 | 25 | | 教师获奖、论文发表、课题研究与学生成绩
活动特色 | 15 | | 有特色项目或校本研修品牌
教学常规 | 20 | | 备课、上课、作业、辅导、检测等常规检查情况""",
        "levels": LEVELS,
    },
]


def builtin_rows() -> list[dict]:
    rows = []
    for spec in BUILTIN_RUBRICS:
        criteria = parse_criteria(spec["criteria"])
        levels = parse_levels(spec["levels"])
        assert criteria_text(criteria) and levels_text(levels)
        rows.append(
            {
                "code": spec["code"],
                "name": spec["name"],
                "purpose": spec["purpose"],
                "description": spec["description"],
                "criteria": [c.as_json() for c in criteria],
                "levels": [lv.as_json() for lv in levels],
            }
        )
    return rows


def ensure_builtin_rubrics(model=None) -> None:
    """Create the missing built-ins (idempotent; also used after a transactional test flush)."""
    if model is None:
        from keshi.checks.models import Rubric as model
    for row in builtin_rows():
        code = row.pop("code")
        model.objects.get_or_create(org=None, code=code, defaults=row)
