"""Object-access matrix generated from the URL conf.

Every named page URL is requested (GET) as every role against objects of school ``demo``
(``keshi demo-data`` plus one object of each kind the demo data does not create). A new URL
with a parameter fails ``test_every_parameter_has_a_filler`` until its author adds a filler
to FILLERS below — that is the point: no endpoint escapes the matrix.

Asserted for every URL: no server error for any role; anonymous never gets a 200 page
(except PUBLIC); read-only roles never get a form that writes; the outsider (teacher of ``demo2``) never gets 200 on a URL that carries an
object of ``demo``; a colleague never gets 200 on another teacher's private objects (PRIVATE).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from keshi.accounts.models import RoleGrant
from keshi.org.models import Membership, Mentorship, Org, Person
from keshi.records.tests.factories import PDF

# Whole prefixes left out: admin/static/i18n are Django's, the API has its own scoping tests
# (keshi/tests/test_schemathesis.py and keshi/*/tests/test_api*.py).
SKIP_PREFIXES = ("admin/", "api/", "i18n/", "static/", "media/")
# Apps still being built in parallel (issue 9 brief): add them here once they land.
EXCLUDED_NAMESPACES: set[str] = set()
# Reachable without logging in by design.
PUBLIC = {"login", "healthz", "itinerary:feed", "groupwork:signin"}
# Objects only their owner (``teacher``) may open; a colleague gets 404/403/redirect.
PRIVATE = {
    "org:person",
    "records:detail",
    "records:edit",
    "records:delete",
    "records:attachment",
    "records:attachment_delete",
    "notify:open",
    "checks:rectification_evidence",
    "notify:read",
    "itinerary:feed_revoke",
}
# Server errors found by this matrix and reported to the app's owner; each entry must keep
# failing (so a fix shows up here) and is removed once fixed.
KNOWN_SERVER_ERRORS: set[tuple[str, str]] = set()
# School leaders and district staff read everything in scope but write nothing: they never get
# a form that creates or changes data (URL names containing one of these words).
READ_ONLY_ROLES = {"leader", "district"}
WRITE_WORDS = ("edit", "new", "create", "import", "score", "bulk", "delete")
ROLES = [
    "anonymous",
    "teacher",
    "other_teacher",
    "lead",
    "office",
    "leader",
    "district",
    "outsider",
]
NOT_A_TOKEN = "no-such-token-0000"


@dataclass
class World:
    school: Org
    teacher: Person
    other_teacher: Person
    objects: dict[str, object]

    def pk(self, key: str) -> int:
        return self.objects[key].pk


def _routes(resolver=None, prefix: str = "", namespace: str | None = None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _routes(p, prefix + str(p.pattern), full)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield prefix + str(p.pattern), name, sorted(p.pattern.converters)


def routes() -> list[tuple[str, str, list[str]]]:
    found = {}
    for route, name, params in _routes():
        if route.startswith(SKIP_PREFIXES) or name.split(":")[0] in EXCLUDED_NAMESPACES:
            continue
        found.setdefault(name, (route, name, params))
    return sorted(found.values(), key=lambda r: r[0])


def _only(name: str) -> Callable[[World], dict]:
    return lambda w: {"pk": w.pk(name)}


FILLERS: dict[str, Callable[[World], dict]] = {
    "org:person": lambda w: {"pk": w.teacher.pk},
    "org:group": _only("group"),
    "rules:group_standing": _only("group"),
    "org:mentorship_edit": _only("mentorship"),
    "org:mentorship_end": _only("mentorship"),
    "roles:revoke": _only("role_grant"),
    "calendar:close": _only("term"),
    "calendar:reopen": _only("term"),
    "logins:reset": lambda w: {"pk": w.teacher.pk},
    "logins:active": lambda w: {"pk": w.teacher.pk},
    "roster:preview": lambda w: {"token": NOT_A_TOKEN},
    "roster:export": lambda w: {"code": w.school.code},
    "records:detail": _only("activity"),
    "records:edit": _only("activity"),
    "records:delete": _only("activity"),
    "records:review_one": _only("activity"),
    "records:attachment": _only("attachment"),
    "records:attachment_delete": _only("attachment"),
    "records:kind_edit": _only("kind"),
    "records:import_preview": lambda w: {"token": NOT_A_TOKEN},
    "requirements:detail": _only("requirement"),
    "requirements:edit": _only("requirement"),
    "requirements:copy": _only("requirement"),
    "requirements:toggle": _only("requirement"),
    "requirements:delete": _only("requirement"),
    "requirements:exemption_end": _only("exemption"),
    "notify:open": _only("notification"),
    "notify:read": _only("notification"),
    "notify:channel_edit": _only("channel"),
    "notify:channel_test": _only("channel"),
    "notify:channel_delete": _only("channel"),
    "notify:remind_requirement": _only("requirement"),
    "plan_documents:plan": _only("plan"),
    "plan_documents:summary": _only("plan"),
    "plan_documents:summary_docx": _only("plan"),
    "plans:import_preview": lambda w: {"token": NOT_A_TOKEN},
    **{
        f"plans:{n}": _only("plan")
        for n in (
            "detail",
            "edit",
            "status",
            "publish",
            "history",
            "section_new",
            "duty_new",
            "suggestions",
        )
    },
    "plans:suggestions_accept_all": _only("plan"),
    **{
        f"plans:{n}": lambda w: {"pk": w.pk("plan"), "section_id": w.pk("section")}
        for n in ("section_edit", "section_delete", "section_move")
    },
    **{
        f"plans:{n}": lambda w: {"pk": w.pk("plan"), "duty_id": w.pk("duty")}
        for n in ("duty_edit", "duty_delete")
    },
    **{
        f"plans:{n}": lambda w: {"pk": w.pk("plan"), "suggestion_id": w.pk("suggestion")}
        for n in ("suggestion_accept", "suggestion_dismiss")
    },
    **{
        f"itinerary:{n}": _only("calendar_item")
        for n in ("item", "item_delete", "evidence_search", "evidence_add")
    },
    "itinerary:evidence_remove": lambda w: {
        "pk": w.pk("calendar_item"),
        "activity_id": w.pk("activity"),
    },
    "itinerary:feed_revoke": _only("feed"),
    "itinerary:feed": lambda w: {"token": NOT_A_TOKEN},
    **{f"checks:{n}": _only("rubric") for n in ("rubric", "rubric_edit", "rubric_copy")},
    **{
        f"checks:{n}": _only("inspection")
        for n in ("inspection", "inspection_edit", "inspection_score", "inspection_export")
    },
    "checks:rectification_add": _only("inspection"),
    "checks:rectification_close": lambda w: {
        "pk": w.pk("inspection"),
        "item": w.pk("rectification"),
    },
    "checks:inspection_transition": lambda w: {"pk": w.pk("inspection"), "action": "start"},
    "checks:my_rectification_close": _only("rectification"),
    "checks:rectification_evidence": _only("rectification"),
    **{f"checks:{n}": _only("draw") for n in ("draw", "draw_reveal", "draw_redraw")},
    **{
        f"checks:{n}": _only("bulletin")
        for n in ("bulletin", "bulletin_publish", "bulletin_export")
    },
    "checks:bulletin_item": lambda w: {"pk": w.pk("bulletin"), "item": w.pk("bulletin_item")},
    "groupwork:signin": lambda w: {"token": NOT_A_TOKEN},
    "groupwork:schedule": _only("schedule"),
    **{
        f"groupwork:{n}": _only("session")
        for n in ("session", "session_edit", "session_attendance", "session_close", "session_files")
    },
    "groupwork:session_file": _only("session_file"),
    **{
        f"groupwork:{n}": _only("training")
        for n in (
            "training",
            "training_edit",
            "training_attendance",
            "training_material",
            "training_grant",
        )
    },
    "groupwork:material_file": _only("material"),
    **{
        f"groupwork:{n}": _only("open_class")
        for n in ("open_class", "open_class_edit", "open_class_attendance", "open_class_close")
    },
    "indicators:detail": _only("indicator"),
    "indicators:edit": _only("indicator"),
    "indicators:retire": _only("indicator"),
    "indicators:year_target_set": _only("indicator"),
    "indicators:year_target_remove": lambda w: {"pk": w.pk("indicator"), "year": 2026},
    "indicators:from_target": _only("suggestion"),
    **{f"research:{n}": _only("project") for n in ("detail", "edit", "submit", "review", "status")},
    "research:document": _only("stage_document"),
}


def _plugins():
    """Apps contribute their own fillers and objects in ``keshi/<app>/tests/matrix.py``:
    ``FILLERS`` (as below) and ``objects(world) -> dict`` (objects of school ``demo``; the world
    passed in already holds the school, the teacher, the colleague and the objects above) and,
    optionally, ``PRIVATE`` (URL names only their owner may open)."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("keshi."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.matrix":
                raise


