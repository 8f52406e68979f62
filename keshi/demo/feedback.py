"""The demo ``teacher``'s 听课反馈, through ``keshi.records.feedback_services``.

The two latest observations of the teacher's lessons (colleagues' records from the term's
plan; one is recorded by a colleague of the group when the plan has fewer) are scored with the
built-in 课堂观察量表: the older one acknowledged and answered, the newest left new, so the
teacher's 我收到的听课反馈 and inbox show both states. Idempotent: nothing is done once the
teacher has any feedback.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from keshi.checks.models import Rubric
from keshi.demo.activity import demo_term
from keshi.org.models import Membership, Org, Person
from keshi.records import feedback_services
from keshi.records.models import Activity, ActivityKind, Feedback
from keshi.records.services import record_activity

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

REPLY = "谢谢您的指导！提问层次我会再设计得有梯度一些，下周请您再来听一节。"
SHARES = (Decimal("0.9"), Decimal("0.8"))  # the older observation, the newest


def write(w: _Writer, org: Org, today: date) -> None:
    if org.code != "demo":
        return
    teacher = Person.objects.filter(org=org, user__username="teacher").first()
    rubric = Rubric.objects.filter(org__isnull=True, code="observation").first()
    term = demo_term(org, today)
    if teacher is None or rubric is None or term is None:
        return
    if Feedback.objects.filter(activity__observed=teacher).exists():
        return
    seen = _observations(teacher, today)
    if len(seen) < 2:
        _observe(teacher, max(term.start, min(today, term.end)), 2 - len(seen))
        seen = _observations(teacher, today)
    if len(seen) < 2:
        return
    newest, older = seen[0], seen[1]
    for activity, share in ((older, SHARES[0]), (newest, SHARES[1])):
        raw = {
            c.key: (c.max * share).quantize(Decimal(1), ROUND_HALF_UP)
            for c in rubric.criteria_list()
        }
        feedback_services.save_observation_feedback(
            activity=activity, by=activity.person.user, rubric=rubric, raw_scores=raw
        )
    feedback_services.acknowledge(activity=older, by=teacher.user)
    feedback_services.reply(activity=older, by=teacher.user, text=REPLY)
    w.created["feedback"] += 2


def _observations(teacher: Person, today: date) -> list[Activity]:
    return list(
        Activity.objects.filter(observed=teacher, kind__has_observed=True, date__lte=today)
        .select_related("person__user", "kind", "observed", "org")
        .order_by("-date", "-pk")[:2]
    )


def _observe(teacher: Person, day: date, n: int) -> None:
    groups = Membership.objects.current().filter(person=teacher).values("group")
    colleague = (
        Person.objects.filter(memberships__group__in=groups, active=True)
        .exclude(pk=teacher.pk)
        .order_by("staff_no")
        .first()
    )
    kind = ActivityKind.objects.filter(org__isnull=True, code="observation").first()
    office = get_user_model().objects.filter(username="office").first()
    if colleague is None or kind is None:
        return
    for _ in range(n):
        record_activity(
            person=colleague,
            kind=kind,
            by=office,
            on=day,
            title="公开课",
            observed=teacher,
            data={"topic": "公开课", "comments": "环节清晰，学生参与度高。"},
        )
