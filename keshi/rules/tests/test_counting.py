"""What a record counts toward: the panel on the record form, the line on the record, and the
mentor filled in from a 徒弟听师傅 task (#22 item 4)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from keshi.org.tests.factories import MentorshipFactory, PersonFactory
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.models import Requirement
from keshi.rules.selectors_counting import counting_rules, record_counting
from keshi.rules.tests.factories import RequirementFactory
from keshi.web.tests.pages import get

pytestmark = pytest.mark.django_db
AT = date(2026, 11, 26)


@pytest.fixture
def rules(cast, term):
    reflection = RequirementFactory(
        org=cast.school, name="教学反思", threshold=3, kinds=[kind("reflection")],
        item_min_chars=800,
    )  # fmt: skip
    young = RequirementFactory(
        org=cast.school, name="青年教师反思", threshold=1, kinds=[kind("reflection")], age_max=35
    )
    RequirementFactory(org=cast.school, name="听课", threshold=8, kinds=[kind("observation")])
    RequirementFactory(
        org=cast.other_school, name="外校反思", threshold=1, kinds=[kind("reflection")]
    )
    return reflection, young


def test_the_rules_a_record_would_count_toward_and_their_conditions(cast, rules):
    reflection, _young = rules
    teacher = cast.teacher.person
    teacher.birth_date = date(1970, 1, 1)  # not a 青年教师: that rule is not theirs
    teacher.save()
    found = counting_rules(cast.teacher, person=teacher, kind=kind("reflection"), on=AT)
    assert [c.requirement for c in found] == [reflection]  # not 听课, not another school's
    (c,) = found
    assert "每篇不少于800字" in c.sentence
    assert any("800字" in line for line in c.conditions)


def test_what_a_saved_record_counted_toward_or_why_not(cast, rules):
    reflection, _young = rules
    teacher = cast.teacher.person
    long = ActivityFactory(person=teacher, kind=kind("reflection"), date=AT, chars=900)
    short = ActivityFactory(person=teacher, kind=kind("reflection"), date=AT, chars=500)
    (counted,) = [c for c in record_counting(cast.teacher, long, AT) if c.requirement == reflection]
    assert counted.reason == "" and counted.progress == "1/3篇" and counted.period == "本学期"
    (left,) = [c for c in record_counting(cast.teacher, short, AT) if c.requirement == reflection]
    assert left.reason == "不足800字"


def test_the_form_shows_the_panel_and_the_record_says_what_it_counted_toward(client, cast, rules):
    page = get(client, cast.teacher, reverse("records:create"), kind="reflection")
    body = page.content.decode()
    assert 'id="counting"' in body and "每篇不少于800字，字数不够的不计入" in body
    assert "外校反思" not in body
    record = ActivityFactory(
        person=cast.teacher.person, kind=kind("reflection"), date=timezone.localdate(), chars=300
    )
    shown = get(client, cast.teacher, reverse("records:detail", args=[record.pk]), saved="1")
    text = shown.content.decode()
    assert "已保存。这条记录计入：" in text and "教学反思：不足800字" in text


def test_a_mentee_coming_from_the_task_gets_the_mentor_filled_in(client, cast, term):
    mentor = PersonFactory(org=cast.school, name="钱师傅")
    MentorshipFactory(org=cast.school, mentor=mentor, mentee=cast.teacher.person)
    rule = RequirementFactory(
        org=cast.school, name="徒弟听师傅", threshold=4, kinds=[kind("observation")],
        mentorship=Requirement.Mentorship.MENTEE_OBSERVES_MENTOR,
    )  # fmt: skip
    url = reverse("records:create")
    page = get(client, cast.teacher, url, kind="observation", requirement=str(rule.pk))
    assert page.context["observed_person"] == mentor
    assert "钱师傅" in page.content.decode()
    plain = get(client, cast.teacher, url, kind="observation", requirement="²")
    assert plain.status_code == 200 and plain.context["observed_person"] is None
    # another school's rule id fills in nothing
    foreign = RequirementFactory(
        org=cast.other_school, threshold=1, kinds=[kind("observation")],
        mentorship=Requirement.Mentorship.MENTEE_OBSERVES_MENTOR,
    )  # fmt: skip
    other = get(client, cast.teacher, url, kind="observation", requirement=str(foreign.pk))
    assert other.context["observed_person"] is None
