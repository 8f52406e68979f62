"""A teacher's 个人工作总结 draft: gathered from their own term (keshi.plans.personal_summary),
written as .docx (keshi.plans.personal_word), downloadable by the teacher, their lead and the
office — and by no other teacher or school. See test_summary.py for the term's cast."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from keshi.appraisal import services as appraisal
from keshi.plans.personal_summary import personal_summary
from keshi.plans.personal_word import personal_summary_docx
from keshi.plans.tests.test_summary import FINAL, school_term  # noqa: F401
from keshi.records.models import Feedback
from keshi.records.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def term_of_zhang(cast, school_term):  # noqa: F811
    p = school_term.people
    given = ActivityFactory(person=p["张"], observed=p["王"], date=date(2026, 10, 9),
                            title="《背影》", data={"comments": "朗读指导到位"})  # fmt: skip
    heard = ActivityFactory(person=p["李"], observed=p["张"], date=date(2026, 10, 16),
                            title="《春》", data={"comments": "导入自然，板书清楚"})  # fmt: skip
    Feedback.objects.create(
        activity=heard, percent=Decimal("86.5"), level="良好", acknowledged_at=timezone.now(),
        private_notes="只给自己看的备注",
    )  # fmt: skip
    appraisal.add_manual_entry(
        by=cast.office, person=p["张"], day=date(2026, 11, 5), points=Decimal("0.5"),
        reason="区级公开课",
    )  # fmt: skip
    appraisal.add_manual_entry(
        by=cast.office, person=p["张"], day=date(2026, 3, 5), points=Decimal("1"),
        reason="上学期的加分",
    )  # fmt: skip
    return given, heard


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _rows(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def test_the_draft_is_written_from_the_teachers_own_term(cast, school_term, term_of_zhang):  # noqa: F811
    zhang = school_term.people["张"]
    s = personal_summary(cast.teacher, zhang, school_term.term, FINAL)
    assert [o.other for o in s.given] == ["—", "—", "王组长"] and [o.other for o in s.received] == [
        "李老师"
    ]
    assert s.received[0].score == "86.5%（良好）" and s.received[0].acknowledged
    assert [(r.name, r.standing) for r in s.rules] == [
        ("听课", "已完成"), ("教学反思", "已完成"), ("不属于本计划", "未完成"),
    ]  # fmt: skip
    assert [e.reason for e in s.points] == ["区级公开课"]  # last term's points stay out
    doc = Document(io.BytesIO(personal_summary_docx(s)))
    texts = _texts(doc)
    assert texts[0] == "2026—2027学年第一学期个人工作总结" and texts[1] == "示范中学　张老师"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、基本情况", "二、听课与评课", "三、业务记录", "四、量化要求完成情况",
        "五、获奖情况", "六、课题研究", "七、考核积分", "八、反思与打算",
    ]  # fmt: skip
    basics = texts[texts.index("一、基本情况") + 1]
    assert basics.startswith("本学期（2026年9月1日至2027年1月22日），我")
    assert "所在语文组" in basics and "共登记各类业务记录" in basics
    assert texts[texts.index("二、听课与评课") + 1] == (
        "本学期我听课3节，其中写有评课意见1节；同事听我的课1节，给出评课意见或评分1节，我已阅1节。"
    )
    given, received, kinds, rules, points = doc.tables
    assert _rows(given)[3] == ["10月9日", "王组长", "《背影》", "朗读指导到位", "—"]
    assert _rows(received)[1] == [
        "10月16日",
        "李老师",
        "《春》",
        "导入自然，板书清楚",
        "86.5%（良好）",
    ]
    assert _rows(rules)[1][0] == "听课" and _rows(rules)[1][2] == "已完成"
    assert _rows(points)[1] == ["11月5日", "+0.5", "手工登记", "区级公开课"]
    assert "本学期考核分合计0.5分。" in texts
    assert "本学期我没有公布结果的评比获奖。" in texts and "本学期我没有参与课题研究。" in texts
    assert "（三）下学期打算" in texts
    assert not any("只给自己看的备注" in t for t in texts)  # the observer's private notes
    assert not any("暂无" in t for t in texts)


def test_who_may_download(client, cast, school_term, term_of_zhang):  # noqa: F811
    zhang = school_term.people["张"]
    url = reverse("plan_documents:personal_summary", args=[zhang.pk])
    url += f"?term={school_term.term.pk}"
    for user in (cast.teacher, cast.lead, cast.office, cast.leader):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"].endswith("wordprocessingml.document")
        assert "%E5%BC%A0%E8%80%81%E5%B8%88" in response["Content-Disposition"]  # 张老师
        doc = Document(io.BytesIO(response.content))
        assert doc.paragraphs[1].text == "示范中学　张老师", user
    for user in (cast.other_teacher, cast.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_my_link_and_the_archive_button(client, cast, school_term):  # noqa: F811
    zhang = school_term.people["张"]
    client.force_login(cast.teacher)
    mine = client.get(reverse("plan_documents:my_personal_summary") + "?term=7")
    assert mine.url == reverse("plan_documents:personal_summary", args=[zhang.pk]) + "?term=7"
    page = client.get(reverse("appraisal:archive", args=[zhang.pk])).content.decode()
    assert reverse("plan_documents:personal_summary", args=[zhang.pk]) in page
    assert (
        client.get(
            reverse("plan_documents:personal_summary", args=[zhang.pk]) + "?term=x"
        ).status_code
        == 404
    )
    other = school_term.people["李"]
    assert (
        client.get(reverse("plan_documents:personal_summary", args=[other.pk])).status_code == 404
    )


def test_the_draft_prints(cast, school_term, term_of_zhang, tmp_path):  # noqa: F811
    """Pages in test-artifacts/personal-summary-*.png."""
    from keshi.plans.tests.test_word import _pages, _print, _text

    s = personal_summary(cast.teacher, school_term.people["张"], school_term.term, FINAL)
    pdf = _print(personal_summary_docx(s), "personal-summary", tmp_path)
    text = _text(pdf)
    assert "个人工作总结" in text and "听我的课与反馈" in text and "反思与打算" in text
    assert _pages(pdf) <= 4
