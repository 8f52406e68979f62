"""The demo's 课题, one at each stage of ``keshi.research.lifecycle``, moved there by the
services a 主持人 and the office use: documents submitted for each stage, the stage passed by
the office (its members get a record of the stage), the next stage opened. ``demo`` has a
市级 课题 结题, a 区级 one at 中期检查 and another 延期, a 校级 one 开题 (with the 语文新教师 as
member), one 立项 and one just 申报; ``demo2`` one 区级 课题 开题; the hospital a 市级 临床研究 at 中期检查.

Idempotent by title; every choice is fixed data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from keshi.org.models import Org, Person
from keshi.records.models import Activity
from keshi.research import lifecycle, services
from keshi.research.models import ResearchProject, Stage

if TYPE_CHECKING:
    from keshi.demo.services import _Writer


@dataclass(frozen=True)
class ProjectSpec:
    title: str
    level: str
    subject: str  # the 主持人 is the most senior teacher of this subject
    stage: str  # the stage reached (its documents submitted, not yet reviewed)
    category: str = "教育教学研究"
    months: int = 24
    extended: bool = False
    with_teacher: bool = False  # the ``teacher`` login is a member


PROJECTS = {
    "demo": (
        ProjectSpec("初中语文大单元教学设计与实施研究", "city", "语文", lifecycle.CONCLUDED,
                    months=30),
        ProjectSpec("“双减”背景下初中数学分层作业设计研究", "district", "数学", lifecycle.MIDTERM),
        ProjectSpec("初中英语读写结合教学的实践研究", "district", "英语", lifecycle.MIDTERM,
                    extended=True),
        ProjectSpec("青年教师课堂教学反思能力培养研究", "school", "语文", lifecycle.OPENED,
                    category="教师专业发展", with_teacher=True),
        ProjectSpec("初中物理实验探究能力培养的策略研究", "school", "物理", lifecycle.APPROVED),
        ProjectSpec("信息科技课程项目化学习的实践研究", "school", "信息科技", lifecycle.DECLARED),
    ),
    "demo2": (
        ProjectSpec("初中数学课堂提问有效性研究", "district", "数学", lifecycle.OPENED),
    ),
    "hospital": (
        ProjectSpec("急性缺血性脑卒中院内溶栓流程优化研究", "city", "", lifecycle.MIDTERM,
                    category="临床研究"),
    ),
}  # fmt: skip
REVIEW = {
    lifecycle.DECLARED: "选题有现实意义，同意立项。",
    lifecycle.APPROVED: "立项材料齐全。",
    lifecycle.OPENED: "研究方案可行，按计划推进。",
    lifecycle.MIDTERM: "阶段成果扎实，同意进入结题。",
    lifecycle.CONCLUDED: "成果有推广价值，准予结题。",
}


def write(w: _Writer, org: Org, today: date) -> None:
    User = get_user_model()
    reviewer = "hospital_office" if org.kind == Org.Kind.HOSPITAL else "office"
    office = User.objects.filter(username=reviewer).first() or User.objects.get(username="admin")
    people = list(
        Person.objects.filter(org=org, active=True).order_by("teaching_start", "staff_no")
    )
    teacher = Person.objects.filter(user__username="teacher", org=org).first()
    for spec in PROJECTS.get(org.code, ()):
        if ResearchProject.objects.filter(org=org, title=spec.title).exists():
            continue
        same = [p for p in people if p.subject == spec.subject]
        leader, others = same[0], same[1:4]
        members = [teacher] if spec.with_teacher and teacher else []
        members += [p for p in people if p.subject != spec.subject][: 1 + len(spec.title) % 3]
        start = date(today.year - spec.months // 12, 9, 1)
        project = services.create_project(
            org=org,
            title=spec.title,
            level=spec.level,
            category=spec.category,
            leader=leader,
            core_members=others[:2],
            members=[*others[2:], *members],
            funding=3000 if spec.level == "city" else 1000,
            start_date=start,
            end_date=start + timedelta(days=spec.months * 30),
            due_date=today + timedelta(days=30),
        )
        w.created["researchproject"] += 1
        _advance(project, spec, leader, office)
        _stamp(project, today)


def _stamp(project: ResearchProject, today: date) -> None:
    """Date the stages passed a month apart up to ``today`` (the services stamp the time of
    the run), and the members' records of each stage with them."""
    passed = list(project.stages.exclude(decided_at=None).order_by("pk"))
    for k, stage in enumerate(passed):
        day = today - timedelta(days=30 * (len(passed) - k))
        at = timezone.make_aware(datetime.combine(day, time(16)))
        Stage.objects.filter(pk=stage.pk).update(decided_at=at, submitted_at=at - timedelta(days=7))
        Activity.objects.filter(data__research_stage=stage.pk).update(date=day)


def _advance(project: ResearchProject, spec: ProjectSpec, leader: Person, office) -> None:
    """Submit each stage's documents and pass it, up to ``spec.stage``; that stage's
    documents are submitted and wait for review (a 结题 passed ends the project)."""
    by = leader.user or office
    for stage_name in lifecycle.STAGES:
        stage = project.stages.get(stage=stage_name)
        files = [
            (label, f"{label}.txt", f"{project.title}\n{label}".encode(), "text/plain")
            for label in lifecycle.REQUIRED_DOCUMENTS[stage_name]
        ]
        services.submit_documents(stage=stage, files=files, by=by)
        if stage_name == spec.stage:
            if spec.extended:
                services.change_status(
                    project=project,
                    target=lifecycle.EXTENDED,
                    reason="实验班级调整，申请延期一学期",
                )
            elif stage_name == lifecycle.CONCLUDED:
                services.review_stage(stage=stage, decision="passed", comment=REVIEW[stage_name],
                                      by=office)  # fmt: skip
            return
        project = services.review_stage(
            stage=stage, decision="passed", comment=REVIEW[stage_name], by=office
        )
