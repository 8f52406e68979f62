"""``keshi demo-data`` on a real database: idempotent, deterministic, complete, scoped."""

from datetime import date

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Count

from keshi.accounts.models import RoleGrant
from keshi.calendar.holidays import day_info
from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term, teaching_week
from keshi.demo.services import PASSWORD, load_demo
from keshi.demo.tests.snapshot import TODAY, counts, digest
from keshi.org.models import Group, Membership, Mentorship, Org, Person
from keshi.org.scoping import visible
from keshi.org.tests.factories import PersonFactory

USERNAMES = ["admin", "office", "leader", "lead", "teacher", "district", "teacher2"]
User = get_user_model()


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def test_second_run_writes_nothing(loaded):
    before, fingerprint = counts(), digest()
    again = load_demo(today=TODAY)
    assert not again.created and not again.updated
    assert counts() == before
    assert digest() == fingerprint


def test_nothing_is_duplicated(loaded):
    for field in ("name", "staff_no", "phone"):
        dupes = Person.objects.values("org", field).annotate(n=Count("pk")).filter(n__gt=1)
        assert not dupes.exists(), field
    pairs = Membership.objects.values("person", "group").annotate(n=Count("pk"))
    assert not pairs.filter(n__gt=1).exists()


def test_district_with_two_schools(loaded):
    district = Org.objects.get(code="district")
    assert district.kind == Org.Kind.DISTRICT and district.name == "示范区教育局教科室"
    schools = Org.objects.filter(parent=district, kind=Org.Kind.SCHOOL).order_by("code")
    assert [o.code for o in schools] == ["demo", "demo2"]
    assert Person.objects.filter(org__code="demo").count() >= 55
    assert 12 <= Person.objects.filter(org__code="demo2").count() <= 18
    assert Group.objects.filter(org__code="demo2", kind=Group.Kind.SUBJECT).count() == 3


def test_groups_have_leads_and_prep_groups_have_parents(loaded):
    demo = Group.objects.filter(org__code="demo")
    subject_groups = demo.filter(kind=Group.Kind.SUBJECT)
    assert subject_groups.count() >= 9
    prep = demo.filter(kind=Group.Kind.PREP)
    assert prep.filter(name="七年级语文备课组", parent__name="语文教研组").exists()
    assert prep.count() >= 9
    for g in prep:
        assert g.parent.kind == Group.Kind.SUBJECT and g.parent.subject == g.subject
    assert sorted(demo.filter(kind=Group.Kind.GRADE).values_list("name", flat=True)) == sorted(
        ["七年级组", "八年级组", "九年级组"]
    )
    for g in demo.exclude(kind=Group.Kind.DEPARTMENT) | demo.filter(name="教科室"):
        leads = g.memberships.filter(role=Membership.Role.LEAD)
        assert leads.count() == 1, g
        assert g.memberships.filter(role=Membership.Role.MEMBER).exists() or g.name == "教科室"
    head = Membership.objects.get(group__name="教科室", group__org__code="demo", role="lead")
    assert head.person == person("office") and head.person.position == "教科室主任"


def test_mentor_pairs(loaded):
    pairs = Mentorship.objects.current(TODAY).filter(org__code="demo")
    assert pairs.count() >= 5
    for pair in pairs.select_related("mentor", "mentee"):
        assert pair.mentor.subject == pair.mentee.subject
        assert pair.mentee.teaching_years(TODAY) < 3
        assert pair.mentor.teaching_years(TODAY) >= 10
        assert pair.mentee.tags.filter(name="新教师").exists()


def test_ages_and_teaching_years(loaded):
    people = list(Person.objects.filter(org__code="demo"))
    assert all(23 <= p.age(TODAY) <= 58 for p in people)
    assert any((p.birth_date.month, p.birth_date.day) == (2, 29) for p in people)
    assert sum(p.teaching_years(TODAY) < 3 for p in people) >= 5
    assert sum(p.teaching_years(TODAY) >= 10 for p in people) >= 10
    young = {p.pk for p in people if p.age(TODAY) < 35}
    assert young == set(Person.objects.filter(tags__name="青年教师", org__code="demo")
                        .values_list("pk", flat=True))  # fmt: skip


