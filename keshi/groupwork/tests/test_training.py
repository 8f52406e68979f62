"""校本研修: the 六个一 checklist gates the grant of 学时/学分."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keshi.groupwork import selectors, services_training
from keshi.groupwork.models import Material
from keshi.groupwork.tests.conftest import records_of
from keshi.org.tests.factories import PersonFactory
from keshi.records.tests.factories import PDF, ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast):
    return services_training.save_project(
        org=cast.school,
        by=cast.office,
        title="新课标下的大单元教学",
        start=date(2025, 11, 5),
        end=date(2025, 11, 5),
        hours=Decimal("3"),
        credits=Decimal("0.5"),
        organiser="教科室",
    )


def complete(project, by, skip=()):
    for item in Material.values:
        if item not in skip:
            services_training.attach_material(
                project=project, item=item, by=by, upload=(f"{item}.pdf", PDF, "application/pdf")
            )


def test_missing_materials_are_listed_in_plan_order(cast, project):
    complete(project, cast.office, skip=("news", "evaluation"))
    assert selectors.missing_items(project) == ["新闻报道", "评价表"]
    row = selectors.with_materials(type(project).objects.filter(pk=project.pk)).get()
    assert selectors.checklist_row(row) == [
        ("活动方案", True),
        ("签到表", True),
        ("活动记录", True),
        ("新闻报道", False),
        ("教师作业", True),
        ("评价表", False),
    ]


def test_a_record_can_stand_for_a_material(cast, project, people):
    news = ActivityFactory(person=people(cast.teacher), title="校园新闻")
    services_training.attach_material(project=project, item="news", by=cast.office, activity=news)
    assert "新闻报道" not in selectors.missing_items(project)
    outsider_record = ActivityFactory(person=people(cast.outsider))
    with pytest.raises(ValidationError):
        services_training.attach_material(
            project=project, item="plan", by=cast.office, activity=outsider_record
        )


def test_grant_refused_while_incomplete_then_granted_once(cast, project, people):
    teacher, other = people(cast.teacher), people(cast.other_teacher)
    services_training.set_training_attendance(
        project=project, people=[teacher, other], by=cast.office
    )
    complete(project, cast.office, skip=("homework",))
    with pytest.raises(ValidationError, match="缺1项"):
        services_training.grant_training(project=project, by=cast.office)
    assert not records_of(teacher, "training").exists()
    complete(project, cast.office)
    assert services_training.grant_training(project=project, by=cast.office) == 2
    assert services_training.grant_training(project=project, by=cast.office) == 0
    record = records_of(teacher, "training").get()
    assert (record.quantity, record.credits) == (Decimal("3"), Decimal("0.5"))
    assert record.date == date(2025, 11, 5) and record.title == "新课标下的大单元教学"
    assert record.complete, "the teachers' homework is the report a 培训 record asks for"
    project.refresh_from_db()
    assert project.granted_at and project.override_reason == ""


def test_override_needs_a_real_reason(cast, project, people):
    teacher = people(cast.teacher)
    services_training.set_training_attendance(project=project, people=[teacher], by=cast.office)
    with pytest.raises(ValidationError):
        services_training.grant_training(project=project, by=cast.office, override_reason="   ")
    assert (
        services_training.grant_training(
            project=project, by=cast.office, override_reason="区级统一组织"
        )
        == 1
    )
    project.refresh_from_db()
    assert project.override_reason == "区级统一组织"
    assert not records_of(teacher, "training").get().complete, "no homework: report still owed"


def test_removing_an_attendee_after_the_grant_removes_their_record(cast, project, people):
    teacher, other = people(cast.teacher), people(cast.other_teacher)
    services_training.set_training_attendance(
        project=project, people=[teacher, other], by=cast.office
    )
    complete(project, cast.office)
    services_training.grant_training(project=project, by=cast.office)
    services_training.set_training_attendance(project=project, people=[other], by=cast.office)
    assert not records_of(teacher, "training").exists()
    assert records_of(other, "training").count() == 1


def test_attendees_must_belong_to_the_org(cast, project, people):
    with pytest.raises(ValidationError):
        services_training.set_training_attendance(
            project=project, people=[people(cast.outsider)], by=cast.office
        )
    gone = PersonFactory(org=cast.school, active=False)
    with pytest.raises(ValidationError):
        services_training.sign_in_training(project=project, person=gone)
