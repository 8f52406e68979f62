"""The demo school's term of work beyond records, each part written by its own module through
the services a user's actions call: the published plan and weekly schedules, 集体备课 and open
classes, 例会, inspections, draws and the 简报, 课题 and 评比 with their points, a teacher's request to go on a course, 查重 of the reflections, 推门听课 tasks from a draw, and
the 期中考试 of 七年级 with its scores, 试卷分析 and 质量分析会."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from keshi.demo import (
    assignments,
    checks,
    contests,
    exams,
    feedback,
    groupwork,
    hospital_work,
    meetings,
    originality,
    plan,
    request,
    research,
)
from keshi.org.models import Org

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

PARTS = (
    plan,
    groupwork,
    meetings,
    exams,
    checks,
    research,
    contests,
    request,
    originality,
    feedback,
    assignments,
)
HOSPITAL_PARTS = (groupwork, research, hospital_work)


def write(w: _Writer, org: Org, today: date) -> None:
    """The parts of ``org``: a school's, or the hospital's."""
    parts = HOSPITAL_PARTS if org.kind == Org.Kind.HOSPITAL else PARTS
    for part in parts:
        part.write(w, org, today)
    for kind in [k for k, n in w.created.items() if not n]:  # counted but nothing made
        del w.created[kind]
