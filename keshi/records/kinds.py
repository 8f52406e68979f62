"""The built-in activity kinds (shared by every org). Codes in English, labels in Chinese.

Each entry's ``fields`` lists the kind's own inputs, stored in ``Activity.data``; an entry with
an ``audience`` (an ``Org.Kind`` value) is offered only to orgs of that kind — the hospital's
own work (:data:`HOSPITAL_KINDS`) stays out of a school's pickers.
"""

import re
from collections.abc import Collection

LEVELS = ["国家级", "省级", "市级", "区级", "校级"]

BUILTIN_KINDS: list[dict] = [
    {
        "code": "observation",
        "label": "听课/听评课",
        "unit": "节",
        "has_observed": True,
        "fields": [
            {"name": "class_name", "label": "班级", "type": "text"},
            {"name": "subject", "label": "学科", "type": "text"},
            {"name": "topic", "label": "课题", "type": "text"},
            {"name": "lesson_no", "label": "节次", "type": "int"},
            {"name": "comments", "label": "评课意见", "type": "textarea"},
        ],
    },
    {"code": "reflection", "label": "教学反思/随笔", "unit": "篇", "has_text": True, "fields": []},
    {
        "code": "paper",
        "label": "论文/案例",
        "unit": "篇",
        "has_text": True,
        "needs_review": True,
        "fields": [
            {"name": "venue", "label": "发表刊物或参评活动", "type": "text"},
            {"name": "level", "label": "级别", "type": "choice", "choices": LEVELS},
            {"name": "award", "label": "获奖等级", "type": "text"},
            {"name": "published", "label": "已发表", "type": "choice", "choices": ["是", "否"]},
        ],
    },
    {
        "code": "training",
        "label": "培训",
        "unit": "学时",
        "needs_report": True,
        "fields": [
            {"name": "organiser", "label": "主办单位", "type": "text", "required": True},
            {"name": "level", "label": "级别", "type": "choice", "choices": LEVELS},
            {"name": "certificate", "label": "证书编号", "type": "text"},
            {"name": "report", "label": "培训汇报/心得", "type": "textarea"},
        ],
    },
    {
        "code": "reading",
        "label": "读书笔记/摘抄",
        "unit": "篇",
        "has_text": True,
        "fields": [{"name": "book", "label": "书名", "type": "text", "required": True}],
    },
    {
        "code": "blog",
        "label": "博客/论坛",
        "unit": "篇",
        "fields": [{"name": "link", "label": "链接", "type": "url", "required": True}],
    },
    {
        "code": "open_class",
        "label": "公开课/示范课",
        "unit": "节",
        "fields": [
            {
                "name": "class_type",
                "label": "类型",
                "type": "choice",
                "choices": ["公开课", "示范课", "汇报课", "研究课"],
            },
            {"name": "level", "label": "级别", "type": "choice", "choices": LEVELS},
            {"name": "attendees", "label": "听课人数", "type": "int"},
        ],
    },
    {"code": "lesson_plan", "label": "教学设计/教案", "unit": "篇", "has_text": True, "fields": []},
    {
        "code": "group_activity",
        "label": "教研活动/集体备课",
        "unit": "次",
        "fields": [
            {"name": "place", "label": "地点", "type": "text"},
            {"name": "host", "label": "主持人", "type": "text"},
        ],
    },
    {"code": "meeting", "label": "会议", "unit": "次", "fields": []},
    {
        "code": "contest",
        "label": "参赛",
        "unit": "次",
        "fields": [
            {"name": "level", "label": "级别", "type": "choice", "choices": LEVELS},
            {"name": "award", "label": "获奖等级", "type": "text"},
        ],
    },
    {"code": "other", "label": "其他", "unit": "次", "fields": []},
]


HOSPITAL = "hospital"  # Org.Kind.HOSPITAL
BUSINESS_STUDY = "business_study"
ADVANCED_STUDY = "advanced_study"
SPEAKER = {"name": "speaker", "label": "主讲人", "type": "text"}
HOST = {"name": "host", "label": "主持人", "type": "text"}
ATTENDEES = {"name": "attendees", "label": "参加人数", "type": "int"}
CASE = {"name": "case", "label": "病例（病案号或摘要，勿写患者姓名）", "type": "text"}

