"""Reads for the 每周工作安排: which weeks a user may open, and everything on in one week.

The sheet is an org-public document, as the paper one pinned in the staff room: every person of
the org reads a published week; office staff, leaders and district staff (who may read the org)
read drafts too. So the sources are read for the org as a whole and only their public parts are
shown — who is away and who covers which lesson, never the reason of a sick or personal leave.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from keshi.calendar import selectors as cal
from keshi.calendar.holidays import day_info
from keshi.calendar.models import Term
from keshi.checks.models import Inspection
from keshi.cover.models import Absence, Cover
from keshi.cover.selectors import lessons_to_cover
from keshi.dispatch import states
from keshi.dispatch.models import Dispatch
from keshi.groupwork.models import OpenClass, Session
from keshi.org.models import Membership, Org
from keshi.org.scoping import can_read_org
from keshi.plans import calendar_selectors as itinerary
from keshi.weekly import sheet as sh
from keshi.weekly.models import WeekSchedule

GOING = (states.DISPATCHED, states.BACK, states.REPORTED, states.REIMBURSABLE, states.REIMBURSED)
PRIVATE_KINDS = (Absence.Kind.SICK, Absence.Kind.PERSONAL, Absence.Kind.OTHER)


# ---- access -----------------------------------------------------------------------------------


def may_read_drafts(user, org: Org) -> bool:
    return can_read_org(user, org)


def chosen(user, org_code: str | None, term_id: int | str | None) -> tuple[Org | None, Term | None]:
    """The org (by code, else the user's calendar org) and term (by id, else the current one,
    else the latest) a user asks for; ``None`` for what is unknown or not readable."""
    if org_code:
        org = cal.readable_orgs(user).filter(code=org_code).first()
    else:
        org = cal.calendar_org(user)
    if org is None:
        return None, None
    terms = cal.terms_of_org(user, org)
    if term_id:
        return org, terms.filter(pk=term_id).first()
    current = cal.current_term(org)
    return org, (terms.filter(pk=current.pk).first() if current else None) or terms.first()


def default_week(term: Term) -> int:
    """This week's number, or 第1周 outside the term."""
    return cal.teaching_week(term, timezone.localdate()) or 1


def schedule_of(org: Org, term: Term, week: int) -> WeekSchedule | None:
    return WeekSchedule.objects.filter(org=org, term=term, week=week).first()


def week_of(term: Term, number: int) -> cal.TeachingWeek | None:
    return next((w for w in cal.teaching_weeks(term) if w.number == number), None)


# ---- the sheet --------------------------------------------------------------------------------


def build_sheet(
    org: Org, term: Term, week: cal.TeachingWeek, schedule: WeekSchedule | None
) -> sh.Sheet:
    """The week's sheet; ``schedule`` is the week's row (``schedule_of``), ``None`` if none."""
    notes = schedule.notes if schedule else {}
    monday, sunday = week.monday, week.sunday
    days = {}
    for offset, info in enumerate(week.days):
        day = monday + timedelta(days=offset)
        info = info or day_info(day, org)  # a day of the week outside the term
        remark = info.name if info.is_holiday else ("调休上班" if info.is_adjusted_workday else "")
        days[day] = sh.Day(day, info.is_workday, remark, note=notes.get(day.isoformat(), ""))
    band: list[sh.Line] = []
    for day, line in _lines(org, term, monday, sunday):
        if day is None or day not in days:
            band.append(line)
        else:
            days[day].lines.append(line)
    for d in days.values():
        d.lines = sh.sort_lines(d.lines)
    return sh.Sheet(
        org_name=org.name,
        term_label=str(term),
        week=week.number,
        monday=monday,
        sunday=sunday,
        band=sh.sort_lines(band),
        days=[d for d in days.values() if sh.shown(d)],
        published=bool(schedule and schedule.is_published),
    )


def _lines(org: Org, term: Term, monday: date, sunday: date):
    yield from _calendar_lines(term, monday, sunday)
    yield from _session_lines(org, monday, sunday)
    yield from _open_class_lines(org, monday, sunday)
    yield from _inspection_lines(org, monday, sunday)
    yield from _dispatch_lines(org, monday, sunday)
    yield from _absence_lines(org, monday, sunday)


def _calendar_lines(term: Term, monday: date, sunday: date):
    for row in itinerary.published_rows(term):
        p = row.placement
        if p.kind == itinerary.MONTH or p.end < monday or p.start > sunday:
            continue
        item = row.item
        who = row.owner_names or (item.group.name if item.group_id else "")
        line = sh.Line(
            sh.CALENDAR,
            item.title + (f"（{item.get_status_display()}）" if item.status == "cancelled" else ""),
            uid=f"calendaritem-{item.pk}",
            people=frozenset(o.pk for o in item.owners.all()),
            link=f"{reverse('itinerary:index')}?term={term.pk}",
        )
        if who:
            line.details.append(f"负责：{who}")
        if p.kind == itinerary.DATE and p.start == p.end:
            yield p.start, line
        else:
            line.when = p.label if p.kind == itinerary.DATE else "本周"
            yield None, line


def _members(group_ids) -> dict[int, frozenset[int]]:
    found = defaultdict(set)
    rows = Membership.objects.current().filter(group_id__in=group_ids)
    for group_id, person_id in rows.values_list("group_id", "person_id"):
        found[group_id].add(person_id)
    return {g: frozenset(p) for g, p in found.items()}


