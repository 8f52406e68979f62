"""The data of the term-end 工作总结 (and of the plan's 行事历 table), gathered through scoping.

Counting conventions (docs/documents.md):

* the summary is judged as of ``at``, never past the day after the term's last day: a summary
  written in February about the first term does not count February's records, and on the term's
  last day a requirement due that day is settled (``missed`` rather than ``behind``);
* a person's outcome on a requirement: when some of its periods have closed, 完成 if every closed
  period was met, else 未完成 (the number of missed periods is shown); with only the running
  period, its own standing (完成, or 进行中 — on track or behind). Exempt periods do not count;
* 完成率 = 完成 / 考核人数, per 教研组 (a person in two subject groups counts in both) and overall.

The office's own words (主要成绩, 存在问题, 下学期打算) have no model field: they are kept as
``PlanSection`` rows of kind ``other`` titled "工作总结·主要成绩" etc. on the plan, written by
:func:`save_summary_words`, and left out of the plan's own .docx.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum

from keshi.calendar import periods as P
from keshi.calendar.closing import check_period_open
from keshi.calendar.models import Term
from keshi.exams import selectors as exam_selectors
from keshi.org.models import Org, Person
from keshi.org.scoping import Scope, can_manage_org, can_read_org, scope_for, visible
from keshi.plans import summary_groupwork as groupwork
from keshi.plans import summary_rules as rules
from keshi.plans import summary_work as work
from keshi.plans.models import CalendarItem, Plan, PlanSection
from keshi.plans.summary_rules import Rate, RequirementResult
from keshi.records.models import Activity
from keshi.rules.engine import evaluate
from keshi.rules.models import Requirement
from keshi.rules.selectors import TREND_LINES, TrendLine, trend

SUMMARY_PREFIX = "工作总结·"
WORD_TOPICS = (("achievements", "主要成绩"), ("problems", "存在问题"), ("next_term", "下学期打算"))
WORDS_POSITION = 900
STATUS_WORDS = {
    CalendarItem.Status.DONE: "完成",
    CalendarItem.Status.CANCELLED: "取消",
    CalendarItem.Status.POSTPONED: "延期",
    CalendarItem.Status.PLANNED: "未完成",
}


class ConsoleUser:
    """The server operator at the console (``keshi summary-docx`` without ``--as``): reads the
    whole org, like ``export-roster``. Handed to selectors that take a user."""

    is_authenticated = True
    is_superuser = True
    pk = None
    _keshi_scope = Scope(is_admin=True, roles=frozenset({"admin"}))


def is_summary_section(section: PlanSection) -> bool:
    return section.kind == PlanSection.Kind.OTHER and section.title.startswith(SUMMARY_PREFIX)


def plan_sections(plan: Plan) -> list[PlanSection]:
    """The plan's own sections, without the stored summary words."""
    return [s for s in plan.sections.all() if not is_summary_section(s)]


# ---- who may download what ------------------------------------------------------------------


def document_plans(user) -> QuerySet[Plan]:
    """Plans whose .docx ``user`` may download: office, leaders and district staff every plan of
    their orgs; everyone else the published (and archived) plans of their own org."""
    qs = visible(user, Plan.objects.select_related("org", "group", "term__school_year"))
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    q = Q(status__in=(Plan.Status.PUBLISHED, Plan.Status.ARCHIVED))
    for path in scope.read_paths:
        q |= Q(org__path__startswith=path)
    return qs.filter(q)


def can_summarise(user, plan: Plan) -> bool:
    """The summary names the people who missed requirements: readers of the whole org only."""
    return can_read_org(user, plan.org)


def summary_term(plan: Plan, at: date) -> Term | None:
    """The plan's term; for a school-year plan the term holding ``at``, else the last begun."""
    if plan.term_id:
        return plan.term
    terms = plan_terms(plan)
    held = _term_for(at, terms)
    if held:
        return held
    begun = [t for t in terms if t.start <= at]
    return begun[-1] if begun else (terms[0] if terms else None)


# ---- 行事历 placement -----------------------------------------------------------------------


@dataclass
class CalendarRow:
    item: CalendarItem
    month: str  # "9月"; "其他" when the item has no placement
    week: str  # "第3周", "第3—4周", "" for a whole month
    owners: str
    sort_key: tuple
    end: date | None

    @property
    def status(self) -> str:
        return self.item.status

    def overdue(self, at: date) -> bool:
        return (
            self.item.status == CalendarItem.Status.PLANNED
            and self.end is not None
            and self.end < at
        )

    def status_text(self, at: date) -> str:
        item = self.item
        if self.overdue(at):
            return "逾期未完成"
        if item.status == CalendarItem.Status.PLANNED:
            return "待开展"
        word = STATUS_WORDS[item.status]
        return f"{word}：{item.reason}" if item.reason else word


