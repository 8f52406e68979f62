"""A hospital user meets no school words (#24): every page their menu offers, the pages those
link to inside the hospital, and the documents they may download (the 工作总结 .docx read back
with python-docx) contain none of 学期, 教学周, 全校, 教科室, 教龄, nor 学年."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from docx import Document

from keshi.demo.tests.test_menu_alive import _links, demo, today  # noqa: F401 -- the fixture
from keshi.org.models import Group
from keshi.plans.models import Plan

USERS = ["neuro", "hospital_office", "doctor"]
SCHOOL_WORDS = ("学期", "教学周", "全校", "教科室", "教龄", "学年")
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def school_words(text: str) -> list[str]:
    """Each school word found with a little of its context, to name where it is."""
    found = []
    for word in SCHOOL_WORDS:
        for hit in re.finditer(word, text):
            found.append(text[max(0, hit.start() - 20) : hit.end() + 20].replace("\n", " "))
    return found


def visible_text(html: str) -> str:
    return TAGS.sub(" ", html)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("username", USERS)
def test_no_school_word_on_any_page(demo, db, username):  # noqa: F811
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    problems = []
    for label, url in [("首页", reverse("home")), *_links(user)]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (label, url, response.status_code)
        for hit in school_words(visible_text(response.content.decode())):
            problems.append(f"{label} {url}: …{hit}…")
    assert not problems, "\n".join(problems)


def _docx_problems(response, name: str) -> list[str]:
    assert response.status_code == 200, (name, response.status_code)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), name
    text = _docx_text(response.content)
    assert "示范区人民医院" in text, name
    return [f"{name}: …{hit}…" for hit in school_words(text)]


def test_no_school_word_in_the_summary(demo, db):  # noqa: F811
    """The 医务科's 工作总结 of the department's plan: the page and the .docx."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="hospital_office"))
    plan = Plan.objects.filter(org__code="hospital").order_by("pk").first()
    page = client.get(reverse("plan_documents:summary", args=[plan.pk]))
    assert page.status_code == 200
    problems = [f"page: …{h}…" for h in school_words(visible_text(page.content.decode()))]
    docx = client.get(reverse("plan_documents:summary_docx", args=[plan.pk]))
    problems += _docx_problems(docx, "工作总结.docx")
    assert "神经内科" in _docx_text(docx.content)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("username", USERS)
def test_no_school_word_in_the_personal_summary(demo, db, username):  # noqa: F811
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("plan_documents:my_personal_summary"), follow=True)
    problems = _docx_problems(response, f"{username} 个人工作总结.docx")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("username", ["neuro", "hospital_office"])
def test_no_school_word_in_the_month_report(demo, db, username):  # noqa: F811
    """The monthly 质量与安全 report of 神经内科, last month, as the head and the 医务科 get it
    from the indicators page; the doctor is refused it."""
    neuro = Group.objects.get(org__code="hospital", name="神经内科")
    day = today()
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    url = f"{reverse('indicators:month_report')}?group={neuro.pk}&year={year}&month={month}"
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    problems = _docx_problems(response, f"{username} 质量与安全月报.docx")
    assert "床位使用率" in _docx_text(response.content)
    assert not problems, "\n".join(problems)
    client.force_login(get_user_model().objects.get(username="doctor"))
    assert client.get(url).status_code == 404
