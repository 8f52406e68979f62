"""Which follow-up obligations a dispatch brings, chosen by rule. Pure: no Django.

* always: 返校汇报;
* 跨省: 学习心得 of at least ``reflection_chars`` 字, 汇报课 or 全校交流 within
  ``open_class_days`` days, 新闻 within ``news_days`` days (两周内完成外出学习的新闻);
* reimbursable: 学习反馈单;
* at least ``long_hours`` 学时: 培训体会 and shared materials (PPT).

Due dates count from the last day of the training.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

REPORT = "report"
REFLECTION = "reflection"
OPEN_CLASS = "open_class"
NEWS = "news"
FEEDBACK = "feedback"
EXPERIENCE = "experience"
MATERIALS = "materials"
OTHER = "other"

LABELS: dict[str, str] = {
    REPORT: "返校汇报",
    REFLECTION: "学习心得",
    OPEN_CLASS: "汇报课或全校交流",
    NEWS: "外出学习新闻",
    FEEDBACK: "学习反馈单",
    EXPERIENCE: "培训体会",
    MATERIALS: "共享培训资料（PPT）",
    OTHER: "其他",
}
# The activity kinds (codes) whose records can meet an obligation (kinds not listed: any record);
# every obligation can also be met by an uploaded file or by the office.
ACTIVITY_KINDS: dict[str, tuple[str, ...]] = {
    REFLECTION: ("reflection",),
    OPEN_CLASS: ("open_class", "group_activity", "meeting"),
    EXPERIENCE: ("reflection",),
    REPORT: ("meeting", "group_activity", "open_class"),
}


@dataclass(frozen=True)
class Policy:
    report_days: int = 7
    reflection_chars: int = 2000
    open_class_days: int = 30
    news_days: int = 14
    feedback_days: int = 7
    long_hours: Decimal = Decimal(24)
    experience_days: int = 14


@dataclass(frozen=True)
class ObligationSpec:
    kind: str
    label: str
    due: date
    min_chars: int | None = None


def default_obligations(
    *, end: date, cross_province: bool, reimbursable: bool, hours: Decimal, policy: Policy
) -> list[ObligationSpec]:
    def spec(kind: str, days: int, min_chars: int | None = None, label: str = "") -> ObligationSpec:
        text = label or LABELS[kind]
        return ObligationSpec(kind, text, end + timedelta(days=days), min_chars)

    out = [spec(REPORT, policy.report_days)]
    if cross_province:
        out.append(
            spec(
                REFLECTION,
                policy.news_days,
                policy.reflection_chars,
                f"学习心得（不少于{policy.reflection_chars}字）",
            )
        )
        out.append(spec(OPEN_CLASS, policy.open_class_days))
        out.append(spec(NEWS, policy.news_days))
    if reimbursable:
        out.append(spec(FEEDBACK, policy.feedback_days))
    if Decimal(hours) >= policy.long_hours:
        out.append(spec(EXPERIENCE, policy.experience_days))
        out.append(spec(MATERIALS, policy.experience_days))
    return out


def activity_meets(kind: str, *, activity_kind: str, chars: int, min_chars: int | None) -> str:
    """Why a record cannot meet an obligation of ``kind`` ("" when it can)."""
    allowed = ACTIVITY_KINDS.get(kind)
    if allowed is not None and activity_kind not in allowed:
        return f"“{LABELS[kind]}”不能用这类记录完成"
    if min_chars and chars < min_chars:
        return f"字数不足：{chars} 字，要求不少于 {min_chars} 字"
    return ""
