"""The 试卷分析 each 任课教师 writes after an exam: a built-in record kind of this app."""

from __future__ import annotations

PAPER_ANALYSIS = "paper_analysis"
SECTIONS = (
    ("evaluation", "试卷评价"),
    ("results", "成绩分析"),
    ("problems", "存在问题"),
    ("measures", "改进措施"),
)
KIND: dict = {
    "code": PAPER_ANALYSIS,
    "label": "试卷分析",
    "unit": "篇",
    "has_text": False,
    "fields": [
        {"name": name, "label": label, "type": "textarea", "required": True}
        for name, label in SECTIONS
    ],
    "position": 105,
}


def ensure_paper_analysis_kind(model=None) -> None:
    """Create or refresh the built-in kind (``model``: a migration's historical model)."""
    if model is None:
        from keshi.records.models import ActivityKind as model
    defaults = {k: v for k, v in KIND.items() if k != "code"}
    model.objects.update_or_create(org=None, code=PAPER_ANALYSIS, defaults=defaults)
