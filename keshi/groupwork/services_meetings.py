"""Writes for 例会 (行政碰头会, 组长会, 学科主任会): a meeting is a group of kind 其他 whose
members are the attendees, with a recurring schedule whose sessions take attendance as a
教研活动 does (list or QR). Who attends is named people, or the org's group leads — refreshed by
:func:`refresh_members` when leads change (newcomers from today, leavers until yesterday)."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.calendar.models import Term
from keshi.groupwork.attendance import check_org_people
from keshi.groupwork.models import Audience, Every, Meeting, Session
from keshi.groupwork.services import create_schedule, save_session
from keshi.org.models import Group, Membership, Org, Person

LEAD_KINDS = {
    Audience.GROUP_LEADS: (Group.Kind.SUBJECT, Group.Kind.PREP, Group.Kind.GRADE),
    Audience.SUBJECT_LEADS: (Group.Kind.SUBJECT,),
}


def audience_people(org: Org, audience: str, on: date | None = None) -> list[Person]:
    """The org's current leads of the kinds ``audience`` names ([] for named people)."""
    kinds = LEAD_KINDS.get(audience)
    if not kinds:
        return []
    leads = Membership.objects.current(on).filter(
        group__org=org, group__kind__in=kinds, role=Membership.Role.LEAD
    )
    return list(
        Person.objects.filter(org=org, active=True, pk__in=leads.values("person_id")).order_by(
            "name", "pk"
        )
    )


@transaction.atomic
def create_meeting(
    *,
    org: Org,
    name: str,
    audience: str,
    term: Term,
    weekday: int,
    start_time: time,
    end_time: time,
    place: str,
    every: str = Every.WEEK,
    first_week: int = 1,
    week_of_month: int = 1,
    people: list[Person] | None = None,
    chair: Person | None = None,
    by,
) -> Meeting:
    """The meeting, its attendees and its schedule for ``term``, with the term's sessions."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写例会名称。")})
    if Group.objects.filter(org=org, name=name).exists():
        raise ValidationError({"name": _("本单位已有名为“%(n)s”的组或例会。") % {"n": name}})
    if audience not in Audience.values:
        raise ValidationError({"audience": _("请选择参会人员。")})
    people = list(people or []) if audience == Audience.PEOPLE else audience_people(org, audience)
    meeting = _meeting_body(
        org=org, name=name, audience=audience, people=people, chair=chair, by=by
    )
    create_schedule(
        group=meeting.group,
        term=term,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        place=place,
        every=every,
        first_week=first_week,
        week_of_month=week_of_month,
        by=by,
    )
    return meeting


def _meeting_body(
    *, org: Org, name: str, audience: str, people: list[Person], chair: Person | None, by
) -> Meeting:
    """The meeting's group of kind 其他, its attendees as memberships (the chair leads it)."""
    if chair is not None and chair not in people:
        people.append(chair)
    check_org_people(org.pk, people)
    if not people:
        raise ValidationError({"people": _("例会至少要有一位参会人员。")})
    group = Group.objects.create(org=org, name=name, kind=Group.Kind.OTHER)
    meeting = Meeting.objects.create(org=org, group=group, audience=audience, created_by=by)
    for person in people:
        role = Membership.Role.LEAD if person == chair else Membership.Role.MEMBER
        Membership.objects.create(group=group, person=person, role=role)
    return meeting


@transaction.atomic
def create_single_meeting(
    *,
    org: Org,
    name: str,
    people: list[Person],
    day: date,
    start_time: time | None = None,
    end_time: time | None = None,
    place: str = "",
    chair: Person | None = None,
    by,
) -> Session:
    """A 例会 that meets once (a 质量分析会, a 专题会): named attendees and one session on
    ``day``, whose sign-in, closing and statistics are those of any 例会. The group takes
    ``name``, or ``name（day）`` when the org already has a group of that name."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写会议名称。")})
    group_name = name[:100]
    if Group.objects.filter(org=org, name=group_name).exists():
        group_name = f"{name[:88]}（{day:%Y-%m-%d}）"
    if Group.objects.filter(org=org, name=group_name).exists():
        raise ValidationError({"name": _("本单位已有名为“%(n)s”的组或例会。") % {"n": group_name}})
    meeting = _meeting_body(
        org=org, name=group_name, audience=Audience.PEOPLE, people=list(people), chair=chair, by=by
    )
    return save_session(
        group=meeting.group,
        by=by,
        date=day,
        start_time=start_time,
        end_time=end_time,
        place=place.strip(),
        topic=name,
        host=chair,
    )


@transaction.atomic
def set_members(
    *, meeting: Meeting, people: list[Person], by, today: date | None = None
) -> tuple[int, int]:
    """Make the current attendees exactly ``people``: (added, ended). A leaver's membership
    ends yesterday, so the sessions they were expected at still count; a newcomer is expected
    from today."""
    today = today or timezone.localdate()
    check_org_people(meeting.org_id, people)
    if not people:
        raise ValidationError(_("例会至少要有一位参会人员。"))
    wanted = {p.pk for p in people}
    current = Membership.objects.current(today).filter(group=meeting.group)
    ended = 0
    for m in current.exclude(person_id__in=wanted):
        if m.start is not None and m.start >= today:
            m.delete()
        else:
            m.end = today - timedelta(days=1)
            m.save(update_fields=["end"])
        ended += 1
    have = set(current.values_list("person_id", flat=True))
    added = 0
    for person in people:
        if person.pk not in have:
            Membership.objects.create(group=meeting.group, person=person, start=today)
            added += 1
    return added, ended


def refresh_members(*, meeting: Meeting, by, today: date | None = None) -> tuple[int, int]:
    """Bring a leads' meeting in step with who leads the groups today; the chair stays."""
    if meeting.audience == Audience.PEOPLE:
        raise ValidationError(_("指定人员的例会请直接修改参会名单。"))
    today = today or timezone.localdate()
    people = audience_people(meeting.org, meeting.audience, today)
    chairs = Membership.objects.current(today).filter(
        group=meeting.group, role=Membership.Role.LEAD
    )
    people += [m.person for m in chairs.select_related("person") if m.person not in people]
    return set_members(meeting=meeting, people=people, by=by, today=today)