def all_fillers() -> dict[str, Callable[[World], dict]]:
    fillers = dict(FILLERS)
    for plugin in _plugins():
        fillers.update(plugin.FILLERS)
    return fillers


def build_world() -> World:
    from django.contrib.auth import get_user_model

    from keshi.checks.models import (
        Bulletin,
        BulletinItem,
        Draw,
        Inspection,
        Rectification,
        Rubric,
    )
    from keshi.groupwork.models import (
        OpenClass,
        Schedule,
        Session,
        SessionFile,
        TrainingMaterial,
        TrainingProject,
    )
    from keshi.indicators.models import Indicator
    from keshi.notify.models import Channel, Notification
    from keshi.plans.models import CalendarFeed, CalendarItem, Duty, Plan, PlanSection, Suggestion
    from keshi.records.models import Activity, ActivityKind, Attachment
    from keshi.research.models import ResearchProject, Stage, StageDocument
    from keshi.rules.models import Exemption, Requirement

    call_command("demo-data", verbosity=0)
    school = Org.objects.get(code="demo")
    teacher = Person.objects.get(user__username="teacher")
    group = Membership.objects.filter(person=teacher).select_related("group").first().group
    colleague = (
        Person.objects.filter(org=school, user__isnull=True, memberships__group=group)
        .exclude(memberships__role__in=[Membership.Role.LEAD])
        .first()
    )
    colleague.user = get_user_model().objects.create_user("other_teacher", password="x")
    colleague.save()
    activity = Activity.objects.filter(person=teacher).order_by("pk").first()
    attachment = Attachment.objects.create(
        activity=activity,
        file=ContentFile(PDF, name="matrix.pdf"),
        name="matrix.pdf",
        size=len(PDF),
        content_type="application/pdf",
    )
    from keshi.calendar.selectors import current_term

    term = current_term(school)
    plan = Plan.objects.create(org=school, title="矩阵计划", term=term)
    section = PlanSection.objects.create(plan=plan, title="一、指导思想")
    suggestion = Suggestion.objects.create(plan=plan, kind="requirement", source="每学期听课15节")
    today = dt.date(2026, 3, 9)
    builtin = Rubric.objects.filter(org__isnull=True).first()
    rubric = Rubric.objects.create(
        org=school, name="矩阵评分表", purpose=builtin.purpose, criteria=builtin.criteria
    )
    inspection = Inspection.objects.create(
        org=school, title="矩阵检查", kind="monthly", rubric=rubric, term=term
    )
    session = Session.objects.create(org=school, group=group, date=today)
    training = TrainingProject.objects.create(
        org=school, title="矩阵培训", start=today, end=today, hours=Decimal(2), organiser="区"
    )
    project = ResearchProject.objects.create(
        org=school, title="矩阵课题", level="school", leader=teacher
    )
    stage = Stage.objects.create(project=project, stage="declared")
    bulletin = Bulletin.objects.create(org=school, number=900, issue_date=today)  # past the demo's
    objects = {
        "group": group,
        "activity": activity,
        "attachment": attachment,
        "kind": ActivityKind.objects.filter(org__isnull=True).first(),
        "requirement": Requirement.objects.filter(org=school).first(),
        "exemption": Exemption.objects.filter(person__org=school).first(),
        "mentorship": Mentorship.objects.filter(org=school).first(),
        "role_grant": RoleGrant.objects.filter(org=school, role=RoleGrant.Role.LEADER).first(),
        "notification": Notification.objects.create(
            org=school, user=teacher.user, person=teacher, title="矩阵通知"
        ),
        "channel": Channel.objects.create(org=school, name="矩阵群", kind="dingtalk"),
        "plan": plan,
        "term": term,
        "section": section,
        "duty": Duty.objects.create(plan=plan, responsibility="矩阵分工", person=teacher),
        "suggestion": suggestion,
        "calendar_item": CalendarItem.objects.create(plan=plan, title="矩阵事项"),
        "feed": CalendarFeed.objects.create(org=school, person=teacher),
        "rubric": rubric,
        "inspection": inspection,
        "rectification": Rectification.objects.create(
            inspection=inspection,
            text="整改",
            responsible=teacher,
            due=today,
            evidence=ContentFile(PDF, name="evidence.pdf"),
            evidence_name="evidence.pdf",
            evidence_type="application/pdf",
        ),
        "draw": Draw.objects.create(
            org=school,
            title="矩阵抽签",
            population=["七1", "七2"],  # as commit_draw would have checked
            k=1,
            commitment="0" * 64,
            seed="1" * 64,
            committed_at=dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
        ),
        "bulletin": bulletin,
        "bulletin_item": BulletinItem.objects.create(bulletin=bulletin, heading="矩阵条目"),
        "schedule": Schedule.objects.create(
            org=school,
            group=group,
            term=term,
            weekday=1,
            start_time=dt.time(14),
            end_time=dt.time(15),
            place="会议室",
        ),
        "session": session,
        "session_file": SessionFile.objects.create(
            session=session,
            file=ContentFile(PDF, name="s.pdf"),
            name="s.pdf",
            size=len(PDF),
            content_type="application/pdf",
        ),
        "training": training,
        "material": TrainingMaterial.objects.create(project=training, item="plan"),
        "open_class": OpenClass.objects.create(
            org=school, teacher=teacher, date=today, period=1, class_name="七1", topic="矩阵"
        ),
        "indicator": Indicator.objects.first(),
        "project": project,
        "stage_document": StageDocument.objects.create(
            stage=stage,
            label="申报书",
            file=ContentFile(PDF, name="r.pdf"),
            name="r.pdf",
            size=len(PDF),
            content_type="application/pdf",
        ),
    }
    world = World(school=school, teacher=teacher, other_teacher=colleague, objects=objects)
    for plugin in _plugins():
        objects.update(plugin.objects(world))
    missing = sorted(k for k, v in objects.items() if v is None)
    assert not missing, f"the demo data lacks objects for the matrix: {missing}"
    return world