@pytest.mark.parametrize("username", USERNAMES)
def test_each_login_authenticates(loaded, username):
    user = authenticate(username=username, password=PASSWORD)
    assert user is not None and user.username == username
    assert user.last_name or user.first_name


def test_each_login_has_its_role(loaded):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert RoleGrant.objects.filter(user__username="office", org__code="demo", role="office")
    assert RoleGrant.objects.filter(user__username="leader", org__code="demo", role="leader")
    assert RoleGrant.objects.filter(user__username="district", org__code="district")
    assert Membership.objects.filter(
        person=person("lead"), group__name="语文教研组", role=Membership.Role.LEAD
    ).exists()
    teacher = person("teacher")
    assert teacher.subject == "语文" and teacher.org.code == "demo"
    assert teacher.age(TODAY) < 35
    assert Mentorship.objects.current(TODAY).filter(mentee=teacher).exists()
    assert person("teacher2").org.code == "demo2"
    assert person("office").org.code == "demo"


def test_current_term_and_holidays(loaded):
    demo = Org.objects.get(code="demo")
    term = current_term(demo, TODAY)
    assert (term.start, term.end) == (date(2026, 9, 1), date(2027, 1, 22))
    assert teaching_week(term, TODAY) == 13
    assert Term.objects.filter(school_year__org=demo, school_year__start_year=2025).count() == 2
    second = Term.objects.get(school_year__org=demo, school_year__start_year=2026, number=2)
    assert (second.start, second.end) == (date(2027, 2, 22), date(2027, 7, 2))
    assert current_term(Org.objects.get(code="demo2"), TODAY).start == date(2026, 9, 1)
    assert day_info(date(2026, 10, 1), demo).is_holiday  # 国庆节, from chinese-calendar
    assert day_info(date(2027, 1, 1), demo).is_holiday  # 元旦, an override if not covered


def test_scoping_on_demo_data(loaded):
    def seen(username: str):
        user = User.objects.get(username=username)
        return visible(user, Person.objects.all())

    assert list(seen("teacher")) == [person("teacher")]
    assert list(seen("teacher2")) == [person("teacher2")]
    demo_people = Person.objects.filter(org__code="demo")
    chinese = set(
        Membership.objects.filter(
            group__name__contains="语文", group__org__code="demo"
        ).values_list("person", flat=True)
    )
    assert set(seen("lead").values_list("pk", flat=True)) == chinese
    assert set(seen("office")) == set(demo_people) == set(seen("leader"))
    assert set(seen("district").values_list("org__code", flat=True)) == {
        "demo", "demo2", "hospital"  # the demo hospital (keshi/demo/hospital.py)
    }  # fmt: skip
    assert seen("district").count() == Person.objects.count()


def test_edits_survive_a_rerun_and_reset_restores(loaded):
    lead = person("lead")
    lead.phone = "13900000000"
    lead.save()
    extra = PersonFactory(org=lead.org, staff_no="X001", name="新来的老师")
    user = User.objects.get(username="teacher")
    user.set_password("changed-it")
    user.save()

    load_demo(today=TODAY)
    assert Person.objects.get(pk=lead.pk).phone == "13900000000"
    assert authenticate(username="teacher", password="changed-it")

    restored = load_demo(today=TODAY, reset=True)
    assert restored.updated and not restored.created
    assert Person.objects.get(pk=lead.pk).phone != "13900000000"
    assert authenticate(username="teacher", password=PASSWORD)
    assert Person.objects.get(pk=extra.pk).name == "新来的老师"
    assert not load_demo(today=TODAY, reset=True).updated
