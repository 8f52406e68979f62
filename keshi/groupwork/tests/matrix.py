"""Access-matrix objects for groupwork's 例会 pages (see keshi/tests/test_access_matrix.py):
the demo school's 组长会 (keshi demo-data makes it)."""

from __future__ import annotations

from keshi.groupwork.models import Meeting


def _pk(key: str):
    return lambda w: {"pk": w.pk(key)}


FILLERS = {
    "groupwork:meeting": _pk("meeting"),
    "groupwork:meeting_members": _pk("meeting"),
}


def objects(world) -> dict:
    return {"meeting": Meeting.objects.get(org=world.school, group__name="组长会")}
