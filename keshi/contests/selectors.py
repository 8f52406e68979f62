"""Reads for contests, all through keshi.org.scoping. Blindness lives here: a judge's rows come
from :func:`judge_assignments`, which carries entry codes and never the author."""

from __future__ import annotations

from django.db.models import QuerySet

from keshi.contests.models import Assignment, Contest, Entry
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
        .prefetch_related("assignments__judge", "recommended_as__contest")
        .order_by("code")
    )
