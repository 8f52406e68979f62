"""Access-matrix objects for 不良事件 (see keshi/tests/test_access_matrix.py): a report of the
teacher's, which the colleague, the leader and the outsider must not open (keshi.safety.selectors
keeps it to the reporter, the group's head and the office)."""

from __future__ import annotations

from django.utils import timezone

from keshi.org.models import Membership
from keshi.safety.models import IncidentReport

FILLERS = {f"safety:{n}": lambda w: {"pk": w.pk("incident_report")} for n in ("detail", "handle")}
PRIVATE = {"safety:detail", "safety:handle"}


def objects(world) -> dict:
    membership = Membership.objects.filter(person=world.teacher).order_by("pk").first()
    report = IncidentReport.objects.create(
        org=world.school,
        department=membership.group if membership else None,
        reporter=world.teacher,
        occurred_on=timezone.localdate(),
        category="other",
        severity="4",
        title="矩阵报告",
        description="矩阵",
    )
    return {"incident_report": report}
