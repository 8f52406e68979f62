from datetime import date

import pytest
from django.urls import reverse

from keshi.org.models import Membership, Person, Tag
from keshi.org.tests.factories import GroupFactory, MembershipFactory, MentorshipFactory
from keshi.web.tests.pages import get, user_of


def url(name: str) -> str:
    return reverse("org:person", args=[Person.objects.get(name=name).pk])


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("teacher", "张老师", 200),
        ("teacher", "李老师", 404),
        ("teacher", "王组长", 404),
        ("teacher", "赵老师", 404),
        ("lead", "张老师", 200),
        ("lead", "赵老师", 404),
        ("office", "张老师", 200),
        ("office", "赵老师", 404),
        ("leader", "李老师", 200),
        ("leader", "赵老师", 404),
        ("outsider", "张老师", 404),
        ("outsider", "赵老师", 200),
        ("district", "张老师", 200),
        ("district", "赵老师", 200),
        ("admin", "赵老师", 200),
    ],
)
def test_who_may_open_whom(client, cast, admin_user, who, name, status):
    assert get(client, user_of(cast, who, admin_user), url(name)).status_code == status


def test_unknown_person_is_404(client, cast):
    assert get(client, cast.office, reverse("org:person", args=[999999])).status_code == 404


def test_own_page_shows_private_data_groups_and_mentor(client, cast):
    me = Person.objects.get(name="张老师")
    me.birth_date = date(1990, 5, 1)
    me.teaching_start = date(2012, 9, 1)
    me.save()
    me.tags.add(Tag.objects.create(name="新教师"))
    MentorshipFactory(mentor=Person.objects.get(name="王组长"), mentee=me)
    body = get(client, cast.teacher, url("张老师")).content.decode()
    assert "13800000000" in body
    assert "1990-05-01" in body and f"{me.age()} 周岁" in body
    assert f"{me.teaching_years()} 年" in body
    assert "语文组" in body and "新教师" in body
    assert "师傅" in body and "王组长" in body
    assert "teacher" in body  # login status: the account name
    assert "变更记录" not in body


def test_ended_membership_is_marked(client, cast):
    old = GroupFactory(org=cast.school, name="旧课题组")
    MembershipFactory(
        person=Person.objects.get(name="张老师"),
        group=old,
        start=date(2018, 9, 1),
        end=date(2020, 7, 1),
    )
    body = get(client, cast.office, url("张老师")).content.decode()
    assert "旧课题组" in body and "已结束" in body


def test_teacher_never_sees_another_teachers_phone_anywhere(client, cast):
    Person.objects.filter(name="李老师").update(phone="13912345678", birth_date=date(1977, 7, 7))
    for page in (reverse("home"), url("张老师"), reverse("org:group", args=[cast.group.pk])):
        body = get(client, cast.teacher, page).content.decode()
        assert "13912345678" not in body
        assert "1977-07-07" not in body
        assert "李老师" not in body


def test_audit_trail_shows_who_changed_what(client, cast):
    person = Person.objects.get(name="李老师")
    person.phone = "13711112222"
    person.title = "高级教师"
    person._history_user = cast.office
    person.save()
    m = Membership.objects.get(person=person)
    m.role = Membership.Role.DEPUTY
    m.save()
    body = get(client, cast.office, url("李老师")).content.decode()
    assert "变更记录" in body
    assert "13800000000" in body and "13711112222" in body  # old → new phone
    assert "职称" in body and "高级教师" in body
    assert "office" in body  # who
    assert "成员" in body and "副组长" in body  # the membership diff, with choice labels
    assert "新建" in body


def test_audit_trail_shows_tag_changes(client, cast):
    person = Person.objects.get(name="李老师")
    person.tags.add(Tag.objects.create(name="骨干教师"))
    body = get(client, cast.office, url("李老师")).content.decode()
    assert "骨干教师" in body.split("变更记录", 1)[1]


@pytest.mark.parametrize("who", ["teacher", "lead", "leader", "district"])
def test_audit_trail_is_for_office_and_admin_only(client, cast, who):
    body = get(client, getattr(cast, who), url("张老师")).content.decode()
    assert "变更记录" not in body


def test_admin_sees_audit_trail(client, cast, admin_user):
    assert "变更记录" in get(client, admin_user, url("赵老师")).content.decode()


def test_hostile_name_escaped(client, cast):
    Person.objects.filter(name="张老师").update(name="<script>alert(1)</script>")
    person = Person.objects.get(user=cast.teacher)
    body = get(client, cast.office, reverse("org:person", args=[person.pk])).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body


def test_audit_trail_names_people_the_chinese_way_and_handles_empty_links(client, cast):
    from keshi.org.tests.factories import UserFactory

    clerk = UserFactory(username="clerk", first_name="莉妍", last_name="崔")
    person = Person.objects.get(name="李老师")
    person.user = None
    person._history_user = clerk
    person.save()
    person.user = cast.other_teacher
    person.save()
    trail = get(client, cast.office, url("李老师")).content.decode().split("变更记录", 1)[1]
    assert "崔莉妍" in trail
    assert "Deleted" not in trail and "pk=None" not in trail
    assert "other_teacher" in trail
