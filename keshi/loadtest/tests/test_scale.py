"""The demo district scaled: each added school is a full demo school with its own people,
logins, requirements and a term of records; the load generator's logins fit their pages."""

from datetime import date

import pytest

from keshi.accounts.models import RoleGrant
from keshi.loadtest.scale import build
from keshi.org.models import Membership, Org, Person
from keshi.records.models import Activity
from keshi.rules.models import Requirement

TODAY = date(2026, 11, 26)


@pytest.mark.slow
def test_build_adds_full_schools_with_logins(db):
    logins = {s["code"]: s for s in build(schools=3, today=TODAY)}
    assert set(logins) == {"demo", "demo2", "s003"}
    added = Org.objects.get(code="s003")
    demo = Org.objects.get(code="demo")
    assert added.parent == demo.parent
    people = Person.objects.filter(org=added)
    assert people.count() == Person.objects.filter(org=demo).count()
    assert not people.filter(user__isnull=True).exists()
    assert set(Person.objects.filter(org=added).values_list("name", flat=True)) != set(
        Person.objects.filter(org=demo).values_list("name", flat=True)
    )
    assert (
        Requirement.objects.filter(org=added).count()
        == Requirement.objects.filter(org=demo).count()
    )
    assert Activity.objects.filter(org=added).count() > 1000

    school = logins["s003"]
    assert RoleGrant.objects.get(user__username=school["office"][0]).org == added
    for username, group_id in school["leads"]:
        assert Membership.objects.filter(
            person__user__username=username, group_id=group_id, role=Membership.Role.LEAD
        ).exists()
    for username, colleague in school["teachers"]:
        me = Person.objects.get(user__username=username)
        assert me.org == added and colleague != me.pk
        assert Person.objects.get(pk=colleague).org == added
        assert not me.user.grants.exists()
    # a second build adds nothing
    before = Activity.objects.count()
    build(schools=3, today=TODAY)
    assert Activity.objects.count() == before