# The hospital department's own work (#24): positions between the school kinds and 其他.
HOSPITAL_KINDS: list[dict] = [
    {
        "code": BUSINESS_STUDY,
        "label": "业务学习",
        "unit": "学时",  # the record's amount is its hours
        "fields": [
            {"name": "topic", "label": "学习内容", "type": "text", "required": True},
            SPEAKER,
            {"name": "place", "label": "地点", "type": "text"},
        ],
    },
    {
        "code": "sanji_training",
        "label": "三基三严培训",
        "unit": "学时",
        "fields": [
            {
                "name": "part",
                "label": "内容",
                "type": "choice",
                "choices": ["基础理论", "基本知识", "基本技能"],
            },
            SPEAKER,
        ],
    },
    {
        "code": "sanji_exam",
        "label": "三基三严考核",
        "unit": "次",
        "fields": [
            {"name": "score", "label": "成绩（分）", "type": "decimal", "required": True},
            {"name": "mode", "label": "考核方式", "type": "choice", "choices": ["理论", "操作"]},
            {
                "name": "passed",
                "label": "是否合格",
                "type": "choice",
                "choices": ["合格", "不合格"],
            },
        ],
    },
    {
        "code": "case_discussion",
        "label": "病例讨论",
        "unit": "次",
        "fields": [CASE, HOST, ATTENDEES],
    },
    {
        "code": "critical_case_discussion",
        "label": "疑难/死亡病例讨论",
        "unit": "次",
        "fields": [
            {
                "name": "category",
                "label": "类别",
                "type": "choice",
                "choices": ["疑难病例", "死亡病例"],
                "required": True,
            },
            CASE,
            HOST,
            {"name": "conclusion", "label": "讨论结论", "type": "textarea"},
        ],
    },
    {
        "code": "teaching_rounds",
        "label": "教学查房",
        "unit": "次",
        "fields": [CASE, {"name": "lead", "label": "主查人", "type": "text"}, ATTENDEES],
    },
    {
        "code": "emergency_drill",
        "label": "应急演练",
        "unit": "次",
        "fields": [
            {"name": "scenario", "label": "演练项目/预案", "type": "text", "required": True},
            {"name": "place", "label": "地点", "type": "text"},
            ATTENDEES,
            {"name": "review", "label": "演练评估", "type": "textarea"},
        ],
    },
    {
        "code": ADVANCED_STUDY,
        "label": "进修/外出学习",
        "unit": "次",  # one record per person sent: 每半年选派一人进修 counts them
        "fields": [
            {
                "name": "type",
                "label": "类别",
                "type": "choice",
                "choices": ["进修", "外出学习"],
                "required": True,
            },
            {"name": "host_org", "label": "进修/学习单位", "type": "text", "required": True},
            {"name": "speciality", "label": "专业方向", "type": "text"},
            {"name": "end", "label": "结束日期", "type": "date"},
        ],
    },
]
# A plan's words for the hospital kinds. The plan extractor (keshi.plans.extraction.vocab) reads
# 业务学习 and 进修 as 培训 and 查房 or 演练 as 其他; where the org offers the more precise kind,
# the import counts that one instead (keshi.plans.imports.propose). First match wins.
PLAN_WORDS: list[tuple[str, re.Pattern]] = [
    (code, re.compile(pattern))
    for code, pattern in (
        (
            "sanji_exam",
            r"三基三严[^，。；]{0,8}?(?:考核|考试|测试)|(?:考核|考试)[^，。；]{0,4}三基三严",
        ),
        ("sanji_training", r"三基三严"),
        ("critical_case_discussion", r"(?:疑难|死亡|危重)[^，。；]{0,6}病例讨论"),
        ("case_discussion", r"病例讨论"),
        ("teaching_rounds", r"教学查房"),
        ("emergency_drill", r"应急(?:预案)?演练"),
        (BUSINESS_STUDY, r"业务学习"),
        (ADVANCED_STUDY, r"进修|外出学习"),
    )
]
REFINABLE = frozenset({"training", "other", "group_activity", "meeting"})


def refine_kind(code: str | None, text: str, offered: Collection[str]) -> str | None:
    """The hospital kind ``text`` names, when the extractor said a broader ``code`` and the org
    offers that kind (``offered``: its kinds' codes); else ``code``."""
    if code is not None and code not in REFINABLE:
        return code
    for kind, pattern in PLAN_WORDS:
        if kind in offered and pattern.search(text):
            return kind
    return code


HOSPITAL_POSITIONS = (101, 102, 103, 104, 106, 107, 108, 109)  # 105: 试卷分析 (keshi.exams)


def _specs() -> list[dict]:
    specs = [spec | {"position": i * 10} for i, spec in enumerate(BUILTIN_KINDS)]
    for position, spec in zip(HOSPITAL_POSITIONS, HOSPITAL_KINDS, strict=True):
        specs.append(spec | {"position": position, "audience": HOSPITAL})
    return specs


def ensure_builtin_kinds(model=None) -> None:
    """Create or refresh the built-in kinds. ``model`` is the migration's historical model, or
    the real ``ActivityKind`` (tests that flush the database call this to restore them); a
    historical model lacking a later field (``audience``) gets the others."""
    if model is None:
        from keshi.records.models import ActivityKind as model
    known = {f.name for f in model._meta.get_fields()}
    for spec in _specs():
        defaults = {k: v for k, v in spec.items() if k != "code" and k in known}
        model.objects.update_or_create(org=None, code=spec["code"], defaults=defaults)
