"""The acceptance story of issue 4: the office imports plan-a (as .txt and as .docx), confirms
its requirements, and the compliance engine evaluates them."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.org.models import Person
from keshi.plans.models import CalendarItem, Plan, Suggestion
from keshi.records.services import record_activity
from keshi.records.tests.factories import kind
from keshi.rules.engine import evaluate
from keshi.rules.models import Requirement
from keshi.rules.status import Status

SAMPLE = Path("/work/shared/samples/plans/plan-a.txt")
if not SAMPLE.exists():
    SAMPLE = Path(__file__).resolve().parents[3] / "../shared/samples/plans/plan-a.txt"
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="plan-a.txt sample not available")


def docx_of(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def term(cast):
    year = create_school_year(org=cast.school, start_year=2025)
    return year.terms.get(number=1)


def upload(client, name: str, data: bytes, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{reverse('plans:import')}?org={org.pk}", {"file": SimpleUploadedFile(name, data)}
    )


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_office_imports_plan_a_confirms_and_engine_evaluates(client, cast, term, fmt):
    text = SAMPLE.read_text(encoding="utf-8")
    data = text.encode() if fmt == "txt" else docx_of(text)
    young = Person.objects.get(user=cast.teacher)
    young.teaching_start = date(2024, 9, 1)  # 教龄 1 year at the term's start
    young.save()
    client.force_login(cast.office)

    response = upload(client, f"plan-a.{fmt}", data, cast.school)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "教龄不足三年者每学期听课次数不得少于15次" in body
    assert "工作分工" in body and "明庭友" in body
    assert "9月" in body  # 行事历 placed by month

    confirm = client.post(response["Location"], {"title": "教科室工作计划", "term": term.pk})
    assert confirm.status_code == 302
    plan = Plan.objects.get(org=cast.school)
    assert plan.status == Plan.Status.DRAFT and plan.source_name == f"plan-a.{fmt}"
    assert plan.sections.count() >= 10
    assert plan.duties.count() == 10
    items = CalendarItem.objects.filter(plan=plan)
    assert items.count() == 15
    assert set(items.values_list("month", flat=True)) == {9, 11, 1}
    requirement_suggestions = plan.suggestions.filter(kind=Suggestion.Kind.REQUIREMENT)
    assert requirement_suggestions.count() == 17
    assert plan.suggestions.filter(kind=Suggestion.Kind.TARGET).count() == 1

    accepted = client.post(reverse("plans:suggestions_accept_all", args=[plan.pk]))
    assert accepted.status_code == 302
    requirements = Requirement.objects.filter(plan=plan)
    assert requirements.count() >= 4
    # the org's own meetings go to the 行事历, never a quota per teacher (issue 23)
    meeting = plan.suggestions.get(source="每月至少召开一次学科主任会议")
    assert meeting.status == Suggestion.Status.ACCEPTED and meeting.requirement is None
    assert not requirements.filter(source_text__contains="学科主任会议").exists()
    assert CalendarItem.objects.filter(plan=plan, title__contains="学科主任会议").count() >= 4
    young_rule = requirements.get(source_text="教龄不足三年者每学期听课次数不得少于15次")
    assert young_rule.teaching_years_max == 2
    assert young_rule.threshold == 15 and young_rule.period == Requirement.Period.TERM
    assert [k.code for k in young_rule.kinds.all()] == ["observation"]
    # the office's spot checks are its own events too: 行事历 items, no teacher's quota
    inspection = plan.suggestions.get(source="每期随机抽查两次")
    assert inspection.status == Suggestion.Status.ACCEPTED and inspection.requirement is None
    assert inspection.data["owner"] == "org"

    observation = kind("observation")
    for day in (8, 9, 10):
        record_activity(person=young, kind=observation, by=cast.teacher, on=date(2025, 9, day))
    result = evaluate(term=term, at=date(2025, 10, 15), requirements=[young_rule])
    cell = result.current(young.pk, young_rule.pk)
    assert cell.value == 3 and cell.target == 15
    assert cell.status in (Status.BEHIND, Status.ON_TRACK)
    for day in range(13, 25):
        record_activity(person=young, kind=observation, by=cast.teacher, on=date(2025, 10, day))
    result = evaluate(term=term, at=date(2025, 10, 28), requirements=[young_rule])
    assert result.current(young.pk, young_rule.pk).status == Status.MET
    other = Person.objects.get(user=cast.other_teacher)  # 教龄 10 years: not in the audience
    assert result.current(other.pk, young_rule.pk) is None
