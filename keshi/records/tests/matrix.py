"""Access-matrix objects for 听课反馈 (see keshi/tests/test_access_matrix.py): an observation of
the teacher's lesson by someone other than the colleague, whose feedback the colleague must not
open; and a 听课任务 of the teacher's (observing the colleague), which the colleague must not
open either. The draw pages that make tasks (keshi.checks.draw_work) take the matrix's draw."""

from __future__ import annotations

from django.utils import timezone

from keshi.records.models import Activity, ObservationAssignment

FILLERS = {
    f"records:{n}": lambda w: {"pk": w.pk("feedback_observation")}
    for n in ("feedback_detail", "feedback_acknowledge", "feedback_reply")
}
FILLERS.update(
    {
        f"records:{n}": lambda w: {"pk": w.pk("assignment")}
        for n in ("assignment", "assignment_done")
    }
)
FILLERS.update(
    {
        f"checks:{n}": lambda w: {"pk": w.pk("draw")}
        for n in ("draw_observe", "draw_inspect", "draw_open_class")
    }
)
PRIVATE = {
    "records:feedback_detail",
    "records:feedback_acknowledge",
    "records:feedback_reply",
    "records:assignment",
    "records:assignment_done",
}


def objects(world) -> dict:
    observation = (
        Activity.objects.filter(observed=world.teacher, kind__has_observed=True)
        .exclude(person=world.other_teacher)
        .order_by("pk")
        .first()
    )
    today = timezone.localdate()
    assignment = ObservationAssignment.objects.create(
        org=world.school,
        observer=world.teacher,
        teacher=world.other_teacher,
        start=today,
        due=today,
    )
    return {"feedback_observation": observation, "assignment": assignment}
