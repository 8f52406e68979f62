"""Reads for 学年与学期的更替: which term comes next, and what would carry over into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from keshi.calendar import services as calendar_services
from keshi.calendar.lifecycle import Action, Item, Section, pair_default, pair_flag
from keshi.calendar.models import SchoolYear, Term
from keshi.org.models import Group, Membership, Mentorship, Org
from keshi.rules.describe import describe, number, rule_of
from keshi.rules.models import Requirement

# Groups whose members are assigned per school year (keshi/demo/school.py: memberships of these
# start on the year's first day); 教研组 and 科室 are standing groups and are not reviewed.
YEARLY_GROUP_KINDS = (Group.Kind.PREP, Group.Kind.GRADE)
TERM_FIELDS = ("start", "end")
YEAR_FIELDS = ("first_start", "first_end", "second_start", "second_end")


@dataclass(frozen=True)
class NextStep:
    """From ``current`` to the next term: 第二学期 of the same year, or 第一学期 of the next year
    (then the whole school year with its two terms is created). A 年度 (a hospital's calendar
    year) has one term, so its next term is the only term of the next 年度, whose dates are
    fixed (1月1日–12月31日): nothing to propose."""

    org: Org
    current: Term
    start_year: int
    number: int
    year: SchoolYear | None  # the target school year, when it exists already
    term: Term | None  # the target term, when it exists already
    proposed: dict[str, date] = field(default_factory=dict)

    @property
    def new_year(self) -> bool:
        return self.start_year != self.current.school_year.start_year

    @property
    def calendar_year(self) -> bool:
        return self.current.school_year.is_calendar_year

    @property
    def fields(self) -> tuple[str, ...]:
        if self.calendar_year:
            return ()
        return YEAR_FIELDS if self.new_year else TERM_FIELDS

    @property
    def label(self) -> str:
        if self.calendar_year:
            return _("%(year)d年度") % {"year": self.start_year}
        year = _("%(a)d—%(b)d学年") % {"a": self.start_year, "b": self.start_year + 1}
        return year + str(Term.Number(self.number).label)

    def target_dates(self, dates: dict[str, date]) -> tuple[date, date]:
        """The first and last day of the target term under ``dates``."""
        if self.calendar_year:
            return calendar_services.calendar_year_dates(self.start_year)
        if self.new_year:
            return dates["first_start"], dates["first_end"]
        return dates["start"], dates["end"]


def next_step(org: Org, current: Term) -> NextStep:
    year = current.school_year
    if year.is_calendar_year:
        start_year = year.start_year + 1
        target = SchoolYear.objects.filter(org=org, start_year=start_year).first()
        return NextStep(
            org=org,
            current=current,
            start_year=start_year,
            number=Term.Number.FIRST,
            year=target,
            term=target.terms.filter(number=Term.Number.FIRST).first() if target else None,
        )
    if current.number == Term.Number.FIRST:
        start_year, number = year.start_year, Term.Number.SECOND
        target_year: SchoolYear | None = year
    else:
        start_year, number = year.start_year + 1, Term.Number.FIRST
        target_year = SchoolYear.objects.filter(org=org, start_year=start_year).first()
    terms = {t.number: t for t in target_year.terms.all()} if target_year else {}
    defaults = calendar_services.default_term_dates(start_year)
    first = terms.get(Term.Number.FIRST)
    second = terms.get(Term.Number.SECOND)
    first_dates = (first.start, first.end) if first else defaults.first
    second_dates = (second.start, second.end) if second else defaults.second
    if start_year != year.start_year:
        proposed = dict(zip(YEAR_FIELDS, (*first_dates, *second_dates), strict=True))
    else:
        proposed = dict(zip(TERM_FIELDS, second_dates, strict=True))
    return NextStep(
        org=org,
        current=current,
        start_year=start_year,
        number=number,
        year=target_year,
        term=terms.get(number),
        proposed=proposed,
    )


def review_items(step: NextStep, dates: dict[str, date]) -> list[Item]:
    """Every row the office decides on, in page order: groups (new school year only), pairs,
    rules. Computed from the database as it is, so the confirm sees what the page showed."""
    next_start, next_end = step.target_dates(dates)
    items: list[Item] = []
    if step.new_year:
        items += _group_items(step)
    items += _pair_items(step, next_start, next_end)
    items += _rule_items(step)
    return items


def _group_items(step: NextStep) -> list[Item]:
    year_end = step.current.school_year.end
    in_force = Q(memberships__start__isnull=True) | Q(memberships__start__lte=year_end)
    in_force &= Q(memberships__end__isnull=True) | Q(memberships__end__gte=year_end)
    groups = (
        Group.objects.filter(org=step.org, kind__in=YEARLY_GROUP_KINDS)
        .annotate(members=Count("memberships", filter=in_force, distinct=True))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current(year_end)
                .filter(role__in=Membership.LEAD_ROLES)
                .select_related("person"),
                to_attr="leads",
            )
        )
        .order_by("kind", "name")
    )
    items = []
    for g in groups:
        leads = "、".join(m.person.name for m in g.leads)
        detail = _("%(kind)s，%(n)d人") % {"kind": g.get_kind_display(), "n": g.members}
        if leads:
            detail += _("，组长%(names)s") % {"names": leads}
        items.append(
            Item(
                Section.GROUPS,
                g.pk,
                g.name,
                detail,
                default=Action.KEEP if g.members else Action.DROP,
                flag="" if g.members else _("本学年没有成员"),
            )
        )
    return items


def pairs_in_force(step: NextStep):
    """Pairs running on some day of the current term or later."""
    current = step.current
    return (
        Mentorship.objects.filter(org=step.org)
        .filter(Q(end__isnull=True) | Q(end__gte=current.start))
        .select_related("mentor", "mentee")
        .order_by("mentor__name", "mentee__name", "pk")
    )


PAIR_FLAGS = {
    "ends_before": "在下学期开始前结束",
    "ends_during": "在下学期中途结束",
}


def _pair_items(step: NextStep, next_start: date, next_end: date) -> list[Item]:
    items = []
    for p in pairs_in_force(step):
        span = f"{p.start or _('不限')} 至 {p.end or _('至今')}"
        detail = f"{p.subject}，{span}" if p.subject else span
        flag = pair_flag(p.end, next_start=next_start, next_end=next_end)
        items.append(
            Item(
                Section.PAIRS,
                p.pk,
                f"{p.mentor.name} → {p.mentee.name}",
                detail,
                default=pair_default(p.end, next_start=next_start, next_end=next_end),
                flag=_(PAIR_FLAGS[flag]) if flag else "",
            )
        )
    return items


def rules_in_force(org: Org):
    return (
        Requirement.objects.live()
        .filter(org=org)
        .select_related("plan", "plan__term", "plan__school_year")
        .prefetch_related("kinds", "groups", "tags")
        .order_by("plan_id", "pk")
    )


def _rule_items(step: NextStep) -> list[Item]:
    items = []
    for r in rules_in_force(step.org):
        plan = r.plan.title if r.plan else _("未关联计划")
        items.append(
            Item(
                Section.RULES,
                r.pk,
                r.name,
                f"{describe(rule_of(r))}（{plan}）",
                values={"threshold": number(r.threshold), "points": number(r.points)},
            )
        )
    return items
