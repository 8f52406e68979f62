"""关闭学期: read-only in the services that write dated work, frozen 工作总结, reopen, audit."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from keshi.accounts.models import ApiToken
from keshi.api import api
from keshi.calendar import lifecycle_services as services
from keshi.calendar import services as calendar_services
from keshi.calendar.closing import CLOSED_MESSAGE, TermClosed, summary_key
from keshi.calendar.models import TermDocument
from keshi.checks import services as checks
from keshi.checks.models import Inspection, Rubric
from keshi.org.models import Person
from keshi.plans import services as plans
from keshi.plans.models import Plan
from keshi.records import services as records
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules import services as rules
from keshi.rules.tests.factories import RequirementFactory

IN_FIRST = date(2025, 10, 15)


@pytest.fixture
def year(cast):
    return calendar_services.create_school_year(org=cast.school, start_year=2025)


@pytest.fixture
def first(year):
    return year.terms.get(number=1)


@pytest.fixture
def teacher(cast):
    return Person.objects.get(user=cast.teacher)


@pytest.fixture
def plan(cast, first):
    return plans.create_plan(
        org=cast.school, user=cast.office, title="本学期教科室计划", term=first
    )


@pytest.fixture
def closed(cast, first, plan):
    RequirementFactory(org=cast.school, name="每学期听课", kinds=[kind("observation")], plan=plan)
    return services.close_term(user=cast.office, term=first)


def test_closing_records_who_and_when_and_stores_the_summary(cast, first, closed, plan):
    assert closed.is_closed and closed.closed_by == cast.office
    entry = first.history.first()
    assert entry.history_change_reason == "关闭学期" and entry.history_user == cast.office
    entries = first.history.count()
    doc = TermDocument.objects.get(term=first, key=summary_key(plan.pk))
    assert doc.name.endswith(".docx") and bytes(doc.content)[:2] == b"PK"
    again = services.close_term(user=cast.office, term=first)  # idempotent
    assert again.closed_at == closed.closed_at and first.history.count() == entries


@pytest.mark.parametrize("who", ["teacher", "lead", "leader", "district"])
def test_only_the_office_closes(cast, first, who):
    with pytest.raises(PermissionDenied):
        services.close_term(user=getattr(cast, who), term=first)
    first.refresh_from_db()
    assert not first.is_closed


def test_no_new_or_changed_records_dated_in_a_closed_term(cast, closed, teacher):
    with pytest.raises(TermClosed) as e:
        records.record_activity(
            person=teacher, kind=kind("observation"), by=cast.teacher, on=IN_FIRST
        )
    assert e.value.messages == [str(CLOSED_MESSAGE)] == ["该学期已关闭，只能查看"]
    activity = ActivityFactory(person=teacher, date=IN_FIRST)
    with pytest.raises(TermClosed):
        records.update_activity(activity=activity, by=cast.teacher, on=IN_FIRST, title="改")
    with pytest.raises(TermClosed):  # nor moved out of it
        records.update_activity(activity=activity, by=cast.teacher, on=date(2026, 9, 10))
    with pytest.raises(TermClosed):
        records.delete_activity(activity=activity, by=cast.teacher)
    with pytest.raises(TermClosed):
        records.review_activity(activity=activity, by=cast.lead, approve=True)
    # outside the closed term records go on as usual
    records.record_activity(
        person=teacher, kind=kind("observation"), by=cast.teacher, on=date(2026, 3, 10)
    )


def test_no_exemption_reaching_into_a_closed_term(cast, closed, teacher):
    with pytest.raises(TermClosed):
        rules.add_exemption(
            user=cast.office,
            person=teacher,
            start=date(2026, 1, 1),
            end=date(2026, 3, 1),
            reason="病假",
        )
    rules.add_exemption(
        user=cast.office,
        person=teacher,
        start=date(2026, 3, 1),
        end=date(2026, 3, 9),
        reason="病假",
    )


def test_plans_of_a_closed_term_and_its_bulletins_are_read_only(cast, first, closed, plan):
    with pytest.raises(TermClosed):
        plans.add_section(plan=plan, user=cast.office, kind="other", title="补充")
    with pytest.raises(TermClosed):
        plans.create_plan(org=cast.school, user=cast.office, title="补一份计划", term=first)
    with pytest.raises(TermClosed):
        plans.set_status(plan=plan, user=cast.office, status=Plan.Status.PUBLISHED)
    with pytest.raises(TermClosed):
        checks.create_bulletin(org=cast.school, by=cast.office, title="简报", issue_date=IN_FIRST)


def test_inspections_of_a_closed_term_cannot_be_scored_or_changed(cast, first):
    rubric = Rubric.objects.filter(org__isnull=True).first()
    inspection = Inspection.objects.create(
        org=cast.school, title="期中检查", kind="monthly", rubric=rubric, term=first
    )
    services.close_term(user=cast.office, term=first)
    with pytest.raises(TermClosed):
        checks.start_inspection(inspection=inspection)
    with pytest.raises(TermClosed):
        checks.record_scores(inspection=inspection, by=cast.office, rows={})
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.PLANNED


def test_reopening_makes_it_writable_again_with_an_audit_entry(cast, first, closed, teacher):
    services.reopen_term(user=cast.office, term=first, reason="补录期末检查记录")
    first.refresh_from_db()
    assert not first.is_closed
    entry = first.history.first()
    assert entry.history_change_reason == "重新开放：补录期末检查记录"
    assert entry.history_user == cast.office
    records.record_activity(person=teacher, kind=kind("observation"), by=cast.teacher, on=IN_FIRST)


# ---- pages -----------------------------------------------------------------------------------


def test_pages_of_a_closed_term_stay_open(client, cast, first, closed, teacher):
    activity = ActivityFactory(person=teacher, date=IN_FIRST)
    client.force_login(cast.teacher)
    r = client.get(reverse("calendar:term"), {"term": first.pk})
    assert r.status_code == 200 and "该学期已关闭" in r.content.decode()
    assert client.get(reverse("records:detail", args=[activity.pk])).status_code == 200
    assert client.get(reverse("records:list")).status_code == 200


def test_a_write_into_a_closed_term_answers_409_in_chinese(client, cast, closed, teacher):
    activity = ActivityFactory(person=teacher, date=IN_FIRST)
    client.force_login(cast.teacher)
    r = client.post(reverse("records:delete", args=[activity.pk]))
    assert r.status_code == 409 and "该学期已关闭，只能查看" in r.content.decode()
    assert type(activity).objects.filter(pk=activity.pk).exists()


def test_the_record_form_shows_the_refusal(client, cast, closed):
    client.force_login(cast.teacher)
    url = reverse("records:create") + "?kind=reflection"
    r = client.post(
        url, {"date": "2025-10-15", "title": "反思", "text": "反思" * 20, "quantity": "1"}
    )
    assert r.status_code in (200, 400) and "该学期已关闭，只能查看" in r.content.decode()


def test_a_closed_terms_summary_is_the_stored_copy(client, cast, first, closed, plan):
    stored = TermDocument.objects.get(term=first, key=summary_key(plan.pk))
    stored.content = b"PK-stored-copy"
    stored.save()
    client.force_login(cast.office)
    url = reverse("plan_documents:summary_docx", args=[plan.pk])
    r = client.get(url, {"at": "2026-01-20"})
    assert (
        r.status_code == 200
        and b"".join(r.streaming_content if r.streaming else [r.content]) == b"PK-stored-copy"
    )
    page = client.get(reverse("plan_documents:summary", args=[plan.pk]), {"at": "2026-01-20"})
    assert "存档的工作总结" in page.content.decode()
    r = client.post(
        reverse("plan_documents:summary", args=[plan.pk]) + "?at=2026-01-20",
        {"achievements": "新写的成绩", "problems": "", "next_term": ""},
    )
    assert r.status_code == 400 and "该学期已关闭，只能查看" in r.content.decode()


# ---- API -------------------------------------------------------------------------------------


def test_api_shows_closed_terms_and_lets_only_the_office_close(client, cast, first):
    teacher = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(cast.teacher)[1]}"}
    office = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(cast.office)[1]}"}
    url = f"/api/v1/terms/{first.pk}/close"
    assert client.post(url, **teacher).status_code == 403
    r = client.post(url, **office)
    assert r.status_code == 200 and r.json()["closed"] is True
    assert client.get(f"/api/v1/terms/{first.pk}", **teacher).json()["closed"] is True
    assert client.post(f"/api/v1/terms/{first.pk}/reopen", **office).json()["closed"] is False


def test_api_answers_a_write_into_a_closed_term_with_409(rf, cast, closed):
    response = api.on_exception(rf.post("/api/v1/x"), TermClosed(closed))
    assert response.status_code == 409
    assert response.status_code == 409
    assert json.loads(response.content) == {"detail": "该学期已关闭，只能查看"}
