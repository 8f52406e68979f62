"""The built-in activity kinds (shared by every org). Codes in English, labels in Chinese.

Each entry's ``fields`` lists the kind's own inputs, stored in ``Activity.data``.
"""

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


def ensure_builtin_kinds(model=None) -> None:
    """Create or refresh the built-in kinds. ``model`` is the migration's historical model, or
    the real ``ActivityKind`` (tests that flush the database call this to restore them)."""
    if model is None:
        from keshi.records.models import ActivityKind as model
    for position, spec in enumerate(BUILTIN_KINDS):
        defaults = {k: v for k, v in spec.items() if k != "code"}
        model.objects.update_or_create(
            org=None, code=spec["code"], defaults={**defaults, "position": position * 10}
        )
