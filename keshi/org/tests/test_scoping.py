from keshi.org.models import Membership, Person
from keshi.org.scoping import can_manage_org, manageable, visible


def names(user) -> set[str]:
    return set(visible(user, Person.objects.all()).values_list("name", flat=True))


def test_teacher_sees_only_self(cast):
    assert names(cast.teacher) == {"张老师"}


def test_lead_sees_own_group_members(cast):
    assert names(cast.lead) == {"张老师", "李老师", "王组长"}


def test_office_and_leader_see_their_school_only(cast):
    school = {"张老师", "李老师", "王组长"}
    assert names(cast.office) == school
    assert names(cast.leader) == school


def test_district_sees_all_schools_below(cast):
    assert names(cast.district) == {"张老师", "李老师", "王组长", "赵老师"}


def test_outsider_sees_nothing_of_demo(cast):
    assert names(cast.outsider) == {"赵老师"}


def test_only_office_manages(cast):
    people = Person.objects.all()
    assert manageable(cast.office, people).count() == 3
    for user in (cast.teacher, cast.lead, cast.leader, cast.district, cast.outsider):
        assert not manageable(user, people).exists()
    assert can_manage_org(cast.office, cast.school)
    assert not can_manage_org(cast.office, cast.other_school)
    assert not can_manage_org(cast.leader, cast.school)


def test_lead_loses_sight_when_membership_ends(cast):
    from datetime import date

    Membership.objects.filter(person__name="王组长").update(end=date(2000, 1, 1))
    cast.lead.refresh_from_db()
    assert names(cast.lead) == {"王组长"}


def test_groups_public_within_org(cast):
    from keshi.org.models import Group

    assert visible(cast.teacher, Group.objects.all()).count() == 1
    assert not visible(cast.outsider, Group.objects.all()).exists()
