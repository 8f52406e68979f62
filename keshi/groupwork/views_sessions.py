"""教研活动 pages: schedules, the session list, a session (sign-in list, QR, minutes, files,
close/reopen), and the attendance statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term, home_org
from keshi.documents.http import stored_file
from keshi.groupwork import selectors, services, stats
from keshi.groupwork.forms import (
    AttendanceForm,
    FilesForm,
    NewSessionForm,
    ScheduleForm,
    SearchForm,
    SessionForm,
)
from keshi.groupwork.models import Meeting, SessionFile
from keshi.groupwork.views import qr_context
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scope_for, visible
from keshi.records.forms import add_errors
from keshi.web.params import query_id

PAGE_SIZE = 20


def _session_or_404(user, pk: int):
    session = selectors.sessions_for(user).filter(pk=pk).first()
    if session is None:
        raise Http404(_("没有这次活动，或您无权查看。"))
    return session


def _managed_or_403(user, pk: int):
    session = _session_or_404(user, pk)
    if not selectors.can_manage_group(user, session.group):
        raise PermissionDenied(_("只有本组组长和教科室可以管理这次活动。"))
    return session


# ---- schedules -----------------------------------------------------------------------------


@login_required
def schedule_create(request):
    if not selectors.managed_groups(request.user).exists():
        raise PermissionDenied(_("只有组长和教科室可以安排教研活动。"))
    form = ScheduleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = services.create_schedule(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            n = schedule.sessions.count()
            messages.success(
                request, _("已安排，并按教学周生成了 %(n)d 次活动（节假日已跳过）。") % {"n": n}
            )
            return redirect("groupwork:schedule", pk=schedule.pk)
    return render(request, "groupwork/form.html", {"form": form, "title": _("安排每周教研活动")})


@login_required
def schedule_detail(request, pk: int):
    schedule = selectors.schedules_for(request.user).filter(pk=pk).first()
    if schedule is None:
        raise Http404(_("没有这个活动安排，或您无权查看。"))
    may_manage = selectors.can_manage_group(request.user, schedule.group)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        n = services.generate_sessions(schedule=schedule)
        messages.success(request, _("补充生成了 %(n)d 次活动。") % {"n": n})
        return redirect("groupwork:schedule", pk=pk)
    sessions = schedule.sessions.select_related("host").annotate(n=Count("attendances"))
    return render(
        request,
        "groupwork/schedule_detail.html",
        {
            "schedule": schedule,
            "sessions": sessions.order_by("date"),
            "may_manage": may_manage,
            "today": timezone.localdate(),
        },
    )


# ---- sessions ------------------------------------------------------------------------------


@login_required
@require_GET
def session_list(request):
    qs = selectors.sessions_for(request.user)
    groups = Group.objects.filter(pk__in=qs.values("group_id")).order_by("name")
    form = SearchForm(request.GET, groups=groups)
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            qs = qs.filter(
                Q(topic__icontains=q) | Q(place__icontains=q) | Q(group__name__icontains=q)
            )
        if group := form.cleaned_data["group"]:
            qs = qs.filter(group=group)
    qs = qs.annotate(n=Count("attendances")).order_by("-date", "-start_time", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "groupwork/session_list.html",
        {
            "page": page,
            "form": form,
            "filtered": bool(request.GET.get("q") or request.GET.get("group")),
            "may_manage": selectors.managed_groups(request.user).exists(),
            "today": timezone.localdate(),
        },
    )


@login_required
def session_create(request):
    org = home_org(request.user)
    if org is None or not selectors.managed_groups(request.user).filter(org=org).exists():
        raise PermissionDenied(_("只有组长和教科室可以安排教研活动。"))
    form = NewSessionForm(request.POST or None, user=request.user, org=org)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "group"}
        try:
            session = services.save_session(
                group=form.cleaned_data["group"], by=request.user, **values
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("groupwork:session", pk=session.pk)
    return render(request, "groupwork/form.html", {"form": form, "title": _("新建一次教研活动")})


@login_required
def session_detail(request, pk: int):
    session = _session_or_404(request.user, pk)
    may_manage = selectors.can_manage_group(request.user, session.group)
    members = selectors.members_of(session.group, session.date)
    rows = list(session.attendances.select_related("person", "activity"))
    ctx = {
        "session": session,
        "may_manage": may_manage,
        "attendances": rows,
        "absent": members.exclude(pk__in=[r.person_id for r in rows]),
        "members": members,
        "files": session.files.all(),
        "is_meeting": Meeting.objects.filter(group_id=session.group_id).exists(),
    }
    if may_manage:
        ctx["attendance_form"] = AttendanceForm(
            candidates=members, initial={"people": [r.person_id for r in rows]}
        )
        ctx["files_form"] = FilesForm()
        if not session.is_closed:
            ctx.update(qr_context(request, "session", session))
    return render(request, "groupwork/session_detail.html", ctx)


@login_required
def session_edit(request, pk: int):
    session = _managed_or_403(request.user, pk)
    form = SessionForm(request.POST or None, instance=session, org=session.org)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_session(
                group=session.group, session=session, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("groupwork:session", pk=pk)
    return render(
        request,
        "groupwork/form.html",
        {"form": form, "title": _("编辑教研活动"), "back": session},
    )


@login_required
@require_POST
def session_attendance(request, pk: int):
    session = _managed_or_403(request.user, pk)
    members = selectors.members_of(session.group, session.date)
    form = AttendanceForm(request.POST, candidates=members)
    if form.is_valid():
        try:
            services.set_session_attendance(
                session=session, people=list(form.cleaned_data["people"]), by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("签到名单已保存。"))
    else:
        messages.error(request, _("签到名单中有不属于本组的人员。"))
    return redirect("groupwork:session", pk=pk)


@login_required
@require_POST
def session_close(request, pk: int):
    session = _managed_or_403(request.user, pk)
    try:
        if request.POST.get("reopen"):
            services.reopen_session(session=session, by=request.user)
            messages.success(request, _("已重新开启签到。"))
        else:
            n = services.close_session(session=session, by=request.user)
            if Meeting.objects.filter(group_id=session.group_id).exists():
                messages.success(request, _("例会已结束，签到已关闭，出勤计入统计。"))
            else:
                messages.success(
                    request, _("活动已结束，为 %(n)d 位参加者生成了教研活动记录。") % {"n": n}
                )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("groupwork:session", pk=pk)


@login_required
@require_POST
def session_files(request, pk: int):
    session = _managed_or_403(request.user, pk)
    form = FilesForm(request.POST, request.FILES)
    if form.is_valid():
        for name, data, content_type in form.cleaned_data["files"]:
            services.add_session_file(
                session=session, name=name, data=data, content_type=content_type
            )
        messages.success(request, _("附件已上传。"))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("groupwork:session", pk=pk)


@login_required
def session_file(request, pk: int):
    row = get_object_or_404(SessionFile, pk=pk)
    _session_or_404(request.user, row.session_id)  # the session's scoping decides
    if request.method == "POST":
        _managed_or_403(request.user, row.session_id)
        services.delete_session_file(row=row)
        messages.success(request, _("附件“%(name)s”已删除。") % {"name": row.name})
        return redirect("groupwork:session", pk=row.session_id)
    return stored_file(row.file, row.name, row.content_type)


# ---- statistics ----------------------------------------------------------------------------


def _stats_groups(user, org: Org):
    """Readers see every group of the org; a lead the groups they lead; a teacher none (their
    own attendance is on the home page)."""
    scope = scope_for(user)
    groups = visible(user, org.groups.all())
    if scope.is_admin or any(org.path.startswith(p) for p in scope.read_paths):
        return groups
    if not scope.lead_group_ids:
        return None
    return groups.filter(pk__in=scope.lead_group_ids)


@login_required
@require_GET
def attendance_stats(request):
    orgs = visible(request.user, Org.objects.all()).order_by("path")
    org = orgs.filter(pk=query_id(request, "org")).first() or home_org(request.user)
    if org is None:
        raise Http404
    groups = _stats_groups(request.user, org)
    terms = visible(request.user, Term.objects.filter(school_year__org=org)).order_by("-start")
    term = terms.filter(pk=query_id(request, "term")).first() or current_term(org)
    rows, mine, meetings = [], None, []
    if groups is None:  # a teacher: their own attendance only
        person = Person.objects.filter(pk=scope_for(request.user).person_id).first()
        mine = stats.attendance_of(person, term) if person else None
    elif term:
        groups = groups.filter(sessions__isnull=False).distinct().order_by("name")
        meeting_ids = selectors.meeting_group_ids([org.pk])
        rows = stats.groups_attendance(
            [g for g in groups if g.pk not in meeting_ids], term.start, term.end
        )
        shown = {g.pk for g in groups}
        meetings = [r for r in stats.meeting_attendance(org, term) if r.meeting.group_id in shown]
    choices = [o for o in orgs if o.kind != Org.Kind.DISTRICT] if len(orgs) > 1 else []
    return render(
        request,
        "groupwork/stats.html",
        {
            "rows": rows,
            "meetings": meetings,
            "mine": mine,
            "term": term,
            "terms": terms,
            "org": org,
            "orgs": choices,
        },
    )
