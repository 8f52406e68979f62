"""Download pages and scoping, with the cast: published plans for everyone in the school, drafts
and summaries for office, leader and district only, the office's words written by the office."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from keshi.plans.models import Plan
from keshi.plans.summary import summary_words
from keshi.plans.tests.test_summary import FINAL, school_term  # noqa: F401

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get(client, user, name, plan, **query):
    client.force_login(user)
    return client.get(reverse(f"plan_documents:{name}", args=[plan.pk]), query)


@pytest.fixture
def draft(cast, school_term):  # noqa: F811
    return Plan.objects.create(
        org=cast.school, title="草稿计划", term=school_term.term, status=Plan.Status.DRAFT
    )


@pytest.mark.parametrize(
    "role, published, drafts, summary",
    [
        ("teacher", 200, 404, 403),
        ("lead", 200, 404, 403),
        ("office", 200, 200, 200),
        ("leader", 200, 200, 200),
        ("district", 200, 200, 200),
        ("outsider", 404, 404, 404),
    ],
)
def test_download_scoping(client, cast, school_term, draft, role, published, drafts, summary):  # noqa: F811
    user = getattr(cast, role)
    plan = school_term.plan
    response = _get(client, user, "plan", plan)
    assert response.status_code == published
    if published == 200:
        assert response["Content-Type"] == DOCX
        assert "attachment" in response["Content-Disposition"]
        doc = Document(io.BytesIO(response.content))
        assert doc.paragraphs[0].text == plan.title
    assert _get(client, user, "plan", draft).status_code == drafts
    assert _get(client, user, "summary", plan).status_code == summary
    assert _get(client, user, "summary_docx", plan, at="2027-01-22").status_code == summary
    listed = client.get(reverse("plan_documents:index")).content.decode()
    assert (plan.title in listed) == (published == 200)
    assert ("草稿计划" in listed) == (drafts == 200)


def test_summary_download_is_a_docx(client, cast, school_term):  # noqa: F811
    response = _get(client, cast.leader, "summary_docx", school_term.plan, at="2026-11-10")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert "%EF%BC%88%E8%8D%89%E7%A8%BF%EF%BC%89" in response["Content-Disposition"]  # （草稿）
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[0].text.endswith("工作总结（草稿）")
    final = _get(client, cast.leader, "summary_docx", school_term.plan, at=FINAL.isoformat())
    assert Document(io.BytesIO(final.content)).paragraphs[0].text.endswith("工作总结")


def test_bad_date_is_explained(client, cast, school_term):  # noqa: F811
    response = _get(client, cast.office, "summary", school_term.plan, at="2027-13-40")
    assert response.status_code == 400
    assert "日期格式不对" in response.content.decode()
    response = _get(client, cast.office, "summary_docx", school_term.plan, at="明天")
    assert response.status_code == 302


def test_office_writes_the_words(client, cast, school_term):  # noqa: F811
    plan = school_term.plan
    url = reverse("plan_documents:summary", args=[plan.pk])
    words = {"achievements": "成绩一。", "problems": "问题一。", "next_term": "打算一。"}
    for user in (cast.leader, cast.district, cast.teacher):
        client.force_login(user)
        assert client.post(url, words).status_code == 403
    assert summary_words(plan) == {"achievements": "", "problems": "", "next_term": ""}
    client.force_login(cast.office)
    response = client.post(url, words)
    assert response.status_code == 302
    assert summary_words(plan) == words
    response = client.post(url, {**words, "problems": "长" * 5001})
    assert response.status_code == 400
    assert summary_words(plan)["problems"] == "问题一。"
    client.force_login(cast.leader)
    page = client.get(url).content.decode()
    assert "成绩一。" in page and "<textarea" not in page


def test_empty_index_says_what_next(client, cast):
    client.force_login(cast.teacher)
    page = client.get(reverse("plan_documents:index")).content.decode()
    assert "还没有可下载的工作计划" in page


def test_year_plan_summary_uses_the_term_of_the_date(client, cast, school_term):  # noqa: F811
    plan = Plan.objects.create(
        org=cast.school,
        title="学年计划",
        school_year=school_term.term.school_year,
        status=Plan.Status.PUBLISHED,
    )
    response = _get(client, cast.office, "summary_docx", plan, at=date(2027, 3, 15).isoformat())
    doc = Document(io.BytesIO(response.content))
    title = doc.paragraphs[0].text  # a year plan's summary names the term it covers
    assert title == "示范中学2026—2027学年第二学期教科室工作总结（草稿）"
