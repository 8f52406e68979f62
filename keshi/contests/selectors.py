"""Reads for contests, all through keshi.org.scoping. Blindness lives here: a judge's rows come
from :func:`judge_assignments`, which carries entry codes and never the author."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext

from keshi.contests.models import Assignment, Contest, Entry
from keshi.org.models import Org
from keshi.org.scoping import can_manage_org, scope_for, visible


def contests_for(user, q: str = "") -> QuerySet[Contest]:
    qs = visible(user, Contest.objects.select_related("org", "rubric"))
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def may_manage(user, contest: Contest) -> bool:
    return can_manage_org(user, contest.org)


def judge_assignments(user, contest: Contest | None = None) -> QuerySet[Assignment]:
    """The user's own judging work, never anyone else's (not even a lead's members')."""
    person_id = scope_for(user).person_id
    qs = visible(user, Assignment.objects.filter(judge_id=person_id))
    if person_id is None:
        return qs.none()
    if contest is not None:
        qs = qs.filter(entry__contest=contest)
    return (
        qs.select_related("entry", "entry__contest")
        .only(
            "pk",
            "total",
            "scored_at",
            "scores",
            "comment",
            "judge_id",
            "entry__code",
            "entry__document",
            "entry__content_type",
            "entry__contest_id",
            "entry__contest__title",
            "entry__contest__phase",
            "entry__contest__rubric",
        )
        .order_by("entry__code")
    )


def own_entries(user, contest: Contest) -> QuerySet[Entry]:
    person_id = scope_for(user).person_id
    if person_id is None:
        return Entry.objects.none()
    return contest.entries.filter(person_id=person_id)


def may_see_ranking(user, contest: Contest) -> bool:
    return may_manage(user, contest) or contest.published


def ranking(contest: Contest) -> QuerySet[Entry]:
    return contest.entries.select_related("person", "group").order_by("rank", "code")


def managed_entries(user, contest: Contest) -> QuerySet[Entry]:
    if not may_manage(user, contest):
        return Entry.objects.none()
    return (
        contest.entries.select_related("person", "group")
        .prefetch_related("assignments__judge", "recommended_as__contest", "round_scores__round")
        .order_by("code")
    )


def identifying_strings(entry: Entry) -> list[str]:
    """What a blind copy must not contain: the author's name and 工号, or for a group entry the
    group's name and every (past or present) member's name and 工号."""
    if entry.person_id:
        people = [(entry.person.name, entry.person.staff_no)]
        prefix = []
    else:
        people = list(entry.group.memberships.values_list("person__name", "person__staff_no"))
        prefix = [entry.group.name]
    # a one-character 工号 would blank out every digit; such numbers do not identify anyone
    return prefix + [s for pair in people for s in pair if s and len(s) >= 2]


def recommend_targets(contest: Contest) -> QuerySet[Contest]:
    """The contests an entry of ``contest`` may be recommended to: its parent org's, still open
    for entries (推荐上报 goes one level up, never sideways)."""
    if not contest.org.parent_id:
        return Contest.objects.none()
    return Contest.objects.filter(
        org_id=contest.org.parent_id, phase__in=[Contest.Phase.SIGNUP, Contest.Phase.SUBMIT]
    )


def deadlines(org: Org, at: date) -> dict[int, list[tuple[str, date]]]:
    """Person id → (label, due) for the daily digest (a system read: no user scope): an entry
    signed up without its file, due the day before judging starts; a judge's unscored entries,
    due the day before the 公示."""
    out: dict[int, list[tuple[str, date]]] = defaultdict(list)
    open_phases = (Contest.Phase.SIGNUP, Contest.Phase.SUBMIT)
    entries = Entry.objects.filter(
        contest__org=org,
        contest__phase__in=open_phases,
        contest__review_start__isnull=False,
        person__isnull=False,
        document="",
    ).select_related("contest")
    for e in entries.order_by("contest__review_start", "pk"):
        label = gettext("评比《%s》·提交作品") % e.contest.title
        out[e.person_id].append((label, e.contest.review_start - timedelta(days=1)))
    unscored: dict[tuple[int, Contest], int] = defaultdict(int)
    rows = Assignment.objects.filter(
        entry__contest__org=org,
        entry__contest__phase=Contest.Phase.REVIEW,
        entry__contest__notice_start__isnull=False,
        scored_at__isnull=True,
    ).select_related("entry__contest")
    for a in rows:
        unscored[a.judge_id, a.entry.contest] += 1
    for (judge_id, contest), n in sorted(unscored.items(), key=lambda kv: kv[0][1].notice_start):
        label = gettext("评比《%(title)s》·评审%(n)d件作品") % {"title": contest.title, "n": n}
        out[judge_id].append((label, contest.notice_start - timedelta(days=1)))
    return dict(out)
