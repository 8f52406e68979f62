"""Access-matrix objects for contests (see keshi/tests/test_access_matrix.py): a paper contest
in 评审 where the teacher wrote one entry and judges another, and a 学科竞赛 with an open round."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from keshi.contests import rounds, services
from keshi.contests.models import Assignment, Contest
from keshi.org.models import Person
from keshi.records.tests.factories import PDF


def _pk(key: str):
    return lambda w: {"pk": w.pk(key)}


FILLERS = {
    **{
        f"contests:{n}": _pk("contest")
        for n in (
            "detail",
            "edit",
            "submit",
            "submit_group",
            "advance",
            "assign",
            "judge",
            "ranking",
            "round_new",
        )
    },
    **{f"contests:{n}": _pk("contest_round") for n in ("round", "round_scores", "round_close")},
    "contests:score": _pk("contest_assignment"),
    "contests:judge_document": _pk("contest_assignment"),
    "contests:entry_document": _pk("contest_entry"),
    "contests:recommend": _pk("contest_entry"),
}
# The judge's task and the author's original: nobody else's business.
PRIVATE = {"contests:score", "contests:judge_document", "contests:entry_document"}


def objects(world) -> dict:
    office = get_user_model().objects.get(username="office")
    rubric = world.objects["rubric"]
    contest = services.create_contest(
        org=world.school, by=office, title="矩阵评比", kind=Contest.Kind.PAPER, rubric=rubric
    )
    own = services.submit_entry(
        contest=contest, person=world.teacher, title="矩阵论文", upload_name="a.pdf", data=PDF
    )
    author = (
        Person.objects.filter(org=world.school, user__isnull=True)
        .exclude(pk=world.other_teacher.pk)
        .first()
    )
    judged = services.submit_entry(
        contest=contest, person=author, title="他人论文", upload_name="b.pdf", data=PDF
    )
    services.advance(contest=contest, by=office)
    assignment = Assignment.objects.create(entry=judged, judge=world.teacher)
    services.advance(contest=contest, by=office)
    subject = services.create_contest(
        org=world.school, by=office, title="矩阵竞赛", kind=Contest.Kind.SUBJECT, rubric=rubric
    )
    services.submit_entry(contest=subject, person=world.teacher, title="数学")
    services.advance(contest=subject, by=office)
    services.advance(contest=subject, by=office)
    return {
        "contest": contest,
        "contest_entry": own,
        "contest_assignment": assignment,
        "contest_round": rounds.open_round(contest=subject, by=office, advance_top=1),
    }
