"""The demo district scaled to many schools, for the load test.

``keshi demo-data`` builds the district, its two schools and the hospital; each further school is
built the same way as the main demo school (``keshi.demo.school``: ~60 teachers, 教研组, 备课组,
年级组, 师徒结对, the 11 requirements of the main school and a term of records), from its own seed
so names and habits differ. Every teacher of an added school gets a login
(``<school code>_<工号>``, password ``demo1234``); the 教科室主任 gets the office grant.

Rows go in through the demo's own bulk writers (``bulk_create_with_history``), one school per
transaction.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from keshi.accounts.models import RoleGrant
from keshi.demo import activity
from keshi.demo import school as spec
from keshi.demo.names import NameGenerator
from keshi.demo.requirements import BY_SCHOOL
from keshi.demo.services import PASSWORD, _write_calendar, _write_school, _Writer, load_demo
from keshi.org.models import Group, Membership, Org, Person, Tag
from keshi.records.models import ActivityKind
from keshi.rules import standing
from keshi.rules.models import Requirement


@dataclass
class SchoolLogins:
    """Who logs in at one school: usernames by role, and what their pages need."""

    code: str
    office: list[str] = field(default_factory=list)
    leads: list[tuple[str, int]] = field(default_factory=list)  # (username, 教研组 pk)
    teachers: list[tuple[str, int]] = field(default_factory=list)  # (username, a colleague pk)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def school_code(n: int) -> str:
    return f"s{n:03d}"


def build(*, schools: int, today: date | None = None, say=lambda text: None) -> list[dict]:
    """The demo district with ``schools`` schools in all (at least the demo's two).
    Returns the logins of every school, as dicts for the load generator."""
    today = today or timezone.localdate()
    load_demo(today=today)
    say(f"演示数据已载入（{Org.objects.filter(kind=Org.Kind.SCHOOL).count()} 所学校）")
    district = Org.objects.get(code=spec.DISTRICT[0])
    password = make_password(PASSWORD)
    for n in range(3, schools + 1):
        _add_school(district, n, today, password)
        if n % 10 == 0 or n == schools:
            say(f"已建 {n} 所学校")
    standing.forget_all()  # the schools were written in bulk, without signals
    return [logins_of(org) for org in Org.objects.filter(kind=Org.Kind.SCHOOL).order_by("code")]


@transaction.atomic
def _add_school(district: Org, n: int, today: date, password: str) -> Org:
    rng = random.Random(spec.SEED + n)
    names = NameGenerator(rng)
    code, name = school_code(n), f"示范区第{n}中学"
    built = spec._school((code, name), spec.MAIN_PLANS, rng, names, prefix="", big=True)
    w = _Writer(reset=False)
    org, _ = w.ensure(
        Org, {"code": code}, {"name": name, "kind": Org.Kind.SCHOOL, "parent": district}
    )
    _write_school(w, org, built)
    _write_calendar(w, org, today)
    _write_users(org, built, password)
    _write_requirements(org)
    # The main demo school's program of records (``keshi.demo.records.PROGRAMS`` is by code).
    activity.write_term(w, org, dataclasses.replace(built, code=spec.MAIN[0]), [], today)
    return org


def _write_users(org: Org, built: spec.SchoolSpec, password: str) -> None:
    User = get_user_model()
    people = {p.staff_no: p for p in Person.objects.filter(org=org, user__isnull=True)}
    users = User.objects.bulk_create(
        [
            User(
                username=f"{org.code}_{t.staff_no}",
                password=password,
                last_name=t.name.surname,
                first_name=t.name.given,
            )
            for t in built.teachers
            if t.staff_no in people
        ]
    )
    for user in users:
        people[user.username.split("_", 1)[1]].user = user
    Person.objects.bulk_update(people.values(), ["user"])
    head = next(t for t in built.teachers if t.position == spec.OFFICE_HEAD)
    RoleGrant.objects.get_or_create(
        user=Person.objects.get(org=org, staff_no=head.staff_no).user,
        org=org,
        role=RoleGrant.Role.OFFICE,
    )


def _write_requirements(org: Org) -> None:
    kinds = {k.code: k for k in ActivityKind.objects.filter(org__isnull=True)}
    for rule in BY_SCHOOL[spec.MAIN[0]]:
        requirement, created = Requirement.objects.get_or_create(
            org=org, name=rule.name, defaults=rule.values()
        )
        if not created:
            continue
        requirement.kinds.set([kinds[c] for c in rule.kinds])
        if rule.group_kind:
            requirement.groups.set(Group.objects.filter(org=org, kind=rule.group_kind))
        requirement.tags.set(Tag.objects.filter(name__in=rule.tags))


def logins_of(org: Org) -> dict:
    """The office staff, 教研组长 and teachers of ``org`` who can log in."""
    found = SchoolLogins(code=org.code)
    found.office = list(
        RoleGrant.objects.filter(org=org, role=RoleGrant.Role.OFFICE).values_list(
            "user__username", flat=True
        )
    )
    leads = Membership.objects.filter(
        group__org=org,
        group__kind=Group.Kind.SUBJECT,
        role=Membership.Role.LEAD,
        person__user__isnull=False,
    ).values_list("person__user__username", "group_id")
    found.leads = sorted(leads)
    # Plain teachers: office staff and leads record for others too, so their form asks whom for.
    people = list(
        Person.objects.filter(org=org, active=True, user__isnull=False)
        .exclude(user__grants__isnull=False)
        .exclude(memberships__role__in=Membership.LEAD_ROLES)
        .order_by("staff_no")
        .values_list("user__username", "pk")
    )
    everyone = list(
        Person.objects.filter(org=org, active=True).order_by("pk").values_list("pk", flat=True)
    )
    for username, pk in people:
        colleague = everyone[(everyone.index(pk) + 1) % len(everyone)]  # whose lesson they observe
        found.teachers.append((username, colleague))
    return found.as_dict()
