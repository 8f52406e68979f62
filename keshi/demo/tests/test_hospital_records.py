"""The demo hospital's own work (keshi.demo.hospital_records): its records of the hospital
kinds, the two rules judged over them, the confidential 不良事件 reports and a 新技术新项目."""

from datetime import date

from django.contrib.auth import get_user_model

from keshi.calendar.selectors import current_term
from keshi.demo.tests.snapshot import TODAY
from keshi.org.models import Group, Org, Person
from keshi.records.kinds import HOSPITAL_KINDS
from keshi.records.models import Activity
from keshi.research.models import ResearchProject
from keshi.rules.engine import evaluate
from keshi.rules.group_engine import evaluate_groups
from keshi.rules.models import Requirement
from keshi.rules.status import Status
from keshi.safety.selectors import reports_for

User = get_user_model()


def test_the_hospital_records_every_kind_of_its_own(loaded):
    codes = set(Activity.objects.filter(org__code="hospital").values_list("kind__code", flat=True))
    assert codes >= {spec["code"] for spec in HOSPITAL_KINDS}
    assert not Activity.objects.filter(
        kind__audience="hospital", org__kind=Org.Kind.SCHOOL
    ).exists()
    study = Activity.objects.filter(kind__code="business_study", person__staff_no="H004")
    assert study.count() == 2 * TODAY.month and {a.quantity for a in study} == {2}  # since Jan


def test_the_rules_are_judged(loaded):
    org = Org.objects.get(code="hospital")
    term = current_term(org, on=TODAY)
    study = Requirement.objects.get(org=org, name="每月业务学习")
    result = evaluate(term=term, at=TODAY, requirements=[study])
    october = {
        p.staff_no: {c.period.start: c.status for c in result.periods(p.pk, study.pk)}[
            date(2026, 10, 1)
        ]
        for p in Person.objects.filter(org=org, memberships__group__name="神经内科")
    }
    assert october.pop("H005") is Status.MISSED  # one short (night duty every third month)
    assert set(october.values()) == {Status.MET}
    sent = Requirement.objects.get(org=org, name="每半年选派进修")
    neuro = Group.objects.get(org=org, name="神经内科")
    cells = evaluate_groups(term=term, at=TODAY, requirements=[sent])
    halves = {c.period.start: c.status for c in cells.periods(neuro.pk, sent.pk)}
    assert halves[date(2026, 7, 1)] is Status.MET  # 周明远's 进修 in July


def test_the_reports_are_seen_by_those_allowed(loaded):
    titles = {
        username: set(
            reports_for(User.objects.get(username=username)).values_list("title", flat=True)
        )
        for username in ("doctor", "neuro", "hospital_office", "teacher", "district")
    }
    assert titles["doctor"] == {"患者夜间如厕时滑倒"}  # her own, not 郑宇航's
    assert len(titles["neuro"]) == len(titles["hospital_office"]) == 2
    assert titles["teacher"] == titles["district"] == set()


def test_a_new_tech_project_is_at_its_practice_stage(loaded):
    project = ResearchProject.objects.get(org__code="hospital", kind="new_tech")
    assert (project.status, project.finished) == ("practised", False)
    assert list(project.stages.values_list("stage", "decision")) == [
        ("declared", "passed"),
        ("assessed", "passed"),
        ("practised", "pending"),
    ]
