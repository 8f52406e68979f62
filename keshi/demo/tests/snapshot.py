"""Counts and a digest of everything ``keshi demo-data`` writes (no primary keys, salts or
timestamps of the run), to compare runs."""

import hashlib
import json
from datetime import date

from django.contrib.auth import get_user_model

from keshi.accounts.models import RoleGrant
from keshi.appraisal.models import PointEntry
from keshi.calendar.models import DayOverride, SchoolYear, Term
from keshi.checks.models import BulletinItem, Draw, InspectionResult, Rectification
from keshi.contests.models import Assignment, Entry
from keshi.dispatch.models import Dispatch, DispatchTeacher, Obligation, Transition
from keshi.groupwork.models import OpenClass, Session, SessionAttendance
from keshi.org.models import Group, Membership, Mentorship, Org, Person, Tag
from keshi.originality.models import Flag
from keshi.plans.models import CalendarItem, Plan, Suggestion
from keshi.records.models import Activity
from keshi.research.models import ResearchProject, Stage
from keshi.rules.models import Exemption, Requirement
from keshi.weekly.models import WeekSchedule

TODAY = date(2026, 11, 26)
User = get_user_model()
MODELS = [Org, Group, Person, Tag, Membership, Mentorship, User, RoleGrant]
MODELS += [SchoolYear, Term, DayOverride, Requirement, Exemption, Activity]
MODELS += [Dispatch, DispatchTeacher, Obligation, Transition]
HISTORY = [Org, Group, Person, Membership, Mentorship, RoleGrant, Requirement, Exemption, Activity]


def counts() -> dict[str, int]:
    history = [m.history.model for m in HISTORY]
    return {m.__name__: m.objects.count() for m in MODELS + history}


def _data(data: dict, serials: dict[int, str]) -> str:
    """``data`` as text, with a dispatch's primary key (``confirm_attendance`` puts it in the
    training record) replaced by its serial."""
    if "dispatch" in data:
        data = {**data, "dispatch": serials.get(data["dispatch"], data["dispatch"])}
    for key in ("session", "open_class", "research_stage", "exam"):  # keys of the services' rows
        if key in data:
            data = {**data, key: "*"}
    return json.dumps(data, sort_keys=True)


def records() -> list:
    serials = {d.pk: d.serial for d in Dispatch.objects.all()}
    return [
        (*row[:10], _data(row[10], serials), *row[11:])
        for row in Activity.objects.values_list(
            "org__code", "person__staff_no", "kind__code", "date", "title", "quantity",
            "credits", "text", "chars", "observed__staff_no", "data", "complete", "status",
            "review_comment", "reviewed_by__username", "reviewed_at", "created_by__username",
        )
    ]  # fmt: skip


def digest() -> str:
    rows = [
        Org.objects.values_list("code", "name", "kind", "parent__code"),
        Group.objects.values_list("org__code", "name", "kind", "subject", "parent__name"),
        Person.objects.values_list(
            "org__code", "staff_no", "name", "gender", "birth_date", "work_start",
            "teaching_start", "subject", "title", "position", "phone", "active", "user__username",
        ),
        Person.tags.through.objects.values_list("person__staff_no", "tag__name"),
        Membership.objects.values_list(
            "group__org__code", "group__name", "person__staff_no", "role", "start", "end"
        ),
        Mentorship.objects.values_list(
            "org__code", "mentor__staff_no", "mentee__staff_no", "start", "end"
        ),
        User.objects.values_list("username", "first_name", "last_name", "is_superuser"),
        RoleGrant.objects.values_list("user__username", "org__code", "role"),
        SchoolYear.objects.values_list("org__code", "start_year", "start", "end"),
        Term.objects.values_list(
            "school_year__org__code", "school_year__start_year", "number", "start", "end"
        ),
        DayOverride.objects.values_list("org__code", "date", "kind", "name"),
        Requirement.objects.values_list(
            "org__code", "name", "source_text", "measure", "item_min_chars", "comparator",
            "threshold", "period", "deadline", "group_role", "teaching_years_min",
            "teaching_years_max", "age_min", "age_max", "mentorship", "points",
        ),
        Requirement.kinds.through.objects.values_list("requirement__name", "activitykind__code"),
        Requirement.groups.through.objects.values_list("requirement__name", "group__name"),
        Requirement.tags.through.objects.values_list("requirement__name", "tag__name"),
        Exemption.objects.values_list("person__staff_no", "requirement", "start", "end", "reason"),
        records(),
        Dispatch.objects.values_list(
            "org__code", "year", "number", "title", "state", "start_date", "end_date", "hours",
            "requested_by__staff_no", "return_comment",
        ),
        DispatchTeacher.objects.values_list(
            "dispatch__title", "person__staff_no", "returned_at", "training_record__title"
        ),
        Obligation.objects.values_list(
            "dispatch__title", "person__staff_no", "kind", "label", "due_date", "min_chars",
            "activity__title", "note",
        ),
        Obligation.objects.filter(met_at=None).values_list(
            "dispatch__title", "person__staff_no", "kind"
        ),
    ]  # fmt: skip
    rows += work_rows()
    text = repr([sorted(map(repr, qs)) for qs in rows])
    return hashlib.sha256(text.encode()).hexdigest()


def work_rows() -> list:
    """What ``keshi.demo.work`` writes through the apps' services, by natural keys."""
    return [
        Plan.objects.values_list("org__code", "title", "status", "term__number"),
        CalendarItem.objects.values_list("plan__title", "title", "month", "week", "status"),
        Suggestion.objects.values_list("plan__title", "position", "status", "requirement__name"),
        Requirement.objects.values_list("name", "plan__title"),
        WeekSchedule.objects.filter(published_at__isnull=False).values_list("org__code", "week"),
        Session.objects.values_list("group__name", "date", "topic", "host__staff_no"),
        Session.objects.filter(closed_at=None).values_list("group__name", "date"),
        SessionAttendance.objects.values_list(
            "session__group__name", "session__date", "person__staff_no", "method"
        ),
        OpenClass.objects.values_list("teacher__staff_no", "date", "period", "topic", "kind"),
        OpenClass.objects.filter(closed_at=None).values_list("teacher__staff_no", "date"),
        InspectionResult.objects.values_list(
            "inspection__title", "person__staff_no", "total", "level", "findings"
        ),
        Rectification.objects.values_list(
            "inspection__title", "responsible__staff_no", "due", "closed_on"
        ),
        Draw.objects.values_list("title", "population", "k", "seed", "result"),
        BulletinItem.objects.values_list("bulletin__number", "position", "heading", "body"),
        ResearchProject.objects.values_list("title", "level", "status", "finished"),
        Stage.objects.values_list("project__title", "stage", "decision", "decided_at"),
        Entry.objects.values_list("contest__title", "person__staff_no", "score", "rank", "award"),
        Assignment.objects.values_list("entry__person__staff_no", "judge__staff_no", "total"),
        PointEntry.objects.values_list("person__staff_no", "date", "points", "reason"),
        Flag.objects.values_list("activity__data__demo", "score"),
    ]
