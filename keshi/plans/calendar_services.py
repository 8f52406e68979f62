"""Writes for the 行事历: calendar items, their status and evidence, and iCalendar feeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.calendar import periods
from keshi.calendar.closing import check_period_open
from keshi.org.models import Group, Org, Person
from keshi.plans.models import CalendarFeed, CalendarItem, Plan
from keshi.records.models import Activity

MAX_WEEKS = 30  # no term is longer; a school-year plan's 第N周 is checked against this


def _plan_span(plan: Plan) -> tuple[date, date, int]:
    """(start, end, number of teaching weeks) of the plan's term, else of its school year."""
    if plan.term_id:
        term = plan.term
        return term.start, term.end, len(periods.teaching_weeks(term.start, term.end))
    year = plan.school_year
    return year.start, year.end, MAX_WEEKS


def repeat_slots(plan: Plan, period: str | None) -> list[dict]:
    """Where an event the plan repeats falls in its term: one slot per month for 每月
    (``{"month": 9}``), one per teaching week for 每周 (every other week for 每两周); otherwise —
    a term's or a year's event, or a week's in a school-year plan — one slot with no placement."""
    start, end, _weeks = _plan_span(plan)
    if period == "month":
        return [{"month": p.start.month} for p in periods.periods_overlapping("month", start, end)]
    if period in ("week", "2weeks", "two_weeks") and plan.term_id:
        numbers = [n for n, _week in periods.teaching_weeks(start, end)]
        step = 1 if period == "week" else 2
        return [{"week": n} for n in numbers[::step]]
    return [{}]


def placement_errors(
    plan: Plan,
    *,
    month: int | None,
    week: int | None,
    day: date | None,
    end_day: date | None,
) -> dict[str | None, str]:
    """Field → Chinese message for a placement that is missing or contradicts itself.

    One of month, week or date is needed; more than one is fine when they agree (第3周 and a date
    in that week; 9月 and a date in September; 第5周 and a month that week touches)."""
    errors: dict[str | None, str] = {}
    if month is None and week is None and day is None:
        errors[None] = _("请填写月份、教学周或日期中的至少一项。")
        return errors
    if end_day and not day:
        errors["end_date"] = _("填写结束日期时，请同时填写开始日期。")
    if month is not None and not 1 <= month <= 12:
        errors["month"] = _("月份应为1到12。")
    start, end, weeks = _plan_span(plan)
    if week is not None and not 1 <= week <= weeks:
        errors["week"] = _("本计划的学期共%(n)d周，教学周应为1到%(n)d。") % {"n": weeks}
    if day and plan.term_id:
        year = plan.term.school_year
        start, end = year.start, year.end
    if day and not start <= day <= end:
        errors["date"] = _("日期应在%(start)s至%(end)s之间。") % {"start": start, "end": end}
    if errors:
        return errors
    term_start = plan.term.start if plan.term_id else start
    if day and week is not None and periods.teaching_week_number(term_start, day) != week:
        errors["week"] = _("%(day)s不在第%(week)d周。") % {"day": day, "week": week}
    if day and month is not None and day.month != month:
        errors["month"] = _("%(day)s不在%(month)d月。") % {"day": day, "month": month}
    if not day and week is not None and month is not None:
        monday = periods.monday_of(term_start) + timedelta(weeks=week - 1)
        months = {(monday + timedelta(days=i)).month for i in range(7)}
        if month not in months:
            errors["month"] = _("第%(week)d周（%(monday)s起）不在%(month)d月。") % {
                "week": week,
                "monday": monday,
                "month": month,
            }
    return errors


def _check(item: CalendarItem) -> None:
    check_period_open(term=item.plan.term, school_year=item.plan.school_year)
    errors = placement_errors(
        item.plan, month=item.month, week=item.week, day=item.date, end_day=item.end_date
    )
    if errors:
        raise ValidationError({k or "__all__": [v] for k, v in errors.items()})
    item.full_clean(exclude=["owners", "evidence"])


def _check_people(plan: Plan, owners: Iterable[Person], group: Group | None) -> None:
    if any(p.org_id != plan.org_id for p in owners):
        raise ValidationError({"owners": [_("负责人必须是本单位的人员。")]})
    if group is not None and group.org_id != plan.org_id:
        raise ValidationError({"group": [_("负责组必须属于本单位。")]})


@transaction.atomic
def create_item(
    *,
    plan: Plan,
    title: str,
    month: int | None = None,
    week: int | None = None,
    date: date | None = None,
    end_date: date | None = None,
    owners: Iterable[Person] = (),
    group: Group | None = None,
    status: str = CalendarItem.Status.PLANNED,
    reason: str = "",
    position: int = 0,
) -> CalendarItem:
    owners = list(owners)
    _check_people(plan, owners, group)
    item = CalendarItem(
        plan=plan,
        title=title.strip(),
        month=month,
        week=week,
        date=date,
        end_date=end_date,
        group=group,
        status=status,
        reason=reason.strip(),
        position=position,
    )
    _check(item)
    item.save()
    item.owners.set(owners)
    return item


FIELDS = ("title", "month", "week", "date", "end_date", "group", "status", "reason", "position")


@transaction.atomic
def update_item(
    *, item: CalendarItem, owners: Iterable[Person] | None = None, **fields
) -> CalendarItem:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    if item.status not in (CalendarItem.Status.CANCELLED, CalendarItem.Status.POSTPONED):
        item.reason = ""
    owners = list(owners) if owners is not None else None
    _check_people(item.plan, owners or (), item.group)
    _check(item)
    item.save()
    if owners is not None:
        item.owners.set(owners)
    return item


@transaction.atomic
def set_status(*, item: CalendarItem, status: str, reason: str = "") -> CalendarItem:
    return update_item(item=item, status=status, reason=reason)


@transaction.atomic
def delete_item(*, item: CalendarItem) -> None:
    check_period_open(term=item.plan.term, school_year=item.plan.school_year)
    item.delete()


@transaction.atomic
def add_evidence(*, item: CalendarItem, activities: Iterable[Activity]) -> None:
    check_period_open(term=item.plan.term, school_year=item.plan.school_year)
    activities = list(activities)
    if any(a.org_id != item.plan.org_id for a in activities):
        raise ValidationError(_("佐证记录必须属于本单位。"))
    item.evidence.add(*activities)


@transaction.atomic
def remove_evidence(*, item: CalendarItem, activity: Activity) -> None:
    check_period_open(term=item.plan.term, school_year=item.plan.school_year)
    item.evidence.remove(activity)


@transaction.atomic
def create_feed(*, org: Org, person: Person | None = None) -> CalendarFeed:
    """A new secret URL; the previous one of the same owner stops working."""
    if person is not None and person.org_id != org.pk:
        raise ValidationError(_("只能为本单位的人员创建订阅。"))
    _active(org, person).update(revoked_at=timezone.now())
    return CalendarFeed.objects.create(org=org, person=person)


@transaction.atomic
def revoke_feed(*, feed: CalendarFeed) -> CalendarFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def _active(org: Org, person: Person | None):
    qs = CalendarFeed.objects.filter(org=org, revoked_at__isnull=True)
    return qs.filter(person=person) if person is not None else qs.filter(person__isnull=True)
