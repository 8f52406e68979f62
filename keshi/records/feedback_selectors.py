"""Reads for 听课反馈: who sees an observation's feedback, what a teacher received, coverage.

Feedback has its own, narrower circle than the record it hangs on. An observation record is
the *observer's* record (``Activity.person``), so :func:`keshi.org.scoping.visible` shows it to
the observer and their group lead. Its feedback is about the *observed* teacher, so it is read
by: the observed teacher, the observer, the lead(s) of the observed teacher's groups, and whoever
reads the org (office, leaders, district — ``read_paths``). Nobody else, a colleague in the same
group included. :func:`feedback_q` is that circle; every feedback page and API call uses it.

``Feedback.private_notes`` (仅自己可见的备注) are outside every circle: only the observer's own
record page shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from keshi.checks.models import Rubric
from keshi.checks.scoring import TWO
from keshi.org.models import Group, Membership, Org, Person
from keshi.org.scoping import scope_for, visible
from keshi.records.models import Activity, Feedback


def _led_members(lead_group_ids) -> models.QuerySet:
    return Membership.objects.current().filter(group_id__in=lead_group_ids).values("person_id")


def feedback_q(user, prefix: str = "") -> Q:
    """The observations (``Activity`` rows) whose feedback ``user`` may read."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    q = Q(pk__in=[])
    for path in scope.read_paths:
        q |= Q(**{f"{prefix}org__path__startswith": path})
    if scope.person_id:
        q |= Q(**{f"{prefix}observed_id": scope.person_id})
        q |= Q(**{f"{prefix}person_id": scope.person_id})
    if scope.lead_group_ids:
        q |= Q(**{f"{prefix}observed_id__in": _led_members(scope.lead_group_ids)})
    return q


def observations() -> models.QuerySet[Activity]:
    return (
        Activity.objects.filter(observed__isnull=False, kind__has_observed=True)
        .select_related("person", "observed", "kind", "org", "feedback")
        .order_by("-date", "-pk")
    )


def visible_feedback(user) -> models.QuerySet[Activity]:
    if not user.is_authenticated:
        return Activity.objects.none()
    return observations().filter(feedback_q(user))


def feedback_for(user, pk: int) -> Activity | None:
    return visible_feedback(user).filter(pk=pk).first()


def may_read_feedback(user, activity: Activity) -> bool:
    return (
        activity.observed_id is not None and visible_feedback(user).filter(pk=activity.pk).exists()
    )


def received(user, *, state: str = "", q: str = "") -> models.QuerySet[Activity]:
    """The observations of ``user``'s own lessons. ``state``: ``new`` (not yet 已阅) or ``read``."""
    person_id = scope_for(user).person_id
    if person_id is None:
        return Activity.objects.none()
    qs = observations().filter(observed_id=person_id)
    if state == "new":
        qs = qs.filter(Q(feedback__isnull=True) | Q(feedback__acknowledged_at__isnull=True))
    elif state == "read":
        qs = qs.filter(feedback__acknowledged_at__isnull=False)
    if q := q.strip():
        qs = qs.filter(
            Q(person__name__icontains=q) | Q(title__icontains=q) | Q(data__comments__icontains=q)
        )
    return qs


def new_count(user) -> int:
    """Received observations not yet marked 已阅 (for the teacher's home page)."""
    return received(user, state="new").count()


def has_feedback(activity: Activity) -> bool:
    """Feedback given: 评课意见 written or the instrument scored."""
    fb = feedback_of(activity)
    return bool(str(activity.data.get("comments") or "").strip()) or bool(fb and fb.scored)


def _has_feedback_row(activity: Activity) -> bool:
    try:
        activity.feedback  # noqa: B018 — the reverse one-to-one raises when there is no row
    except Feedback.DoesNotExist:
        return False
    return True


def feedback_of(activity: Activity) -> Feedback | None:
    return activity.feedback if _has_feedback_row(activity) else None


def scored_items(feedback: Feedback | None) -> list[tuple[str, str, str]]:
    """(item, score, full marks) of a scored instrument, as the rubric was when scored."""
    if feedback is None or not feedback.scored:
        return []
    return [
        (c.get("name", ""), feedback.scores.get(c.get("key"), ""), c.get("max", ""))
        for c in feedback.rubric_data.get("criteria", [])
    ]


