"""Access-matrix fillers for plans (see keshi/tests/test_access_matrix.py): a teacher's
个人工作总结 is as private as their archive."""

from __future__ import annotations

FILLERS = {"plan_documents:personal_summary": lambda w: {"pk": w.teacher.pk}}
PRIVATE = {"plan_documents:personal_summary"}


def objects(world) -> dict:
    return {}
