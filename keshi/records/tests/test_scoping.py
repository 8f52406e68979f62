"""Who sees, changes, downloads what — for every records page, with the whole cast."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from keshi.org.models import Membership
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory
from keshi.records.models import Activity, Attachment
from keshi.records.tests.factories import PDF, ActivityFactory, kind

LIST = reverse("records:list")


@pytest.fixture
def records(cast):
    """One record each for 张老师, 李老师, 王组长, 赵老师 (other school), and a 数学组 teacher."""
    math = GroupFactory(org=cast.school, name="数学组")
    outside_group = PersonFactory(org=cast.school, name="孙老师")
    MembershipFactory(person=outside_group, group=math)
    made = {}
    for name, person in [
        ("teacher", cast.teacher.person),
        ("other_teacher", cast.other_teacher.person),
        ("lead", cast.lead.person),
        ("outsider", cast.outsider.person),
        ("math", outside_group),
    ]:
        made[name] = ActivityFactory(person=person, kind=kind("reflection"), title=f"{name}的反思")
    a = made["teacher"]
    made["attachment"] = Attachment(
        activity=a, name="教案.pdf", size=len(PDF), content_type="application/pdf"
    )
    made["attachment"].file.save("x.pdf", ContentFile(PDF), save=True)
    return made


def titles(response) -> set[str]:
    return {a.title for a in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("teacher", {"teacher"}),
        ("other_teacher", {"other_teacher"}),
        ("lead", {"teacher", "other_teacher", "lead"}),
        ("office", {"teacher", "other_teacher", "lead", "math"}),
        ("leader", {"teacher", "other_teacher", "lead", "math"}),
        ("district", {"teacher", "other_teacher", "lead", "math", "outsider"}),
        ("outsider", {"outsider"}),
    ],
)
def test_list_is_scoped(client, cast, records, who, expected):
    client.force_login(getattr(cast, who))
    r = client.get(LIST)
    assert titles(r) == {f"{n}的反思" for n in expected}
    export = client.get(reverse("records:export"))
    assert export.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    exported = {row[7] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert exported == {f"{n}的反思" for n in expected}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher", 200),
        ("other_teacher", 404),
        ("lead", 200),
        ("office", 200),
        ("leader", 200),
        ("district", 200),
        ("outsider", 404),
    ],
)
def test_detail_and_download(client, cast, records, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("records:detail", args=[records["teacher"].pk])).status_code == status
    r = client.get(reverse("records:attachment", args=[records["attachment"].pk]))
    assert r.status_code == status
    if status == 200:
        assert b"".join(r.streaming_content) == PDF
        assert "attachment;" in r["Content-Disposition"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher", 200),
        ("other_teacher", 404),
        ("outsider", 404),
        ("lead", 200),
        ("office", 200),
        ("leader", 403),
        ("district", 403),
    ],
)
def test_edit_and_delete(client, cast, records, who, status):
    client.force_login(getattr(cast, who))
    pk = records["teacher"].pk
    assert client.get(reverse("records:edit", args=[pk])).status_code == status
    r = client.post(reverse("records:delete", args=[pk]))
    assert r.status_code == (302 if status == 200 else status)
    assert Activity.objects.filter(pk=pk).exists() == (status != 200)


def test_attachment_delete_is_scoped(client, cast, records):
    att = records["attachment"]
    client.force_login(cast.other_teacher)
    assert client.post(reverse("records:attachment_delete", args=[att.pk])).status_code == 404
    client.force_login(cast.leader)
    assert client.post(reverse("records:attachment_delete", args=[att.pk])).status_code == 403
    client.force_login(cast.teacher)
    assert client.post(reverse("records:attachment_delete", args=[att.pk])).status_code == 302
    assert not Attachment.objects.exists()


def test_approved_record_is_frozen_for_the_owner(client, cast, records):
    a = records["teacher"]
    a.status = Activity.Status.APPROVED
    a.save()
    client.force_login(cast.teacher)
    assert client.get(reverse("records:edit", args=[a.pk])).status_code == 403
    assert client.post(reverse("records:delete", args=[a.pk])).status_code == 403
    page = client.get(reverse("records:detail", args=[a.pk])).content.decode()
    assert "修改</a>" not in page


def test_former_member_is_no_longer_the_leads(client, cast, records):
    from datetime import date

    Membership.objects.filter(person=cast.other_teacher.person).update(end=date(2020, 1, 1))
    client.force_login(cast.lead)
    assert "other_teacher的反思" not in titles(client.get(LIST))


def test_anonymous_is_sent_to_login(client, records):
    for url in [
        LIST,
        reverse("records:create"),
        reverse("records:review"),
        reverse("records:detail", args=[records["teacher"].pk]),
        reverse("records:attachment", args=[records["attachment"].pk]),
    ]:
        assert client.get(url).status_code == 302


def test_filters(client, cast, records):
    ActivityFactory(
        person=cast.teacher.person,
        kind=kind("meeting"),
        title="全校大会",
        text="讨论期中考试",
        date=records["teacher"].date.replace(month=10),
    )
    client.force_login(cast.office)
    assert titles(client.get(LIST, {"kind": kind("meeting").pk})) == {"全校大会"}
    assert titles(client.get(LIST, {"q": "期中"})) == {"全校大会"}
    assert titles(client.get(LIST, {"person": cast.lead.person.pk})) == {"lead的反思"}
    assert titles(client.get(LIST, {"group": cast.group.pk})) == {
        "teacher的反思",
        "other_teacher的反思",
        "lead的反思",
        "全校大会",
    }
    assert titles(client.get(LIST, {"start": "2026-10-01"})) == {"全校大会"}
    assert "全校大会" not in titles(client.get(LIST, {"end": "2026-09-30"}))
    assert titles(client.get(LIST, {"status": "returned"})) == set()
    # a person filter naming someone out of scope is dropped, not honoured
    client.force_login(cast.teacher)
    r = client.get(LIST, {"person": cast.other_teacher.person.pk})
    assert "other_teacher的反思" not in titles(r)


def test_pagination(client, cast):
    for i in range(30):
        ActivityFactory(person=cast.teacher.person, kind=kind("meeting"), title=f"会{i}")
    client.force_login(cast.teacher)
    assert len(client.get(LIST).context["page"].object_list) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 5


def test_empty_state_says_what_to_do(client, cast):
    client.force_login(cast.teacher)
    assert "登记第一条" in client.get(LIST).content.decode()
