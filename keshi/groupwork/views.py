"""The groupwork home page and the QR sign-in page. Sessions, 校本研修 and open classes have
their own view modules; all reads go through keshi.groupwork.selectors (scoping underneath)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keshi.calendar.selectors import current_term, home_org
from keshi.groupwork import selectors, services, services_open, services_training, signin, stats
from keshi.groupwork.models import OpenClass, Session, SessionAttendance, TrainingProject
from keshi.org.models import Person
from keshi.org.scoping import can_read_org, scope_for, visible

UPCOMING_DAYS = 14


@login_required
def index(request):
    scope = scope_for(request.user)
    org = home_org(request.user)
    today = timezone.localdate()
    term = current_term(org) if org else None
    sessions = selectors.sessions_for(request.user)
    ctx = {
        "org": org,
        "term": term,
        "today": today,
        "is_reader": scope.is_admin or bool(scope.read_paths),
        "is_lead": bool(scope.lead_group_ids),
        "may_manage": selectors.managed_groups(request.user).exists(),
        "upcoming": sessions.filter(date__gte=today, date__lte=today + timedelta(UPCOMING_DAYS))
        .filter(closed_at__isnull=True)
        .order_by("date", "start_time")[:20],
        "recent": sessions.filter(date__lt=today).order_by("-date")[:10],
        "schedules": selectors.schedules_for(request.user).filter(
            **({"term": term} if term else {})
        ),
        "open_classes": selectors.open_classes_for(request.user)
        .filter(date__gte=today)
        .order_by("date", "period")[:10],
    }
    if scope.person_id and term:
        me = Person.objects.get(pk=scope.person_id)
        ctx["mine"] = stats.attendance_of(me, term)
    if term and (ctx["is_reader"] or ctx["is_lead"]):
        groups = visible(request.user, org.groups.all())
        if not can_read_org(request.user, org):
            groups = groups.filter(pk__in=scope.lead_group_ids)
        groups = groups.filter(pk__in=sessions.values("group_id")).order_by("name")
        shown, meeting_ids = list(groups), selectors.meeting_group_ids([org.pk])
        ctx["group_stats"] = stats.groups_attendance(
            [g for g in shown if g.pk not in meeting_ids], term.start, term.end
        )
        ctx["meeting_stats"] = [
            r
            for r in stats.meeting_attendance(org, term)
            if r.meeting.group_id in {g.pk for g in shown}
        ]
    return render(request, "groupwork/index.html", ctx)


# ---- QR sign-in ----------------------------------------------------------------------------

_TARGETS = {
    "session": (Session, services.sign_in_session, "session"),
    "training": (TrainingProject, services_training.sign_in_training, "project"),
    "open_class": (OpenClass, services_open.sign_in_open_class, "open_class"),
}


def _refused(request, message: str, status: int, obj=None):
    return render(request, "groupwork/signin.html", {"error": message, "obj": obj}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def sign_in(request, token: str):
    try:
        target = signin.target_of(token)
    except signin.TokenError as exc:
        return _refused(request, str(exc), 400)
    model, sign, arg = _TARGETS[target.kind]
    obj = visible(request.user, model.objects.all()).filter(pk=target.pk).first()
    scope = scope_for(request.user)
    if obj is None:
        raise Http404(_("没有这项活动，或您无权签到。"))
    try:
        signin.verify(token, target.kind, obj)
    except signin.TokenError as exc:
        return _refused(request, str(exc), 400, obj)
    if not scope.person_id:
        return _refused(request, _("只有本单位的教师可以签到。"), 403)
    person = Person.objects.get(pk=scope.person_id)
    done = _already(target.kind, obj, person)
    if request.method == "POST" and not done:
        try:
            sign(**{arg: obj, "person": person})
        except ValidationError as exc:
            return _refused(request, " ".join(exc.messages), 403)
        done = True
    elif request.method == "GET" and not done:
        try:  # refuse early: a non-member should not see a button that cannot work
            _eligible(target.kind, obj, person)
        except ValidationError as exc:
            return _refused(request, " ".join(exc.messages), 403)
    return render(
        request,
        "groupwork/signin.html",
        {"obj": obj, "kind": target.kind, "done": done, "person": person},
    )


def _already(kind: str, obj, person: Person) -> bool:
    if kind == "session":
        return SessionAttendance.objects.filter(session=obj, person=person).exists()
    return obj.attendances.filter(person=person).exists()


def _eligible(kind: str, obj, person: Person) -> None:
    """The same checks the services make, without writing."""
    if person.org_id != obj.org_id:
        raise ValidationError(_("您不是本单位的教师，不能签到。"))
    if kind == "session":
        if obj.is_closed:
            raise ValidationError(_("活动已结束，签到已关闭。"))
        if not selectors.members_of(obj.group, obj.date).filter(pk=person.pk).exists():
            raise ValidationError(
                _("您不是%(group)s的成员，不能签到这次活动。") % {"group": obj.group.name}
            )
    elif kind == "open_class":
        if obj.is_closed:
            raise ValidationError(_("考勤已结束，签到已关闭。"))
        if obj.teacher_id == person.pk:
            raise ValidationError(_("授课教师不用签到听自己的课。"))


def qr_context(request, kind: str, obj) -> dict:
    """The QR code (SVG) and link a manager shows on the screen in the meeting room, and when
    it works: from ``qr_opens`` (shown when still ahead) until ``qr_expires``."""
    url = request.build_absolute_uri(
        reverse("groupwork:signin", args=[signin.make_token(kind, obj)])
    )
    now = timezone.now()
    opens, closes = signin.window(kind, obj)
    return {
        "qr_svg": signin.qr_svg(url),
        "qr_url": url,
        "qr_opens": timezone.localtime(opens) if opens > now else None,
        "qr_closed": closes <= now,
        "qr_expires": timezone.localtime(signin.expires(kind, obj, now=now)),
    }
