"""A small hospital for the tests of its own work (#24 item 3): two 科室 and a 医务科, and a
second hospital whose people must see nothing of the first's.

Cast: ``head`` (科主任 of 神经内科, its group lead), ``doctor`` and ``nurse`` (神经内科),
``cardio_head`` and ``cardio_doctor`` (心内科), ``office`` (医务科: the hospital's office role),
``leader`` (院长), ``stranger`` (a doctor of the other hospital), ``stranger_office``.
"""

from __future__ import annotations

from dataclasses import dataclass

from keshi.accounts.models import RoleGrant
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
    other: Org
    neuro: Group
    cardio: Group
    head: object
    doctor: object
    nurse: object
    cardio_head: object
    cardio_doctor: object
    office: object
    leader: object
    stranger: object
    stranger_office: object


def _staff(username: str, name: str, org: Org, group: Group | None, role=Membership.Role.MEMBER):
    user = UserFactory(username=username)
    person = PersonFactory(org=org, name=name, user=user)
    if group is not None:
        MembershipFactory(person=person, group=group, role=role)
    return user


def build_hospital() -> Hospital:
    org = OrgFactory(code="h1", name="示范医院", kind=Org.Kind.HOSPITAL)
    other = OrgFactory(code="h2", name="另一家医院", kind=Org.Kind.HOSPITAL)
    neuro = GroupFactory(org=org, name="神经内科", kind=Group.Kind.DEPARTMENT)
    cardio = GroupFactory(org=org, name="心内科", kind=Group.Kind.DEPARTMENT)
    theirs = GroupFactory(org=other, name="神经内科", kind=Group.Kind.DEPARTMENT)
    lead = Membership.Role.LEAD
    office, leader, stranger_office = (UserFactory(username=u) for u in ("yiwu", "yuan", "yiwu2"))
    grant(office, org, RoleGrant.Role.OFFICE)
    grant(leader, org, RoleGrant.Role.LEADER)
    grant(stranger_office, other, RoleGrant.Role.OFFICE)
    return Hospital(
        org=org,
        other=other,
        neuro=neuro,
        cardio=cardio,
        head=_staff("neuro_head", "周主任", org, neuro, lead),
        doctor=_staff("doctor", "吴医生", org, neuro),
        nurse=_staff("nurse", "郑护士", org, neuro),
        cardio_head=_staff("cardio_head", "钱主任", org, cardio, lead),
        cardio_doctor=_staff("cardio_doctor", "孙医生", org, cardio),
        office=office,
        leader=leader,
        stranger=_staff("stranger", "冯医生", other, theirs),
        stranger_office=stranger_office,
    )
