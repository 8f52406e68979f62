"""Helpers for checks tests: an inspection over the cast's 语文组 with the built-in rubric."""

from __future__ import annotations

from keshi.checks import services
from keshi.checks.builtins import ensure_builtin_rubrics
from keshi.checks.models import Inspection, Rubric
from keshi.org.models import Person


def builtin(code: str = "lesson-plan") -> Rubric:
    ensure_builtin_rubrics()
    return Rubric.objects.get(org=None, code=code)


def person(user) -> Person:
    return Person.objects.get(user=user)


def inspection(cast, **overrides) -> Inspection:
    values = {
        "title": "期中教案检查",
        "kind": Inspection.Kind.MIDTERM,
        "target": Inspection.Target.PEOPLE,
        "rubric": builtin(),
        "groups": [cast.group],
    }
    values.update(overrides)
    return services.save_inspection(org=cast.school, by=cast.office, **values)


def full_marks(inspection: Inspection, factor: float = 1.0) -> dict[str, str]:
    return {c.key: str(c.max * type(c.max)(str(factor))) for c in inspection.rubric.criteria_list()}
