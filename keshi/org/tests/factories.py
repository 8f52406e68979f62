from datetime import date

import factory
from django.contrib.auth import get_user_model

from keshi.accounts.models import RoleGrant
from keshi.org.models import Group, Membership, Mentorship, Org, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-keshi-123")


class OrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Org
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org{n}")
    name = factory.Sequence(lambda n: f"第{n}中学")
    kind = Org.Kind.SCHOOL


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    org = factory.SubFactory(OrgFactory)
    name = factory.Sequence(lambda n: f"教研组{n}")
    kind = Group.Kind.SUBJECT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    org = factory.SubFactory(OrgFactory)
    staff_no = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"教师{n}")
    gender = Person.Gender.FEMALE
    birth_date = date(1990, 5, 1)
    teaching_start = date(2015, 9, 1)
    subject = "语文"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(GroupFactory)
    role = Membership.Role.MEMBER


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    org = factory.SelfAttribute("mentor.org")
    mentor = factory.SubFactory(PersonFactory)
    mentee = factory.SubFactory(PersonFactory, org=factory.SelfAttribute("..mentor.org"))


def grant(user, org, role: str) -> RoleGrant:
    return RoleGrant.objects.create(user=user, org=org, role=role)
