"""A hospital beside the shared cast: 示范医院 under the cast's district, its 神经内科 with a head
(``head``) and a staff member (``staff``), and an office user (``hospital_office``)."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from keshi.accounts.models import RoleGrant
from keshi.indicators.models import Indicator
from keshi.org.models import Group, Membership, Org
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrgFactory,
    PersonFactory,
    UserFactory,
    grant,
)


@dataclass
class Hospital:
    org: Org
    neuro: Group
    cardio: Group
    head: object
    staff: object
    cardio_head: object
    office: object
    occupancy: Indicator  # a rate, ≥ 85%
    stay: Indicator  # a direct value in 天, ≤ 9
    visits: Indicator  # a count, growth 20% on last year


def _member(username, name, org, group, role):
    user = UserFactory(username=username)
    person = PersonFactory(org=org, name=name, user=user)
    MembershipFactory(person=person, group=group, role=role)
    return user


@pytest.fixture
def hospital(cast) -> Hospital:
    org = OrgFactory(code="hosp", name="示范医院", kind=Org.Kind.HOSPITAL, parent=cast.district_org)
    neuro = GroupFactory(org=org, name="神经内科", kind=Group.Kind.DEPARTMENT)
    cardio = GroupFactory(org=org, name="心血管内科", kind=Group.Kind.DEPARTMENT)
    head = _member("head", "陈主任", org, neuro, Membership.Role.LEAD)
    staff = _member("staff", "吴医生", org, neuro, Membership.Role.MEMBER)
    cardio_head = _member("cardio_head", "黄主任", org, cardio, Membership.Role.LEAD)
    office = UserFactory(username="hospital_office")
    grant(office, org, RoleGrant.Role.OFFICE)

    def make(group, name, **values):
        return Indicator.objects.create(org=org, group=group, name=name, **values)

    return Hospital(
        org=org,
        neuro=neuro,
        cardio=cardio,
        head=head,
        staff=staff,
        cardio_head=cardio_head,
        office=office,
        occupancy=make(neuro, "床位使用率", kind="rate", unit="%", target=Decimal(85)),
        stay=make(neuro, "平均住院日", unit="天", comparator="<=", direction="lower",
                  target=Decimal(9)),
        visits=make(neuro, "门诊人次", unit="人次", growth=Decimal(20)),
    )  # fmt: skip
