"""Write the demo district (``keshi.demo.school``) into the database, with its requirements and
a term of records (``keshi.demo.activity``).

Idempotent: each row is looked up by its natural key (org code, group name, 工号, username…) and
created only when missing, so a second run writes nothing and duplicates nothing. Rows that
exist are left as they are — edits made while trying the demo survive ``make run`` — unless
``reset`` is given, which puts the demo's own rows back to their built values (and passwords back
to ``demo1234``); rows the demo did not create are never touched or deleted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from keshi.accounts.models import RoleGrant
from keshi.calendar import services as calendar_services
from keshi.calendar.holidays import package_covers
from keshi.calendar.models import DayOverride, SchoolYear, Term
from keshi.demo import activity, hospital, work
from keshi.demo import dispatch as demo_dispatch
from keshi.demo import school as spec
from keshi.demo.terms import demo_start_years, school_year_dates
from keshi.org.models import Group, Membership, Mentorship, Org, Person, Tag
from keshi.rules import standing

PASSWORD = "demo1234"

# National holidays in the demo's terms that ``chinese-calendar`` may not have yet: only dates
# fixed by law (全国年节及纪念日放假办法). The State Council's 调休 arrangement is not guessed.
STATUTORY_HOLIDAYS = ((date(2027, 1, 1), "元旦"),)


@dataclass
class Loaded:
    logins: list[spec.Login]
    today: date
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)


class _Writer:
    def __init__(self, reset: bool) -> None:
        self.reset = reset
        self.created: Counter = Counter()
        self.updated: Counter = Counter()

    def _restore(self, obj: models.Model, values: dict) -> None:
        changed = [f for f, v in values.items() if getattr(obj, f) != v]
        if changed:
            for f in changed:
                setattr(obj, f, values[f])
            obj.save()
            self.updated[obj._meta.model_name] += 1

    def ensure(self, model: type[models.Model], key: dict, values: dict | None = None):
        """The row with ``key``, created with ``values`` if missing (and put back to them if
        resetting). Returns ``(row, created)``."""
        values = values or {}
        obj = model.objects.filter(**key).first()
        if obj is None:
            obj = model(**key, **values)
            obj.save()
            self.created[model._meta.model_name] += 1
            return obj, True
        if self.reset:
            self._restore(obj, values)
        return obj, False

    def sync(self, existing: models.QuerySet, key: tuple[str, ...], rows: list[dict]) -> dict:
        """``ensure`` for many rows at once: one read, one bulk insert (with history).
        ``key`` names attributes (``person_id``, not ``person``). Returns rows by key."""
        model = existing.model
        found = {tuple(getattr(o, f) for f in key): o for o in existing}
        new = []
        for row in rows:
            k = tuple(row[f] for f in key)
            if k not in found:
                found[k] = model(**row)
                new.append(found[k])
            elif self.reset:
                self._restore(found[k], row)
        if new:
            if getattr(model._meta, "simple_history_manager_attribute", None):
                bulk_create_with_history(new, model)
            else:
                model.objects.bulk_create(new)
            self.created[model._meta.model_name] += len(new)
        return found


@transaction.atomic
def load_demo(*, today: date | None = None, reset: bool = False) -> Loaded:
    """Create what is missing of the demo district; ``today`` picks the current school year."""
    today = today or timezone.localdate()
    built = spec.build()
    w = _Writer(reset)
    district, _ = w.ensure(
        Org, {"code": built.district[0]}, {"name": built.district[1], "kind": Org.Kind.DISTRICT}
    )
    orgs = {district.code: district}
    for school in built.schools:
        org, _ = w.ensure(
            Org,
            {"code": school.code},
            {"name": school.name, "kind": Org.Kind.SCHOOL, "parent": district},
        )
        orgs[org.code] = org
        _write_school(w, org, school)
        _write_calendar(w, org, today)
    _write_holidays(w)
    _write_logins(w, built.logins, orgs)
    for school in built.schools:  # after the logins: records name who wrote and reviewed them
        activity.write_requirements(w, orgs[school.code])
        activity.write_term(w, orgs[school.code], school, built.logins, today)
    hospital.write(w, district, built.logins, today)
    if made := demo_dispatch.write(orgs[built.schools[0].code], today):
        w.created["dispatch"] += made
    for code in [s.code for s in built.schools] + [hospital.CODE]:  # through the apps' services
        work.write(w, Org.objects.get(code=code), today)
    standing.forget_all()  # the bulk writes above sent no signals
    return Loaded(logins=built.logins, today=today, created=w.created, updated=w.updated)


def _write_school(w: _Writer, org: Org, school: spec.SchoolSpec) -> None:
    names = sorted({name for t in school.teachers for name in t.tags})
    tags = w.sync(Tag.objects.all(), ("name",), [{"name": n} for n in names])
    old = set(Person.objects.filter(org=org).values_list("staff_no", flat=True))
    rows = [
        {
            "org_id": org.pk,
            "staff_no": t.staff_no,
            "name": t.name.full,
            "gender": t.gender,
            "birth_date": t.birth_date,
            "work_start": t.work_start,
            "teaching_start": t.teaching_start,
            "subject": t.subject,
            "title": t.title,
            "position": t.position,
            "phone": t.phone,
            "active": True,
        }
        for t in school.teachers
    ]
    people = w.sync(Person.objects.filter(org=org), ("staff_no",), rows)
    people = {k[0]: p for k, p in people.items()}
    _write_tags(w, school, people, {k[0]: t.pk for k, t in tags.items()}, old)
    groups: dict[str, Group] = {}
    for level in (False, True):  # 教研组 before their 备课组
        rows = [
            {
                "org_id": org.pk,
                "name": g.name,
                "kind": g.kind,
                "subject": g.subject,
                "parent_id": groups[g.parent].pk if g.parent else None,
            }
            for g in school.groups
            if bool(g.parent) == level
        ]
        found = w.sync(Group.objects.filter(org=org), ("name",), rows)
        groups |= {k[0]: g for k, g in found.items()}
    rows = [
        {
            "person_id": people[m.staff_no].pk,
            "group_id": groups[m.group].pk,
            "role": m.role,
            "start": m.start,
            "end": None,
        }
        for m in school.memberships
    ]
    w.sync(Membership.objects.filter(group__org=org), ("person_id", "group_id"), rows)
    rows = [
        {
            "org_id": org.pk,
            "mentor_id": people[m.mentor].pk,
            "mentee_id": people[m.mentee].pk,
            "start": m.start,
            "end": m.end,
        }
        for m in school.mentorships
    ]
    w.sync(Mentorship.objects.filter(org=org), ("mentor_id", "mentee_id"), rows)


def _write_tags(
    w: _Writer, school: spec.SchoolSpec, people: dict, tag_ids: dict, old: set[str]
) -> None:
    """Tags of the people just created (all of them, when resetting)."""
    through = Person.tags.through
    for t in school.teachers:
        if t.staff_no in old and w.reset:
            person, wanted = people[t.staff_no], {tag_ids[n] for n in t.tags}
            if set(person.tags.values_list("pk", flat=True)) != wanted:
                person.tags.set(wanted)
                w.updated["person"] += 1
    through.objects.bulk_create(
        [
            through(person_id=people[t.staff_no].pk, tag_id=tag_ids[n])
            for t in school.teachers
            if t.staff_no not in old
            for n in t.tags
        ]
    )


def _write_calendar(w: _Writer, org: Org, today: date) -> None:
    for start_year in demo_start_years(today):
        dates = school_year_dates(start_year)
        first, second = dates.terms
        year = SchoolYear.objects.filter(org=org, start_year=start_year).first()
        if year is None:
            calendar_services.create_school_year(
                org=org,
                start_year=start_year,
                first_start=first.start,
                first_end=first.end,
                second_start=second.start,
                second_end=second.end,
            )
            w.created["schoolyear"] += 1
            w.created["term"] += 2
        elif w.reset:
            for t in (first, second):
                term = Term.objects.filter(school_year=year, number=t.number).first()
                if term and (term.start, term.end) != (t.start, t.end):
                    calendar_services.update_term(term=term, start=t.start, end=t.end)
                    w.updated["term"] += 1


def _write_holidays(w: _Writer) -> None:
    for day, name in STATUTORY_HOLIDAYS:
        if not package_covers(day.year):
            w.ensure(DayOverride, {"org": None, "date": day}, {"kind": "holiday", "name": name})


def _write_logins(w: _Writer, logins: list[spec.Login], orgs: dict[str, Org]) -> None:
    User = get_user_model()
    hashes: dict[str, bool] = {}  # the demo users share one hash: check and make it only once

    def password_ok(encoded: str) -> bool:
        if encoded not in hashes:
            hashes[encoded] = check_password(PASSWORD, encoded)
        return hashes[encoded]

    def demo_hash() -> str:
        good = [h for h, ok in hashes.items() if ok]
        if not good:
            good.append(make_password(PASSWORD))
            hashes[good[0]] = True
        return good[0]

    for login in logins:
        person = None
        if login.staff_no:
            person = Person.objects.get(org=orgs[login.org], staff_no=login.staff_no)
            surname, given = person.name[:1], person.name[1:]
        else:
            surname, given = login.name.surname, login.name.given
        values = {
            "last_name": surname,
            "first_name": given,
            "is_superuser": login.superuser,
            "is_staff": login.superuser,
            "is_active": True,
        }
        user = User.objects.filter(username=login.username).first()
        if user is None or (w.reset and not password_ok(user.password)):
            values["password"] = demo_hash()
        user, _ = w.ensure(User, {"username": login.username}, values)
        if login.grant:
            w.ensure(RoleGrant, {"user": user, "org": orgs[login.org], "role": login.grant})
        if person is not None and person.user_id != user.pk:
            linked = Person.objects.filter(user=user).exists()
            if w.reset or (person.user_id is None and not linked):
                Person.objects.filter(user=user).update(user=None)
                person.user = user
                person.save()
