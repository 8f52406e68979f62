"""A paper contest at the cast's school with three judges outside the 语文组."""

from __future__ import annotations

import io

from docx import Document

from keshi.checks.models import Rubric
from keshi.contests import services
from keshi.contests.models import Contest
from keshi.org.models import Person
from keshi.org.tests.factories import PersonFactory, UserFactory


def rubric(org) -> Rubric:
    return Rubric.objects.create(
        org=org,
        name="论文评分表",
        purpose=Rubric.Purpose.APPRAISAL,
        criteria=[
            {"key": "c1", "name": "选题与观点", "max": "60"},
            {"key": "c2", "name": "结构与表达", "max": "40"},
        ],
    )


def contest(cast, **overrides) -> Contest:
    values = {
        "title": "2026 年教学论文评比",
        "kind": Contest.Kind.PAPER,
        "rubric": rubric(cast.school),
    }
    values.update(overrides)
    return services.create_contest(org=cast.school, by=cast.office, **values)


def person(user) -> Person:
    return Person.objects.get(user=user)


def judges(cast, n: int = 3) -> list:
    """Users of the school who are in no group: 评委一, 评委二…"""
    names = ["评委一", "评委二", "评委三", "评委四"]
    users = []
    for i in range(n):
        user = UserFactory(username=f"judge{i + 1}")
        PersonFactory(org=cast.school, name=names[i], user=user)
        users.append(user)
    return users


def docx_by(name: str, body: str = "作文教学的三点体会") -> bytes:
    doc = Document()
    doc.core_properties.author = name
    doc.core_properties.last_modified_by = name
    doc.add_paragraph(f"{name}  示范中学")
    doc.add_paragraph(body)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def enter(contest_, user, title: str = "浅谈作文教学"):
    p = person(user)
    return services.submit_entry(
        contest=contest_,
        person=p,
        title=title,
        upload_name=f"{p.name}-论文.docx",
        data=docx_by(p.name),
    )


def full(fraction: float) -> dict[str, str]:
    return {"c1": str(round(60 * fraction, 2)), "c2": str(round(40 * fraction, 2))}
