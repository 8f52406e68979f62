"""Access-matrix objects for 听课反馈 (see keshi/tests/test_access_matrix.py): an observation of
the teacher's lesson by someone other than the colleague, whose feedback the colleague must not
open."""

from __future__ import annotations

from keshi.records.models import Activity

FILLERS = {
    f"records:{n}": lambda w: {"pk": w.pk("feedback_observation")}
    for n in ("feedback_detail", "feedback_acknowledge", "feedback_reply")
}
PRIVATE = {"records:feedback_detail", "records:feedback_acknowledge", "records:feedback_reply"}


def objects(world) -> dict:
    observation = (
        Activity.objects.filter(observed=world.teacher, kind__has_observed=True)
        .exclude(person=world.other_teacher)
        .order_by("pk")
        .first()
    )
    return {"feedback_observation": observation}