def _term_for(day: date, terms: list[Term]) -> Term | None:
    return next((t for t in terms if t.start <= day <= t.end), None)


def _year_of_month(month: int, terms: list[Term]) -> int:
    start = terms[0].school_year.start if terms else date.today()
    return start.year if month >= start.month else start.year + 1


def place(item: CalendarItem, terms: list[Term]) -> CalendarRow:
    """Where a 行事历 item sits: its date, else its teaching week (of the first term), else its
    month; the most precise wins, as the model says."""
    owners = "、".join(p.name for p in item.owners.all()) or (item.group.name if item.group else "")
    if item.date:
        end = item.end_date or item.date
        term = _term_for(item.date, terms)
        week = ""
        if term:
            first = P.teaching_week_number(term.start, item.date)
            last = P.teaching_week_number(term.start, min(end, term.end))
            week = f"第{first}周" if first == last else f"第{first}—{last}周"
        key = (item.date, 1, item.position, item.pk)
        return CalendarRow(item, f"{item.date.month}月", week, owners, key, end)
    if item.week and terms:
        monday = P.monday_of(terms[0].start) + timedelta(weeks=item.week - 1)
        middle = monday + timedelta(days=3)
        key = (monday, 1, item.position, item.pk)
        row = CalendarRow(item, f"{middle.month}月", f"第{item.week}周", owners, key, None)
        row.end = monday + timedelta(days=6)
        return row
    if item.month:
        year = _year_of_month(item.month, terms)
        key = (date(year, item.month, 1), 0, item.position, item.pk)
        end = P.month_end(year, item.month)
        return CalendarRow(item, f"{item.month}月", "", owners, key, end)
    return CalendarRow(item, "其他", "", owners, (date.max, 2, item.position, item.pk), None)


def plan_terms(plan: Plan) -> list[Term]:
    if plan.term_id:
        return [plan.term]
    return list(Term.objects.filter(school_year=plan.school_year_id).order_by("start"))


def calendar_rows(plan: Plan, terms: list[Term] | None = None) -> list[CalendarRow]:
    terms = plan_terms(plan) if terms is None else terms
    items = plan.calendar_items.select_related("group").prefetch_related("owners")
    return sorted((place(i, terms) for i in items), key=lambda r: r.sort_key)


# ---- the summary ------------------------------------------------------------------------------


@dataclass
class KindCount:
    label: str
    unit: str
    records: int
    people: int
    quantity: float


@dataclass
class Summary:
    org: Org
    term: Term
    plan: Plan | None
    at: date  # the day the summary speaks of (never after the term's end)
    final: bool
    title: str
    people: int
    calendar: list[CalendarRow]
    requirements: list[RequirementResult]
    org_requirements: bool  # none of the rules comes from the plan
    kinds: list[KindCount]
    trend: list[TrendLine]  # the first TREND_LINES requirements with a period over
    words: dict[str, str] = field(default_factory=dict)
    checks: work.Checks = field(default_factory=work.Checks)
    awards: work.Awards = field(default_factory=work.Awards)
    research: work.Research = field(default_factory=work.Research)
    group_work: groupwork.GroupWork = field(default_factory=groupwork.GroupWork)
    training: groupwork.Training = field(default_factory=groupwork.Training)
    exams: list[exam_selectors.ExamOverview] = field(default_factory=list)

    @property
    def calendar_counts(self) -> Counter:
        counts: Counter = Counter(r.item.status for r in self.calendar)
        counts["overdue"] = sum(1 for r in self.calendar if r.overdue(self.at))
        return counts

    @property
    def overall(self) -> Rate:
        total = Rate("全体")
        for r in self.requirements:
            if r.by_groups:
                continue
            total.assessed += r.total.assessed
            total.met += r.total.met
            total.running += r.total.running
            total.missed += r.total.missed
        return total


def summary_title(org: Org, term: Term, plan: Plan | None) -> str:
    if plan and plan.term_id and plan.title.endswith("计划"):
        return plan.title[: -len("计划")] + "总结"
    owner = plan.group.name if plan and plan.group_id else "教科室"
    return f"{org.name}{term}{owner}工作总结"


