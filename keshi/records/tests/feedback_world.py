"""The cast for 听课反馈 tests: 孙老师 (数学组, a login) observes 张老师 (语文组, ``teacher``).

Who is who for the observation's feedback:

* 张老师 ``teacher`` — observed;  孙老师 ``observer`` — observer;
* 王组长 ``lead`` — leads 语文组, the observed teacher's group: reads it;
* 钱组长 ``math_lead`` — leads 数学组, the *observer's* group: reads the record, not the feedback;
* 李老师 ``other_teacher`` — colleague in 语文组: nothing;  赵老师 ``outsider`` — other school;
* ``office`` / ``leader`` / ``district``: read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from keshi.checks.models import Rubric
from keshi.org.models import Membership
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory, UserFactory
from keshi.records.models import Activity
from keshi.records.services import record_activity
from keshi.records.tests.factories import kind


@dataclass
class World:
    observer: object
    math_lead: object
    observation: Activity
    rubric: Rubric


def observation_rubric() -> Rubric:
    return Rubric.objects.get(org=None, code="observation")


def full_marks(rubric: Rubric, minus: int = 0) -> dict[str, str]:
    """Form data scoring every item at its maximum (the first ``minus`` points lower)."""
    data = {}
    for i, c in enumerate(rubric.criteria_list()):
        data[f"score_{c.key}"] = str(c.max - (minus if i == 0 else 0))
    return data


def make_world(cast, *, on: date | None = None) -> World:
    math = GroupFactory(org=cast.school, name="数学组")
    observer = UserFactory(username="observer")
    observer_person = PersonFactory(org=cast.school, name="孙老师", user=observer, subject="数学")
    MembershipFactory(person=observer_person, group=math)
    math_lead = UserFactory(username="math_lead")
    MembershipFactory(
        person=PersonFactory(org=cast.school, name="钱组长", user=math_lead),
        group=math,
        role=Membership.Role.LEAD,
    )
    observation = record_activity(
        person=observer_person,
        kind=kind("observation"),
        by=observer,
        on=on or timezone.localdate(),
        title="背影",
        observed=cast.teacher.person,
        data={
            "class_name": "初二(3)班",
            "subject": "语文",
            "topic": "背影",
            "lesson_no": 2,
            "comments": "细节描写品读到位，朗读指导可再加强。",
        },
    )
    return World(observer, math_lead, observation, observation_rubric())
