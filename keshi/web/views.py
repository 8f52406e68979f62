from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from keshi.accounts.models import RoleGrant
from keshi.calendar.selectors import current_term, shown_week
from keshi.indicators.board import month_board
from keshi.onboarding.views import unless_set_up
from keshi.org import selectors
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scope_for, visible
from keshi.plans.calendar_selectors import term_rows
from keshi.records.feedback_selectors import new_count as new_feedback_count
from keshi.rules.selectors import good_share, my_tasks, schools_compared

MISSING_SHOWN = 10
NEXT_TASKS_SHOWN = 4


def _grant_orgs(user) -> dict[str, list[Org]]:
    orgs: dict[str, list[Org]] = {}
    for g in RoleGrant.objects.filter(user=user).select_related("org").order_by("org__path"):
        orgs.setdefault(g.role, []).append(g.org)
    return orgs


def _term(org: Org | None, today) -> dict:
    term = current_term(org, today) if org else None
    week = shown_week(term, today) if term else None
    return {"term": term, "week": week, "term_org": org}


def _teacher(user, person_id: int, today) -> dict:
    person = visible(user, Person.objects.select_related("org")).get(pk=person_id)
    return {
        "me": person,
        "my_age": person.age(today),
        "my_years": person.teaching_years(today),
        "my_memberships": selectors.person_groups(user, person, current_at=today),
        "my_mentorships": selectors.person_mentorships(user, person).current(today),
        "feedback_new": new_feedback_count(user),
    }


def _overview(user, role: str, orgs: list[Org]) -> dict:
    paths = tuple(o.path for o in orgs)
    ctx = {f"{role}_orgs": orgs, f"{role}_counts": selectors.overview(user, paths)}
    if role == RoleGrant.Role.LEADER:
        subject_groups = selectors.groups_list(user, kind=Group.Kind.SUBJECT)
        ctx["leader_groups"] = subject_groups.filter(selectors.in_paths("org__path", paths))
    if role == RoleGrant.Role.OFFICE:
        missing = selectors.missing_data(user, paths)
        ctx["missing"] = missing[:MISSING_SHOWN]
        ctx["missing_count"] = missing.count()
    return ctx


def _month_work(user, term, today) -> list:
    """This month's items of the term's 行事历 that ``user`` may read."""
    if term is None:
        return []
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    rows = term_rows(user, term, today=today)
    return [r for r in rows if r.placement.start < following and r.placement.end >= first]


def _district(user, below: list[Org], today) -> dict:
    """A district office's home: its schools side by side by kind of work (听课, 反思, 培训学分…
    whatever each school calls its rules), and its hospital departments apart."""
    works, rows = schools_compared(user, orgs=below, at=today)
    return {
        "district_works": works,
        "district_schools": [
            (row, good_share(row.overall), [good_share(row.by_name.get(w, {})) for w in works])
            for row in rows
        ],
        "district_hospitals": [o for o in below if o.kind == Org.Kind.HOSPITAL],
    }


@unless_set_up
@login_required
def home(request):
    user = request.user
    scope = scope_for(user)
    today = timezone.localdate()
    ctx: dict = {"scope": scope, "today": today, "greeting_name": selectors.display_name(user)}
    grants = _grant_orgs(user)
    home_org = None
    if scope.is_admin:
        ctx["all_orgs"] = selectors.org_rows(user, list(Org.objects.order_by("path")))
    if orgs := grants.get(RoleGrant.Role.DISTRICT):
        below = Org.objects.filter(selectors.in_paths("path", [o.path for o in orgs]))
        below = below.exclude(pk__in=[o.pk for o in orgs]).order_by("path")
        ctx["district_orgs"] = orgs
        ctx.update(_district(user, list(visible(user, below)), today))
    for role in (RoleGrant.Role.OFFICE, RoleGrant.Role.LEADER):
        if orgs := grants.get(role):
            ctx.update(_overview(user, role, orgs))
            home_org = home_org or orgs[0]
    if scope.lead_group_ids:
        # The groups led directly first, then the sub-groups their lead also oversees.
        led = selectors.groups_list(user).filter(pk__in=scope.lead_group_ids)
        ctx["led_groups"] = sorted(led, key=lambda g: g.parent_id in scope.lead_group_ids)
    if scope.person_id:
        ctx.update(_teacher(user, scope.person_id, today))
        home_org = ctx["me"].org
    ctx.update(_term(home_org, today))
    if board := month_board(user, home_org, today):  # a department judged by indicators
        ctx["board"] = board
        ctx["month_work"] = _month_work(user, ctx["term"], today)
    if scope.person_id and ctx["term"]:
        tasks = my_tasks(user, person=ctx["me"], term=ctx["term"], at=today)
        ctx["next_tasks"] = tasks.top[:NEXT_TASKS_SHOWN]
        ctx["open_tasks"] = len(tasks.top) if tasks.items else None
    return render(request, "web/home.html", ctx)


@never_cache
def healthz(request):
    """Liveness for monitors and the load test's baseline: the app answers and its database
    does. Public, and says nothing about the data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