# ---- instruments ------------------------------------------------------------------------------


def instrument_rubrics(org: Org | None) -> models.QuerySet[Rubric]:
    """Rubrics an observer may score a lesson with: the org's own active rubrics and the
    built-ins meant for classroom observation."""
    builtin = Q(org__isnull=True, purpose=Rubric.Purpose.OBSERVATION)
    own = Q(org=org) if org is not None else Q(pk__in=[])
    return Rubric.objects.filter(builtin | own, active=True).order_by("org_id", "name", "pk")


# ---- coverage ---------------------------------------------------------------------------------


def may_see_coverage(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.read_paths or scope.lead_group_ids)


def coverage_people(user) -> models.QuerySet[Person]:
    """Whose coverage ``user`` sees: the orgs they read (office, leaders, district), else the
    members of the groups they lead."""
    scope = scope_for(user)
    people = Person.objects.filter(active=True)
    if scope.is_admin or scope.read_paths:
        return visible(user, people)
    if scope.lead_group_ids:
        return people.filter(pk__in=_led_members(scope.lead_group_ids))
    return people.none()


def coverage(
    user, *, start: date | None = None, end: date | None = None, q: str = ""
) -> models.QuerySet[Person]:
    """Per teacher: lessons observed, with feedback (评课意见 or scores), 已阅, scored, and the
    mean instrument percentage — one aggregation query."""
    base = Q(observed_in__kind__has_observed=True)
    if start is not None:
        base &= Q(observed_in__date__gte=start)
    if end is not None:
        base &= Q(observed_in__date__lte=end)
    commented = Q(observed_in__data__has_key="comments") & ~Q(observed_in__data__comments="")
    scored = Q(observed_in__feedback__percent__isnull=False)
    qs = coverage_people(user)
    if q := q.strip():
        qs = qs.filter(name__icontains=q)
    return qs.annotate(
        n_observed=Count("observed_in", filter=base),
        n_feedback=Count("observed_in", filter=base & (commented | scored)),
        n_acknowledged=Count(
            "observed_in", filter=base & Q(observed_in__feedback__acknowledged_at__isnull=False)
        ),
        n_scored=Count("observed_in", filter=base & scored),
        percent_sum=Sum("observed_in__feedback__percent", filter=base),
        percent_avg=Avg("observed_in__feedback__percent", filter=base),
    ).order_by("org__path", "name", "pk")


@dataclass
class GroupCoverage:
    name: str
    teachers: int = 0
    observed: int = 0
    feedback: int = 0
    acknowledged: int = 0
    scored: int = 0
    percent_sum: Decimal = Decimal(0)

    @property
    def percent_avg(self) -> Decimal | None:
        if not self.scored:
            return None
        return (self.percent_sum / self.scored).quantize(TWO, ROUND_HALF_UP)


def coverage_by_group(rows: list[Person]) -> list[GroupCoverage]:
    """Sum the per-teacher rows by each teacher's current 教研组 (备课组 when in no 教研组),
    "未分组" for the rest; the mean percentage is over every scored lesson of the group."""
    ids = [p.pk for p in rows]
    home: dict[int, str] = {}
    rank = {Group.Kind.SUBJECT: 0, Group.Kind.PREP: 1}
    memberships = (
        Membership.objects.current()
        .filter(person_id__in=ids, group__kind__in=list(rank))
        .values_list("person_id", "group__name", "group__kind")
        .order_by("person_id", "group__name")
    )
    best: dict[int, int] = {}
    for person_id, name, kind in memberships:
        if person_id not in best or rank[kind] < best[person_id]:
            best[person_id], home[person_id] = rank[kind], name
    ungrouped = _("未分组")
    groups: dict[str, GroupCoverage] = {}
    for p in rows:
        name = home.get(p.pk, ungrouped)
        g = groups.setdefault(name, GroupCoverage(name))
        g.teachers += 1
        g.observed += p.n_observed
        g.feedback += p.n_feedback
        g.acknowledged += p.n_acknowledged
        g.scored += p.n_scored
        g.percent_sum += p.percent_sum or Decimal(0)
    return sorted(groups.values(), key=lambda g: (g.name == ungrouped, g.name))