def _session_lines(org: Org, monday: date, sunday: date):
    sessions = list(
        Session.objects.filter(org=org, date__range=(monday, sunday)).select_related(
            "group", "host"
        )
    )
    members = _members({s.group_id for s in sessions})
    for s in sessions:
        text = f"{s.group.name}教研活动：{s.topic or '（未定主题）'}"
        line = sh.Line(
            sh.SESSION,
            text,
            when=f"{s.start_time:%H:%M}" if s.start_time else "",
            uid=f"weekly-session-{s.pk}",
            people=members.get(s.group_id, frozenset()),
            start=s.start_time,
            end=s.end_time,
            link=reverse("groupwork:session", args=[s.pk]),
        )
        line.details += [t for t in (_place(s.place), _host(s.host)) if t]
        yield s.date, line


def _place(place: str) -> str:
    return f"地点：{place}" if place else ""


def _host(person) -> str:
    return f"主持：{person.name}" if person else ""


def _open_class_lines(org: Org, monday: date, sunday: date):
    classes = (
        OpenClass.objects.filter(org=org, date__range=(monday, sunday))
        .select_related("teacher")
        .prefetch_related("required_people", "required_groups")
    )
    for oc in classes:
        people = {oc.teacher_id, *(p.pk for p in oc.required_people.all())}
        for members in _members([g.pk for g in oc.required_groups.all()]).values():
            people |= members
        line = sh.Line(
            sh.OPEN_CLASS,
            f"{oc.teacher.name}{oc.kind}《{oc.topic}》",
            when=f"第{oc.period}节",
            uid=f"weekly-openclass-{oc.pk}",
            people=frozenset(people),
            link=reverse("groupwork:open_class", args=[oc.pk]),
        )
        line.details += [t for t in (f"{oc.class_name}{oc.subject}", _place(oc.place)) if t]
        yield oc.date, line


def _inspection_lines(org: Org, monday: date, sunday: date):
    inspections = Inspection.objects.filter(org=org, start__isnull=False, start__lte=sunday).filter(
        Q(end__gte=monday) | Q(end__isnull=True, start__gte=monday)
    )
    for ins in inspections.prefetch_related("inspectors"):
        end = ins.end or ins.start
        line = sh.Line(
            sh.INSPECTION,
            f"{ins.title}（{ins.get_kind_display()}）",
            uid=f"weekly-inspection-{ins.pk}",
            link=reverse("checks:inspection", args=[ins.pk]),
        )
        names = "、".join(p.name for p in ins.inspectors.all())
        if names:
            line.details.append(f"检查人：{names}")
        if ins.start == end:
            yield ins.start, line
        else:
            line.when = sh.span_label(ins.start, end)
            line.span = (ins.start, end)
            yield None, line


def _dispatch_lines(org: Org, monday: date, sunday: date):
    dispatches = (
        Dispatch.objects.filter(
            org=org, state__in=GOING, start_date__lte=sunday, end_date__gte=monday
        )
        .prefetch_related("members__person")
        .order_by("start_date", "pk")
    )
    for d in dispatches:
        people = [m.person for m in d.members.all()]
        line = sh.Line(
            sh.DISPATCH,
            f"《{d.title}》：{'、'.join(p.name for p in people)}",
            when=sh.span_label(d.start_date, d.end_date),
            uid=f"weekly-dispatch-{d.pk}",
            people=frozenset(p.pk for p in people),
            link=reverse("dispatch:detail", args=[d.pk]),
            span=(d.start_date, d.end_date),
        )
        province = "，跨省" if d.cross_province else ""
        line.details.append(f"{d.organiser}，{d.place}{province}")
        yield None, line


def _absence_lines(org: Org, monday: date, sunday: date):
    absences = (
        Absence.objects.filter(org=org, start_date__lte=sunday, end_date__gte=monday)
        .select_related("person", "org")
        .order_by("start_date", "person__name", "pk")
    )
    for absence in absences:
        needs = defaultdict(list)
        for need in lessons_to_cover(absence):
            needs[need.date].append(need)
        homeroom = list(
            absence.covers.filter(homeroom__isnull=False, status__in=Cover.LIVE).select_related(
                "cover_person", "homeroom"
            )
        )
        day = max(absence.start_date, monday)
        while day <= min(absence.end_date, sunday):
            part = sh.halves_on(
                day,
                (absence.start_date, absence.start_half),
                (absence.end_date, absence.end_half),
            )
            if part:
                yield day, _absence_line(absence, day, part, needs[day], homeroom)
            day += timedelta(days=1)


def _absence_line(absence: Absence, day: date, part: str, needs, homeroom) -> sh.Line:
    private = absence.kind in PRIVATE_KINDS
    label = "请假" if absence.kind in (Absence.Kind.SICK, Absence.Kind.PERSONAL) else "外出"
    reason = "" if private else f"{absence.get_kind_display()}·"
    people = {absence.person_id}
    line = sh.Line(
        sh.ABSENCE,
        f"{label}：{absence.person.name}（{reason}{part}）",
        uid=f"weekly-absence-{absence.pk}-{day:%Y%m%d}",
        link=reverse("cover:absence", args=[absence.pk]),
    )
    if not private:
        line.details.append(absence.title)
    for need in needs:
        entry, cover = need.entry, need.cover
        lesson = f"第{entry.period}节 {entry.class_name}{entry.subject}"
        if cover is None:
            line.details.append(f"{lesson}：未安排")
            line.warning = True
            continue
        people.add(cover.cover_person_id)
        pending = "（待确认）" if cover.status == Cover.Status.PROPOSED else ""
        line.details.append(
            f"{lesson}：{cover.cover_person.name}{cover.get_kind_display()}{pending}"
        )
    for cover in homeroom:
        people.add(cover.cover_person_id)
        line.details.append(f"{cover.homeroom.class_name}班主任：{cover.cover_person.name}代理")
    line.people = frozenset(people)
    return line