def test_every_parameter_has_a_filler():
    fillers = all_fillers()
    missing = [
        f"{name} ({route})" for route, name, params in routes() if params and name not in fillers
    ]
    assert not missing, (
        "URL patterns with parameters the access matrix cannot fill — add a filler to "
        "FILLERS in keshi/tests/test_access_matrix.py or keshi/<app>/tests/matrix.py "
        "(an object of school demo): " + ", ".join(missing)
    )


def _client(role: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    if role != "anonymous":
        username = {"outsider": "teacher2"}.get(role, role)
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _url(world: World, name: str, params: list[str], fillers) -> str:
    return reverse(name, kwargs=fillers[name](world) if params else None)


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(db, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    client = _client(role)
    fillers = all_fillers()
    private = PRIVATE.union(*(getattr(plugin, "PRIVATE", set()) for plugin in _plugins()))
    problems = []
    for _route, name, params in routes():
        if params and name not in fillers:
            continue  # reported by test_every_parameter_has_a_filler
        url = _url(world, name, params, fillers)
        status = client.get(url).status_code
        carries_demo_object = bool(params) and not all(
            fillers[name](world).get(p) == NOT_A_TOKEN for p in params
        )
        if (role, name) in KNOWN_SERVER_ERRORS:
            if status < 500:
                problems.append(f"fixed? remove from KNOWN_SERVER_ERRORS: {role} {name}")
        elif status >= 500:
            problems.append(f"{status} server error: {name} {url}")
        elif status == 200 and role == "anonymous" and name not in PUBLIC:
            problems.append(f"anonymous got 200: {name} {url}")
        elif status == 200 and role == "outsider" and carries_demo_object:
            problems.append(f"outsider (demo2) got 200 on a demo object: {name} {url}")
        elif status == 200 and role == "other_teacher" and name in private:
            problems.append(f"colleague got 200 on the teacher's private object: {name} {url}")
        elif (
            status == 200
            and role in READ_ONLY_ROLES
            and any(word in name.split(":")[-1] for word in WRITE_WORDS)
        ):
            problems.append(f"read-only {role} got a write form: {name} {url}")
    assert not problems, f"{role}:\n" + "\n".join(problems)


@pytest.mark.slow
def test_owner_and_manager_reach_the_private_objects(db, settings, tmp_path):
    """The matrix would pass vacuously if the fillers pointed at objects nobody can open."""
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    fillers = all_fillers()
    for role in ("teacher", "office"):
        client = _client(role)
        for name in (
            "records:detail",
            "org:person",
            "records:attachment",
            "checks:rectification_evidence",
        ):
            url = _url(world, name, ["pk"], fillers)
            assert client.get(url).status_code == 200, (role, name, url)
    assert _client("teacher").get(_url(world, "notify:open", ["pk"], fillers)).status_code in {
        200,
        302,
    }