def gather(user, *, org: Org, term: Term, at: date, plan: Plan | None = None) -> Summary:
    """Everything the summary shows, read with ``user``'s scope."""
    final = at >= term.end
    judged_at = term.end + timedelta(days=1) if final else max(at, term.start)
    shown_at = min(at, term.end)
    people = list(visible(user, Person.objects.filter(org=org, active=True)).order_by("name", "pk"))
    reqs = rules.rules_in_force(user, org=org, term=term, plan=plan)
    by_groups = [r for r in reqs if r.owner == Requirement.Owner.GROUP]
    own = [r for r in reqs if r.owner != Requirement.Owner.GROUP]
    result = evaluate(term=term, at=judged_at, people=people, requirements=own, history=True)
    groups = rules.subject_groups(user, org, [p.pk for p in people], shown_at)
    names = {p.pk: p.name for p in people}
    plan_id = plan.pk if plan else None
    results = [
        rules.person_result(r, result, names, groups, judged_at, from_plan=r.plan_id == plan_id)
        for r in result.requirements
    ]
    results += rules.group_results(
        user, org=org, term=term, at=judged_at, requirements=by_groups, plan=plan
    )
    lines = _trend(user, term, judged_at, people, result.requirements)
    calendar = calendar_rows(plan, [term]) if plan else []
    return Summary(
        org=org,
        term=term,
        plan=plan,
        at=shown_at,
        final=final,
        title=summary_title(org, term, plan),
        people=len(people),
        calendar=calendar,
        requirements=results,
        org_requirements=plan is None or not any(r.from_plan for r in results),
        kinds=_kinds(user, org, term, shown_at),
        trend=lines,
        words=summary_words(plan) if plan else {},
        checks=work.checks_of(user, org=org, term=term, at=shown_at),
        awards=work.awards_of(user, org=org, term=term, at=shown_at),
        research=work.research_of(user, org=org, term=term, at=shown_at),
        group_work=groupwork.group_work_of(user, org=org, term=term, at=shown_at),
        training=groupwork.training_of(
            user, org=org, term=term, at=shown_at, groups=groups, people=len(people)
        ),
        exams=exam_selectors.term_exams(user, org=org, term=term, at=shown_at),
    )


def _trend(user, term, at, people, requirements) -> list[TrendLine]:
    if not requirements or not people:
        return []
    lines = trend(user, term=term, at=at, people=people, requirements=requirements)
    return [line for line in lines if line.points][:TREND_LINES]


def _kinds(user, org: Org, term: Term, at: date) -> list[KindCount]:
    rows = (
        visible(user, Activity.objects.all())
        .filter(org=org, status__in=Activity.COUNTED, date__gte=term.start, date__lte=at)
        .values("kind__label", "kind__unit", "kind__position")
        .annotate(records=Count("id"), people=Count("person", distinct=True), qty=Sum("quantity"))
        .order_by("kind__position", "kind__label")
    )
    return [
        KindCount(r["kind__label"], r["kind__unit"], r["records"], r["people"], float(r["qty"]))
        for r in rows
    ]


# ---- the office's own words ----------------------------------------------------------------


def _words_sections(plan: Plan) -> QuerySet[PlanSection]:
    titles = [SUMMARY_PREFIX + label for _, label in WORD_TOPICS]
    return plan.sections.filter(Q(kind=PlanSection.Kind.OTHER), title__in=titles)


def summary_words(plan: Plan) -> dict[str, str]:
    by_title = {s.title: s.body for s in _words_sections(plan)}
    return {key: by_title.get(SUMMARY_PREFIX + label, "") for key, label in WORD_TOPICS}


@transaction.atomic
def save_summary_words(*, plan: Plan, user, **texts: str) -> dict[str, str]:
    """Store the office's paragraphs (keys of WORD_TOPICS); an empty text removes its section."""
    if not can_manage_org(user, plan.org):
        raise PermissionDenied
    check_period_open(term=plan.term, school_year=plan.school_year)
    unknown = set(texts) - {key for key, _ in WORD_TOPICS}
    if unknown:
        raise ValueError(f"unknown summary topics: {sorted(unknown)}")
    existing = {s.title: s for s in _words_sections(plan).select_for_update()}
    for i, (key, label) in enumerate(WORD_TOPICS):
        if key not in texts:
            continue
        body = (texts[key] or "").strip()
        title = SUMMARY_PREFIX + label
        section = existing.get(title)
        if not body:
            if section:
                section.delete()
            continue
        if section is None:
            section = PlanSection(
                plan=plan, kind=PlanSection.Kind.OTHER, title=title, position=WORDS_POSITION + i
            )
        if section.body != body or section.pk is None:
            section.body = body
            section.save()
    return summary_words(plan)
