from datetime import date, timedelta

import pytest

from keshi.records.models import Activity
from keshi.research import lifecycle, selectors, services
from keshi.research.models import Stage
from keshi.research.tests.helpers import PDF, advance, person, project


@pytest.mark.django_db
def test_a_project_moves_through_every_stage_with_documents(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = project(cast)
    seen = [p.status]
    for _ in lifecycle.STAGES:
        advance(p, cast.office)
        seen.append(p.status)
    assert seen == ["declared", "approved", "opened", "midterm", "concluded", "concluded"]
    assert p.finished
    assert list(p.stages.values_list("decision", flat=True)) == ["passed"] * 5
    assert p.stages.get(stage="concluded").documents.count() == 2
    # Each member got one record per approved stage, titled after the stage.
    zhang = Activity.objects.filter(person=person(cast.teacher)).order_by("pk")
    assert [a.title for a in zhang][:2] == [
        "课题《初中语文整本书阅读教学研究》申报",
        "课题《初中语文整本书阅读教学研究》立项",
    ]
    assert Activity.objects.filter(person=person(cast.other_teacher)).count() == 5
    # Idempotent.
    assert services.count_members_work(stage=p.stages.first(), by=cast.office) == 0
    assert Activity.objects.count() == 10


@pytest.mark.django_db
def test_advancing_refuses_missing_documents_and_writes_nothing(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = project(cast)
    p.status = "midterm"
    p.save()
    stage = Stage.objects.create(project=p, stage="concluded")
    services.submit_documents(
        stage=stage, files=[("结题报告", "r.pdf", PDF, "application/pdf")], by=cast.teacher
    )
    with pytest.raises(lifecycle.TransitionRefused, match="研究成果"):
        services.review_stage(stage=stage, decision="passed", comment="", by=cast.office)
    stage.refresh_from_db()
    assert stage.decision == "pending" and Activity.objects.count() == 0


@pytest.mark.django_db
def test_returned_stage_waits_and_resubmission_resets_it(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = project(cast)
    stage = p.stages.get()
    services.review_stage(stage=stage, decision="returned", comment="补充", by=cast.office)
    p.refresh_from_db()
    assert p.status == "declared" and Activity.objects.count() == 0
    services.submit_documents(
        stage=stage, files=[("申报书", "s.pdf", PDF, "application/pdf")], by=cast.teacher
    )
    stage.refresh_from_db()
    assert stage.decision == "pending"


@pytest.mark.django_db
def test_overdue_stages(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = date(2026, 11, 1)
    late = project(cast, due_date=today - timedelta(days=1))
    project(cast, title="按时", due_date=today + timedelta(days=3))
    done = project(cast, title="已审", due_date=today - timedelta(days=5))
    advance(done, cast.office)  # 申报 approved; the new 立项 stage has no due date
    assert list(selectors.overdue_stages(cast.school, today).values_list("project", flat=True)) == [
        late.pk
    ]
    assert not selectors.overdue_stages(cast.other_school, today).exists()
    services.change_status(project=late, target="withdrawn", reason="经费不足")
    assert not selectors.overdue_stages(cast.school, today).exists()


@pytest.mark.django_db
def test_extension_and_withdrawal_need_a_reason_and_an_allowed_step(cast):
    p = project(cast)
    with pytest.raises(lifecycle.TransitionRefused, match="原因"):
        services.change_status(project=p, target="withdrawn", reason=" ")
    with pytest.raises(lifecycle.TransitionRefused):
        services.change_status(project=p, target="extended", reason="太忙")
    p.refresh_from_db()
    assert p.status == "declared"


@pytest.mark.django_db
def test_reviewers(cast):
    school = project(cast)
    district = project(cast, level="district", title="区级课题")
    assert selectors.can_review(cast.office, school)
    assert not selectors.can_review(cast.district, school)
    assert selectors.can_review(cast.district, district)
    assert not selectors.can_review(cast.office, district)
    for user in (cast.teacher, cast.lead, cast.leader, cast.outsider):
        assert not selectors.can_review(user, school)
